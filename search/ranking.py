"""Site search across declarations, cities, mayors, the Team, meetings and initiatives:
the ranking of the public objects for a query.

How it works, and why
---------------------
The portal holds a few hundred objects at most (a dozen declarations, a few dozen
cities and mayors, meetings and initiatives), so the search fetches every public
object of each kind with one query per kind (a constant six queries, whatever the
query or the size of the result) and does the matching in Python:

- The same code runs on SQLite and PostgreSQL, so both give identical results, in
  the same order. Doing it in SQL would need PostgreSQL's `unaccent` extension
  (and a different path for SQLite, whose `LIKE` folds ASCII case only), or a
  normalised copy of every translated field kept in sync on each save.
- Case and diacritics are folded the same way for the text and the query
  (`core.text.fold`), so `lodz` finds Łódź and `gdansk` Gdańsk (`search/text.py`).
- The text searched is the active language's, falling back to Polish field by field,
  exactly what the page shows (`search/index.py`).

If the content ever grows to thousands of objects, keep `fold` and move the
matching into the database with a folded column per searched field.

Ranking: every word of the query must occur somewhere in the object (AND). A word
found in the title scores far more than one found in the text, a word found at the
start of a word more than inside one, and a title that contains the whole query
more again; ties are broken by kind and title, so the order is stable.

The matched passage is cut from the text around the first hit and every hit in it
is wrapped in `<mark>`; everything else is escaped.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape

from core.text import fold

from .index import Document, documents
from .text import PASSAGE_LENGTH, highlight, passage, query_terms

MAX_RESULTS = 100


@dataclass
class Result:
    document: Document
    score: int
    title_html: str
    passage_html: str
    passage_language: str

    @property
    def kind(self):
        return self.document.kind

    @property
    def kind_label(self):
        return self.document.kind_label

    @property
    def url(self):
        return self.document.url

    @property
    def title_language(self):
        return self.document.title_language


_WORD_START = re.compile(r"\w", re.UNICODE)


def _term_score(folded, term, weight):
    """`weight` for a hit at the start of a word, half of it inside a word."""
    start = folded.find(term)
    best = 0
    while start != -1:
        at_word_start = start == 0 or not _WORD_START.match(folded[start - 1])
        best = max(best, weight if at_word_start else weight // 2)
        if best == weight:
            break
        start = folded.find(term, start + 1)
    return best


def score(document, terms, phrase):
    """How well `document` matches; 0 when some term is missing."""
    title = fold(document.title)
    body = fold(" ".join(text for text, _language in document.texts))
    keywords = fold(document.keywords)
    total = 0
    for term in terms:
        term_score = max(
            _term_score(title, term, 100),
            _term_score(keywords, term, 60),
            _term_score(body, term, 10),
        )
        if not term_score:
            return 0
        total += term_score
        total += min(body.count(term), 5)  # a text about the subject, not a passing mention
    if phrase and phrase in title:
        total += 50
        if title == phrase:
            total += 50
    return total


def search(query):
    """Ranked results for `query`; an empty list for a query with no words."""
    terms = query_terms(query)
    if not terms:
        return []
    phrase = " ".join(terms)
    results = []
    for document in documents():
        points = score(document, terms, phrase)
        if not points:
            continue
        passage_html, passage_language = "", ""
        for text, language in document.texts:
            passage_html = passage(text, terms)
            if passage_html:
                passage_language = language
                break
        if not passage_html and document.texts:
            text, passage_language = document.texts[0]
            passage_html = escape(
                text[:PASSAGE_LENGTH] + ("…" if len(text) > PASSAGE_LENGTH else "")
            )
        results.append(
            Result(
                document=document,
                score=points,
                title_html=highlight(document.title, terms),
                passage_html=passage_html,
                passage_language=passage_language,
            )
        )
    results.sort(key=lambda r: (-r.score, r.document.order, fold(r.document.title)))
    return results[:MAX_RESULTS]
