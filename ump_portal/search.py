"""Site search across declarations, cities, mayors, the Team, meetings and initiatives.

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
- Case and Polish diacritics are folded the same way for the text and the query
  (`fold`): NFKD decomposition drops the accents of ą ć ę ń ó ś ź ż, and the letters
  NFKD leaves alone (ł, which is a letter of its own, not l with a mark) are mapped
  by hand, so `lodz` finds Łódź and `gdansk` Gdańsk.
- The text searched is the active language's, falling back to Polish field by field
  (`ump_portal.languages.translated_text`), exactly what the page shows.

If the content ever grows to thousands of objects, keep `fold` and move the
matching into the database with a folded column per searched field.

Ranking: every word of the query must occur somewhere in the object (AND). A word
found in the title scores far more than one found in the text, a word found at the
start of a word more than inside one, and a title that contains the whole query
more again; ties are broken by kind and title, so the order is stable.

The matched passage is cut from the text around the first hit and every hit in it
is wrapped in `<mark>`; everything else is escaped.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cities.models import City, Mayor
from declarations.models import Declaration, Initiative, Meeting, Team

from .languages import translated_text
from .markdown import render_markdown

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MIN_TERM_LENGTH = 2
MAX_RESULTS = 100
PASSAGE_LENGTH = 240

# Letters that NFKD does not decompose into a base letter and a mark.
_EXTRA_FOLDS = {
    "ł": "l",
    "đ": "d",
    "ø": "o",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "\u0131": "i",  # dotless i
}


def _fold_char(char):
    char = char.lower()
    if char in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[char]
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text):
    """`text` in lower case without diacritics: "Łódź" -> "lodz"."""
    return "".join(_fold_char(char) for char in text)


def _fold_with_positions(text):
    """The folded text and, for each of its characters, the index of the
    character of `text` it came from (folding may change the length)."""
    folded = []
    positions = []
    for index, char in enumerate(text):
        for folded_char in _fold_char(char):
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


def plain_text(text, is_markdown=False):
    """Text as a reader sees it: markdown rendered, tags removed, spaces collapsed."""
    if is_markdown:
        text = html.unescape(strip_tags(render_markdown(text)))
    return " ".join(text.split())


@dataclass
class Document:
    """One searchable object: what is matched and what the result shows."""

    kind: str
    kind_label: str
    url: str
    title: str
    title_language: str
    texts: list = field(default_factory=list)  # (text, language) pairs
    keywords: str = ""  # matched, never shown (a city's ASCII slug)
    order: int = 0


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


def _translated(obj, field_name, is_markdown=False):
    text = translated_text(obj, field_name)
    return plain_text(text.text, is_markdown), text.language


def _documents():
    """Every public object, one query per kind."""
    kinds = [
        ("declaration", _("Declaration")),
        ("city", _("City")),
        ("mayor", _("Mayor")),
        ("team", _("Team")),
        ("meeting", _("Meeting")),
        ("initiative", _("Initiative")),
    ]
    order = {kind: index for index, (kind, _label) in enumerate(kinds)}
    labels = dict(kinds)

    def document(kind, obj, url, title_field, text_fields, keywords=""):
        title, title_language = _translated(obj, title_field)
        texts = [_translated(obj, name, is_markdown) for name, is_markdown in text_fields]
        return Document(
            kind=kind,
            kind_label=labels[kind],
            url=url,
            title=title,
            title_language=title_language,
            texts=[(text, language) for text, language in texts if text],
            keywords=keywords,
            order=order[kind],
        )

    for declaration in Declaration.objects.published():
        yield document(
            "declaration",
            declaration,
            declaration.get_absolute_url(),
            "title",
            [("summary", False), ("body", True), ("place", False)],
        )
    for city in City.objects.all():
        doc = document(
            "city",
            city,
            city.get_absolute_url(),
            "name",
            [("summary", False), ("description", True), ("integration_office", False)],
            keywords=city.slug.replace("-", " "),
        )
        doc.texts.append((str(city.get_voivodeship_display()), ""))
        yield doc
    for mayor in Mayor.objects.select_related("city"):
        city_name, city_language = _translated(mayor.city, "name")
        yield Document(
            kind="mayor",
            kind_label=labels["mayor"],
            url=mayor.city.get_absolute_url(),
            title=mayor.full_name,
            title_language="",
            texts=[(f"{mayor.get_office_display()}: {city_name}", city_language)],
            order=order["mayor"],
        )
    for team in Team.objects.all():
        yield document("team", team, team.get_absolute_url(), "name", [("description", True)])
    meetings = Meeting.objects.published().select_related("host_city")
    for meeting in meetings:
        doc = document(
            "meeting",
            meeting,
            meeting.get_absolute_url(),
            "title",
            [("theme", False), ("notes", True), ("place", False)],
        )
        if meeting.host_city is not None:
            doc.texts.append(_translated(meeting.host_city, "name"))
        yield doc
    for initiative in Initiative.objects.published():
        yield document(
            "initiative",
            initiative,
            initiative.get_absolute_url(),
            "title",
            [("summary", False), ("body", True)],
        )


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
    for document in _documents():
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


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the portal"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "Your search is too long: use at most %(limit_value)d characters "
                "(it has %(show_value)d). A few words work best."
            ),
            "null_characters_not_allowed": _(
                "Your search contains characters that cannot be used."
            ),
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query = ""
        results = []
        if form.is_bound and form.is_valid():
            query = form.cleaned_data["q"]
            results = search(query)
        context.update(
            form=form,
            query=query,
            has_words=bool(query_terms(query)),
            results=results,
            results_capped=len(results) >= MAX_RESULTS,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context
