"""Fill the English catalogue from the source strings, which are written in English.

`make messages` runs this after `makemessages`, so the English .po file is always
complete: a new string shows as itself in English, and the Polish file is the one
translators fill in. An English msgstr that differs from its msgid (a deliberate
wording change) is kept; one that makemessages only guessed (fuzzy) is replaced.
"""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main():
    po = polib.pofile(CATALOGUE)
    filled = 0
    for entry in po:
        # makemessages guesses a fuzzy msgstr from a similar old string: never keep it.
        fuzzy = "fuzzy" in entry.flags
        if fuzzy:
            entry.flags.remove("fuzzy")
            # The old string the guess came from ("#| msgid") goes with the guess.
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if entry.msgid_plural:
            if fuzzy or not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif fuzzy or not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    po.metadata["Language"] = "en"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.save()
    print(f"{CATALOGUE.relative_to(Path.cwd())}: {filled} strings filled from their source text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
