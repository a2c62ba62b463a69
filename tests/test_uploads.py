"""Uploads through the real admin forms, with real files made by Pillow and zipfile.

Coats of arms (core/images.py): only PNG, JPEG and WebP by content, re-encoded,
EXIF gone, at most 320 x 320, byte and pixel limits (Pillow's decompression-bomb
warning counts as an error). Documents (core/documents.py): PDF, DOCX and ODT
by content, with a size limit. Every rejection is a form error, and nothing is saved.
"""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cities.models import ProposedChange
from cities.review import approve
from core import images
from declarations.models import Declaration, Meeting, MeetingDocument

from .factories import MeetingFactory
from .html import form_data

pytestmark = pytest.mark.django_db

# Files -------------------------------------------------------------------------------


def png_bytes(size=(640, 480), mode="RGB", color=(200, 30, 40)):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_exif(size=(800, 600)):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0131] = "Secret editing software"  # Software
    exif[0x8825] = {1: "N", 2: (54.0, 21.0, 0.0)}  # GPS: latitude of Gdańsk
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def noise_png(side):
    """A PNG that does not compress: side x side pixels of random colour."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def many_pixels_png(width, height):
    """Many pixels in few bytes: a one-bit image compresses to almost nothing."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 0).save(buffer, format="PNG")
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert("arms")</script><rect width="100" height="100" fill="red"/></svg>'
)
HTML_PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"


def docx_bytes(main_type=b"application/vnd.openxmlformats-officedocument."
               b"wordprocessingml.document.main+xml"):  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            + main_type
            + b'"/></Types>',
        )
        archive.writestr("_rels/.rels", b"<Relationships/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", b"<manifest/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def plain_zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", b"just a zip")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# Posting the real admin forms ----------------------------------------------------------


def post_coat_of_arms(client, city, file, summary="Nowe streszczenie."):
    url = reverse("admin:cities_city_change", args=[city.pk])
    data = form_data(client.get(url), "city_form")
    data.update(summary_pl=summary, coat_of_arms=file, _save="1")
    return client.post(url, data)


def form_errors(response, field):
    return [str(e) for e in response.context["adminform"].form.errors.get(field, [])]


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


