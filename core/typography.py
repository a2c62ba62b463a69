"""How texts are set for reading: Polish one-letter words kept with the next word,
excerpts that end at a sentence or a word and never inside a quotation, and short
names taken from a title's quotation marks.

Polish typesetting keeps the one-letter words "a", "i", "o", "u", "w", "z" (and
their capitals) off the end of a line. Editors type ordinary spaces; a no-break
space (U+00A0) goes after such a word when the text is rendered (the template tags
and markdown rendering of `core`), so content stays plain text in the database and
in the open data.

Kept by hand, not taken from a package: the no-break rule is four lines and the
one typography package for Python that knows it (typus) is unmaintained; the
excerpt must understand Polish quotation marks („…”), which Django's `Truncator`
does not.
"""

import re

from core.text import fold

NBSP = "\u00a0"
# The word and a no-break space instead of the spaces after it.
_BOUND = r"\1" + NBSP

# A one-letter word: at the start, or after a space, an opening bracket or quote,
# followed by spaces and then more text. In plain text only spaces are bound (a
# line break stays one); in HTML a line break is a space too.
_SINGLE_LETTER = re.compile(r"(?<![^\s(\[„“\"'«\u2014\u2013-])([aiouwzAIOUWZ]) +(?=\S)")
# In HTML, a one-letter word in the text between tags: it may also follow a tag
# (">"), must be followed by a word rather than a tag, and must not stand inside a
# tag, which the next angle bracket tells: "<" rather than ">" (Django escapes both
# in attribute values and in text). This runs over every Polish page, so it is one
# pass of the regular-expression engine with no Python call per tag, and it matches
# the letter before looking at what precedes it (a look-behind tried first, at every
# position, costs twice as much).
_SINGLE_LETTER_HTML = re.compile(
    r"([aiouwzAIOUWZ])(?<![^\s(\[„“\"'«\u2014\u2013>-][aiouwzAIOUWZ])[ \n]+"
    r"(?=[^\s<])(?=[^<>]*(?:<|\Z))"
)
# Elements whose text is not prose: left as it is.
_RAW = re.compile(r"<(script|style|pre|code|textarea)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)

QUOTE_PAIRS = {"„": "”", "“": "”", "«": "»", '"': '"'}
_QUOTED = re.compile(r"„[^”]+”|“[^”]+”|«[^»]+»|\"[^\"]+\"")
# The end of a sentence: not followed by a lower-case word ("2017 r. podczas"), and
# not an abbreviation that may stand before a name ("ds. Migracji", "e.g. IOM").
_SENTENCE_END = re.compile(
    r"(?<!\bds)(?<!\bnp)(?<!\btzw)(?<!\bin)(?<!\bul)(?<!\bśw)(?<!\bprof)(?<!\bi\.e)"
    r"(?<!\be\.g)(?<!\betc)[.!?…][”»\")]*(?=\s*$|\s+(?![a-ząćęłńóśźż]))"
)
ELLIPSIS = "…"


def bind_single_letters(text):
    """Plain text with a no-break space after each Polish one-letter word."""
    return _SINGLE_LETTER.sub(_BOUND, text) if text else text


def bind_single_letters_html(html):
    """The same in HTML: only the text between tags changes, never a tag, an
    attribute or the content of `<script>`, `<style>`, `<pre>`, `<code>`. The HTML
    must have `<` and `>` escaped in its text and attribute values, as Django's
    templates, nh3 and the markdown renderer write it."""
    if not html:
        return html
    parts = []
    position = 0
    for raw in _RAW.finditer(html):
        parts.append(_SINGLE_LETTER_HTML.sub(_BOUND, html[position : raw.start()]))
        parts.append(raw[0])
        position = raw.end()
    parts.append(_SINGLE_LETTER_HTML.sub(_BOUND, html[position:]))
    return "".join(parts)


def _words(text):
    return re.findall(r"\w+", fold(text))


def repeats(text, title):
    """Whether `text` says little more than `title`: at most two of its words are
    not in the title (a card whose summary only repeats its title shows none)."""
    title_words = set(_words(title))
    return len([word for word in _words(text) if word not in title_words]) <= 2


def without_title(text, title):
    """`text` without a first sentence that is only the title."""
    sentence = _SENTENCE_END.search(text)
    if sentence and title and repeats(text[: sentence.end()], title):
        return text[sentence.end() :].strip()
    return text


def _open_quote_at(text, end):
    """Where the quotation left open at `end` starts, or None. Quotations inside
    a quotation are part of it."""
    opened_at, closing = None, None
    for position, char in enumerate(text[:end]):
        if opened_at is None and char in QUOTE_PAIRS:
            opened_at, closing = position, QUOTE_PAIRS[char]
        elif opened_at is not None and char == closing:
            opened_at = None
    return opened_at


def excerpt(text, words):
    """The start of `text`, about `words` words long: cut after the last whole
    sentence that fits, else after a word, and never inside a quotation (the cut
    moves before it, or after it when it opens the text). "…" marks a cut inside
    a sentence."""
    text = " ".join(text.split())
    spans = list(re.finditer(r"\S+", text))
    if len(spans) <= words:
        return text
    limit = spans[words - 1].end()
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= limit]
    # A sentence that ends past a third of the allowance is a good place to stop.
    if sentence_ends and sentence_ends[-1] >= limit // 3:
        cut = sentence_ends[-1]
        if _open_quote_at(text, cut) is None:
            return text[:cut]
    cut = limit
    opening = _open_quote_at(text, cut)
    if opening is not None:
        if text[:opening].strip():
            cut = opening
        else:
            closing = text.find(QUOTE_PAIRS[text[opening]], opening + 1)
            cut = closing + 1
    shortened = text[:cut].rstrip(" ,;:\u2013\u2014-(")
    return shortened if shortened == text else shortened + ELLIPSIS


def card_summary(text, title, words):
    """The summary a card shows under its title: none when it only repeats the
    title, without a first sentence that is the title, cut by `excerpt`."""
    text = " ".join((text or "").split())
    if not text or repeats(text, title):
        return ""
    return excerpt(without_title(text, title), words)


def quoted_name(title):
    """The name in quotation marks in `title` ("Declaration … „Friendly Pomerania”"
    gives "„Friendly Pomerania”"), or "" when it has none."""
    match = _QUOTED.search(title or "")
    return match[0] if match else ""
