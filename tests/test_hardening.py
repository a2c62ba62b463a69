"""What probing found, closed: request bodies, malformed admin ids, what city staff see
in a history, telling user ids apart, sign-in lifetime, documents of unpublished
meetings, active content in documents, bad files in storage, image checks on the model."""

import datetime
import io
import logging
import shutil
import subprocess
import time
import zipfile
import zlib

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from reversion.models import Version

from cities.models import City, ProposedChange
from cities.roles import grant_city_editor
from core import documents
from core.publishing import Status
from declarations.models import Declaration, MeetingDocument
from tests.factories import (
    CityFactory,
    DeclarationFactory,
    MeetingDocumentFactory,
    MeetingFactory,
)
from tests.html import form_data, h1_texts, parse, with_class
from tests.roles import client_for
from ump_portal.middleware.limits import RENEWED_AT, SIGNED_IN_AT
from ump_portal.views import permission_denied

pytestmark = pytest.mark.django_db

FIFTY_MB = str(50 * 1024 * 1024)


# Request bodies ------------------------------------------------------------------


def test_a_50_mb_anonymous_post_is_refused_before_it_is_read(client):
    # The test client's payload refuses to be read past its 10 real bytes, so
    # anything that read the body would fail loudly instead of answering 413.
    response = client.post(
        "/admin/login/",
        data=b"x" * 10,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=FIFTY_MB,
    )
    assert response.status_code == 413
    assert response.content.decode() == "Żądanie jest za duże."


def test_a_small_anonymous_post_still_reaches_the_sign_in(client):
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 200


def test_signed_in_users_may_send_an_upload_but_not_50_mb(client, editor):
    client_for(client, editor)
    huge = client.post(
        "/admin/cities/city/add/",
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=FIFTY_MB,
    )
    assert huge.status_code == 413
    assert documents.max_document_bytes() <= settings.PORTAL_MAX_REQUEST_BYTES


def test_django_keeps_bounded_amounts_in_memory():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440


def test_the_proxy_caps_request_bodies():
    caddy = shutil.which("caddy")
    assert caddy, "Reading the Caddyfile needs Debian's caddy: apt-get install caddy"
    adapted = subprocess.run(  # noqa: S603 - caddy from the PATH, our own file
        [caddy, "adapt", "--adapter", "caddyfile", "--config", "docker/Caddyfile"],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"SITE_HOST": "portal.example.org", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert f'"max_size":{settings.PORTAL_MAX_REQUEST_BYTES}' in adapted
    assert '"path":["/media/meetings/*"]' in adapted


# Malformed ids in the admin ------------------------------------------------------


@pytest.mark.parametrize("object_id", ["abc", "1.5", "1%20OR%201=1"])
def test_view_on_site_with_an_id_that_is_no_number_is_404(client, editor, object_id):
    client_for(client, editor)
    content_type = ContentType.objects.get_for_model(City).pk
    assert client.get(f"/admin/r/{content_type}/{object_id}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/cities/mayor/?city__id__exact=abc",
        "/admin/cities/mayor/?city=abc",
        "/admin/declarations/signatory/?city__id__exact=abc",
        "/admin/declarations/signatory/?declaration__id__exact=abc",
        "/admin/declarations/signatory/?mayor__id__exact=1.5",
        "/admin/autocomplete/?app_label=declarations&model_name=signatory"
        "&field_name=city&term=a&page=abc",
        "/admin/cities/city/abc/change/",
        "/admin/cities/city/abc/history/",
        "/admin/cities/city/abc/staff/",
        # Add forms prefilled from the address.
        "/admin/cities/mayor/add/?city=abc",
        "/admin/cities/mayor/add/?city=1.5",
        "/admin/declarations/signatory/add/?city=abc&declaration=1.5&mayor=x",
        "/admin/declarations/meeting/add/?host_city=abc&team=1.5",
        "/admin/declarations/initiative/add/?cities=1,abc",
    ],
)
def test_ids_that_are_no_numbers_never_give_a_server_error(client, editor, url):
    client_for(client, editor)
    assert client.get(url).status_code in {200, 302, 404}


def test_revoking_an_id_that_is_no_number_changes_nothing(client, editor, staff_a, city_a):
    client_for(client, editor)
    url = reverse("admin:cities_city_staff", args=[city_a.pk])
    response = client.post(url, {"revoke": "abc"})
    assert response.status_code == 302
    assert list(city_a.editors.all()) == [staff_a]


# A city's history, as its staff see it ------------------------------------------


