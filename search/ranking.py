"""Site search across declarations, cities and regions, mayors, the Team, meetings and
initiatives: which words of the index a query's words match, and the order of results.

How a word of the query is matched
----------------------------------
Each word is looked up in the index of the active language (`search/index.py`) in
four ways, the better ones first:

1. **as written** (folded: `lodz` is Łódź): the word itself occurs;
2. **another form of the same word**: the analysers (`search/analysers.py`) of the
   active language and of Polish, the language of the portal's names and of every text
   that has no translation, give the query word its lemmas or stems, and every word of
   the index with one of them matches ("Krakowie" finds Kraków, "migranci" finds
   "migrantów", "cities" finds "city"). A word typed without its diacritics is first
   looked up as written, and its keys are then those of the text's word ("wroclawiu"
   reaches every form of Wrocław);
3. **the start of a word** (three letters or more): "migra" finds migration and
   migrants, for a visitor who stops typing half-way;
4. **a typing error** (only when 1-3 found nothing): the words of the index within one
   edit (two for words of eight letters or more; an edit being a letter added, dropped,
   changed or two swapped) are found with rapidfuzz, and the page offers the corrected
   query: "Did you mean Wrocław?" for "Wroclw".

A word found nowhere is left out, and the page says so; the others still search.

Ranking
-------
A document must contain every word of the query but two kinds: a function word that an
analyser recognises ("we", "dla", "oraz": `is_function_word`), and a word that more than
a quarter of all documents contain ("the", "of", "mayor"; at least ten documents, so
that on a small site every word counts). Those only add to the score. When no document
holds every required word, the documents that hold the most of them are shown, and the
page says so.

A word found in the title scores far more than one found in the keywords (a city's
slug, a mayor's office and city, a meeting's place), which scores more than one found in
the text; each of the four ways above scales that score down (1, 0.9, 0.6, 0.5), and
each occurrence in the text adds a point (up to five), since a text about the subject
mentions it more than once. A word's points are then multiplied by its rarity (BM25's
inverse document frequency), so "Poznań" weighs more than "meeting", and "meeting" more
than "of"; a function word's by a tenth. A title that holds every word of the query
multiplies the score by 1.5, and a title that is nothing but the query's words by 1.3
again ("Gdańsk" for gdansk). Ties are broken by kind, then title, so the order is stable
and the same on every database.

Why not the database's full-text search: PostgreSQL's has no Polish dictionary of its
own and SQLite's none at all, and both would need a folded, analysed copy of every
translated field kept in step with each save; the index here is built from what the
pages show, in memory, the same on both databases.
"""

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import escape
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.languages import active_language

from .analysers import analyser_for, script_language
from .index import BODY, KEYWORDS, TITLE, Document, current_index
from .text import PASSAGE_LENGTH, WORD, fold_word, highlight, passage, query_terms

MAX_RESULTS = 100

WEIGHTS = {TITLE: 100, KEYWORDS: 60, BODY: 10}
EXACT, OTHER_FORM, PREFIX, NEAR = 1.0, 0.9, 0.6, 0.5
MIN_PREFIX_LENGTH = 3
MIN_CORRECTED_LENGTH = 4
MAX_COUNT_POINTS = 5
TITLE_HOLDS_QUERY, TITLE_IS_QUERY = 1.5, 1.3  # factors
# A word in more documents than this share of them (and than the minimum, so that a
# small site keeps every word required) is not required: "the", "of", "mayor".
COMMON_SHARE = 0.25
MIN_COMMON_DOCUMENTS = 10
FUNCTION_WORD_SHARE = 0.1  # "we", "dla": they break ties, no more


@dataclass
class Result:
    document: Document
    score: float
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


@dataclass
class Search:
    """The outcome of a query: its results, the corrected query to offer ("" when
    nothing was corrected), the words that no document contains, and whether the
    results hold only some of the words."""

    results: list = field(default_factory=list)
    suggestion: str = ""
    not_found: list = field(default_factory=list)
    partial: bool = False  # no document holds every word: these hold the most

    @property
    def capped(self):
        return len(self.results) >= MAX_RESULTS


def _query_analysers(word):
    """The analysers of a query word: the page language's, the site's default
    language's, and the one its script gives away (a Cyrillic word on any page)."""
    languages = dict.fromkeys([active_language(), settings.LANGUAGE_CODE, script_language(word)])
    return [analyser for analyser in map(analyser_for, languages) if analyser is not None]


def _max_edits(word):
    return 2 if len(word) >= 8 else 1


def _corrections(term, index):
    """The surfaces nearest to a term no word of the index matched: those at the
    smallest distance, within `_max_edits`, most used first."""
    folded = term.folded
    if len(folded) < MIN_CORRECTED_LENGTH or not folded.isalpha():
        return []
    near = process.extract(
        folded,
        index.vocabulary,
        scorer=OSA.distance,
        score_cutoff=_max_edits(folded),
        limit=20,
    )
    if not near:
        return []
    best = min(distance for _surface, distance, _position in near)
    surfaces = [surface for surface, distance, _position in near if distance == best]
    return sorted(surfaces, key=lambda surface: -len(index.postings[surface][0]))