class TestCoatOfArms:
    def test_real_png_is_re_encoded_and_resized(self, as_editor, city_a, settings):
        response = post_coat_of_arms(as_editor, city_a, upload("herb.png", png_bytes((640, 480))))
        assert response.status_code == 302
        city_a.refresh_from_db()
        assert city_a.coat_of_arms.name == "cities/arms/herb.webp"
        with Image.open(city_a.coat_of_arms.path) as stored:
            assert stored.format == "WEBP"  # a modern format, lossless for a PNG
            assert stored.size == (320, 240)  # fits within 320 x 320, proportions kept
            assert stored.convert("RGB").getpixel((0, 0)) == (200, 30, 40)  # lossless
        assert city_a.summary_pl == "Nowe streszczenie."

    def test_small_image_is_not_enlarged(self, as_editor, city_a):
        post_coat_of_arms(as_editor, city_a, upload("herb.png", png_bytes((100, 120))))
        city_a.refresh_from_db()
        with Image.open(city_a.coat_of_arms.path) as stored:
            assert stored.size == (100, 120)

    def test_transparency_is_kept(self, as_editor, city_a):
        post_coat_of_arms(
            as_editor, city_a, upload("herb.png", png_bytes((50, 50), "RGBA", (0, 0, 0, 0)))
        )
        city_a.refresh_from_db()
        with Image.open(city_a.coat_of_arms.path) as stored:
            assert stored.mode == "RGBA"
            assert stored.getpixel((0, 0))[3] == 0

    def test_exif_is_stripped_from_a_jpeg(self, as_editor, city_a):
        original = jpeg_with_exif()
        assert b"Secret editing software" in original
        post_coat_of_arms(as_editor, city_a, upload("photo.JPG", original, "image/jpeg"))
        city_a.refresh_from_db()
        data = city_a.coat_of_arms.read()
        assert b"Secret editing software" not in data
        assert b"Exif" not in data
        with Image.open(city_a.coat_of_arms.path) as stored:
            assert stored.format == "WEBP"
            assert not stored.getexif()
            assert stored.size == (320, 240)

    def test_webp(self, as_editor, city_a):
        buffer = io.BytesIO()
        Image.new("RGB", (400, 400), (0, 200, 0)).save(buffer, format="WEBP")
        post_coat_of_arms(as_editor, city_a, upload("herb.webp", buffer.getvalue()))
        city_a.refresh_from_db()
        assert city_a.coat_of_arms.name.endswith(".webp")

    def test_png_named_pdf_is_stored_as_the_image_it_is(self, as_editor, city_a):
        response = post_coat_of_arms(as_editor, city_a, upload("herb.pdf", png_bytes()))
        assert response.status_code == 302
        city_a.refresh_from_db()
        assert city_a.coat_of_arms.name == "cities/arms/herb.webp"

    def test_html_appended_to_a_png_is_dropped(self, as_editor, city_a):
        """Decision: a PNG with data after IEND is accepted, and cleaned by re-encoding."""
        polyglot = png_bytes((64, 64)) + HTML_PAYLOAD
        with Image.open(io.BytesIO(polyglot)) as check:
            assert check.format == "PNG"  # Pillow reads it: a real polyglot
        response = post_coat_of_arms(as_editor, city_a, upload("herb.png", polyglot))
        assert response.status_code == 302
        city_a.refresh_from_db()
        data = city_a.coat_of_arms.read()
        assert b"<script" not in data
        assert b"<html" not in data
        # A WebP file and nothing after it: the RIFF header gives its length.
        assert data[:4] == b"RIFF"
        assert data[8:12] == b"WEBP"
        assert int.from_bytes(data[4:8], "little") + 8 == len(data)

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("herb.png", b"This is a text file, not a picture.\n"),
            ("herb.svg", SVG_WITH_SCRIPT),
            ("herb.png", SVG_WITH_SCRIPT),
            ("herb.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            ("herb.png", PDF),
            ("herb.png", b""),
        ],
        ids=["text-named-png", "svg-with-script", "svg-named-png", "gif", "pdf-named-png", "empty"],
    )
    def test_not_an_allowed_image(self, as_editor, city_a, settings, name, content):
        response = post_coat_of_arms(as_editor, city_a, upload(name, content))
        assert response.status_code == 200
        errors = form_errors(response, "coat_of_arms")
        assert errors, "the form must say what is wrong"
        self.assert_nothing_saved(city_a, settings)

    def test_text_named_png_error_message(self, as_editor, city_a):
        response = post_coat_of_arms(as_editor, city_a, upload("herb.png", b"hello"))
        assert form_errors(response, "coat_of_arms") == [str(images.MESSAGES["not_an_image"])]

    def test_svg_error_names_svg(self, client, staff_a, city_a):
        client.force_login(staff_a)
        response = post_coat_of_arms(client, city_a, upload("herb.svg", SVG_WITH_SCRIPT))
        (error,) = form_errors(response, "coat_of_arms")
        assert error == str(images.MESSAGES["not_an_image"])
        assert "SVG" in error

    def test_damaged_png(self, as_editor, city_a, settings):
        truncated = png_bytes((300, 300))[:-40]
        response = post_coat_of_arms(as_editor, city_a, upload("herb.png", truncated))
        assert form_errors(response, "coat_of_arms")
        self.assert_nothing_saved(city_a, settings)

    def test_over_the_pixel_limit(self, as_editor, city_a, settings):
        limit = images.DEFAULT_MAX_IMAGE_PIXELS
        width = 8000
        height = limit // width + 1  # just over 40 million pixels
        content = many_pixels_png(width, height)
        assert len(content) < 100_000  # small in bytes: only the pixel count is wrong
        response = post_coat_of_arms(as_editor, city_a, upload("herb.png", content))
        (error,) = form_errors(response, "coat_of_arms")
        assert f"{width}" in error
        self.assert_nothing_saved(city_a, settings)

    @pytest.mark.parametrize("factor", [1.5, 3])
    def test_pillow_decompression_bomb_warning_is_an_error(
        self, as_editor, city_a, settings, monkeypatch, factor
    ):
        """Below twice its MAX_IMAGE_PIXELS Pillow only warns; that must reject too."""
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
        side = int((1_000_000 * factor) ** 0.5) + 1
        response = post_coat_of_arms(as_editor, city_a, upload("herb.png", png_bytes((side, side))))
        assert form_errors(response, "coat_of_arms")
        self.assert_nothing_saved(city_a, settings)

    def test_over_the_byte_limit(self, as_editor, city_a, settings):
        content = noise_png(1400)  # about 5.9 MB of incompressible pixels
        assert len(content) > images.DEFAULT_MAX_IMAGE_BYTES
        response = post_coat_of_arms(as_editor, city_a, upload("herb.png", content))
        (error,) = form_errors(response, "coat_of_arms")
        assert "MB" in error
        self.assert_nothing_saved(city_a, settings)

    def test_city_staff_upload_their_coat_of_arms(self, client, staff_a, city_a, editor):
        client.force_login(staff_a)
        response = post_coat_of_arms(client, city_a, upload("herb.png", png_bytes()))
        assert response.status_code == 302
        # Kept through the review (cities/review.py), public once approved.
        city_a.refresh_from_db()
        assert not city_a.coat_of_arms
        approve(ProposedChange.objects.get(city=city_a), editor)
        city_a.refresh_from_db()
        assert city_a.coat_of_arms.name == "cities/arms/herb.webp"
        assert city_a.coat_of_arms.storage.exists(city_a.coat_of_arms.name)

    @staticmethod
    def assert_nothing_saved(city, settings):
        city.refresh_from_db()
        assert city.summary_pl != "Nowe streszczenie."
        assert not city.coat_of_arms
        assert stored_files(settings) == []


