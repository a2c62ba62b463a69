"""Template tags of the public pages: translated text with its fallback marked,
markdown, card summaries, Polish typography, date ranges, navigation state,
absolute URLs for `hreflang`, `{% url %}` with the reversal of a name without
arguments remembered (`core/urls.py`): a template that loads this library gets it in
place of Django's built-in tag, and `{% constant %}`, a fragment rendered once per
process (the header and the footer).

Every translated field a page shows goes through `translated` (inline: titles,
names) or `translated_block` (paragraphs, markdown). When the active language has
no text of its own, both show the Polish text inside `lang="pl"` with a short
notice, so readers and screen readers know (docs/ARCHITECTURE.md, "Languages").
Polish text gets a no-break space after each one-letter word as it is rendered
(`core/typography.py`): by these tags for the content, by the `polish_typography`
filter for a whole Polish page.
"""

import re
from dataclasses import replace

from django import template
from django.conf import settings
from django.template import defaulttags
from django.utils import dateformat
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.languages import active_language, translated_text
from core.markdown import render_markdown
from core.typography import bind_single_letters, bind_single_letters_html, card_summary
from core.urls import cached_reverse

register = template.Library()

# One long date format for every language: "12 June 2019", "12 czerwca 2019",
# "12 червня 2019". "E" is the month name as it stands after a day number (the
# genitive in Polish and Ukrainian, from Django's catalogues).
LONG_DATE = "j E Y"
EN_DASH = "\u2013"
DAY_MONTH = "j E"


def _typeset(text):
    """The text of a `TranslatedText`, with Polish one-letter words bound."""
    return bind_single_letters(text.text) if text.language == "pl" else text.text


def inline_text(text, notice=True):
    """A `TranslatedText` inline (titles, names).

    When it fell back to Polish the text is wrapped in `<span lang="pl">`, followed
    by a short "(in Polish)" note unless `notice=False` (for places where the
    block below already carries the notice, such as a page heading).
    """
    if not text.is_fallback:
        return _typeset(text)
    if not notice:
        return format_html('<span lang="{}">{}</span>', text.language, _typeset(text))
    return format_html(
        '<span lang="{}">{}</span> <span class="fallback-note">({})</span>',
        text.language,
        _typeset(text),
        gettext("in Polish"),
    )


@register.filter
def markdown(text):
    """Markdown rendered to HTML and sanitised (see core.markdown)."""
    return render_markdown(text, language=active_language())


@register.filter(is_safe=True)
def polish_typography(html):
    """A rendered page or part of one, with Polish one-letter words bound to the
    next word (on Polish pages only): `{% filter polish_typography %}`."""
    if active_language() != "pl":
        return html
    return mark_safe(bind_single_letters_html(html))  # noqa: S308 - only spaces change.


@register.simple_tag
def translated(obj, field_name, notice=True):
    """The text of a translated field, inline (see `inline_text`)."""
    return inline_text(translated_text(obj, field_name), notice)


@register.simple_tag
def inline(text, notice=True):
    """A `TranslatedText` a model made (e.g. `{% inline declaration.short_name %}`),
    inline, marked like `translated`."""
    return inline_text(text, notice)


@register.simple_tag
def translated_block(obj, field_name, plain=False, css_class="prose", demote=False):
    """A translated field as a block: markdown, or plain text with its line breaks
    kept (`plain=True`), with the fallback notice when it fell back.
    `demote=True` moves the markdown's headings one level down, for a block that
    stands under a page's own <h2> ("Full text", "Notes"), so headings stay in order."""
    text = translated_text(obj, field_name)
    if not text:
        return ""
    if plain:
        # linebreaks() escapes the text itself (autoescape=True) before adding <p>/<br>.
        html = mark_safe(linebreaks(_typeset(text), autoescape=True))  # noqa: S308
    else:
        stored = getattr(obj, "markdown_html", None)
        html = (
            stored(field_name, text)
            if stored
            else render_markdown(text.text, language=text.language)
        )
        if demote:
            html = demote_headings(html)
    return block(text, html, css_class)


def block(text, html, css_class):
    """`html`, the text of `text` (a `TranslatedText`), as a block; when it fell back
    to Polish, inside `lang="pl"` after a notice. Written with format_html rather
    than a template: pages show a dozen blocks."""
    if not text:
        return ""
    if not text.is_fallback:
        return format_html('<div class="{}">{}</div>\n', css_class, html)
    return format_html(
        '<div class="fallback">\n  <p class="fallback__notice">{}</p>\n'
        '  <div class="{}" lang="{}">{}</div>\n</div>\n',
        # Translators: name the language of this catalogue: the page is in it, and
        # this text has no version in it.
        gettext("This text is not available in English yet; it is shown in Polish."),
        css_class,
        text.language,
        html,
    )


@register.simple_tag
def summary(obj, field_name, words, title_field="title", css_class="card__text"):
    """The summary of a card that links to its page: the plain text of
    `field_name`, cut to about `words` words at a sentence or a word, never inside
    a quotation, and left out when it only repeats the card's title
    (`core.typography.card_summary`)."""
    text = translated_text(obj, field_name)
    title = translated_text(obj, title_field).text
    text = replace(text, text=card_summary(text.text, title, words))
    html = mark_safe(linebreaks(_typeset(text), autoescape=True))  # noqa: S308
    return block(text, html, css_class)


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


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context):
        url = cached_reverse(self.view_name.resolve(context))
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's `{% url %}`; a name without arguments, the navigation's and the
    footer's dozen links on every page, is reversed once per language."""
    node = defaulttags.url(parser, token)
    if node.args or node.kwargs or node.asvar:
        return node
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


# Rendered constant fragments by (name, language, vary values): a few dozen at most.
_constant_fragments = {}
MAX_CONSTANT_FRAGMENTS = 500


class ConstantNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        key = (self.name, get_language(), *(value.resolve(context) for value in self.vary))
        html = _constant_fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_constant_fragments) < MAX_CONSTANT_FRAGMENTS:
                _constant_fragments[key] = html
        return html


@register.tag
def constant(parser, token):
    """`{% constant "name" value ... %}...{% endconstant %}`: the enclosed markup,
    rendered once per process for each language and each combination of the
    values given (the view's name, for the navigation's current link), then
    reused. For markup that depends on nothing else: no content from the
    database, no request but those values. The header and the footer are the same
    on every page of a language, and rendering them cost about a millisecond a page.
    """
    name, *vary = token.split_contents()[1:]
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    return ConstantNode(nodelist, name, [parser.compile_filter(value) for value in vary])
