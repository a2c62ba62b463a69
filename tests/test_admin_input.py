"""Bad input in the admin: dates, duplicate slugs, hostile markdown; translation status."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cities.models import City, Mayor
from core.markdown import render_markdown
from core.publishing import Status
from declarations.models import (
    Declaration,
    Initiative,
    Meeting,
    Organisation,
    Signatory,
    Team,
)

from .factories import DeclarationFactory, InitiativeFactory, MeetingFactory
from .html import form_data

pytestmark = pytest.mark.django_db


def in_polish(message):
    """What the admin shows: it speaks the default language, Polish, to these tests."""
    with translation.override("pl"):
        return gettext(message)


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def post_change(client, obj, form_id, **changes):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url), form_id)
    data.update(changes, _save="1")
    return client.post(url, data)


def errors_of(response, field):
    return [str(e) for e in response.context["adminform"].form.errors.get(field, [])]


class TestDateRanges:
    def test_meeting_ending_before_it_starts(self, as_editor):
        meeting = MeetingFactory(theme_pl="Temat.")
        response = post_change(
            as_editor,
            meeting,
            "meeting_form",
            start_date="2019-06-12",
            end_date="2019-06-10",
            theme_pl="Nowy temat.",
        )
        assert response.status_code == 200
        assert errors_of(response, "end_date") == [
            in_polish("The end date cannot be earlier than the start date.")
        ]
        assert response.context["adminform"].form.non_field_errors() == []  # said once
        meeting.refresh_from_db()
        assert (meeting.end_date, meeting.theme_pl) == (None, "Temat.")

    def test_initiative_ending_before_it_starts(self, as_editor):
        initiative = InitiativeFactory()
        response = post_change(
            as_editor,
            initiative,
            "initiative_form",
            start_date="2020-01-01",
            end_date="2019-01-01",
        )
        assert response.status_code == 200
        assert errors_of(response, "end_date")
        initiative.refresh_from_db()
        assert initiative.start_date is None

    def test_mayor_term_ending_before_it_starts(self, client, staff_a, mayor_a):
        client.force_login(staff_a)
        response = post_change(client, mayor_a, "mayor_form", term_end="2010-01-01")
        assert response.status_code == 200
        assert errors_of(response, "term_end") == [
            in_polish("The term cannot end before it starts.")
        ]
        mayor_a.refresh_from_db()
        assert mayor_a.term_end is None

    def test_mayor_inline_on_the_city_page(self, client, staff_a, city_a, mayor_a):
        client.force_login(staff_a)
        response = post_change(
            client,
            city_a,
            "city_form",
            summary_en="Changed.",
            **{"mayors-0-term_end": "2010-01-01"},
        )
        assert response.status_code == 200
        formset = response.context["inline_admin_formsets"][0].formset
        assert formset.forms[0].errors["term_end"]
        city_a.refresh_from_db()
        assert city_a.summary_en != "Changed."  # nothing half-saved

    def test_sensible_dates_are_saved(self, as_editor):
        meeting = MeetingFactory()
        response = post_change(
            as_editor, meeting, "meeting_form", start_date="2019-06-12", end_date="2019-06-13"
        )
        assert response.status_code == 302


def test_duplicate_slug_is_a_form_error(as_editor):
    DeclarationFactory(slug="deklaracja-2017")
    url = reverse("admin:declarations_declaration_add")
    data = form_data(as_editor.get(url), "declaration_form")
    data.update(title_pl="Kopia", slug="deklaracja-2017", _save="1")
    response = as_editor.post(url, data)
    assert response.status_code == 200
    assert errors_of(response, "slug")
    assert Declaration.objects.count() == 1


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">link</a>',
    "[link](javascript:alert(1))",
    "[link](JaVaScRiPt:alert(1))",
    "[link](java&#x09;script:alert(1))",
    "[link](&#106;avascript:alert(1))",
    "<a href=' javascript:alert(1)'>x</a>",
    '<p onclick="alert(1)">click</p>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="https://evil.example"><input name="p"></form>',
    "![img](javascript:alert(1))",
    '<object data="x.swf"></object><embed src="x.swf">',
    "[x](vbscript:msgbox(1))",
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
    "<<script>script>alert(1)<</script>/script>",
]


def assert_harmless(html):
    lowered = html.lower()
    for forbidden in [
        "<script",
        "<iframe",
        "<svg",
        "<img",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<math",
        "style=",
        "javascript:",
        "vbscript:",
        "data:",
    ]:
        assert forbidden not in lowered, (forbidden, html)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered), html  # no event handler


class TestMarkdownIsSanitised:
    @pytest.mark.parametrize("payload", HOSTILE)
    def test_payload(self, payload):
        assert_harmless(render_markdown(f"Text before.\n\n{payload}\n\nText after."))

    def test_ordinary_markdown_survives(self):
        html = render_markdown(
            "## Heading\n\nSome **bold** and a [link](https://example.org/a).\n\n- one\n- two"
        )
        assert "<h2>Heading</h2>" in html
        assert "<strong>bold</strong>" in html
        assert 'href="https://example.org/a"' in html
        assert 'rel="noopener noreferrer"' in html
        assert "<li>one</li>" in html

    def test_hostile_notes_saved_in_the_admin_are_harmless_on_the_public_page(
        self, as_editor, client
    ):
        meeting = MeetingFactory(status=Status.PUBLISHED)
        notes = "Notatki.\n\n" + "\n\n".join(HOSTILE)
        response = post_change(
            as_editor, meeting, "meeting_form", notes_pl=notes, notes_en=notes, notes_uk=notes
        )
        assert response.status_code == 302
        client.logout()
        for language in ["pl", "en", "uk"]:
            with translation.override(language):
                page = client.get(meeting.get_absolute_url())
            assert page.status_code == 200
            content = page.content.decode()
            start = content.index("Notatki.")
            assert_harmless(content[start : start + 5000].split("</main>")[0])


class TestTranslationStatus:
    TRANSLATED_ADMINS = [City, Declaration, Signatory, Team, Meeting, Initiative, Organisation]

    def test_every_translated_list_has_the_column_and_filter(self, as_editor):
        for model in self.TRANSLATED_ADMINS:
            model_admin = admin.site._registry[model]
            request = as_editor.get(reverse("admin:index")).wsgi_request
            assert "translation_status" in model_admin.get_list_display(request), model
            filters = [
                getattr(f, "parameter_name", f) for f in model_admin.get_list_filter(request)
            ]
            assert "missing" in filters, model

    def test_column_and_filter(self, as_editor):
        complete = DeclarationFactory(title_en="Declaration", summary_en="Summary.")
        no_english = DeclarationFactory(
            title_en="", summary_en="", body_en="", place_en="", slug="bez-angielskiego"
        )
        no_polish_body = DeclarationFactory(body_pl="", slug="bez-polskiego")
        no_ukrainian_body = DeclarationFactory(body_uk="", slug="bez-ukrainskiego")
        url = reverse("admin:declarations_declaration_changelist")

        missing_en = as_editor.get(url, {"missing": "en"}).context["cl"].result_list
        assert list(missing_en) == [no_english]
        missing_pl = as_editor.get(url, {"missing": "pl"}).context["cl"].result_list
        assert list(missing_pl) == [no_polish_body]
        missing_uk = as_editor.get(url, {"missing": "uk"}).context["cl"].result_list
        assert list(missing_uk) == [no_ukrainian_body]

        model_admin = admin.site._registry[Declaration]
        with translation.override("en"):
            assert "complete" in model_admin.translation_status(complete)
            assert "missing English" in model_admin.translation_status(no_english)
            assert "missing Polish" in model_admin.translation_status(no_polish_body)
            assert "missing Ukrainian" in model_admin.translation_status(no_ukrainian_body)
        with translation.override("pl"):
            status = model_admin.translation_status(no_ukrainian_body)
            assert "brak wersji ukraińskiej" in status
        filters = as_editor.get(url).content.decode()
        assert "?missing=uk" in filters and "brak wersji ukraińskiej" in filters

    def test_a_field_empty_in_both_languages_lacks_nothing(self, as_editor):
        DeclarationFactory(place_pl="", place_en="", place_uk="")
        url = reverse("admin:declarations_declaration_changelist")
        assert not as_editor.get(url, {"missing": "en"}).context["cl"].result_list

    def test_city_staff_see_what_their_city_misses(self, client, staff_a, city_a):
        City.objects.filter(pk=city_a.pk).update(summary_en="")
        client.force_login(staff_a)
        url = reverse("admin:cities_city_changelist")
        assert list(client.get(url, {"missing": "en"}).context["cl"].result_list) == [city_a]

    def test_mayors_have_nothing_to_translate(self, as_editor, mayor_a):
        model_admin = admin.site._registry[Mayor]
        request = as_editor.get(reverse("admin:index")).wsgi_request
        assert "translation_status" not in model_admin.get_list_display(request)
