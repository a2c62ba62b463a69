"""Stored names of uploaded files: ASCII, lower case, no path, a known extension."""

from pathlib import PurePath

from django.utils.text import slugify

from .text import fold


def safe_name(uploaded_name, extension, default="file"):
    """`Protokół z posiedzenia.PDF` -> `protokol-z-posiedzenia.pdf`."""
    stem = fold(PurePath(PurePath(uploaded_name or "").name).stem)
    return f"{slugify(stem)[:60].strip('-') or default}.{extension}"
