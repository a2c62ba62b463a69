"""Stored names of uploaded files: ASCII, lower case, no path, a known extension."""

from pathlib import PurePath

from django.utils.text import slugify

# Letters that Unicode does not decompose into an ASCII letter plus an accent.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})


def safe_name(uploaded_name, extension, default="file"):
    """`Protokół z posiedzenia.PDF` -> `protokol-z-posiedzenia.pdf`."""
    stem = PurePath(PurePath(uploaded_name or "").name).stem.translate(_UNDECOMPOSABLE)
    return f"{slugify(stem)[:60].strip('-') or default}.{extension}"
