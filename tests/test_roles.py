"""Roles as data, granting and revoking city staff, the one-time link, the demo users."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from cities.demo_users import DEMO_CITY_STAFF, DEMO_EDITOR
from cities.models import City
from cities.permissions import CITY_STAFF_GROUP, EDITORS_GROUP
from core.admin_wording import describe_change

from .factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


class TestGroupsFromTheDataMigration:
    def test_city_staff(self):
        assert codenames(CITY_STAFF_GROUP) == {
            "cities.view_city",
            "cities.change_city",
            "cities.view_mayor",
            "cities.add_mayor",
            "cities.change_mayor",
            "cities.delete_mayor",
        }

    def test_editors_have_all_content_but_no_users(self):
        perms = codenames(EDITORS_GROUP)
        for model in [
            "cities.city",
            "cities.mayor",
            "declarations.declaration",
            "declarations.signatory",
            "declarations.organisation",
            "declarations.team",
            "declarations.meeting",
            "declarations.meetingdocument",
            "declarations.initiative",
        ]:
            app_label, name = model.split(".")
            for action in ["view", "add", "change", "delete"]:
                assert f"{app_label}.{action}_{name}" in perms
        assert {"cities.edit_all_cities", "cities.manage_city_staff"} <= perms
        assert not any(p.startswith("auth.") for p in perms)

    def test_custom_permissions_exist(self):
        assert (
            Permission.objects.filter(
                content_type__app_label="cities",
                codename__in=["edit_all_cities", "manage_city_staff"],
            ).count()
            == 2
        )


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def printed_link(output):
    (link,) = re.findall(r"https?://\S+", output)
    return link


class TestGrantCommand:
    def test_new_user_gets_a_one_time_link(self, client, settings, city_a):
        settings.DEBUG = True  # as on a laptop: the link points at make run's address
        output = run("grant_city_editor", "jan.kowalski", "gdansk", "--email", "jan@example.org")
        user = User.objects.get(username="jan.kowalski")
        assert not user.has_usable_password()
        assert user.is_staff and not user.is_superuser
        assert user.email == "jan@example.org"
        assert list(user.groups.values_list("name", flat=True)) == [CITY_STAFF_GROUP]
        assert list(user.edited_cities.all()) == [city_a]
        assert "a new user" in output

        link = printed_link(output)
        assert link.startswith("http://127.0.0.1:8000/admin/password-set/")
        path = link.removeprefix("http://127.0.0.1:8000")
        # Django swaps the token for a session value and redirects to the form.
        form_url = client.get(path).url
        assert client.get(form_url).context["validlink"]
        response = client.post(
            form_url,
            {"new_password1": "Gdańsk-Motława-2029", "new_password2": "Gdańsk-Motława-2029"},
        )
        assert response.url == reverse("admin:password_set_complete")
        user.refresh_from_db()
        assert user.check_password("Gdańsk-Motława-2029")

        # One time only: the same link no longer works.
        client.logout()
        response = client.get(path, follow=True)
        assert not response.context["validlink"]

    def test_base_url_option(self, city_a):
        output = run("grant_city_editor", "anna", "gdansk", "--base-url", "https://portal.example/")
        assert printed_link(output).startswith("https://portal.example/admin/password-set/")

    def test_production_link_uses_the_site_host(self, settings, city_a):
        settings.DEBUG = False
        settings.ALLOWED_HOSTS = ["migracje.example.pl", "localhost"]
        output = run("grant_city_editor", "anna", "gdansk")
        assert printed_link(output).startswith("https://migracje.example.pl/admin/password-set/")

    def test_existing_user_keeps_their_password(self, city_a):
        user = UserFactory(username="ewa")
        output = run("grant_city_editor", "ewa", "gdansk")
        user.refresh_from_db()
        assert user.check_password("correct horse battery staple")
        assert user.is_staff
        assert "password-set" not in output

    def test_twice_is_harmless(self, city_a):
        run("grant_city_editor", "ewa", "gdansk")
        run("grant_city_editor", "ewa", "gdansk")
        assert city_a.editors.count() == 1

    def test_the_grant_is_in_the_citys_history(self, city_a):
        run("grant_city_editor", "ewa", "gdansk")
        (version,) = Version.objects.get_for_object(city_a)
        with translation.override("en"):
            assert describe_change(version.revision.comment) == (
                "City staff access granted to ewa."
            )
        with translation.override("pl"):
            assert "ewa" in describe_change(version.revision.comment)

    @pytest.mark.parametrize(
        ("username", "slug"), [("ewa", "atlantyda"), ("bad name!", "gdansk"), ("", "gdansk")]
    )
    def test_errors(self, city_a, username, slug):
        with pytest.raises(CommandError):
            run("grant_city_editor", username, slug)
        assert not User.objects.exists()


class TestRevokeCommand:
    def test_last_city_taken_away(self, city_a, staff_a):
        output = run("revoke_city_editor", "staff-a", "gdansk")
        staff_a.refresh_from_db()
        assert not staff_a.edited_cities.exists()
        assert not staff_a.groups.exists()
        assert not staff_a.is_staff
        assert "can no longer use the admin" in output

    def test_another_city_remains(self, city_a, city_b, staff_a):
        run("grant_city_editor", "staff-a", "lodz")
        run("revoke_city_editor", "staff-a", "gdansk")
        staff_a.refresh_from_db()
        assert list(staff_a.edited_cities.all()) == [city_b]
        assert staff_a.is_staff
        assert staff_a.groups.filter(name=CITY_STAFF_GROUP).exists()

    def test_an_editor_stays_staff(self, city_a, editor):
        run("grant_city_editor", "editor", "gdansk")
        run("revoke_city_editor", "editor", "gdansk")
        editor.refresh_from_db()
        assert editor.is_staff
        assert list(editor.groups.values_list("name", flat=True)) == [EDITORS_GROUP]

    @pytest.mark.parametrize(
        ("username", "slug"), [("nobody", "gdansk"), ("staff-a", "atlantyda"), ("staff-a", "lodz")]
    )
    def test_errors(self, city_a, city_b, staff_a, username, slug):
        with pytest.raises(CommandError):
            run("revoke_city_editor", username, slug)
        assert list(staff_a.edited_cities.all()) == [city_a]


class TestCityStaffPageForEditors:
    def url(self, city):
        return reverse("admin:cities_city_staff", args=[city.pk])

    def test_grant_a_new_user(self, client, editor, city_a):
        client.force_login(editor)
        response = client.post(
            self.url(city_a), {"grant": "1", "username": "marta", "email": "marta@example.org"}
        )
        assert response.status_code == 200
        user = User.objects.get(username="marta")
        assert list(user.edited_cities.all()) == [city_a]
        assert not user.has_usable_password()
        link = response.context["new_link"]["url"]
        assert link.startswith("http://testserver/admin/password-set/")
        assert link in response.content.decode()
        (version,) = Version.objects.get_for_object(city_a)
        assert version.revision.user == editor

    def test_grant_an_existing_user(self, client, editor, city_a, staff_a):
        client.force_login(editor)
        response = client.post(self.url(city_a), {"grant": "1", "username": "staff-a"})
        assert response.status_code == 302  # no link: they have a password
        assert city_a.editors.filter(pk=staff_a.pk).exists()

    def test_invalid_username(self, client, editor, city_a):
        client.force_login(editor)
        response = client.post(self.url(city_a), {"grant": "1", "username": "zły login!"})
        assert response.context["form"].errors["username"]
        assert not User.objects.filter(username="zły login!").exists()

    def test_deactivated_user(self, client, editor, city_a):
        UserFactory(username="old", is_active=False)
        client.force_login(editor)
        response = client.post(self.url(city_a), {"grant": "1", "username": "old"})
        assert response.context["form"].errors["username"]
        assert not city_a.editors.exists()

    def test_revoke(self, client, editor, city_a, staff_a):
        client.force_login(editor)
        response = client.post(self.url(city_a), {"revoke": str(staff_a.pk)})
        assert response.status_code == 302
        assert not city_a.editors.exists()
        staff_a.refresh_from_db()
        assert not staff_a.is_staff

    def test_revoke_someone_of_another_city_does_nothing(self, client, editor, city_b, staff_a):
        client.force_login(editor)
        client.post(self.url(city_b), {"revoke": str(staff_a.pk)})
        staff_a.refresh_from_db()
        assert staff_a.edited_cities.exists()

    def test_unknown_city(self, client, editor):
        client.force_login(editor)
        assert client.get(reverse("admin:cities_city_staff", args=[999])).status_code == 404


class TestDemoUsers:
    @pytest.fixture
    def gdansk(self, db):
        return CityFactory(slug="gdansk", name_pl="Gdańsk")

    def passwords(self, output):
        return dict(re.findall(r"^\s+(demo-\S+)\s+(\S+)", output, flags=re.MULTILINE))

    def test_created_with_debug_on(self, settings, seeded, client):
        settings.DEBUG = True
        output = run("load_seed_content", "--demo-users")
        passwords = self.passwords(output)
        assert set(passwords) == {DEMO_EDITOR, DEMO_CITY_STAFF}
        editor = User.objects.get(username=DEMO_EDITOR)
        staff = User.objects.get(username=DEMO_CITY_STAFF)
        assert editor.check_password(passwords[DEMO_EDITOR])
        assert staff.check_password(passwords[DEMO_CITY_STAFF])
        assert editor.groups.filter(name=EDITORS_GROUP).exists()
        assert [city.slug for city in staff.edited_cities.all()] == ["gdansk"]
        assert not editor.is_superuser and not staff.is_superuser

        client.force_login(staff)
        gdansk = City.objects.get(slug="gdansk")
        warszawa = City.objects.exclude(slug="gdansk").first()
        assert client.get(reverse("admin:cities_city_change", args=[gdansk.pk])).status_code == 200
        url = reverse("admin:cities_city_change", args=[warszawa.pk])
        assert client.get(url).status_code == 404

    def test_new_passwords_on_every_run(self, settings, gdansk):
        settings.DEBUG = True
        from cities.demo_users import create_demo_users

        first = {a.username: a.password for a in create_demo_users()}
        second = {a.username: a.password for a in create_demo_users()}
        assert first[DEMO_EDITOR] != second[DEMO_EDITOR]
        assert User.objects.get(username=DEMO_EDITOR).check_password(second[DEMO_EDITOR])
        assert gdansk.editors.count() == 1

    def test_refused_with_debug_off(self, settings, gdansk):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="DEBUG"):
            run("load_seed_content", "--demo-users")
        assert not User.objects.exists()

    def test_not_without_the_option(self, settings, seeded):
        settings.DEBUG = True
        run("load_seed_content")
        assert not User.objects.filter(username__startswith="demo-").exists()
