"""Review before publishing (cities/review.py, cities/review_admin.py): city staff's
changes wait for an editor; the public, the sitemap, search and open data keep the
approved version; editors approve or send back; e-mails on submission and decision."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from reversion.models import Version

from cities.models import City, DirectPublishing, Mayor, ProposedChange
from cities.review import approve, send_back
from core.admin_wording import describe_change

from .factories import UserFactory
from .html import form_data, text

pytestmark = pytest.mark.django_db

NEW_OFFICE = "Centrum Wsparcia Imigrantów, ul. Jaśkowa Dolina 9"


@pytest.fixture
def people_with_mail(staff_a, editor):
    staff_a.email = "staff-a@gdansk.example"
    staff_a.save()
    editor.email = "editor@portal.example"
    editor.save()
    return staff_a, editor


def change_url(city):
    return reverse("admin:cities_city_change", args=[city.pk])


def save_city(client, city, **changes):
    data = form_data(client.get(change_url(city)), "city_form")
    data.update(changes, _save="1")
    response = client.post(change_url(city), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def public_page(client, city, language="pl"):
    client.logout()
    return client.get(f"/{language}/{'miasta' if language == 'pl' else 'cities'}/{city.slug}/")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


class TestCityStaffChangesWait:
    def test_change_is_kept_aside_and_editors_are_told(
        self, client, city_a, people_with_mail, mailoutbox
    ):
        staff_a, editor = people_with_mail
        client.force_login(staff_a)
        response = save_city(client, city_a, integration_office_pl=NEW_OFFICE)

        city_a.refresh_from_db()
        assert not city_a.integration_office_pl  # not public
        change = ProposedChange.objects.get(city=city_a)
        assert change.status == ProposedChange.Status.PENDING
        assert change.author == staff_a
        assert change.proposed["city"]["integration_office_pl"] == NEW_OFFICE
        assert any("review" in m or "zatwierdz" in m for m in messages_of(response))
        (message,) = mailoutbox
        assert message.to == [editor.email]
        assert "Gdańsk" in message.subject
        assert reverse("admin:cities_city_review", args=[change.pk]) in message.body

    def test_the_public_keeps_seeing_the_approved_version(self, client, city_a, staff_a):
        assert public_page(client, city_a).status_code == 200  # cached now
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        page = public_page(client, city_a)
        assert NEW_OFFICE not in page.content.decode()

    def test_staff_see_their_change_in_the_form_and_that_it_waits(self, client, city_a, staff_a):
        client.force_login(staff_a)
        saved = save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        client.get(saved["Location"])  # the list, which reports the saving
        response = client.get(change_url(city_a))
        assert form_data(response, "city_form")["integration_office_pl"] == NEW_OFFICE
        assert any("czeka" in m or "waiting" in m for m in messages_of(response))
        home = client.get(reverse("admin:index"))
        assert "czeka na zatwierdzenie" in home.content.decode()

    def test_saving_again_updates_the_same_change_and_mails_once(
        self, client, city_a, people_with_mail, mailoutbox
    ):
        staff_a, _editor = people_with_mail
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        save_city(client, city_a, contact_phone="+48 58 000 00 00")
        change = ProposedChange.objects.get(city=city_a)
        assert change.proposed["city"]["integration_office_pl"] == NEW_OFFICE
        assert change.proposed["city"]["contact_phone"] == "+48 58 000 00 00"
        assert len(mailoutbox) == 1

    def test_undoing_the_change_withdraws_it(self, client, city_a, staff_a):
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        save_city(client, city_a, integration_office_pl="")
        assert not ProposedChange.objects.open().exists()
        assert ProposedChange.objects.get().status == ProposedChange.Status.WITHDRAWN

    def test_forged_membership_fields_stay_out_of_the_change(self, client, city_a, staff_a):
        client.force_login(staff_a)
        save_city(
            client, city_a, summary_pl="Nowe.", slug="przejete", name_pl="Inna", is_ump_member=""
        )
        proposed = ProposedChange.objects.get().proposed["city"]
        assert (proposed["slug"], proposed["name_pl"], proposed["is_ump_member"]) == (
            "gdansk",
            "Gdańsk",
            city_a.is_ump_member,
        )
        assert "editors" not in proposed

    def test_a_new_mayor_in_the_inline_waits_too(self, client, city_a, mayor_a, staff_a, editor):
        client.force_login(staff_a)
        data = form_data(client.get(change_url(city_a)), "city_form")
        total = int(data["mayors-TOTAL_FORMS"])
        data.update(
            {
                "mayors-TOTAL_FORMS": str(total + 1),
                f"mayors-{total}-full_name": "Nowa Prezydentka",
                f"mayors-{total}-office": Mayor.Office.CITY_PRESIDENT,
                f"mayors-{total}-term_start": "2029-05-01",
                "mayors-0-term_end": "2029-04-30",
                "_save": "1",
            }
        )
        assert client.post(change_url(city_a), data).status_code == 302
        assert not Mayor.objects.filter(full_name="Nowa Prezydentka").exists()
        mayor_a.refresh_from_db()
        assert mayor_a.term_end is None
        # The form shows the new mayor, with the same id on every visit.
        first = form_data(client.get(change_url(city_a)), "city_form")
        second = form_data(client.get(change_url(city_a)), "city_form")
        (index,) = [k for k, v in first.items() if v == "Nowa Prezydentka"]
        id_key = index.replace("full_name", "id")
        assert first[id_key] and first[id_key] == second[id_key]

        approve(ProposedChange.objects.get(), editor)
        assert Mayor.objects.get(full_name="Nowa Prezydentka").city == city_a
        mayor_a.refresh_from_db()
        assert mayor_a.term_end.isoformat() == "2029-04-30"

    def test_a_mayor_changed_on_its_own_page_waits_too(self, client, city_a, mayor_a, staff_a):
        client.force_login(staff_a)
        url = reverse("admin:cities_mayor_change", args=[mayor_a.pk])
        data = form_data(client.get(url), "mayor_form")
        data.update(term_end="2029-04-30", _save="1")
        assert client.post(url, data).status_code == 302
        mayor_a.refresh_from_db()
        assert mayor_a.term_end is None
        change = ProposedChange.objects.get(city=city_a)
        assert change.proposed["mayors"][str(mayor_a.pk)]["term_end"] == "2029-04-30"

    def test_a_mayor_added_on_its_own_page_waits_too(self, client, city_a, staff_a):
        client.force_login(staff_a)
        response = client.post(
            reverse("admin:cities_mayor_add"),
            {
                "city": city_a.pk,
                "full_name": "Nowy Prezydent",
                "office": Mayor.Office.CITY_PRESIDENT,
                "term_start": "2029-05-01",
                "_save": "1",
            },
        )
        assert response.status_code == 302
        assert not Mayor.objects.filter(full_name="Nowy Prezydent").exists()
        mayors = ProposedChange.objects.get(city=city_a).proposed["mayors"]
        assert [m["full_name"] for m in mayors.values()] == ["Nowy Prezydent"]
        listing = client.get(reverse("admin:cities_mayor_changelist"))
        assert "Nowy Prezydent" in listing.content.decode()

    def test_invalid_input_is_refused_as_before_and_nothing_is_kept(self, client, city_a, staff_a):
        client.force_login(staff_a)
        data = form_data(client.get(change_url(city_a)), "city_form")
        data.update(contact_email="not an address", _save="1")
        response = client.post(change_url(city_a), data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["contact_email"]
        assert not ProposedChange.objects.exists()


class TestPublicReadersSeeTheApprovedVersionOnly:
    def test_search_sitemap_and_open_data(self, client, city_a, staff_a):
        client.force_login(staff_a)
        save_city(
            client,
            city_a,
            summary_pl="Zmiana Xylofonowa czeka.",
            contact_email="nowy@gdansk.example",
        )
        client.logout()
        assert "Gdańsk" in client.get("/pl/szukaj/?q=Gda%C5%84sk").content.decode()
        found = client.get("/pl/szukaj/?q=Xylofonowa").context["results"]
        assert not list(found)
        cities = client.get("/api/v1/cities.json").content.decode()
        assert "nowy@gdansk.example" not in cities
        assert client.get("/sitemap.xml").status_code == 200

    def test_approval_makes_it_public_and_drops_cached_pages(
        self, client, city_a, people_with_mail, mailoutbox
    ):
        staff_a, editor = people_with_mail
        public_page(client, city_a)  # cached
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        client.force_login(editor)
        change = ProposedChange.objects.get()
        review_url = reverse("admin:cities_city_review", args=[change.pk])
        review_page = client.get(review_url)
        assert NEW_OFFICE in text(review_page.content.decode())
        response = client.post(review_url, {"action": "approve"})
        assert response.status_code == 302
        assert NEW_OFFICE in public_page(client, city_a).content.decode()
        change.refresh_from_db()
        assert (change.status, change.decided_by) == (ProposedChange.Status.APPROVED, editor)
        assert mailoutbox[-1].to == [staff_a.email]
        assert "publiczna" in mailoutbox[-1].subject or "public" in mailoutbox[-1].subject
        latest = Version.objects.get_for_object(city_a).first()
        assert latest.revision.user == staff_a
        assert editor.get_username() in describe_change(latest.revision.comment)


class TestEditorsDecide:
    def test_queue_on_the_admin_home(self, client, city_a, staff_a, editor):
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        client.force_login(editor)
        home = client.get(reverse("admin:index")).content.decode()
        change = ProposedChange.objects.get()
        assert reverse("admin:cities_city_review", args=[change.pk]) in home

    def test_send_back_needs_a_message_and_reaches_the_author(
        self, client, city_a, people_with_mail, mailoutbox
    ):
        staff_a, editor = people_with_mail
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        change = ProposedChange.objects.get()
        url = reverse("admin:cities_city_review", args=[change.pk])
        client.force_login(editor)
        refused = client.post(url, {"action": "send_back", "message": "  "})
        assert refused.status_code == 200
        assert refused.context["form"].errors["message"]
        response = client.post(
            url, {"action": "send_back", "message": "Podajcie godziny otwarcia."}
        )
        assert response.status_code == 302
        change.refresh_from_db()
        assert change.status == ProposedChange.Status.RETURNED
        assert "Podajcie godziny otwarcia." in mailoutbox[-1].body
        city_a.refresh_from_db()
        assert not city_a.integration_office_pl
        # The author sees the message and their change; saving again submits it anew.
        client.force_login(staff_a)
        form_page = client.get(change_url(city_a))
        assert any("Podajcie godziny otwarcia." in m for m in messages_of(form_page))
        assert form_data(form_page, "city_form")["integration_office_pl"] == NEW_OFFICE
        save_city(client, city_a, integration_office_pl=NEW_OFFICE + ", pon.-pt. 8-16")
        change.refresh_from_db()
        assert change.status == ProposedChange.Status.PENDING

    def test_approval_keeps_what_an_editor_changed_meanwhile(self, client, city_a, staff_a, editor):
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        client.force_login(editor)
        save_city(client, city_a, summary_en="Written by the editor.")
        approve(ProposedChange.objects.get(), editor)
        city_a.refresh_from_db()
        assert (city_a.integration_office_pl, city_a.summary_en) == (
            NEW_OFFICE,
            "Written by the editor.",
        )

    def test_an_approval_that_breaks_a_rule_changes_nothing(self, city_a, mayor_a, editor):
        base = {"city": {}, "mayors": {str(mayor_a.pk): {"term_end": None}}}
        proposed = {"city": {}, "mayors": {str(mayor_a.pk): {"term_end": "1990-01-01"}}}
        change = ProposedChange.objects.create(city=city_a, base=base, proposed=proposed)
        with pytest.raises(ValidationError) as error:
            approve(change, editor)
        assert "kadencj" in " ".join(error.value.messages).lower()
        mayor_a.refresh_from_db()
        assert mayor_a.term_end is None
        change.refresh_from_db()
        assert change.status == ProposedChange.Status.PENDING

    def test_city_staff_may_not_decide(self, client, city_a, staff_a):
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        url = reverse("admin:cities_city_review", args=[ProposedChange.objects.get().pk])
        assert client.get(url).status_code == 200  # they may look at their own change
        assert client.post(url, {"action": "approve"}).status_code == 403
        assert ProposedChange.objects.get().status == ProposedChange.Status.PENDING

    def test_staff_of_another_city_never_see_it(self, client, city_a, staff_a, staff_b):
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        client.force_login(staff_b)
        url = reverse("admin:cities_city_review", args=[ProposedChange.objects.get().pk])
        assert client.get(url).status_code == 404
        listing = client.get(reverse("admin:cities_city_review_list")).content.decode()
        assert "Gdańsk" not in listing

    def test_staff_may_withdraw_their_change(self, client, city_a, staff_a):
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        change = ProposedChange.objects.get()
        url = reverse("admin:cities_city_review", args=[change.pk])
        assert client.post(url, {"action": "withdraw"}).status_code == 302
        change.refresh_from_db()
        assert change.status == ProposedChange.Status.WITHDRAWN
        form = form_data(client.get(change_url(city_a)), "city_form")
        assert not form["integration_office_pl"]

    def test_a_mail_server_that_fails_loses_nothing(
        self, client, city_a, people_with_mail, settings
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
        staff_a, _editor = people_with_mail
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        assert ProposedChange.objects.get().status == ProposedChange.Status.PENDING


class TestTrustAndEditors:
    def test_editors_changes_are_public_at_once(self, client, city_a, editor, mailoutbox):
        client.force_login(editor)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        city_a.refresh_from_db()
        assert city_a.integration_office_pl == NEW_OFFICE
        assert not ProposedChange.objects.exists()
        assert mailoutbox == []

    def test_trusted_staff_publish_directly(self, client, city_a, staff_a, editor):
        client.force_login(editor)
        url = reverse("admin:cities_city_direct_publishing", args=[city_a.pk])
        assert client.post(url, {"direct": "1"}).status_code == 302
        assert DirectPublishing.objects.get(city=city_a).granted_by == editor
        staff_page = client.get(reverse("admin:cities_city_staff", args=[city_a.pk]))
        assert "direct-publishing" in staff_page.content.decode()
        client.force_login(staff_a)
        save_city(client, city_a, integration_office_pl=NEW_OFFICE)
        city_a.refresh_from_db()
        assert city_a.integration_office_pl == NEW_OFFICE
        client.force_login(editor)
        client.post(url, {"direct": "0"})
        assert not DirectPublishing.objects.exists()

    def test_city_staff_cannot_trust_themselves(self, client, city_a, staff_a):
        client.force_login(staff_a)
        url = reverse("admin:cities_city_direct_publishing", args=[city_a.pk])
        assert client.post(url, {"direct": "1"}).status_code == 403
        assert not DirectPublishing.objects.exists()

    def test_send_back_directly(self, city_a, editor):
        author = UserFactory(email="a@example.org")
        empty = {"city": {}, "mayors": {}}
        change = ProposedChange.objects.create(
            city=city_a, author=author, base=empty, proposed=empty
        )
        send_back(change, editor, "Proszę poprawić.")
        assert mail.outbox[-1].to == ["a@example.org"]
        assert City.objects.get(pk=city_a.pk).name_pl == "Gdańsk"
