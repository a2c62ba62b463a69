"""How the search reads text: words of a query, hits in a text, highlighted passages.

Case and diacritics are folded the same way for the text and the query
(`core.text.fold`), so `lodz` finds Łódź and `gdansk` Gdańsk. A hit is found in
the folded text and mapped back to the characters of the original, so the passage
shows the text as written, with each hit wrapped in `<mark>` and everything else
escaped.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text import fold, fold_char

MAX_TERMS = 10
MIN_TERM_LENGTH = 2
PASSAGE_LENGTH = 240


def _fold_with_positions(text):
    """The folded text and, for each of its characters, the index of the
    character of `text` it came from (folding may change the length)."""
    folded = []
    positions = []
    for index, char in enumerate(text):
        for folded_char in fold_char(char):
            folded.append(folded_char)
            positions.append(index)
    return "".join(folded), positions


def query_terms(query):
    """The folded words of a query: punctuation splits words, words shorter than
    two characters are dropped (unless the query has nothing else), at most ten."""
    words = [word for word in re.split(r"[\W_]+", fold(query)) if word]
    long_enough = [word for word in words if len(word) >= MIN_TERM_LENGTH]
    terms = long_enough or words
    unique = list(dict.fromkeys(terms))
    return unique[:MAX_TERMS]


def _hit_spans(text, terms):
    """Spans (start, end) in `text` where any term occurs, merged, in order."""
    folded, positions = _fold_with_positions(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((positions[start], positions[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text, terms, spans=None):
    """`text` escaped, with every occurrence of a term wrapped in `<mark>`."""
    spans = _hit_spans(text, terms) if spans is None else spans
    parts = []
    cursor = 0
    for start, end in spans:
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above.


def passage(text, terms, length=PASSAGE_LENGTH):
    """A passage of `text` around its first hit, highlighted; "" when no hit."""
    spans = _hit_spans(text, terms)
    if not spans:
        return ""
    first_start = spans[0][0]
    start = max(0, first_start - length // 3)
    if start:
        # Begin at a word boundary rather than in the middle of a word.
        space = text.find(" ", start, first_start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space != -1 else end
    window = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    body = highlight(text[start:end], terms, spans=window)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - `body` is escaped by highlight().