# Documents -----------------------------------------------------------------------------


def post_meeting_document(client, meeting, file, title="Protokół"):
    url = reverse("admin:declarations_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form")
    data.update(
        {
            "theme_pl": "Zmieniony temat.",
            "documents-TOTAL_FORMS": "1",
            "documents-0-title_pl": title,
            "documents-0-title_en": "Minutes",
            "documents-0-language": "pl",
            "documents-0-file": file,
            "documents-0-meeting": str(meeting.pk),
            "_save": "1",
        }
    )
    return client.post(url, data)


def document_errors(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return [str(e) for e in formset.forms[0].errors.get("file", [])]


class TestMeetingDocuments:
    @pytest.fixture
    def meeting(self, db):
        return MeetingFactory(theme_pl="Temat.")

    @pytest.mark.parametrize(
        ("name", "content", "stored", "shown"),
        [
            ("Protokół z posiedzenia.pdf", PDF, "protokol-z-posiedzenia.pdf", "PDF"),
            ("notatki.docx", docx_bytes(), "notatki.docx", "DOCX"),
            ("notatki.odt", odt_bytes(), "notatki.odt", "ODT"),
            ("wrongly-named.docx", PDF, "wrongly-named.pdf", "PDF"),
        ],
    )
    def test_accepted(self, as_editor, meeting, name, content, stored, shown):
        response = post_meeting_document(as_editor, meeting, upload(name, content))
        assert response.status_code == 302
        document = MeetingDocument.objects.get(meeting=meeting)
        assert document.file.name == f"meetings/documents/{stored}"
        assert document.file_format == shown
        assert document.file_size == len(content)

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("protokol.pdf", png_bytes()),
            ("protokol.pdf", b"<html><script>alert(1)</script></html>"),
            ("protokol.docx", plain_zip_bytes()),
            (
                "protokol.docm",
                docx_bytes(b"application/vnd.ms-word.document.macroEnabled.main+xml"),
            ),
            ("protokol.odt", b"PK\x03\x04 but not really a zip"),
            ("protokol.svg", SVG_WITH_SCRIPT),
        ],
        ids=["png-named-pdf", "html", "zip", "macro-docx", "broken-zip", "svg"],
    )
    def test_rejected_by_content(self, as_editor, meeting, settings, name, content):
        response = post_meeting_document(as_editor, meeting, upload(name, content))
        assert response.status_code == 200
        assert document_errors(response)
        self.assert_nothing_saved(meeting, settings)

    def test_oversized(self, as_editor, meeting, settings):
        content = PDF + b"0" * (20 * 1024 * 1024)
        response = post_meeting_document(as_editor, meeting, upload("big.pdf", content))
        (error,) = document_errors(response)
        assert "MB" in error
        self.assert_nothing_saved(meeting, settings)

    def test_format_and_size_reach_the_public_page(self, client, as_editor, meeting):
        post_meeting_document(as_editor, meeting, upload("protokol.pdf", PDF))
        client.logout()
        response = client.get(meeting.get_absolute_url())
        document = response.context["meeting"].documents.get()
        assert (document.file_format, document.file_size) == ("PDF", len(PDF))

    @staticmethod
    def assert_nothing_saved(meeting, settings):
        assert not MeetingDocument.objects.filter(meeting=meeting).exists()
        meeting.refresh_from_db()
        assert meeting.theme_pl == "Temat."
        assert stored_files(settings) == []


class TestDeclarationPdf:
    def test_only_a_pdf(self, as_editor, settings):
        url = reverse("admin:declarations_declaration_add")
        data = form_data(as_editor.get(url), "declaration_form")
        data.update(
            title_pl="Deklaracja",
            slug="deklaracja",
            pdf=upload("deklaracja.pdf", docx_bytes()),
            _save="1",
        )
        data.update({key: "0" for key in data if key.endswith("TOTAL_FORMS")})
        response = as_editor.post(url, data)
        assert response.status_code == 200
        assert form_errors(response, "pdf")
        assert not Declaration.objects.exists()
        assert stored_files(settings) == []

        data["pdf"] = upload("deklaracja.pdf", PDF)
        assert as_editor.post(url, data).status_code == 302
        assert Declaration.objects.get().pdf.name == "declarations/deklaracja.pdf"


def test_unchanged_file_field_is_kept(as_editor, city_a):
    post_coat_of_arms(as_editor, city_a, upload("herb.png", png_bytes()))
    city_a.refresh_from_db()
    name = city_a.coat_of_arms.name
    url = reverse("admin:cities_city_change", args=[city_a.pk])
    data = form_data(as_editor.get(url), "city_form")
    data.update(summary_pl="Bez nowego herbu.", _save="1")
    assert as_editor.post(url, data).status_code == 302
    city_a.refresh_from_db()
    assert city_a.coat_of_arms.name == name
    assert Meeting.objects.count() == 0
