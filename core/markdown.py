"""Markdown for long text fields, rendered to HTML and sanitised with nh3.

Editors write markdown; whatever they paste, no script, event handler, style or
`javascript:` URL reaches a visitor, because nh3 keeps only the tags and attributes
listed here and only http(s)/mailto/tel links. Polish text gets its no-break spaces
after one-letter words here, as it is rendered (`core/typography.py`).

Rendering a long text costs milliseconds, so a model with markdown fields renders
them when it is saved (`StoresRenderedMarkdown`), in every language, and pages read
the stored HTML. Each stored piece carries a digest of its source: a text changed
without `save()` (a queryset update, a raw import) or stored by an older renderer
is rendered on the fly instead, so a page never shows HTML of another text.
"""

import hashlib
import html

import markdown as markdown_lib
import nh3
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .languages import language_codes
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


# Part of every digest: change it when render_markdown's output changes, and every
# stored piece is rendered again on the fly until its object is saved.
RENDERER = "markdown-extra-nh3-polish-typography-1"


def _digest(text):
    return hashlib.blake2b(f"{RENDERER}\n{text}".encode(), digest_size=12).hexdigest()


def rendered_markdown_of(obj, field_names):
    """{field: {language: [digest, html]}} for the translated `field_names` of `obj`
    (also used by data migrations, on historical models)."""
    languages = language_codes()
    stored = {}
    for name in field_names:
        texts = {code: getattr(obj, f"{name}_{code}", "") or "" for code in languages}
        stored[name] = {
            code: [_digest(text), str(render_markdown(text, language=code))]
            for code, text in texts.items()
            if text
        }
    return stored


class StoresRenderedMarkdown(models.Model):
    """A model whose `markdown_fields` (translated) are rendered once, on save."""

    markdown_fields = ()

    rendered_markdown = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.rendered_markdown = rendered_markdown_of(self, self.markdown_fields)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "rendered_markdown"}
        super().save(*args, **kwargs)

    def markdown_html(self, field_name, text):
        """Safe HTML of `text`, the text of `field_name` in `text.language` (a
        `core.languages.TranslatedText`): the stored rendering when it is of this
        very text, else rendered now."""
        stored = (self.rendered_markdown or {}).get(field_name, {}).get(text.language)
        if stored and stored[0] == _digest(text.text):
            return mark_safe(stored[1])  # noqa: S308 - sanitised by render_markdown on save.
        return render_markdown(text.text, language=text.language)


def plain_text(text, is_markdown=False):
    """Text as a reader sees it: markdown rendered, tags removed, spaces collapsed."""
    if is_markdown:
        text = html.unescape(strip_tags(render_markdown(text)))
    return " ".join(text.split())


def summary_text(text, words):
    """`text` without tags, its spaces collapsed, cut after `words` words: for
    descriptions in a page's metadata."""
    return Truncator(" ".join(strip_tags(text).split())).words(words)