def test_city_staff_see_neither_other_names_nor_grants_in_the_history(
    client, staff_a, editor, city_a
):
    grant_city_editor(city_a, "colleague", acting_user=editor)
    client_for(client, editor)
    client.post(
        reverse("admin:cities_city_change", args=[city_a.pk]),
        {**edit_form(client, city_a), "summary_pl": "Zmiana redaktora."},
    )
    client.logout()

    client_for(client, staff_a)
    page = client.get(reverse("admin:cities_city_history", args=[city_a.pk])).content.decode()
    assert "editor" not in page
    assert "colleague" not in page
    assert "inny użytkownik" in page

    client.logout()
    client_for(client, editor)
    page = client.get(reverse("admin:cities_city_history", args=[city_a.pk])).content.decode()
    assert "colleague" in page
    assert "editor" in page


def test_city_staff_cannot_open_a_hidden_version_by_its_address(client, staff_a, editor, city_a):
    grant_city_editor(city_a, "colleague", acting_user=editor)
    client_for(client, editor)
    client.post(
        reverse("admin:cities_city_change", args=[city_a.pk]),
        {**edit_form(client, city_a), "summary_pl": "Zmiana redaktora."},
    )
    versions = sorted(Version.objects.get_for_object(city_a), key=lambda version: version.pk)
    grant, edit = versions[0], versions[-1]
    client.logout()

    client_for(client, staff_a)

    def changes(version):
        return client.get(
            reverse("admin:cities_city_version_changes", args=[city_a.pk, version.pk])
        )

    assert changes(grant).status_code == 404
    page = changes(edit).content.decode()
    assert "editor" not in page
    assert "przez innego użytkownika" in page


def edit_form(client, city):
    page = client.get(reverse("admin:cities_city_change", args=[city.pk]))
    return form_data(page.content, "city_form")


def test_a_document_pasted_as_the_summary_gets_the_forms_error_and_is_kept(client, staff_a, city_a):
    """City staff's texts have a length a page can show; a longer one is refused in
    Polish, with the text left in the form to shorten, and nothing goes to review."""
    client_for(client, staff_a)
    pasted = "Długi tekst o mieście. " * 50  # 1,150 characters
    response = client.post(
        reverse("admin:cities_city_change", args=[city_a.pk]),
        {**edit_form(client, city_a), "summary_pl": pasted},
    )
    assert response.status_code == 200
    page = parse(response)
    [summary] = page.xpath("//textarea[@name='summary_pl']")
    # No `maxlength`: a browser would cut the pasted text without a word.
    assert summary.get("maxlength") is None
    assert summary.text.strip() == pasted.strip()
    assert "co najwyżej 1000 znaków" in page.text_content()
    assert not ProposedChange.objects.filter(city=city_a).exists()


def test_whether_a_user_id_exists_cannot_be_told(client, staff_a, superuser):
    client_for(client, staff_a)
    existing = client.get(f"/admin/auth/user/{superuser.pk}/history/")
    missing = client.get("/admin/auth/user/999999/history/")
    assert existing.status_code == missing.status_code == 403


def test_a_refused_page_says_so_in_the_readers_language(client, staff_a, superuser):
    """Not Django's bare, English "403 Forbidden": the site's page, in Polish for
    city staff, with the way back to their administration."""
    client_for(client, staff_a)
    page = parse(client.get(f"/admin/auth/user/{superuser.pk}/history/"))
    assert h1_texts(page) == ["Brak dostępu do tej strony"]
    assert page.xpath("//main//a[@href='/admin/']")


# Sign-in lifetime ---------------------------------------------------------------


def test_a_sign_in_lasts_two_hours_idle_renewed_by_each_request(client, editor):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    client_for(client, editor)
    client.get("/admin/")
    session = client.session
    session[RENEWED_AT] = time.time() - 61
    session.save()
    stored = Session.objects.filter(pk=session.session_key)
    stored.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))

    client.get("/admin/")
    left = stored.get().expire_date - timezone.now()
    assert datetime.timedelta(minutes=119) < left <= datetime.timedelta(hours=2)


def test_a_sign_in_ends_twelve_hours_after_it_began(client, editor):
    assert settings.SESSION_MAX_SECONDS == 12 * 60 * 60
    client_for(client, editor)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# Documents of unpublished meetings ----------------------------------------------


def test_a_draft_meetings_document_is_not_reachable_by_url(client, editor):
    document = MeetingDocumentFactory(meeting=MeetingFactory(status=Status.DRAFT))
    url = document.get_absolute_url()
    assert client.get(url).status_code == 404

    client_for(client, editor)
    preview = client.get(url)
    assert preview.status_code == 200
    assert b"".join(preview.streaming_content).startswith(b"%PDF-")
    assert "no-store" in preview["Cache-Control"]


