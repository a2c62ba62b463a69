"""Fill the English catalogue from the source strings, which are written in English.

`make messages` runs this after `makemessages`, so the English .po file is always
complete: a new string shows as itself in English, and the Polish file is the one
translators fill in. An English msgstr that differs from its msgid (a deliberate
wording change) is kept.
"""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main():
    po = polib.pofile(CATALOGUE)
    filled = 0
    for entry in po:
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "en"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.save()
    print(f"{CATALOGUE.relative_to(Path.cwd())}: {filled} strings filled from their source text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
