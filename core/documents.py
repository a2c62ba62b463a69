"""Uploaded documents (PDF, DOCX, ODT), recognised by their content.

The file name proves nothing: a PNG called `minutes.pdf` is refused. A PDF
starts with `%PDF-`; a DOCX is a ZIP whose `[Content_Types].xml` declares a
WordprocessingML main document (not a macro-enabled one); an ODT is a ZIP whose
`mimetype` member says `application/vnd.oasis.opendocument.text`. The stored
name is made from the uploaded one with the extension of the format found, so
the format shown to the public (`MeetingDocument.file_format`) is always the
real one. The size limit is `PORTAL_MAX_DOCUMENT_BYTES` (default 20 MB).

The content is then read beyond its first bytes (`inspect`), and refused with a
message that says what to do:
- a PDF whose dictionaries name JavaScript or an action run on opening or on an
  event (`/JavaScript`, `/JS`, `/OpenAction`, `/AA`, `/Launch`), read in the file
  and in its compressed object streams, with names decoded (`/J#61vaScript`);
- a DOCX or ODT with macros (a VBA project, ActiveX controls, Basic or script
  libraries) or with embedded HTML (an HTML or MHT part, an altChunk of HTML);
- an archive (DOCX and ODT are ZIP files) whose members unpack to more than
  `PORTAL_MAX_UNPACKED_DOCUMENT_BYTES` (default 100 MB), more than
  `MAX_ARCHIVE_MEMBERS` members, or a member packed more than `MAX_PACKING_RATIO`
  times: a ZIP bomb. Nothing is unpacked to tell: the sizes are the archive's own.

Ours: python-magic needs the libmagic library on the machine, and filetype reads
only the first bytes, which cannot tell a DOCX from a macro-enabled DOCM or any ZIP.
"""

import re
import zipfile
import zlib
from pathlib import PurePath
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.cache import add_never_cache_headers
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .admin_forms import AdminUploadWidget
from .filenames import safe_name

DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_UNPACKED_DOCUMENT_BYTES = 100 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 5000
# A text document's XML packs about ten to one; a hundredfold member of more than
# a megabyte is a bomb, not a document.
MAX_PACKING_RATIO = 100

PDF = "pdf"
DOCX = "docx"
ODT = "odt"
LABELS = {PDF: "PDF", DOCX: "DOCX", ODT: "ODT"}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def max_document_bytes():
    return getattr(settings, "PORTAL_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)


def max_unpacked_bytes():
    return getattr(
        settings, "PORTAL_MAX_UNPACKED_DOCUMENT_BYTES", DEFAULT_MAX_UNPACKED_DOCUMENT_BYTES
    )


MESSAGES = {
    "pdf_active": _(
        "This PDF contains JavaScript or actions that run when it is opened. Save or "
        "print it again as a plain PDF, without scripts, and upload that file."
    ),
    "macros": _(
        "This document contains macros. Save it again as a document without macros "
        "(DOCX or ODT) and upload that file."
    ),
    "embedded_html": _(
        "This document contains embedded web pages (HTML). Remove them, save the "
        "document again and upload that file."
    ),
    "unpacks_too_large": _(
        "This file unpacks to too much data (%(size)s). The limit is %(limit)s. "
        "Upload a smaller document."
    ),
}

PDF_ACTIVE_NAMES = {b"JavaScript", b"JS", b"OpenAction", b"AA", b"Launch"}
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n")

MACRO_PARTS = re.compile(r"(vbaProject\.bin|vbaData\.xml|(^|/)activeX/|^Basic/|^Scripts/)", re.I)
MACRO_TYPES = (b"vbaProject", b"macroEnabled", b"activeX", b"vnd.sun.xml.basic")
HTML_PARTS = re.compile(r"\.(html?|xhtml|mht|mhtml)$", re.I)
HTML_TYPES = (b"text/html", b"application/xhtml+xml", b"message/rfc822")
MANIFESTS = ("[Content_Types].xml", "META-INF/manifest.xml")


def _error(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params)


def _pdf_names(data):
    for match in PDF_NAME.finditer(data):
        yield PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[1])


def _pdf_object_streams(data, budget):
    """The inflated content of the PDF's compressed object streams, where the
    dictionaries of PDF 1.5 and later may sit."""
    for match in PDF_STREAM.finditer(data):
        dictionary = b"".join(_pdf_names(data[max(0, match.start() - 300) : match.start()]))
        if b"ObjStm" not in dictionary:
            continue
        end = data.find(b"endstream", match.end())
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(data[match.end() : end if end > 0 else None], budget)
        except zlib.error:
            continue
        budget -= len(content)
        if budget <= 0:
            raise _error(
                "unpacks_too_large",
                size=filesizeformat(max_unpacked_bytes()),
                limit=filesizeformat(max_unpacked_bytes()),
            )
        yield content


