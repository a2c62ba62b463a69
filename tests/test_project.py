"""Project-wide checks: no pending migrations, both message catalogues complete."""

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_po_file_is_complete(code):
    po = polib.pofile(LOCALE_DIR / code / "LC_MESSAGES" / "django.po")
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_compiled_catalogue_matches_po_file(code):
    """The committed .mo file is what `make messages` compiles from the .po file."""
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    po = polib.pofile(folder / "django.po")
    mo = polib.mofile(folder / "django.mo")
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (entry.msgstr, entry.msgstr_plural), (
            entry.msgid
        )


@pytest.mark.parametrize(
    ("code", "expected"),
    [("pl", "deklaracje/"), ("en", "declarations/")],
)
def test_locale_smoke(code, expected):
    with translation.override(code):
        assert translation.gettext("declarations/") == expected
