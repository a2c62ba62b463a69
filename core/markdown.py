"""Markdown for long text fields, rendered to HTML and sanitised with nh3.

Editors write markdown; whatever they paste, no script, event handler, style or
`javascript:` URL reaches a visitor, because nh3 keeps only the tags and attributes
listed here and only http(s)/mailto/tel links. Polish text gets its no-break spaces
after one-letter words here, as it is rendered (`core/typography.py`).
"""

import html

import markdown as markdown_lib
import nh3
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .typography import bind_single_letters_html

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


class MarkdownField(models.TextField):
    """A text field whose text is markdown, which pages render with `render_markdown`.
    The admin says so beside it and shows a preview (`core.admin_forms`)."""


def render_markdown(text, language=None):
    """Return safe HTML for `text` written in markdown (in `language`, when known)."""
    if not text:
        return ""
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    if language == "pl":
        html = bind_single_letters_html(html)
    return mark_safe(html)  # noqa: S308 - the HTML has just been sanitised by nh3.


def plain_text(text, is_markdown=False):
    """Text as a reader sees it: markdown rendered, tags removed, spaces collapsed."""
    if is_markdown:
        text = html.unescape(strip_tags(render_markdown(text)))
    return " ".join(text.split())


def summary_text(text, words):
    """`text` without tags, its spaces collapsed, cut after `words` words: for
    descriptions in a page's metadata."""
    return Truncator(" ".join(strip_tags(text).split())).words(words)
