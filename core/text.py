"""Text folded to lower-case ASCII, for matching and for file names.

One folding for the whole portal: search folds the indexed text and the query
with it (so `lodz` finds Łódź and `gdansk` Gdańsk), and uploaded files get ASCII
names from it. The transliteration table is `anyascii`'s, which covers every
script (ł, ß, æ, ø and Cyrillic alike), so no table of our own is kept.
"""

from functools import lru_cache

from anyascii import anyascii


@lru_cache(maxsize=4096)
def fold_char(char):
    """One character folded: "Ł" -> "l", "ß" -> "ss", "ą" -> "a"."""
    return anyascii(char).lower()


def fold(text):
    """`text` in lower case without diacritics: "Łódź" -> "lodz"."""
    return "".join(fold_char(char) for char in text)
