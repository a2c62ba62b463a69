"""Project-wide checks: no pending migrations, every message catalogue complete, with
the plural forms of its language."""

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
    [("pl", "deklaracje/"), ("en", "declarations/"), ("uk", "deklaratsii/")],
)
def test_locale_smoke(code, expected):
    with translation.override(code):
        assert translation.gettext("declarations/") == expected


# The plural forms GNU gettext gives Ukrainian (its manual, "Plural forms"): three
# (1, 21: one; 2-4, 22-24: few; 0, 5-20, 25-30: many), not Polish's rule, and not the
# four of Django's own Ukrainian catalogue.
UKRAINIAN_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def test_ukrainian_catalogue_has_ukrainian_plural_forms():
    po = polib.pofile(LOCALE_DIR / "uk" / "LC_MESSAGES" / "django.po")
    assert po.metadata["Plural-Forms"] == UKRAINIAN_PLURAL_FORMS
    assert po.metadata["Language"] == "uk"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Знайдено 1 місто або регіон"),
        (21, "Знайдено 21 місто або регіон"),
        (2, "Знайдено 2 міста або регіони"),
        (24, "Знайдено 24 міста або регіони"),
        (5, "Знайдено 5 міст або регіонів"),
        (11, "Знайдено 11 міст або регіонів"),
        (12, "Знайдено 12 міст або регіонів"),
        (0, "Знайдено 0 міст або регіонів"),
    ],
)
def test_ukrainian_plurals(count, expected):
    singular = "%(counter)s city or region found"
    plural = "%(counter)s cities or regions found"
    with translation.override("uk"):
        assert translation.ngettext(singular, plural, count) % {"counter": count} == expected
