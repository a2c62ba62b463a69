"""What the search looks through: every public object as a `Document`, and the
analysed `Index` of them in one language, kept in memory between searches.

`documents()` reads every public object, one query per kind (a constant six, whatever
the query or the amount of content), in the active language with the Polish fallback
field by field (`core.languages.translated_text`): exactly what the pages show.

`current_index()` turns them into an `Index`: each word of each text is folded
(`core.text.fold`) and analysed once, by the analyser of the language the text is in
(`search/analysers.py`: a text shown in Polish on the English page is analysed as
Polish), and recorded with the documents it occurs in. A search then looks words up
instead of reading every text again, which keeps a search well under 50 ms of CPU with
300 cities and 2,000 meetings (`make bench`).

The index of each language is kept in this process and built again when
- the content changes: `settings.SEARCH_CONTENT_VERSION` names a function whose value
  changes with every save or delete of content (the project points it at the page
  cache's generation, which those signals bump, in Redis or in a stamp file that every
  gunicorn worker reads: docs/ARCHITECTURE.md), so an edit reaches every worker;
- a scheduled item's moment comes (the index knows the next one);
- `MAX_AGE` has passed: a safety net for changes made without signals, as the page
  cache's timeout is.
Without a version function nothing is kept: every search reads the content again.

Cost: one index per language, the old one dropped when a new one is built. The
postings are packed arrays (five bytes per word per document); the texts are kept for
the passages and indexed up to `MAX_INDEXED_CHARACTERS` each. With 2,000 meetings of a
few paragraphs the index of one language takes about 5 MB and a second or three of CPU
to build, most of it rendering markdown, which is therefore remembered from one build
to the next (`_RenderedTexts`); `make bench` prints the figures.
"""

import bisect
import hashlib
import time
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cities.models import City, Mayor
from core.languages import active_language, in_every_language, translated_text
from core.markdown import plain_text
from core.templatetags.portal import date_range
from declarations.models import Declaration, Initiative, Meeting, Team

from .analysers import analyser_for
from .text import MIN_TERM_LENGTH, WORD, fold_word

# A searched text longer than this (about eight pages) is indexed up to here only:
# a pasted book cannot make every search slow or every worker big.
MAX_INDEXED_CHARACTERS = 30_000
MAX_AGE = 600  # seconds
# Rows read at a time: the many kinds (cities, mayors, meetings) are read in chunks, so
# that a build never holds every row of them at once.
CHUNK = 200

# Where in a document a word was found; the ranking weighs them (search/ranking.py).
BODY, KEYWORDS, TITLE = 0, 1, 2
MAX_COUNT = 7  # occurrences in the text counted per word and document (3 bits)


@dataclass
class Document:
    """One searchable object: what is matched and what the result shows."""

    kind: str
    kind_label: str
    url: str
    title: str
    title_language: str
    texts: list = field(default_factory=list)  # (text, language) pairs
    keywords: str = ""  # matched, never shown: the slug, a mayor's office and city, a
    # meeting's place
    names: str = ""  # matched as keywords, and offered by "Did you mean": a city's name
    # in every language
    order: int = 0


KINDS = {
    "declaration": _("Declaration"),
    "city": _("City"),
    "region": _("Region (regional government)"),
    "county": _("County"),
    "mayor": _("Mayor"),
    "team": _("Team"),
    "meeting": _("Meeting"),
    "initiative": _("Initiative"),
}
ORDER = {kind: position for position, kind in enumerate(KINDS)}

CITY_KINDS = {City.Kind.VOIVODESHIP: "region", City.Kind.COUNTY: "county"}
HEAD_LABELS = {
    Mayor.Office.MARSHAL: _("Marshal of the region"),
    Mayor.Office.STAROSTA: _("Head of county"),
    Mayor.Office.WOJT: _("Head of municipality"),
}


class _RenderedTexts:
    """Markdown texts as plain text, remembered from one build of an index to the next.
    Rendering markdown is most of a build's work (a millisecond a text), and after an
    edit all texts but one are as they were. Only the last build's texts are kept."""

    def __init__(self):
        self.previous = {}
        self.current = {}

    def __call__(self, text):
        key = hashlib.blake2b(text.encode(), digest_size=16).digest()
        if key in self.previous:
            plain = self.previous[key]
        else:
            plain = self.current.get(key) or plain_text(text, is_markdown=True)
        self.current[key] = plain
        return plain

    def done(self):
        self.previous, self.current = self.current, {}


