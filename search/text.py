"""How the search reads text: the words of a text or a query, and highlighted passages.

A word is a run of letters and digits; it is compared in its folded form (lower case,
no diacritics: `core.text.fold`), so `lodz` finds Łódź and `gdansk` Gdańsk, and by
what its language's analyser makes of it (`search/analysers.py`). A hit is a word of
the text whose folded form the ranking matched (`search/ranking.py`), so the passage
shows the text as written, with each hit wrapped in `<mark>` and everything else
escaped: "migranci" marks "migrantów".
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text import fold

MAX_TERMS = 10
MIN_TERM_LENGTH = 2
# No word of either language comes near it; a longer "word" is cut, so that a query
# of one 200-letter run costs no more than a query of real words.
MAX_TERM_LENGTH = 40
PASSAGE_LENGTH = 240

WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=20_000)
def fold_word(word):
    """`word` folded; cached, since the same words recur in every text."""
    return fold(word)


def words(text):
    """(start, end, word) for every word of `text`, in order."""
    return ((match.start(), match.end(), match.group()) for match in WORD.finditer(text))


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query: as typed (for the analysers and for "Did you mean") and folded."""

    word: str
    folded: str


def query_terms(query):
    """The words of a query: punctuation splits words, words shorter than two characters
    are dropped (unless the query has nothing else), repeats are dropped, at most ten,
    each cut at forty characters."""
    found = [word[:MAX_TERM_LENGTH] for _start, _end, word in words(query)]
    long_enough = [word for word in found if len(word) >= MIN_TERM_LENGTH] or found
    terms = {}
    for word in long_enough:
        terms.setdefault(fold_word(word), QueryTerm(word, fold_word(word)))
    return list(terms.values())[:MAX_TERMS]


def _hit_spans(text, hits):
    """Spans (start, end) of the words of `text` whose folded form is in `hits`,
    neighbours merged, in order."""
    spans = []
    for start, end, word in words(text):
        if fold_word(word) in hits:
            if spans and text[spans[-1][1] : start].isspace():
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def highlight(text, hits, spans=None):
    """`text` escaped, with every word in `hits` (folded forms) wrapped in `<mark>`."""
    spans = _hit_spans(text, hits) if spans is None else spans
    parts = []
    cursor = 0
    for start, end in spans:
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above.


def _first_hit(text, hits):
    for start, end, word in words(text):
        if fold_word(word) in hits:
            return start, end
    return None


def passage(text, hits, length=PASSAGE_LENGTH):
    """A passage of `text` around its first hit, highlighted; "" when no hit."""
    first = _first_hit(text, hits)
    if first is None:
        return ""
    first_start, first_end = first
    start = max(0, first_start - length // 3)
    if start:
        # Begin at a word boundary rather than in the middle of a word.
        space = text.find(" ", start, first_start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", first_end, end)
        end = space if space != -1 else end
    window = text[start:end]
    body = highlight(window, hits)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - `body` is escaped by highlight().
