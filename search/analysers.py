"""Language analysers: the dictionary forms (or stems) of a word, chosen per language code.

Polish changes the ends of words: a visitor looking for Kraków types "Krakowie", for
migrants "migrantów" or "migranci". The search therefore compares words by what an
analyser of their language makes of them, for the indexed text and the query alike
(`search/index.py`, `search/ranking.py`). `settings.SEARCH_ANALYSERS` maps a language
code to the dotted path of an analyser; a language with none (or a word an analyser
does not know) is matched by its folded form alone (`core.text.fold`), so adding a
language to `LANGUAGES` never breaks the search, it only matches less loosely until
an analyser is named for it.

An analyser is a callable: a word in, a set of strings out (lemmas or stems, in any
case and with diacritics; the caller folds them). An empty set means "unknown word".
It may also tell function words (`is_function_word(word)`): a query's "we" or "dla"
then does not have to occur in what it finds (`search/ranking.py`).

Why these packages (compared on the portal's own words, June 2026):

- Polish: **morfeusz2** (Morfeusz 2 with the SGJP dictionary inside the wheel, from the
  Institute of Computer Science of the Polish Academy of Sciences; BSD licence; wheels
  on PyPI). It is a morphological analyser: it knows every inflected form of the
  dictionary's words, proper names included, and returns every lemma a form may have
  ("Krakowie" -> Kraków, "Łodzi" -> Łódź, "Lublinie" -> Lublin, "migranci" and
  "migrantów" -> migrant, "uchodźców" -> uchodźca). It loads in a tenth of a second
  and holds about 33 MB per process with the generator left out.
  - simplemma (dictionary lemmatiser for 50 languages) gave equally good Polish lemmas
    but one wrong one on our words ("Lublinie" -> Lublino), took 28 s to load and
    400 MB of memory for Polish and English: far over the 120 MB a worker may use.
  - pystempel (the Stempel stemmer) is light but guesses: "Krakowie" -> "Kraka",
    "Kraków" -> "Krak", "Gdańsku" unchanged, "Szczecin" -> "Szczecina"; place names,
    the words visitors type most, do not meet.
  - Snowball's Polish stemmer (PyStemmer) is tiny and fast, but "Kraków" -> "krak"
    while "Krakowie" -> "krakow", and "migranci" -> "migranc" while "migrantów" ->
    "migrant": the issue's own examples fail.
- Ukrainian: **pymorphy3** with **pymorphy3-dicts-uk** (the morphological analyser
  pymorphy2's maintained fork, with the dictionary of the Ukrainian language project
  LanguageTool/VESUM in its own wheel; MIT): like Morfeusz for Polish, it returns the
  lemmas a form may have ("Кракові" -> Краків, "мігрантів" -> мігрант, "біженців" ->
  біженець, "Любліні" -> Люблін), loads in a tenth of a second and holds a few MB.
  Snowball has no Ukrainian stemmer, and simplemma's lemmas cost its load time again.
- English: **Snowball's English (Porter 2) stemmer through PyStemmer** (C, MIT/BSD,
  no data to load): plurals and common endings meet ("cities"/"city", "meetings"/
  "meeting", "integrating"/"integration"), which is what PostgreSQL and Lucene use for
  English search. The same package has stemmers for 30-odd other languages, which a
  new language may name here (`SnowballStems("russian")`).
"""

import threading
import unicodedata
from functools import lru_cache

import morfeusz2
import pymorphy3
import Stemmer
from django.conf import settings
from django.utils.module_loading import import_string


class MorfeuszLemmas:
    """Every lemma Morfeusz 2 (SGJP dictionary) gives for a Polish word form, and
    whether the form can be a function word (a preposition such as "we", a conjunction,
    a particle, a pronoun), which a query may hold without meaning it."""

    # Morfeusz's classes of the words that carry no subject of their own.
    FUNCTION_CLASSES = frozenset({"prep", "conj", "comp", "part", "qub", "ppron12", "ppron3"})

    def __init__(self):
        self._morfeusz = None
        # The analyser is one C++ object; `runserver` serves requests in threads.
        self._lock = threading.Lock()

    @lru_cache(maxsize=20_000)  # noqa: B019 - one instance per process, kept for its life
    def _analyse(self, word):
        with self._lock:
            if self._morfeusz is None:
                # Loaded on first use, not at import: commands that never search pay nothing.
                self._morfeusz = morfeusz2.Morfeusz(generate=False, expand_tags=False)
            interpretations = self._morfeusz.analyse(word)
        # (start, end, (form, lemma, tag, ...)); an unknown word has the tag "ign". A
        # lemma may carry a homonym mark after a colon ("Krak:Sm1").
        lemmas = set()
        classes = set()
        for _start, _end, (_form, lemma, tag, *_rest) in interpretations:
            if tag != "ign":
                lemmas.add(lemma.split(":", 1)[0])
                classes.add(tag.split(":", 1)[0])
        return frozenset(lemmas), bool(classes & self.FUNCTION_CLASSES)

    def __call__(self, word):
        return self._analyse(word)[0]

    def is_function_word(self, word):
        return self._analyse(word)[1]


class PymorphyLemmas:
    """Every lemma pymorphy3 gives for a word of `language` (its dictionary installed
    as `pymorphy3-dicts-<language>`), and whether the form can be a function word."""

    FUNCTION_CLASSES = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ"})

    def __init__(self, language):
        self.language = language
        self._analyser = None
        self._lock = threading.Lock()

    @lru_cache(maxsize=20_000)  # noqa: B019 - one instance per process, kept for its life
    def _analyse(self, word):
        with self._lock:
            if self._analyser is None:
                self._analyser = pymorphy3.MorphAnalyzer(lang=self.language)
            parses = self._analyser.parse(word)
        # A word the dictionary does not know is guessed from its ending ("FakeDictionary"
        # parses): not a lemma to match by.
        known = [parse for parse in parses if parse.is_known]
        lemmas = frozenset(parse.normal_form for parse in known)
        return lemmas, any(parse.tag.POS in self.FUNCTION_CLASSES for parse in known)

    def __call__(self, word):
        return self._analyse(word)[0]

    def is_function_word(self, word):
        return self._analyse(word)[1]


class SnowballStems:
    """The Snowball stem of a word, for one of the algorithms PyStemmer ships."""

    def __init__(self, algorithm):
        self.algorithm = algorithm
        self._stemmers = threading.local()  # a PyStemmer object is not thread-safe

    def __call__(self, word):
        stemmer = getattr(self._stemmers, "stemmer", None)
        if stemmer is None:
            stemmer = self._stemmers.stemmer = Stemmer.Stemmer(self.algorithm)
        return {stemmer.stemWord(word.lower())}


polish = MorfeuszLemmas()
ukrainian = PymorphyLemmas("uk")
english = SnowballStems("english")


def analyser_for(language):
    """The analyser named for `language` in settings.SEARCH_ANALYSERS, or None."""
    path = getattr(settings, "SEARCH_ANALYSERS", {}).get(language)
    return import_string(path) if path else None


def script_language(word):
    """The language `settings.SEARCH_SCRIPT_LANGUAGES` gives for the script of `word`'s
    first letter ("Кракові" -> "uk"), or None."""
    first = next((character for character in word if character.isalpha()), None)
    if first is None:
        return None
    script = unicodedata.name(first, "").split(" ", 1)[0]
    return getattr(settings, "SEARCH_SCRIPT_LANGUAGES", {}).get(script)
