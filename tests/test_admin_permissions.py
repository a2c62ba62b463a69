"""Who gets what in the admin: the permission matrix, probes for another city, previews.

Anonymous visitors, staff of city A (Gdańsk), staff of city B (Łódź), an editor and
a superuser against every admin URL of every registered model (list, add, change,
delete, history, and django-reversion's restore pages), autocomplete, "view on
site", the city staff page and the public draft preview. A forbidden object
answers 403 or 404, never a form.
"""

import datetime

import pytest
import reversion
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from cities.models import City, Mayor
from core.publishing import Status
from declarations.models import Declaration, Meeting

from .factories import (
    DeclarationFactory,
    InitiativeFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    SignatoryFactory,
)
from .html import form_data
from .roles import client_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff_a", "staff_b", "editor", "superuser"]
# One object per registered model; cities and mayors once per city.
TARGETS = [
    "city_a",
    "city_b",
    "mayor_a",
    "mayor_b",
    "declaration",
    "signatory",
    "team",
    "meeting",
    "initiative",
    "organisation",
    "user",
    "group",
    "access_attempt",
    "access_log",
    "access_failure_log",
    "accessibility_statement",
]
# Users, groups and django-axes' login records are the superusers' alone.
SUPERUSER_ONLY = {"user", "group", "access_attempt", "access_log", "access_failure_log"}
# django-axes records sign-ins itself; there is one accessibility statement, never deleted.
NO_ADD = {"access_attempt", "access_log", "access_failure_log", "accessibility_statement"}
NO_DELETE = {"accessibility_statement"}
MODEL_TARGETS = [t for t in TARGETS if t not in {"city_b", "mayor_b"}]

# Public pages answer in every language of the site.
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def world(city_a, city_b, mayor_a, mayor_b, people):
    declaration = DeclarationFactory()
    meeting = MeetingFactory(host_city=city_a)
    MeetingDocumentFactory(meeting=meeting)
    objects = {
        "city_a": city_a,
        "city_b": city_b,
        "mayor_a": mayor_a,
        "mayor_b": mayor_b,
        "declaration": declaration,
        "signatory": SignatoryFactory(declaration=declaration, city=city_a, mayor=mayor_a),
        "team": meeting.team,
        "meeting": meeting,
        "initiative": InitiativeFactory(),
        "organisation": OrganisationFactory(),
        "user": people["superuser"],
        "group": Group.objects.get(name="Editors"),
    }
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        attempt = {"ip_address": "127.0.0.1", "user_agent": "test", "path_info": "/admin/login/"}
        objects["access_attempt"] = AccessAttempt.objects.create(
            username="staff-a", failures_since_start=1, **attempt
        )
        objects["access_log"] = AccessLog.objects.create(username="staff-a", **attempt)
        objects["access_failure_log"] = AccessFailureLog.objects.create(username="x", **attempt)
    statement = apps.get_model("ump_portal", "AccessibilityStatement")
    if statement in admin.site._registry:
        objects["accessibility_statement"] = statement.objects.get()
    return objects


