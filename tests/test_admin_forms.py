"""Admin forms without traps (issue 11, item 2), as the server renders them.

What a field takes (markdown with a preview, or plain text), the markdown preview
endpoint, the only choice preselected, files shown by name and as thumbnails, and
a file chosen with a form that failed said to be chosen again, beside the field.
The language switch and the preview in a browser: tests/browser/test_admin_editing.py.
"""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cities.models import City, Mayor
from declarations.models import Meeting

from .factories import CityFactory, MeetingFactory, TeamFactory
from .html import form_data, parse, text, with_class
from .test_uploads import png_bytes

pytestmark = pytest.mark.django_db

POLISH = {"HTTP_ACCEPT_LANGUAGE": "pl"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def admin_url(obj_or_model, kind, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{kind}", args=args)


def help_text_of(page, field_id):
    return text(page.xpath(f"//*[@id='{field_id}_helptext']")[0])


class TestWhatATextFieldTakes:
    def test_markdown_and_plain_text_say_so(self, client, editor, city_a):
        client.force_login(editor)
        page = parse(client.get(admin_url(city_a, "change", city_a.pk), **POLISH))
        for field in ["id_description_pl", "id_description_en"]:
            assert help_text_of(page, field).startswith("Markdown: **pogrubienie**")
            assert page.xpath(f"//textarea[@id='{field}']/@data-markdown") == [""]
        for field in ["id_summary_pl", "id_integration_office_en"]:
            assert "Zwykły tekst" in help_text_of(page, field)
            assert not page.xpath(f"//textarea[@id='{field}']/@data-markdown")
        # The field's own help comes first.
        assert help_text_of(page, "id_integration_office_pl").startswith("Gdzie w mieście")

    @pytest.mark.parametrize(
        ("model", "markdown", "plain"),
        [
            ("declarations.declaration", ["body_pl"], ["summary_pl"]),
            ("declarations.meeting", ["notes_pl"], ["theme_pl"]),
            ("declarations.initiative", ["body_pl"], ["summary_pl"]),
            ("declarations.team", ["description_pl"], []),
            ("ump_portal.accessibilitystatement", ["procedure_pl", "architecture_pl"], []),
        ],
    )
    def test_every_long_text_says_what_it_takes(self, client, editor, model, markdown, plain):
        client.force_login(editor)
        model_class = apps.get_model(model)
        existing = model_class.objects.first()  # the one accessibility statement
        url = (
            admin_url(existing, "change", existing.pk)
            if existing
            else admin_url(model_class, "add")
        )
        page = parse(client.get(url, **POLISH))
        for field in markdown:
            assert page.xpath(f"//textarea[@name='{field}']/@data-markdown") == [""], field
        for field in plain:
            assert "Zwykły tekst" in help_text_of(page, f"id_{field}"), field


class TestMarkdownPreview:
    url = reverse("admin:markdown_preview")

    def test_renders_as_the_public_pages_do(self, client, staff_a):
        client.force_login(staff_a)
        response = client.post(self.url, {"text": "## Punkt\n\n**Urząd** <script>x()</script>"})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/html; charset=utf-8"
        html = response.content.decode()
        assert "<h2>Punkt</h2>" in html
        assert "<strong>Urząd</strong>" in html
        assert "<script" not in html

    def test_for_signed_in_staff_only(self, client):
        response = client.post(self.url, {"text": "x"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    def test_post_only_and_with_the_csrf_token(self, staff_a):
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff_a)
        assert client.post(self.url, {"text": "x"}).status_code == 403
        assert client.get(self.url).status_code == 405


class TestTheOnlyChoiceIsPreselected:
    def test_the_only_team(self, client, editor):
        team = TeamFactory()
        client.force_login(editor)
        data = form_data(client.get(admin_url(Meeting, "add")), "meeting_form")
        assert data["team"] == str(team.pk)

    def test_no_choice_made_among_several(self, client, editor):
        TeamFactory()
        TeamFactory()
        client.force_login(editor)
        data = form_data(client.get(admin_url(Meeting, "add")), "meeting_form")
        assert data["team"] == ""

    def test_the_city_of_city_staff_and_its_office(self, client, staff_a, city_a):
        City.objects.filter(pk=city_a.pk).update(kind=City.Kind.VOIVODESHIP)
        client.force_login(staff_a)
        data = form_data(client.get(admin_url(Mayor, "add")), "mayor_form")
        assert data["city"] == str(city_a.pk)
        assert data["office"] == Mayor.Office.MARSHAL

    def test_staff_of_two_cities_choose(self, client, staff_a, city_a, city_b):
        city_b.editors.add(staff_a)
        client.force_login(staff_a)
        data = form_data(client.get(admin_url(Mayor, "add")), "mayor_form")
        assert not data.get("city")

    def test_editors_choose_the_city(self, client, editor, city_a, city_b):
        client.force_login(editor)
        data = form_data(client.get(admin_url(Mayor, "add")), "mayor_form")
        assert not data.get("city")


class TestFiles:
    def test_an_image_is_a_thumbnail_with_its_file_name(self, client, editor, city_a):
        city_a.coat_of_arms.save("herb-gdanska.webp", SimpleUploadedFile("x", png_bytes()))
        client.force_login(editor)
        page = parse(client.get(admin_url(city_a, "change", city_a.pk), **POLISH))
        (thumbnail,) = with_class(page, "file-upload__thumbnail", "img")
        assert thumbnail.get("src") == city_a.coat_of_arms.url
        link = thumbnail.getparent()
        assert text(link) == city_a.coat_of_arms.name.rsplit("/", 1)[-1]
        assert "cities/arms/" not in text(link)  # the name, not the storage path

    def test_a_document_is_shown_by_its_name(self, client, editor):
        meeting = MeetingFactory()
        meeting.documents.create(title_pl="Protokół", file=SimpleUploadedFile("protokol.pdf", PDF))
        client.force_login(editor)
        page = parse(client.get(admin_url(meeting, "change", meeting.pk), **POLISH))
        (current,) = with_class(page, "file-upload__current", "p")
        assert "protokol" in text(current)
        assert "meetings/documents/" not in text(current)
        assert not with_class(page, "file-upload__thumbnail")

    def test_a_file_chosen_with_a_failing_form_is_said_to_be_lost(self, client, staff_a, city_a):
        client.force_login(staff_a)
        url = admin_url(city_a, "change", city_a.pk)
        data = form_data(client.get(url, **POLISH), "city_form")
        data.update(
            contact_email="nie-adres",
            coat_of_arms=SimpleUploadedFile("herb.png", png_bytes(), "image/png"),
            _save="1",
        )
        response = client.post(url, data, **POLISH)
        assert response.status_code == 200
        page = parse(response)
        (notice,) = with_class(page, "upload-lost", "p")
        assert text(notice) == (
            "Plik „herb.png” nie został zapisany, ponieważ formularz zawierał błędy. "
            "Wybierz go ponownie przed zapisaniem."
        )
        # Beside the field, and read with it.
        file_input = page.xpath("//input[@name='coat_of_arms']")[0]
        assert notice.get("id") in file_input.get("aria-describedby").split()
        city_a.refresh_from_db()
        assert not city_a.coat_of_arms

    def test_a_document_in_a_row_with_a_failing_form(self, client, editor):
        team = TeamFactory()
        client.force_login(editor)
        url = admin_url(Meeting, "add")
        data = form_data(client.get(url, **POLISH), "meeting_form")
        data.update(
            {
                "team": str(team.pk),
                "title_pl": "Posiedzenie",
                "slug": "",  # required: the form fails
                "start_date": "2027-03-01",
                "documents-TOTAL_FORMS": "1",
                "documents-0-title_pl": "Porządek obrad",
                "documents-0-language": "pl",
                "documents-0-file": SimpleUploadedFile("porzadek.pdf", PDF, "application/pdf"),
                "_save": "1",
            }
        )
        response = client.post(url, data, **POLISH)
        assert response.status_code == 200
        notices = [text(notice) for notice in with_class(parse(response), "upload-lost")]
        assert notices == [
            "Plik „porzadek.pdf” nie został zapisany, ponieważ formularz zawierał błędy. "
            "Wybierz go ponownie przed zapisaniem."
        ]
        assert not Meeting.objects.exists()

    def test_a_refused_file_gets_its_error_not_the_notice(self, client, staff_a, city_a):
        client.force_login(staff_a)
        url = admin_url(city_a, "change", city_a.pk)
        data = form_data(client.get(url, **POLISH), "city_form")
        data.update(coat_of_arms=SimpleUploadedFile("herb.svg", b"<svg/>"), _save="1")
        response = client.post(url, data, **POLISH)
        assert response.context["adminform"].form.errors["coat_of_arms"]
        assert not with_class(parse(response), "upload-lost")

    def test_no_notice_without_a_failure(self, client, staff_a, city_a):
        client.force_login(staff_a)
        url = admin_url(city_a, "change", city_a.pk)
        page = parse(client.get(url, **POLISH))
        assert not with_class(page, "upload-lost")


def test_the_language_switch_has_what_it_needs(client, editor, city_a):
    """Every language of a translated field is in the form, marked for the switch
    (static/js/admin_forms.js), which gets its words from the page."""
    client.force_login(editor)
    page = parse(client.get(admin_url(city_a, "change", city_a.pk), **POLISH))
    for language in ["pl", "en"]:
        (field,) = page.xpath(f"//textarea[@name='summary_{language}']")
        assert f"mt-field-summary-{language}" in field.get("class").split()
    (script,) = page.xpath("//script[contains(@src, 'admin_forms.js')]")
    assert script.get("data-languages") == "pl=Polski;en=Angielski;uk=Ukraiński"
    assert script.get("data-switch-label") == "Wersja językowa"
    assert script.get("data-preview-url") == reverse("admin:markdown_preview")


def test_a_city_of_another_kind_keeps_its_own_offices(client, editor):
    county = CityFactory(kind=City.Kind.COUNTY, slug="powiat")
    client.force_login(editor)
    response = client.get(admin_url(Mayor, "add") + f"?city={county.pk}")
    assert form_data(response, "mayor_form")["office"] == Mayor.Office.STAROSTA