_rendered = defaultdict(_RenderedTexts)  # language -> its rendered texts


def _translated(obj, field_name, is_markdown=False):
    text = translated_text(obj, field_name)
    # Cut before rendering too (markdown's marks take room), so that a pasted book
    # costs no more to render than the part of it that is indexed.
    raw = text.text[: 2 * MAX_INDEXED_CHARACTERS]
    if is_markdown and raw:
        return _rendered[active_language()](raw), text.language
    return plain_text(raw), text.language


def in_every_language_values(obj, field_name):
    """The texts of a translated field in every language that has one."""
    return [text for name in in_every_language(field_name) if (text := getattr(obj, name))]


def _document(kind, obj, url, title_field, text_fields, keywords=""):
    title, title_language = _translated(obj, title_field)
    texts = [_translated(obj, name, is_markdown) for name, is_markdown in text_fields]
    # The address names the object too, in the same words in every language: "krakow",
    # "deklaracja ump 2017", "2019 06 lublin".
    slug = obj.slug.replace("-", " ")
    return Document(
        kind=kind,
        kind_label=KINDS[kind],
        url=url,
        title=title,
        title_language=title_language,
        texts=[(text, language) for text, language in texts if text],
        keywords=f"{slug} {keywords}".strip(),
        order=ORDER[kind],
    )


def documents():
    """Every public object, one query per kind, and the moment the next scheduled item
    becomes public (None when nothing is scheduled)."""
    found = []
    scheduled = []

    def public(queryset):
        for obj in queryset:
            if obj.is_public:
                yield obj
            else:
                scheduled.append(obj.published_at)

    for declaration in public(Declaration.objects.published_or_scheduled()):
        found.append(
            _document(
                "declaration",
                declaration,
                declaration.get_absolute_url(),
                "title",
                [("summary", False), ("body", True), ("place", False)],
            )
        )
    for city in City.objects.iterator(chunk_size=CHUNK):
        doc = _document(
            CITY_KINDS.get(city.kind, "city"),
            city,
            city.get_absolute_url(),
            "name",
            [("summary", False), ("description", True), ("integration_office", False)],
        )
        # Its name in every language, so that "Краків" finds Kraków on the Polish page
        # and "Krakow" or "Kraków" on the Ukrainian one.
        doc.names = " ".join(in_every_language_values(city, "name"))
        doc.texts.append((str(city.get_voivodeship_display()), active_language()))
        found.append(doc)
    for mayor in Mayor.objects.select_related("city").iterator(chunk_size=CHUNK):
        city_name, city_language = _translated(mayor.city, "name")
        found.append(
            Document(
                kind="mayor",
                kind_label=HEAD_LABELS.get(mayor.office, KINDS["mayor"]),
                url=mayor.city.get_absolute_url(),
                title=mayor.full_name,
                title_language="",
                texts=[(f"{mayor.get_office_display()}: {city_name}", city_language)],
                # "mayor of Łódź" names the mayor as well as a name does.
                keywords=f"{mayor.get_office_display()} {city_name}",
                order=ORDER["mayor"],
            )
        )
    for team in Team.objects.all():
        found.append(
            _document("team", team, team.get_absolute_url(), "name", [("description", True)])
        )
    meetings = Meeting.objects.published_or_scheduled().select_related("host_city")
    for meeting in public(meetings.iterator(chunk_size=CHUNK)):
        # Where and when identify a meeting as well as its title does ("Warsaw meeting 2017").
        place = [_translated(meeting, "place")[0]]
        if meeting.host_city is not None:
            place.append(_translated(meeting.host_city, "name")[0])
        doc = _document(
            "meeting",
            meeting,
            meeting.get_absolute_url(),
            "title",
            [("theme", False), ("notes", True)],
            keywords=" ".join(place),
        )
        doc.texts.append((date_range(meeting.start_date, meeting.end_date), active_language()))
        found.append(doc)
    for initiative in public(Initiative.objects.published_or_scheduled()):
        found.append(
            _document(
                "initiative",
                initiative,
                initiative.get_absolute_url(),
                "title",
                [("summary", False), ("body", True)],
            )
        )
    _rendered[active_language()].done()
    return found, min(scheduled, default=None)