def admin_url(obj_or_model, kind, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{kind}", args=args)


def expected_status(role, target, kind):
    """What `role` gets for `kind` (changelist, add, change, delete, history) of `target`."""
    if role == "anonymous":
        return 302  # to the login page
    if (kind == "add" and target in NO_ADD) or (kind == "delete" and target in NO_DELETE):
        return 403
    if role == "superuser":
        return 200
    if role == "editor":
        return 403 if target in SUPERUSER_ONLY else 200
    own_city = role[-1]  # staff_a -> "a"
    if target not in {"city_a", "city_b", "mayor_a", "mayor_b"}:
        return 403  # no permission on the model at all
    is_city = target.startswith("city")
    if kind == "changelist":
        return 200
    if kind == "add":
        return 403 if is_city else 200
    if not target.endswith(own_city):
        return 404  # another city's object: not found, whatever the URL
    if kind == "delete" and is_city:
        return 403  # a mayor they may delete (the page says why one that signed stays)
    return 200


def test_the_matrix_covers_every_registered_model(world):
    assert {type(obj) for obj in world.values()} == set(admin.site._registry)


@pytest.mark.parametrize("kind", ["changelist", "add"])
@pytest.mark.parametrize("target", MODEL_TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_model_urls(client, world, people, role, target, kind):
    if target not in world:
        pytest.skip(f"{target}: app not installed")
    response = client_for(client, people[role]).get(admin_url(type(world[target]), kind))
    assert response.status_code == expected_status(role, target, kind)
    if response.status_code == 302:
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("kind", ["change", "delete", "history"])
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_object_urls(client, world, people, role, target, kind):
    if target not in world:
        pytest.skip(f"{target}: app not installed")
    obj = world[target]
    response = client_for(client, people[role]).get(admin_url(obj, kind, obj.pk))
    assert response.status_code == expected_status(role, target, kind)
    if response.status_code == 302:
        assert response.url.startswith(reverse("admin:login"))
    if response.status_code in {403, 404}:
        assert b"<form" not in response.content or b'name="_save"' not in response.content


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_object_url_without_change_suffix(client, world, people, role, target):
    """`/admin/app/model/<id>/` redirects to the change page only for those allowed."""
    if target not in world:
        pytest.skip(f"{target}: app not installed")
    obj = world[target]
    opts = obj._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/"
    response = client_for(client, people[role]).get(url, follow=True)
    assert response.status_code == expected_status(role, target, "change") or (
        role == "anonymous" and response.status_code == 200
    )


@pytest.mark.parametrize("role", ROLES)
def test_restore_pages(client, world, people, role):
    """django-reversion's recover list, recover and revision pages: editors only."""
    city = world["city_a"]
    with reversion.create_revision():
        city.save()
    version = Version.objects.get_for_object(city).first()
    client = client_for(client, people[role])
    urls = {
        "recoverlist": admin_url(City, "recoverlist"),
        "mayor_recoverlist": admin_url(Mayor, "recoverlist"),
        "revision": admin_url(City, "revision", city.pk, version.pk),
        "recover": admin_url(City, "recover", version.pk),
    }
    for name, url in urls.items():
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302, name
        elif role in {"staff_a", "staff_b"}:
            assert response.status_code == 403, name
        elif name == "recover":
            # The city is not deleted: nothing to recover, but no error page either.
            assert response.status_code in {200, 302}, name
        else:
            assert response.status_code == 200, name


def test_a_revision_of_another_model_is_not_found(client, world, editor):
    declaration = world["declaration"]
    with reversion.create_revision():
        declaration.save()
    version = Version.objects.get_for_object(declaration).first()
    client.force_login(editor)
    url = admin_url(City, "revision", version.object_id, version.pk)
    assert client.get(url).status_code == 404


class TestCityStaffSeeOnlyTheirCity:
    def test_city_list(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.get(admin_url(City, "changelist"))
        assert list(response.context["cl"].result_list) == [world["city_a"]]
        assert admin_url(City, "change", world["city_b"].pk) not in response.content.decode()

    def test_city_search_finds_nothing_else(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.get(admin_url(City, "changelist"), {"q": "lodz"})
        assert list(response.context["cl"].result_list) == []

    def test_mayor_list_and_its_city_filter(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.get(admin_url(Mayor, "changelist"))
        assert list(response.context["cl"].result_list) == [world["mayor_a"]]
        content = response.content.decode()
        assert "Zdanowska" not in content
        assert "Łódź" not in content

    def test_mayor_list_filtered_by_another_city_shows_nothing(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.get(
            admin_url(Mayor, "changelist"), {"city__id__exact": world["city_b"].pk}
        )
        assert response.status_code in {200, 302}
        if response.status_code == 200:
            assert world["mayor_b"] not in response.context["cl"].result_list

    def test_the_city_form_has_no_membership_fields(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.get(admin_url(City, "change", world["city_a"].pk))
        fields = form_data(response, "city_form")
        for forbidden in ["slug", "kind", "is_ump_member", "editors", "name_pl", "voivodeship"]:
            assert forbidden not in fields
        for allowed in ["summary_pl", "summary_en", "description_en", "contact_email", "website"]:
            assert allowed in fields
        # Who edits the city is the editors' business.
        staff_page = reverse("admin:cities_city_staff", args=[world["city_a"].pk])
        assert staff_page not in response.content.decode()

    def test_editors_see_membership_fields(self, client, world, editor):
        client.force_login(editor)
        response = client.get(admin_url(City, "change", world["city_a"].pk))
        fields = form_data(response, "city_form")
        for field in ["slug", "kind", "is_ump_member", "name_pl", "name_en", "voivodeship"]:
            assert field in fields
        staff_page = reverse("admin:cities_city_staff", args=[world["city_a"].pk])
        assert staff_page in response.content.decode()

    @pytest.mark.parametrize("app_label", ["declarations", "auth"])
    def test_app_pages_of_other_apps(self, client, world, staff_a, app_label):
        client.force_login(staff_a)
        assert client.get(reverse("admin:app_list", args=[app_label])).status_code == 404

    def test_admin_index_greets_them_with_their_city(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.get(reverse("admin:index"))
        content = response.content.decode()
        assert 'id="city-staff-welcome"' in content
        assert admin_url(City, "change", world["city_a"].pk) in content
        assert admin_url(City, "change", world["city_b"].pk) not in content
        assert admin_url(Declaration, "changelist") not in content
        models = {
            model["object_name"] for app in response.context["app_list"] for model in app["models"]
        }
        assert models == {"City", "Mayor"}

    def test_admin_index_has_no_greeting_for_editors(self, client, world, editor):
        client.force_login(editor)
        assert 'id="city-staff-welcome"' not in client.get(reverse("admin:index")).content.decode()

    def test_staff_without_a_city_are_told_to_ask(self, client, world, staff_a):
        staff_a.edited_cities.clear()
        client.force_login(staff_a)
        response = client.get(reverse("admin:index"))
        assert response.context["my_cities"] == []
        assert client.get(admin_url(City, "change", world["city_a"].pk)).status_code == 404


class TestCityStaffCannotChangeAnotherCity:
    def test_posting_to_another_city(self, client, world, staff_a):
        city_b = world["city_b"]
        client.force_login(staff_a)
        response = client.post(
            admin_url(City, "change", city_b.pk), {"summary_pl": "Przejęte", "_save": "1"}
        )
        assert response.status_code == 404
        city_b.refresh_from_db()
        assert city_b.summary_pl != "Przejęte"

    def test_forged_membership_fields_are_ignored(self, client, world, staff_a, trusted_a, staff_b):
        city_a = world["city_a"]
        client.force_login(staff_a)
        url = admin_url(City, "change", city_a.pk)
        data = form_data(client.get(url), "city_form")
        data.update(
            summary_pl="Nowe streszczenie.",
            slug="przejete",
            kind=City.Kind.COUNTY,
            is_ump_member="",
            name_pl="Inna nazwa",
            editors=[str(staff_b.pk)],
            _save="1",
        )
        response = client.post(url, data)
        assert response.status_code == 302
        city_a.refresh_from_db()
        assert city_a.summary_pl == "Nowe streszczenie."
        assert (city_a.slug, city_a.kind, city_a.is_ump_member) == ("gdansk", City.Kind.CITY, True)
        assert city_a.name_pl == "Gdańsk"
        assert list(city_a.editors.all()) == [staff_a]

    def test_inline_cannot_reach_another_citys_mayor(self, client, world, staff_a):
        city_a, mayor_b = world["city_a"], world["mayor_b"]
        client.force_login(staff_a)
        url = admin_url(City, "change", city_a.pk)
        data = form_data(client.get(url), "city_form")
        data["mayors-0-id"] = str(mayor_b.pk)
        data["mayors-0-full_name"] = "Przejęty"
        data["_save"] = "1"
        client.post(url, data)
        mayor_b.refresh_from_db()
        assert mayor_b.full_name == "Hanna Zdanowska"
        assert mayor_b.city == world["city_b"]

    def test_inline_cannot_delete_their_mayor_named_by_signatories(self, client, world, staff_a):
        city_a, mayor_a = world["city_a"], world["mayor_a"]
        client.force_login(staff_a)
        url = admin_url(City, "change", city_a.pk)
        data = form_data(client.get(url), "city_form")
        data.update({"mayors-0-DELETE": "on", "_save": "1"})
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
        assert Mayor.objects.filter(pk=mayor_a.pk).exists()

    def test_filtering_the_list_by_editors_is_refused(self, client, world, staff_a, staff_b):
        client.force_login(staff_a)
        response = client.get(admin_url(City, "changelist"), {"editors__id__exact": staff_b.pk})
        assert response.status_code in {302, 400}
        assert b"lodz" not in response.content

    def test_adding_a_mayor_to_another_city(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.post(
            admin_url(Mayor, "add"),
            {
                "city": world["city_b"].pk,
                "full_name": "Podstawiony",
                "office": Mayor.Office.CITY_PRESIDENT,
                "_save": "1",
            },
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["city"]
        assert not Mayor.objects.filter(full_name="Podstawiony").exists()

    def test_adding_a_mayor_to_their_own_city(self, client, world, staff_a, trusted_a):
        client.force_login(staff_a)
        response = client.post(
            admin_url(Mayor, "add"),
            {
                "city": world["city_a"].pk,
                "full_name": "Nowy Prezydent",
                "office": Mayor.Office.CITY_PRESIDENT,
                "term_start": "2029-05-01",
                "end_current_term": "on",
                "_save": "1",
            },
        )
        assert response.status_code == 302
        assert Mayor.objects.get(full_name="Nowy Prezydent").city == world["city_a"]
        world["mayor_a"].refresh_from_db()
        assert world["mayor_a"].term_end == datetime.date(2029, 5, 1)

    def test_closing_a_term_of_their_mayor(self, client, world, staff_a, trusted_a):
        mayor = world["mayor_a"]
        client.force_login(staff_a)
        url = admin_url(Mayor, "change", mayor.pk)
        data = form_data(client.get(url), "mayor_form")
        data.update(term_end="2029-04-30", _save="1")
        assert client.post(url, data).status_code == 302
        mayor.refresh_from_db()
        assert mayor.term_end == datetime.date(2029, 4, 30)

    def test_moving_their_mayor_to_another_city(self, client, world, staff_a):
        mayor = world["mayor_a"]
        client.force_login(staff_a)
        url = admin_url(Mayor, "change", mayor.pk)
        data = form_data(client.get(url), "mayor_form")
        data.update(city=str(world["city_b"].pk), _save="1")
        response = client.post(url, data)
        assert response.status_code == 200
        mayor.refresh_from_db()
        assert mayor.city == world["city_a"]

    @pytest.mark.parametrize("action", ["delete_selected", "publish_selected"])
    def test_bulk_actions(self, client, world, staff_a, action):
        client.force_login(staff_a)
        ids = [world["city_a"].pk, world["city_b"].pk]
        response = client.post(
            admin_url(City, "changelist"),
            {"action": action, "_selected_action": ids, "post": "yes"},
        )
        # The action is unknown to them: the list again, never a confirmation form.
        assert response.status_code in {200, 302, 403}
        assert "admin/delete_selected_confirmation.html" not in [
            template.name for template in response.templates
        ]
        assert City.objects.filter(pk__in=ids).count() == 2

    def test_mayor_bulk_delete(self, client, world, staff_a):
        client.force_login(staff_a)
        ids = [world["mayor_a"].pk, world["mayor_b"].pk]
        client.post(
            admin_url(Mayor, "changelist"),
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
        assert Mayor.objects.filter(pk__in=ids).count() == 2

    def test_deleting_their_own_city(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.post(admin_url(City, "delete", world["city_a"].pk), {"post": "yes"})
        assert response.status_code == 403
        assert City.objects.filter(pk=world["city_a"].pk).exists()

    def test_reverting_through_their_own_city_url(self, client, world, staff_a):
        """A revision replays whole revisions: never for city staff, even on their city."""
        city_b = world["city_b"]
        with reversion.create_revision():
            city_b.save()
        version = Version.objects.get_for_object(city_b).first()
        city_b.summary_pl = "Zmienione później"
        city_b.save()
        client.force_login(staff_a)
        url = admin_url(City, "revision", world["city_a"].pk, version.pk)
        assert client.post(url, {"_save": "1"}).status_code in {403, 404}
        city_b.refresh_from_db()
        assert city_b.summary_pl == "Zmienione później"


class TestAutocomplete:
    def autocomplete(self, client, app_label, model_name, field_name, term=""):
        return client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )

    def test_city_staff_get_only_their_city(self, client, world, staff_a):
        client.force_login(staff_a)
        response = self.autocomplete(client, "cities", "mayor", "city")
        assert response.status_code == 200
        assert [r["text"] for r in response.json()["results"]] == ["Gdańsk"]
        response = self.autocomplete(client, "cities", "mayor", "city", term="Łódź")
        assert response.json()["results"] == []

    @pytest.mark.parametrize(
        ("app_label", "model_name", "field_name"),
        [
            ("declarations", "signatory", "city"),
            ("declarations", "signatory", "mayor"),
            ("declarations", "meeting", "host_city"),
            ("cities", "city", "editors"),
            ("auth", "user", "groups"),
        ],
    )
    def test_city_staff_cannot_use_forms_they_cannot_open(
        self, client, world, staff_a, app_label, model_name, field_name
    ):
        client.force_login(staff_a)
        assert self.autocomplete(client, app_label, model_name, field_name).status_code == 403

    def test_editors_get_every_city(self, client, world, editor):
        client.force_login(editor)
        response = self.autocomplete(client, "declarations", "meeting", "host_city")
        assert {r["text"] for r in response.json()["results"]} == {"Gdańsk", "Łódź"}

    def test_anonymous(self, client, world):
        assert self.autocomplete(client, "cities", "mayor", "city").status_code == 302


class TestViewOnSite:
    def url(self, obj):
        content_type = ContentType.objects.get_for_model(obj)
        return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])

    def test_own_city(self, client, world, staff_a):
        client.force_login(staff_a)
        response = client.get(self.url(world["city_a"]))
        assert response.status_code == 302

    def test_another_city(self, client, world, staff_a):
        client.force_login(staff_a)
        assert client.get(self.url(world["city_b"])).status_code == 404

    def test_a_draft_is_not_revealed_to_city_staff(self, client, world, staff_a):
        draft = DeclarationFactory(status=Status.DRAFT, slug="tajny-projekt")
        client.force_login(staff_a)
        response = client.get(self.url(draft))
        assert response.status_code == 403
        assert "tajny-projekt" not in response.get("Location", "")

    def test_editor(self, client, world, editor):
        draft = DeclarationFactory(status=Status.DRAFT)
        client.force_login(editor)
        assert client.get(self.url(draft)).status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_city_staff_page(client, world, people, role):
    url = reverse("admin:cities_city_staff", args=[world["city_a"].pk])
    response = client_for(client, people[role]).get(url)
    expected = {"anonymous": 302, "staff_a": 403, "staff_b": 403, "editor": 200, "superuser": 200}
    assert response.status_code == expected[role]


class TestDraftPreview:
    """Drafts and scheduled items on their public URL: editors see them with a banner."""

    @pytest.fixture
    def unpublished(self, world):
        later = timezone.now() + datetime.timedelta(days=3)
        return {
            "draft declaration": DeclarationFactory(status=Status.DRAFT),
            "scheduled declaration": DeclarationFactory(published_at=later),
            "draft meeting": MeetingFactory(status=Status.DRAFT),
            "scheduled meeting": MeetingFactory(published_at=later),
            "draft initiative": InitiativeFactory(status=Status.DRAFT),
            "scheduled initiative": InitiativeFactory(published_at=later),
            "published without a time": MeetingFactory(published_at=None),
        }

    @pytest.mark.parametrize("role", ROLES)
    def test_unpublished_items(self, client, unpublished, people, role):
        client = client_for(client, people[role])
        for name, obj in unpublished.items():
            for language in LANGUAGES:
                with translation.override(language):
                    url = obj.get_absolute_url()
                response = client.get(url)
                if role in {"editor", "superuser"}:
                    assert response.status_code == 200, (name, language)
                    assert response.context["is_preview"], name
                    assert 'class="draft-banner"' in response.content.decode(), name
                else:
                    assert response.status_code == 404, (name, role, language)

    @pytest.mark.parametrize("role", ["anonymous", "staff_a"])
    def test_unpublished_items_are_not_listed(self, client, unpublished, people, role):
        client = client_for(client, people[role])
        for list_url in ["declarations:declaration_list", "declarations:meeting_list"]:
            content = client.get(reverse(list_url)).content.decode()
            for obj in unpublished.values():
                assert obj.get_absolute_url() not in content

    @pytest.mark.parametrize("role", ROLES)
    def test_published_item_has_no_banner(self, client, world, people, role):
        response = client_for(client, people[role]).get(world["meeting"].get_absolute_url())
        assert response.status_code == 200
        assert not response.context["is_preview"]
        assert 'class="draft-banner"' not in response.content.decode()

    def test_scheduled_item_goes_public_at_its_time(self, client, world):
        meeting = MeetingFactory(published_at=timezone.now() + datetime.timedelta(minutes=5))
        assert client.get(meeting.get_absolute_url()).status_code == 404
        Meeting.objects.filter(pk=meeting.pk).update(
            published_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        assert client.get(meeting.get_absolute_url()).status_code == 200
