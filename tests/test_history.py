"""History with django-reversion: who changed what and when, and restoring a version."""

import pytest
from django.urls import reverse
from reversion.models import Version

from cities.models import City, Mayor, ProposedChange
from cities.review import approve
from core.admin_wording import describe_change
from declarations.models import Meeting, MeetingDocument

from .factories import MeetingDocumentFactory, MeetingFactory
from .html import form_data

pytestmark = pytest.mark.django_db


def change_city(client, city, **changes):
    url = reverse("admin:cities_city_change", args=[city.pk])
    data = form_data(client.get(url), "city_form")
    data.update(changes, _save="1")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


class TestEveryChangeIsRecorded:
    def test_who_when_and_what(self, client, editor, city_a):
        client.force_login(editor)
        change_city(client, city_a, summary_en="New English summary.")
        (version,) = versions_of(city_a)
        assert version.revision.user == editor
        assert version.revision.date_created
        assert version.revision.get_comment()  # the admin's change message
        assert version.field_dict["summary_en"] == "New English summary."

    def test_city_staff_changes_are_recorded_when_approved(self, client, staff_a, editor, city_a):
        client.force_login(staff_a)
        before = len(versions_of(city_a))
        change_city(client, city_a, contact_email="migranci@gdansk.example")
        assert len(versions_of(city_a)) == before  # waiting for review: no version yet
        approve(ProposedChange.objects.get(city=city_a), editor)
        latest = versions_of(city_a)[0]
        assert "editor" in describe_change(latest.revision.comment)
        assert latest.revision.user == staff_a
        assert latest.field_dict["contact_email"] == "migranci@gdansk.example"

    def test_mayors_are_kept_with_the_city(self, client, editor, city_a, mayor_a):
        client.force_login(editor)
        change_city(client, city_a, **{"mayors-0-term_end": "2030-04-30"})
        (version,) = versions_of(city_a)
        mayors = [
            v
            for v in version.revision.version_set.all()
            if v.content_type.model_class() is Mayor and v.object_id == str(mayor_a.pk)
        ]
        assert mayors and mayors[0].field_dict["term_end"].isoformat() == "2030-04-30"

    def test_history_page_lists_versions_newest_first(self, client, editor, city_a):
        client.force_login(editor)
        change_city(client, city_a, summary_en="First.")
        change_city(client, city_a, summary_en="Second.")
        response = client.get(reverse("admin:cities_city_history", args=[city_a.pk]))
        actions = response.context["action_list"]
        assert len(actions) == 2
        assert actions[0]["revision"].date_created >= actions[1]["revision"].date_created
        content = response.content.decode()
        assert "editor" in content
        assert actions[1]["url"] in content  # editors get the link to restore

    def test_city_staff_see_history_without_restore_links(self, client, staff_a, trusted_a, city_a):
        client.force_login(staff_a)
        change_city(client, city_a, summary_en="By the city.")
        response = client.get(reverse("admin:cities_city_history", args=[city_a.pk]))
        assert response.status_code == 200
        for action in response.context["action_list"]:
            assert action["url"] not in response.content.decode()
        assert "staff-a" in response.content.decode()


class TestRestore:
    def test_editor_restores_an_earlier_version(self, client, editor, city_a):
        client.force_login(editor)
        change_city(client, city_a, summary_en="Good text.")
        change_city(client, city_a, summary_en="Vandalised text.")
        good = versions_of(city_a)[-1]  # oldest
        url = reverse("admin:cities_city_revision", args=[city_a.pk, good.pk])

        response = client.get(url)
        assert response.status_code == 200
        assert form_data(response, "city_form")["summary_en"] == "Good text."
        city_a.refresh_from_db()
        assert city_a.summary_en == "Vandalised text."  # looking changes nothing

        data = form_data(response, "city_form")
        data["_save"] = "1"
        assert client.post(url, data).status_code == 302
        city_a.refresh_from_db()
        assert city_a.summary_en == "Good text."
        latest = versions_of(city_a)[0]
        assert (
            "Reverted" in latest.revision.get_comment() or "Przywr" in latest.revision.get_comment()
        )

    def test_restoring_never_gives_access_back(self, client, editor, city_a, staff_b):
        client.force_login(editor)
        city_a.editors.add(staff_b)
        change_city(client, city_a, summary_en="While staff-b had access.")
        city_a.editors.remove(staff_b)
        change_city(client, city_a, summary_en="Later.")
        old = versions_of(city_a)[-1]
        assert "editors" not in old.field_dict
        url = reverse("admin:cities_city_revision", args=[city_a.pk, old.pk])
        data = form_data(client.get(url), "city_form")
        data["_save"] = "1"
        client.post(url, data)
        assert not city_a.editors.filter(pk=staff_b.pk).exists()

    def test_deleted_meeting_with_its_documents_is_recovered(self, client, editor):
        meeting = MeetingFactory(title_pl="Posiedzenie w Gdańsku")
        MeetingDocumentFactory(meeting=meeting, title_pl="Protokół")
        client.force_login(editor)
        # Changed once through the admin, so a version exists.
        url = reverse("admin:declarations_meeting_change", args=[meeting.pk])
        data = form_data(client.get(url), "meeting_form")
        data.update(title_en="Meeting in Gdańsk", _save="1")
        assert client.post(url, data).status_code == 302
        delete_url = reverse("admin:declarations_meeting_delete", args=[meeting.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 302
        assert not Meeting.objects.exists()

        recover_list = client.get(reverse("admin:declarations_meeting_recoverlist"))
        (deleted,) = recover_list.context["deleted"]
        recover_url = reverse("admin:declarations_meeting_recover", args=[deleted.pk])
        data = form_data(client.get(recover_url), "meeting_form")
        data["_save"] = "1"
        assert client.post(recover_url, data).status_code == 302
        restored = Meeting.objects.get()
        assert restored.title_pl == "Posiedzenie w Gdańsku"
        assert MeetingDocument.objects.get(meeting=restored).title_pl == "Protokół"

    def test_city_staff_cannot_restore_their_own_city(self, client, staff_a, trusted_a, city_a):
        client.force_login(staff_a)
        change_city(client, city_a, summary_en="One.")
        version = versions_of(city_a)[0]
        url = reverse("admin:cities_city_revision", args=[city_a.pk, version.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"_save": "1"}).status_code == 403
        assert client.get(reverse("admin:cities_city_recoverlist")).status_code == 403

    def test_city_is_unchanged_by_a_refused_restore(self, client, staff_a, trusted_a, city_a):
        client.force_login(staff_a)
        change_city(client, city_a, summary_en="One.")
        change_city(client, city_a, summary_en="Two.")
        old = versions_of(city_a)[-1]
        client.post(reverse("admin:cities_city_revision", args=[city_a.pk, old.pk]), {})
        assert City.objects.get(pk=city_a.pk).summary_en == "Two."