class Index:
    """The documents of one language and, for each folded word (a "surface"), where it
    occurs, which keys its analysers gave it and the form it is most often written in."""

    def __init__(self, docs, language):
        self.documents = docs
        self.language = language
        self.version = None
        self.next_publication = None
        self.built_at = time.monotonic()
        # surface -> (document ids, and per document `where << 3 | count`)
        self.postings = {}
        # surface -> its analysis keys (folded lemmas or stems), when they are more
        # than the surface itself; key -> the surfaces that have it
        self.keys = {}
        self.surfaces_by_key = {}
        self.display = {}  # surface -> the form written most often ("wroclaw" -> "Wrocław")
        self.title_words = []  # per document: its title's surfaces
        self.sort_titles = [fold_word(doc.title) for doc in docs]  # ties go alphabetically
        self._build()
        self.vocabulary = sorted(self.postings)

    def _build(self):
        default_language = settings.LANGUAGE_CODE
        analysers = {}
        # surface -> (document ids, `where << 3 | count` for each): packed as they grow
        found = defaultdict(lambda: (array("I"), bytearray()))
        forms = defaultdict(Counter)
        keys = defaultdict(set)
        analysed = set()
        for doc_id, doc in enumerate(self.documents):
            # (text, its language, where it is, whether its words may be offered)
            pieces = [(doc.title, doc.title_language or default_language, TITLE, True)]
            pieces.append((doc.keywords, self.language, KEYWORDS, False))
            pieces.append((doc.names, self.language, KEYWORDS, True))
            pieces += [
                (text, language or default_language, BODY, True) for text, language in doc.texts
            ]
            here = {}  # surface -> [where, occurrences in the text]
            for text, language, where, offered in pieces:
                if language not in analysers:
                    analysers[language] = analyser_for(language)
                analyser = analysers[language]
                for word, count in Counter(WORD.findall(text[:MAX_INDEXED_CHARACTERS])).items():
                    if len(word) < MIN_TERM_LENGTH:
                        continue
                    surface = fold_word(word)
                    if offered:  # keywords are never shown, so never the form to offer
                        forms[surface][word] += count
                    entry = here.setdefault(surface, [where, 0])
                    entry[0] = max(entry[0], where)
                    if where == BODY:
                        entry[1] += count
                    if analyser is not None and (language, word) not in analysed:
                        analysed.add((language, word))
                        keys[surface].update(fold_word(lemma) for lemma in analyser(word))
            for surface, (where, count) in here.items():
                doc_ids, entries = found[surface]
                doc_ids.append(doc_id)
                entries.append(where << 3 | min(count, MAX_COUNT))
            self.title_words.append(
                frozenset(surface for surface, (where, _count) in here.items() if where == TITLE)
            )
        for surface, (doc_ids, entries) in found.items():
            self.postings[surface] = (doc_ids, bytes(entries))
            written = forms.get(surface)
            self.display[surface] = written.most_common(1)[0][0] if written else surface
        by_key = defaultdict(list)
        for surface, surface_keys in keys.items():
            surface_keys.discard(surface)
            surface_keys.discard("")
            if surface_keys:
                self.keys[surface] = frozenset(surface_keys)
                for key in surface_keys:
                    by_key[key].append(surface)
        self.surfaces_by_key = {key: tuple(surfaces) for key, surfaces in by_key.items()}

    def is_current(self, version):
        if version is None or version != self.version:
            return False
        if self.next_publication is not None and timezone.now() >= self.next_publication:
            return False
        return time.monotonic() - self.built_at < MAX_AGE

    def with_prefix(self, prefix):
        """The surfaces that start with `prefix`, in alphabetical order."""
        start = bisect.bisect_left(self.vocabulary, prefix)
        end = bisect.bisect_left(self.vocabulary, prefix + "\uffff", lo=start)
        return self.vocabulary[start:end]


_indexes = {}  # language -> Index


def _content_version():
    path = getattr(settings, "SEARCH_CONTENT_VERSION", None)
    return import_string(path)() if path else None


def current_index():
    """The index of the active language, built again when it is out of date."""
    language = active_language()
    version = _content_version()
    index = _indexes.get(language)
    if index is None or not index.is_current(version):
        docs, next_publication = documents()
        index = Index(docs, language)
        index.version = version
        index.next_publication = next_publication
        _indexes[language] = index
    return index


def forget():
    """Drop every kept index: the next search of each language builds its own."""
    _indexes.clear()
