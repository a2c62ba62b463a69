"""What a page's head tells search engines, feed readers and social sites.

`templates/includes/head_meta.html` (included once in `base.html`'s head) uses
`{% page_meta as meta %}` for:

- the canonical URL (the page's own address, without a query string);
- Open Graph tags: title, description, type, URL, site name, locale and image,
  with the image's size, type and text alternative: the page's object gives its
  own picture (`City.share_image`, the coat of arms), else the portal's share
  image (`static/img/share.png`, 1200 by 630 pixels, made for the portal);
- schema.org JSON-LD where it fits: the page's object gives its own (`json_ld()`
  of `Declaration`, `Meeting`, `Initiative` and `City`), the home page `WebSite`
  with the search. This module only assembles what the models give. It is a
  `<script type="application/ld+json">` data block, which browsers never execute,
  so the Content-Security-Policy (no inline script) does not apply to it and no
  nonce is needed; its JSON is escaped so no `</script>` can end it;
- `<link rel="alternate">` to the Atom feeds and the calendar on the pages they
  belong to;
- `<meta name="deklaracja-dostępności">` pointing to the accessibility statement.

`{% page_description %}` is the default of `base.html`'s `meta_description` block:
the description of the page's object, of its list, or of the site.

Titles and descriptions come from the object the view put in the context
(`object`, or `team` on the Team page) in the active language with the Polish
fallback, or, for pages with no object, from `PAGES` by URL name.
"""

import json
from dataclasses import replace

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.images import ShareImage
from core.languages import active_language, translated_text
from core.markdown import summary_text

register = template.Library()

SITE_NAME = _("UMP Migration Portal")
SITE_DESCRIPTION = _(
    "The 2017 declaration of mayors of the Union of Polish Metropolises on migration, "
    "the cities that signed it, the UMP Team for Migration and Integration and its "
    "initiatives."
)
SITE_IMAGE = "img/share.png"
SITE_IMAGE_SIZE = (1200, 630)
SITE_IMAGE_ALT = _(
    "UMP Migration Portal: Polish cities working together on migration, over a map of "
    "Poland with the cities that signed the 2017 declaration."
)
DESCRIPTION_WORDS = 40

# Pages without an object of their own: (title, description) by URL name.
PAGES = {
    "home": (SITE_NAME, SITE_DESCRIPTION),
    "declarations:declaration_list": (
        _("Declarations"),
        _(
            "Declarations of Polish cities and regions on migration and integration, with "
            "their full texts and signatories."
        ),
    ),
    "cities:city_list": (
        _("Cities"),
        _(
            "The cities and regions on the portal: their mayors, the declarations they "
            "signed or did not sign, and where migrants can turn for help."
        ),
    ),
    "declarations:meeting_list": (
        _("Meetings"),
        _(
            "Meetings of the UMP Team for Migration and Integration and related "
            "conferences, with their themes, notes and documents."
        ),
    ),
    "declarations:initiative_list": (
        _("Initiatives"),
        _(
            "Programmes and projects that grew from the cooperation of Polish cities on "
            "migration and integration."
        ),
    ),
    "search:search": (
        pgettext_lazy("page heading", "Search"),
        _(
            "Search the declarations, cities, mayors, meetings and initiatives on the UMP "
            "Migration Portal."
        ),
    ),
    "open_data:index": (
        _("Open data"),
        _(
            "The cities, meetings, declarations and signatories of the UMP Migration Portal "
            "as JSON and CSV files, free to reuse."
        ),
    ),
    "accessibility": (
        _("Accessibility statement"),
        _(
            "How accessible the UMP Migration Portal is, what is not accessible yet, and "
            "how to ask for content in an accessible form."
        ),
    ),
}