def test_a_published_meetings_document_is_served_and_linked_through_the_view(client):
    document = MeetingDocumentFactory()
    page = client.get(document.meeting.get_absolute_url()).content.decode()
    assert f'href="{document.get_absolute_url()}"' in page
    assert "/media/" not in page
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "minutes" in response["Content-Disposition"]


def test_a_remote_storage_answers_with_a_redirect_to_its_own_url(client, monkeypatch):
    document = MeetingDocumentFactory()
    remote = InMemoryStorage(base_url="https://storage.example.org/bucket/")
    remote.save(document.file.name, ContentFile(b"%PDF-1.4\n"))
    monkeypatch.setattr(MeetingDocument._meta.get_field("file"), "storage", remote)
    document = MeetingDocument.objects.get(pk=document.pk)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == remote.url(document.file.name)


def test_a_draft_declarations_pdf_is_not_reachable_by_url(client):
    draft = DeclarationFactory(status=Status.DRAFT, slug="projekt")
    draft.pdf.save("projekt.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert client.get(draft.pdf_url).status_code == 404
    published = DeclarationFactory(slug="gotowa")
    published.pdf.save("gotowa.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert client.get(published.pdf_url).status_code == 200


def test_a_documents_size_is_recorded_when_stored_not_asked_when_shown():
    document = MeetingDocumentFactory()
    assert document.size == len(b"%PDF-1.4\n%%EOF\n")
    document.file.storage.delete(document.file.name)
    assert MeetingDocument.objects.get(pk=document.pk).file_size == document.size


# Documents read beyond their first bytes ------------------------------------------


def pdf(*objects):
    return b"%PDF-1.7\n" + b"\n".join(objects) + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def object_stream(content):
    packed = zlib.compress(content)
    return (
        b"5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj"
    )


def docx(**extra_parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            b'document.main+xml"/>' + extra_parts.pop("types", b"") + b"</Types>",
        )
        archive.writestr("word/document.xml", b"<w:document/>")
        for name, content in extra_parts.items():
            archive.writestr(name.replace("__", "/").replace("_dot_", "."), content)
    return buffer.getvalue()


def odt(*extra):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>")
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


def bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            b"<Types>application/vnd.openxmlformats-officedocument.wordprocessingml."
            b"document.main+xml</Types>",
        )
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * (200 * 1024 * 1024))
    return buffer.getvalue()


def refusal(content, name="document.bin"):
    with pytest.raises(ValidationError) as refused:
        documents.validate_document(SimpleUploadedFile(name, content))
    return refused.value.code


@pytest.mark.parametrize(
    "content",
    [
        pdf(b"1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj"),
        pdf(b"2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj"),
        pdf(b"2 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj"),
        pdf(b"3 0 obj << /AA << /O 4 0 R >> >> endobj"),
        pdf(object_stream(b"2 0 << /S /JavaScript /JS (app.alert(1)) >>")),
    ],
    ids=["open action", "javascript", "escaped names", "additional actions", "object stream"],
)
def test_a_pdf_with_javascript_or_an_open_action_is_refused(content):
    assert refusal(content, "minutes.pdf") == "pdf_active"


def test_a_plain_pdf_passes():
    content = pdf(
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
        object_stream(b"3 0 << /Type /Page /Contents 4 0 R >>"),
    )
    assert documents.validate_document(SimpleUploadedFile("m.pdf", content)) == documents.PDF


@pytest.mark.parametrize(
    "content",
    [
        docx(word__vbaProject_dot_bin=b"VBA"),
        docx(
            types=b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        ),
        docx(word__activeX__activeX1_dot_xml=b"<ax/>"),
        odt(("Basic/Standard/Module1.xml", b"<script/>")),
    ],
    ids=["docx vba project", "docx vba content type", "docx activex", "odt basic"],
)
def test_an_office_file_with_macros_is_refused(content):
    assert refusal(content) == "macros"


@pytest.mark.parametrize(
    "content",
    [
        docx(word__afchunk_dot_mht=b"MIME-Version: 1.0"),
        docx(types=b'<Override PartName="/word/part.dat" ContentType="text/html"/>'),
        odt(("Pictures/page.html", b"<html><script>alert(1)</script></html>")),
    ],
    ids=["docx altchunk", "docx html content type", "odt html"],
)
def test_an_office_file_with_embedded_html_is_refused(content):
    assert refusal(content) == "embedded_html"