def _with_other_forms(surfaces, index, analysers, word=None):
    """The surfaces of the index that share an analysis key with any of `surfaces`
    (and with `word` as typed, analysed)."""
    keys = set()
    for surface in surfaces:
        keys.add(surface)
        keys.update(index.keys.get(surface, ()))
    if word is not None:
        for analyse in analysers:
            keys.update(fold_word(lemma) for lemma in analyse(word))
    found = set()
    for key in keys:
        if key in index.postings:
            found.add(key)
        found.update(index.surfaces_by_key.get(key, ()))
    return found


def match(term, index, analysers):
    """surface -> how well it matches `term`, and the surface it was corrected to (or None)."""
    matches = {}
    if term.folded in index.postings:
        matches[term.folded] = EXACT
    for surface in _with_other_forms([term.folded], index, analysers, term.word):
        matches.setdefault(surface, OTHER_FORM)
    if len(term.folded) >= MIN_PREFIX_LENGTH:
        for surface in index.with_prefix(term.folded):
            matches.setdefault(surface, PREFIX)
    if matches:
        return matches, None
    corrections = _corrections(term, index)
    if not corrections:
        return {}, None
    for surface in _with_other_forms(corrections[:5], index, analysers):
        matches[surface] = NEAR
    return matches, corrections[0]


def _term_scores(matches, index):
    """document id -> (points, found in the title) for one query word."""
    best = {}
    counts = defaultdict(int)
    for surface, quality in matches.items():
        doc_ids, entries = index.postings[surface]
        points_by_where = [WEIGHTS[where] * quality for where in (BODY, KEYWORDS, TITLE)]
        for doc_id, entry in zip(doc_ids, entries, strict=True):
            points = points_by_where[entry >> 3]
            if doc_id not in best or points > best[doc_id][0]:
                best[doc_id] = (points, entry >> 3)
            counts[doc_id] += entry & 7
    # A word that few documents hold tells more about the one sought than a word that
    # most hold ("Poznań" more than "meeting", "meeting" more than "of"): the inverse
    # document frequency of BM25, always above zero.
    rarity = math.log(1 + (len(index.documents) - len(best) + 0.5) / (len(best) + 0.5))
    return {
        doc_id: ((points + min(counts[doc_id], MAX_COUNT_POINTS)) * rarity, where == TITLE)
        for doc_id, (points, where) in best.items()
    }


def corrected(query, corrections):
    """`query` as typed, with each mistyped word replaced by the word it was taken for."""
    return WORD.sub(lambda found: corrections.get(fold_word(found.group()), found.group()), query)


def _is_function_word(word, analysers):
    return any(
        analyse.is_function_word(word)
        for analyse in analysers
        if hasattr(analyse, "is_function_word")
    )


def search(query):
    """The ranked results of `query`, with what the page says about it."""
    terms = query_terms(query)
    if not terms:
        return Search()
    index = current_index()
    outcome = Search()
    corrections = {}  # folded word as typed -> the word of the index it was taken for
    found = []  # (matches, {doc_id: (points, in_title)}, weight) per word found
    required = []  # the scores of the words a result must hold
    common = max(len(index.documents) * COMMON_SHARE, MIN_COMMON_DOCUMENTS)
    for term in terms:
        analysers = _query_analysers(term.word)
        matches, correction = match(term, index, analysers)
        if not matches:
            outcome.not_found.append(term.word)
            continue
        if correction:
            corrections[term.folded] = index.display[correction]
        scores = _term_scores(matches, index)
        function_word = _is_function_word(term.word, analysers)
        found.append((matches, scores, FUNCTION_WORD_SHARE if function_word else 1))
        if not function_word and len(scores) <= common:
            required.append(scores)
    if corrections:
        outcome.suggestion = corrected(query, corrections)
    if not found:
        return outcome
    required = required or [scores for _matches, scores, _weight in found]
    hits = set().union(*(matches for matches, _scores, _weight in found))

    # Function words aside, a title that holds every word of the query ranks higher.
    words_that_count = sum(weight == 1 for _matches, _scores, weight in found) or len(found)
    # Every required word, or (when no document has them all) as many as any has.
    coverage = Counter(doc_id for scores in required for doc_id in scores)
    most = max(coverage.values())
    outcome.partial = most < len(required)
    ranked = []
    for doc_id, covered in coverage.items():
        if covered < most:
            continue
        total = 0
        in_title = 0
        for _matches, scores, weight in found:
            points, title_hit = scores.get(doc_id, (0, False))
            total += points * weight
            in_title += title_hit and (weight == 1 or words_that_count == len(found))
        if in_title == words_that_count:
            total *= TITLE_HOLDS_QUERY
            if index.title_words[doc_id] <= hits:
                total *= TITLE_IS_QUERY
        ranked.append((-total, index.documents[doc_id].order, index.sort_titles[doc_id], doc_id))
    outcome.results = [
        _result(index.documents[doc_id], -negative, hits)
        for negative, _order, _title, doc_id in heapq.nsmallest(MAX_RESULTS, ranked)
    ]
    return outcome


def _result(document, score, hits):
    passage_html, passage_language = "", ""
    for text, language in document.texts:
        passage_html = passage(text, hits)
        if passage_html:
            passage_language = language
            break
    if not passage_html and document.texts:
        text, passage_language = document.texts[0]
        passage_html = escape(text[:PASSAGE_LENGTH] + ("…" if len(text) > PASSAGE_LENGTH else ""))
    return Result(
        document=document,
        score=score,
        title_html=highlight(document.title, hits),
        passage_html=passage_html,
        passage_language=passage_language,
    )