def _inspect_pdf(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    sources = [data, *_pdf_object_streams(data, max_unpacked_bytes())]
    if any(name in PDF_ACTIVE_NAMES for source in sources for name in _pdf_names(source)):
        raise _error("pdf_active")


def _inspect_archive(file):
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            bomb = any(
                member.file_size > 1024 * 1024
                and member.file_size > MAX_PACKING_RATIO * max(member.compress_size, 1)
                for member in members
            )
            if unpacked > max_unpacked_bytes() or len(members) > MAX_ARCHIVE_MEMBERS or bomb:
                raise _error(
                    "unpacks_too_large",
                    size=filesizeformat(unpacked),
                    limit=filesizeformat(max_unpacked_bytes()),
                )
            names = [member.filename for member in members]
            manifests = b"".join(
                archive.read(name)
                for name in MANIFESTS
                if name in names and archive.getinfo(name).file_size <= 1024 * 1024
            )
    finally:
        file.seek(0)
    if any(MACRO_PARTS.search(name) for name in names) or any(
        kind in manifests for kind in MACRO_TYPES
    ):
        raise _error("macros")
    if any(HTML_PARTS.search(name) for name in names) or any(
        kind in manifests for kind in HTML_TYPES
    ):
        raise _error("embedded_html")


def inspect(file, found):
    """Refuse active content and bombs in a document of format `found` (see the
    module docstring); a translated `ValidationError` says why."""
    if found == PDF:
        _inspect_pdf(file)
    else:
        _inspect_archive(file)


def detect_format(file):
    """PDF, DOCX or ODT according to the bytes of `file`; None for anything else."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and "content.xml" in names:
                with archive.open("mimetype") as member:
                    if member.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                # A content-types file is a few kilobytes; refuse to inflate a bomb.
                if info.file_size <= 1024 * 1024 and DOCX_MAIN_TYPE in archive.read(info):
                    return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
        return None
    finally:
        file.seek(0)
    return None


def validate_document(file, allowed=(PDF, DOCX, ODT)):
    """Return the format of `file`, or raise a translated `ValidationError`."""
    if file.size is not None and file.size > max_document_bytes():
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(max_document_bytes()),
            },
        )
    found = detect_format(file)
    if found not in allowed:
        raise ValidationError(
            _(
                "Upload a document in one of these formats: %(formats)s. The content of "
                "this file is not in any of them, whatever its name says."
            ),
            code="wrong_format",
            params={"formats": ", ".join(LABELS[name] for name in allowed)},
        )
    inspect(file, found)
    return found


def _help_text(allowed):
    return _("%(formats)s, at most %(limit)s.") % {
        "formats": ", ".join(LABELS[name] for name in allowed),
        "limit": filesizeformat(max_document_bytes()),
    }


class DocumentUploadField(forms.FileField):
    """A form field for a model `FileField` that accepts only real documents.

    A new upload keeps its content and gets a clean name with the right extension.
    """

    def __init__(self, *, allowed=(PDF, DOCX, ODT), **kwargs):
        self.allowed = tuple(allowed)
        kwargs.setdefault("help_text", lazy(_help_text, str)(self.allowed))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{name}" for name in self.allowed))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            found = validate_document(value, self.allowed)
            value.name = safe_name(value.name, found, default="document")
        return value


def stored_file_response(file, *, private):
    """The response that hands out the stored `file` to a reader the view has let
    through. A storage whose URLs point to another host (object storage such as S3,
    whose URLs for private files are signed and short-lived with django-storages'
    query-string signing) gets a redirect to that URL; any other storage's file is
    sent from here (FileResponse), since its URL (`/media/...`) is not served for
    documents. Only the Storage API is used, never the file system. `private` (a
    draft an editor previews) keeps the response out of every cache."""
    storage = file.storage
    url = storage.url(file.name)
    if urlsplit(url).netloc:
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = storage.open(file.name, "rb")
        except OSError as exc:
            raise Http404 from exc
        response = FileResponse(handle, filename=PurePath(file.name).name)
        # Shown as data, never run as a page of this site.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if private:
        add_never_cache_headers(response)
    return response


class _ServedFile:
    """A stored file as the admin's widget shows it, linked to `url`."""

    def __init__(self, file, url):
        self.file = file
        self.url = url
        self.name = file.name

    def __str__(self):
        return str(self.file)


class StoredDocumentWidget(AdminUploadWidget):
    """The admin's file input (`AdminUploadWidget`), whose link to the current file
    goes through the portal's document view (`document_url` of the object): a
    document's media URL is not served, so that publication is checked."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = getattr(getattr(value, "instance", None), "document_url", None)
        if context["widget"]["is_initial"] and url:
            context["widget"]["value"] = _ServedFile(value, url)
        return context