MEETING_FEEDS = ("declarations:meeting_feed", "declarations:meeting_calendar")
FEEDS_BY_PAGE = {
    "home": (
        "declarations:meeting_feed",
        "declarations:declaration_feed",
        "declarations:meeting_calendar",
    ),
    "declarations:meeting_list": MEETING_FEEDS,
    "declarations:meeting_detail": MEETING_FEEDS,
    "declarations:team": MEETING_FEEDS,
    "declarations:declaration_list": ("declarations:declaration_feed",),
    "declarations:declaration_detail": ("declarations:declaration_feed",),
}
FEEDS = {
    "declarations:meeting_feed": (_("Meetings (Atom feed)"), "application/atom+xml"),
    "declarations:declaration_feed": (_("Declarations (Atom feed)"), "application/atom+xml"),
    "declarations:meeting_calendar": (_("The Team's meetings (iCalendar)"), "text/calendar"),
}

TITLE_FIELDS = ("title", "name")
DESCRIPTION_FIELDS = ("summary", "theme", "description")


def _view_name(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def _page_object(context):
    obj = context.get("object")
    if obj is None and _view_name(context) == "declarations:team":
        obj = context.get("team")
    return obj


def _field_text(obj, field_names):
    for name in field_names:
        if hasattr(obj, f"{name}_{settings.LANGUAGE_CODE}"):
            text = translated_text(obj, name).text
            if text:
                return text
    return ""


def _plain(text, words=DESCRIPTION_WORDS):
    return summary_text(text, words)


def page_title(context):
    obj = _page_object(context)
    if obj is not None:
        title = _field_text(obj, TITLE_FIELDS)
        if title:
            return title
    return str(PAGES.get(_view_name(context), (SITE_NAME, None))[0])


@register.simple_tag(takes_context=True)
def page_description(context):
    """The page's description: its object's summary, its list's, or the site's."""
    obj = _page_object(context)
    if obj is not None:
        text = _field_text(obj, DESCRIPTION_FIELDS)
        if text:
            return _plain(text)
    return str(PAGES.get(_view_name(context), (None, SITE_DESCRIPTION))[1])


def _json_ld_script(data):
    """The data in a `<script type="application/ld+json">`: Django's `json_script`
    writes `application/json` only."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    # Nothing in the data can close the element or open a comment.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def _website_json_ld(request):
    search_url = request.build_absolute_uri(reverse("search:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": str(SITE_NAME),
        "url": request.build_absolute_uri(reverse("home")),
        "inLanguage": active_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{query}}"},
            "query-input": "required name=query",
        },
    }


def json_ld(context, url):
    """The page's schema.org data, or None where no type fits."""
    view_name = _view_name(context)
    obj = _page_object(context)
    if obj is not None and hasattr(obj, "json_ld"):
        return obj.json_ld(url)
    if view_name == "home":
        return _website_json_ld(context["request"])
    return None


def share_image(context):
    """The page's picture for social sites: its object's own, or the portal's."""
    image = getattr(_page_object(context), "share_image", None)
    if image is None:
        image = ShareImage(static(SITE_IMAGE), *SITE_IMAGE_SIZE, "image/png", str(SITE_IMAGE_ALT))
    request = context["request"]
    return replace(image, url=request.build_absolute_uri(image.url))


@register.simple_tag(takes_context=True)
def page_meta(context):
    """Everything `includes/head_meta.html` writes; nothing without a request (500)."""
    request = context.get("request")
    if request is None:
        return None
    view_name = _view_name(context)
    # A page that matched no URL (404) has no canonical address.
    matched = getattr(request, "resolver_match", None) is not None
    canonical = request.build_absolute_uri(request.path) if matched else ""
    language = active_language()
    data = json_ld(context, canonical)
    obj = _page_object(context)
    return {
        "canonical": canonical,
        "title": page_title(context),
        "description": page_description(context),
        "type": "article" if view_name == "declarations:declaration_detail" else "website",
        "site_name": SITE_NAME,
        "locale": settings.OG_LOCALES.get(language, language),
        "alternate_locales": [
            settings.OG_LOCALES.get(code, code)
            for code, _name in settings.LANGUAGES
            if code != language
        ],
        "image": share_image(context),
        "json_ld": _json_ld_script(data) if data else "",
        "feeds": [
            {"title": FEEDS[name][0], "type": FEEDS[name][1], "url": reverse(name)}
            for name in FEEDS_BY_PAGE.get(view_name, ())
        ],
        "statement_url": request.build_absolute_uri(reverse("accessibility")),
        "modified": getattr(obj, "updated_at", None),
    }