def test_an_archive_that_unpacks_to_too_much_is_refused():
    assert refusal(bomb()) == "unpacks_too_large"


def test_the_refusals_say_what_to_do_in_polish():
    for code, message in documents.MESSAGES.items():
        with translation.override("en"):
            english = str(message)
        with translation.override("pl"):
            assert str(message) != english, code


# Bad files already in storage -----------------------------------------------------


def test_a_coat_of_arms_without_a_known_size_leaves_the_page_standing(client, caplog):
    city = CityFactory(slug="gdansk")
    City.objects.filter(pk=city.pk).update(coat_of_arms="cities/arms/broken.png")
    with caplog.at_level(logging.ERROR, logger="core.images"):
        for _request in range(2):
            response = client.get("/pl/miasta/gdansk/?x=" + str(_request))
            assert response.status_code == 200
            assert not with_class(parse(response), "profile-header__arms", tag="img")
    assert [record.getMessage() for record in caplog.records].count(
        "Stored image cities/arms/broken.png has no known size; pages show it no more."
    ) == 1


def test_a_missing_coat_of_arms_file_is_never_opened_to_render_a_page(client):
    city = CityFactory(slug="lodz")
    city.coat_of_arms.save("herb.png", ContentFile(png()))
    city.coat_of_arms.storage.delete(city.coat_of_arms.name)
    response = client.get("/pl/miasta/lodz/")
    assert response.status_code == 200
    [arms] = with_class(parse(response), "profile-header__arms", tag="img")
    assert (arms.get("width"), arms.get("height")) == ("90", "120")


# Image checks on the model field ---------------------------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png(size=(90, 120)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_saving_an_image_outside_the_admin_refuses_what_the_admin_refuses():
    city = CityFactory()
    city.coat_of_arms = SimpleUploadedFile("herb.svg", SVG)
    with pytest.raises(ValidationError) as refused:
        city.full_clean()
    assert "coat_of_arms" in refused.value.message_dict
    with pytest.raises(ValidationError), transaction.atomic():
        city.save()
    with pytest.raises(ValidationError):
        City.objects.get(pk=city.pk).coat_of_arms.save("herb.png", ContentFile(b"not a picture"))
    assert not City.objects.get(pk=city.pk).coat_of_arms


def test_an_image_saved_outside_the_admin_is_re_encoded_with_its_size_kept():
    city = CityFactory()
    city.coat_of_arms.save("herb.png", ContentFile(png((640, 800))))
    city = City.objects.get(pk=city.pk)
    assert city.coat_of_arms.name.endswith(".webp")
    assert (city.coat_of_arms_width, city.coat_of_arms_height) == (256, 320)


# Markdown rendered on save -------------------------------------------------------


def test_markdown_is_rendered_on_save_and_a_text_changed_without_save_still_shows(client):
    declaration = DeclarationFactory(slug="d", body_pl="## Tytuł\n\nTreść *ważna*.")
    assert "<em>ważna</em>" in declaration.rendered_markdown["body"]["pl"][1]
    Declaration.objects.filter(pk=declaration.pk).update(body_pl="Inna *treść*.")
    page = client.get("/pl/deklaracje/d/").content.decode()
    assert "Inna <em>treść</em>." in page
    assert "ważna" not in page


def test_the_admin_links_a_stored_document_through_the_view(client, editor):
    document = MeetingDocumentFactory(meeting=MeetingFactory(status=Status.DRAFT))
    client_for(client, editor)
    page = client.get(reverse("admin:declarations_meeting_change", args=[document.meeting.pk]))
    assert f'href="{document.get_absolute_url()}"' in page.content.decode()
    assert client.get(document.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999999"])
@pytest.mark.parametrize(
    ("url", "field"),
    [("admin:cities_mayor_add", "city"), ("admin:declarations_signatory_add", "mayor")],
)
def test_an_autocomplete_field_given_no_number_gets_a_form_error(client, editor, url, field, value):
    client_for(client, editor)
    response = client.post(reverse(url), {"full_name": "Jan Nowak", "city": value, field: value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]


def test_a_visitor_refused_a_page_is_asked_to_sign_in_and_sent_back(rf):
    """No public page refuses anyone today; should one, the visitor is asked to sign
    in and comes back to it."""
    request = rf.get("/pl/miasta/?voivodeship=pomorskie")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    [sign_in] = parse(response).xpath("//main//a[contains(@href, '/admin/login/')]/@href")
    assert sign_in == "/admin/login/?next=/pl/miasta/%3Fvoivodeship%3Dpomorskie"
