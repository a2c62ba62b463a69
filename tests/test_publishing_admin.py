"""Editors publish and unpublish in the admin, and schedule with a future time."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from reversion.models import Version

from core.publishing import Status
from declarations.models import Declaration, Initiative, Meeting

from .factories import DeclarationFactory, InitiativeFactory, MeetingFactory
from .html import form_data

pytestmark = pytest.mark.django_db

PUBLISHABLE = [
    (Declaration, DeclarationFactory),
    (Meeting, MeetingFactory),
    (Initiative, InitiativeFactory),
]


def changelist(model):
    return reverse(f"admin:declarations_{model._meta.model_name}_changelist")


def run_action(client, model, action, objects):
    return client.post(
        changelist(model),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(("model", "factory"), PUBLISHABLE)
class TestActions:
    def test_publish_now(self, as_editor, client, model, factory):
        drafts = factory.create_batch(2, status=Status.DRAFT, published_at=None)
        response = run_action(as_editor, model, "publish_selected", drafts)
        (message,) = response.context["messages"]
        assert "2" in str(message)
        for obj in drafts:
            obj.refresh_from_db()
            assert obj.is_public
        client.logout()
        assert client.get(drafts[0].get_absolute_url()).status_code == 200

    def test_publish_keeps_a_scheduled_time(self, as_editor, client, model, factory):
        later = timezone.now() + datetime.timedelta(days=2)
        draft = factory(status=Status.DRAFT, published_at=later)
        run_action(as_editor, model, "publish_selected", [draft])
        draft.refresh_from_db()
        assert draft.is_scheduled
        assert draft.published_at == later
        client.logout()
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_unpublish(self, as_editor, client, model, factory):
        public = factory()
        run_action(as_editor, model, "unpublish_selected", [public])
        public.refresh_from_db()
        assert public.status == Status.DRAFT
        client.logout()
        assert client.get(public.get_absolute_url()).status_code == 404

    def test_actions_are_recorded(self, as_editor, editor, model, factory):
        draft = factory(status=Status.DRAFT)
        run_action(as_editor, model, "publish_selected", [draft])
        (version,) = Version.objects.get_for_object(draft)
        assert version.revision.user == editor
        assert version.field_dict["status"] == Status.PUBLISHED
        assert LogEntry.objects.filter(object_id=str(draft.pk), user=editor).exists()

    def test_the_list_tells_drafts_public_and_scheduled_apart(self, as_editor, model, factory):
        draft = factory(status=Status.DRAFT)
        public = factory()
        scheduled = factory(published_at=timezone.now() + datetime.timedelta(days=1))
        for state, expected in [("draft", draft), ("public", public), ("scheduled", scheduled)]:
            response = as_editor.get(changelist(model), {"publication": state})
            assert list(response.context["cl"].result_list) == [expected]
        content = as_editor.get(changelist(model)).content.decode()
        with translation.override("pl"):  # the admin speaks the default language
            label = gettext("scheduled for %(moment)s").split("%(")[0]
        assert label in content


class TestChangeForm:
    def test_published_without_a_time_means_now(self, as_editor, client):
        url = reverse("admin:declarations_initiative_add")
        data = form_data(as_editor.get(url), "initiative_form")
        data.update(title_pl="Akademia", slug="akademia", status=Status.PUBLISHED, _save="1")
        assert as_editor.post(url, data).status_code == 302
        initiative = Initiative.objects.get()
        assert initiative.published_at is not None
        assert initiative.is_public
        client.logout()
        assert client.get(initiative.get_absolute_url()).status_code == 200

    def test_future_time_schedules(self, as_editor, client):
        meeting = MeetingFactory(status=Status.DRAFT, published_at=None)
        url = reverse("admin:declarations_meeting_change", args=[meeting.pk])
        data = form_data(as_editor.get(url), "meeting_form")
        # Noon a week ahead: a wall-clock time that exists in Warsaw whatever the
        # hour of the run (a time in the hour skipped in spring would not).
        later = timezone.localdate() + datetime.timedelta(days=7)
        data.update(
            status=Status.PUBLISHED,
            published_at_0=later.isoformat(),
            published_at_1="12:00:00",
            _save="1",
        )
        response = as_editor.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        meeting.refresh_from_db()
        assert meeting.is_scheduled
        client.logout()
        assert client.get(meeting.get_absolute_url()).status_code == 404
        assert (
            meeting.get_absolute_url()
            not in client.get(reverse("declarations:meeting_list")).content.decode()
        )
