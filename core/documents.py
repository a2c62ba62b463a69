"""Uploaded documents (PDF, DOCX, ODT), recognised by their content.

The file name proves nothing: a PNG called `minutes.pdf` is refused. A PDF
starts with `%PDF-`; a DOCX is a ZIP whose `[Content_Types].xml` declares a
WordprocessingML main document (not a macro-enabled one); an ODT is a ZIP whose
`mimetype` member says `application/vnd.oasis.opendocument.text`. The stored
name is made from the uploaded one with the extension of the format found, so
the format shown to the public (`MeetingDocument.file_format`) is always the
real one. The size limit is `PORTAL_MAX_DOCUMENT_BYTES` (default 20 MB).

Ours: python-magic needs the libmagic library on the machine, and filetype reads
only the first bytes, which cannot tell a DOCX from a macro-enabled DOCM or any ZIP.
"""

import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .filenames import safe_name

DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

PDF = "pdf"
DOCX = "docx"
ODT = "odt"
LABELS = {PDF: "PDF", DOCX: "DOCX", ODT: "ODT"}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def max_document_bytes():
    return getattr(settings, "PORTAL_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)


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
