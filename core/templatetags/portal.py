"""Template tags of the public pages: translated text with its fallback marked,
markdown, date ranges, navigation state and absolute URLs for `hreflang`.

Every translated field a page shows goes through `translated` (inline: titles,
names) or `translated_block` (paragraphs, markdown). When the active language has
no text of its own, both show the Polish text inside `lang="pl"` with a short
notice, so readers and screen readers know (docs/ARCHITECTURE.md, "Languages").
"""

import re
from dataclasses import replace

from django import template
from django.conf import settings
from django.utils import dateformat
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from core.languages import active_language, translated_text
from core.markdown import render_markdown

register = template.Library()

# One long date format for every language: "12 June 2019", "12 czerwca 2019",
# "12 червня 2019". "E" is the month name as it stands after a day number (the
# genitive in Polish and Ukrainian, from Django's catalogues).
LONG_DATE = "j E Y"
EN_DASH = "\u2013"
DAY_MONTH = "j E"


@register.filter
def markdown(text):
    """Markdown rendered to HTML and sanitised (see core.markdown)."""
    return render_markdown(text)


@register.simple_tag
def translated(obj, field_name, notice=True):
    """The text of a translated field, inline (titles, names).

    When it fell back to Polish the text is wrapped in `<span lang="pl">`, followed
    by a short "(in Polish)" note unless `notice=False` (for places where the
    block below already carries the notice, such as a page heading).
    """
    text = translated_text(obj, field_name)
    if not text.is_fallback:
        return text.text
    if not notice:
        return format_html('<span lang="{}">{}</span>', text.language, text.text)
    return format_html(
        '<span lang="{}">{}</span> <span class="fallback-note">({})</span>',
        text.language,
        text.text,
        gettext("in Polish"),
    )


@register.inclusion_tag("includes/translated_block.html")
def translated_block(obj, field_name, plain=False, css_class="prose", words=None, demote=False):
    """A translated field as a block: markdown, or plain text with its line breaks
    kept (`plain=True`), with the fallback notice when it fell back. `words`
    shortens a plain text to that many words (for cards that link to the page).
    `demote=True` moves the markdown's headings one level down, for a block that
    stands under a page's own <h2> ("Full text", "Notes"), so headings stay in order."""
    text = translated_text(obj, field_name)
    if words and plain:
        text = replace(text, text=Truncator(text.text).words(words))
    if plain:
        # linebreaks() escapes the text itself (autoescape=True) before adding <p>/<br>.
        html = mark_safe(linebreaks(text.text, autoescape=True))  # noqa: S308
    else:
        html = render_markdown(text.text)
        if demote:
            html = demote_headings(html)
    return {"text": text, "html": html, "css_class": css_class}


HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")


def demote_headings(html):
    """<h2> becomes <h3>, and so on. Safe on sanitised HTML: only tag names change."""
    return mark_safe(  # noqa: S308 - `html` was sanitised by render_markdown.
        HEADING_TAG.sub(lambda match: f"<{match[1]}h{int(match[2]) + 1}", html)
    )


@register.inclusion_tag("includes/text_origin.html")
def text_origin_notice(obj, field_name="body"):
    """Whether the text of `field_name` as shown is the original, an official
    version or the editors' translation. Nothing when the text fell back to
    Polish: the fallback notice of the block already says what is shown."""
    text = translated_text(obj, field_name)
    if not text or text.is_fallback:
        return {"origin": None}
    return {
        "origin": obj.text_origin(text.language),
        "original_language_name": obj.get_original_language_display(),
    }


# Alphabetical order for the page's language. Polish order also serves English names:
# "Łódź" after "Lublin", not after "Wrocław" as a byte-wise database collation would put
# it. Ukrainian names are Cyrillic, in the Ukrainian alphabet's order (ґ after г, є after
# е, і and ї after и), with any name shown in Polish (a fallback) after them. Ours, not
# PyICU (the ICU library built on the machine) nor locale.strxfrm (the locales it has).
POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
ALPHABETS = {"uk": UKRAINIAN_ALPHABET + POLISH_ALPHABET}
_LETTER_RANKS = {
    alphabet: {letter: rank for rank, letter in enumerate(alphabet)}
    for alphabet in (POLISH_ALPHABET, *ALPHABETS.values())
}


def sort_key(text, language="pl"):
    """`text`'s place in alphabetical order for `language` (Polish order by default);
    a character outside the alphabet sorts after its letters, by code point."""
    alphabet = ALPHABETS.get(language, POLISH_ALPHABET)
    ranks = _LETTER_RANKS[alphabet]
    return [ranks.get(char, len(alphabet) + ord(char)) for char in text.lower()]


@register.filter
def collate(items, attribute="name"):
    """`items` in the alphabetical order of the active language (`sort_key`) by
    `attribute` (a dotted path, read in the active language, e.g. "city.name").
    Sorting here, where the names are shown, gives the same order on SQLite and
    PostgreSQL whatever their collation."""
    language = active_language()

    def key(item):
        value = item
        for part in attribute.split("."):
            value = getattr(value, part, "")
        return sort_key(str(value or ""), language)

    return sorted(items, key=key)


@register.simple_tag
def date_range(start, end=None):
    """A date range for the active language, joined with an en dash:
    "12-13 June 2019", "29 June - 1 July 2017", "30 December 2019 - 2 January 2020"
    (en dashes where these show hyphens); a single date when there is no end or
    it equals the start."""
    if not start:
        return ""
    if not end or end == start:
        return dateformat.format(start, LONG_DATE)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{dateformat.format(end, LONG_DATE)}"
    first = dateformat.format(start, DAY_MONTH if start.year == end.year else LONG_DATE)
    return f"{first} {EN_DASH} {dateformat.format(end, LONG_DATE)}"


@register.simple_tag(takes_context=True)
def nav_current(context, list_view, *section_views):
    """` aria-current="page"` on the link to the page being shown, and
    ` aria-current="true"` when the page belongs to that link's section (a detail
    page under its list). Nothing on pages rendered without a request (500)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == list_view:
        return mark_safe(' aria-current="page"')
    if match.view_name in section_views:
        return mark_safe(' aria-current="true"')
    return ""


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`url` made absolute with the request's scheme and host (hreflang links
    must be absolute); left as it is when there is no request."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.filter
def default_language_url(alternates):
    """From the `language_alternates` list, the URL in the default language
    (Polish): the `x-default` alternate."""
    for alternate in alternates or ():
        if alternate["code"] == settings.LANGUAGE_CODE:
            return alternate["url"]
    return ""
