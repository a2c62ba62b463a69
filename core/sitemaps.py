"""The base of every sitemap section: each page in every language, with alternates.

Django's sitemap framework with `i18n = True` lists each page once per language;
`alternates = True` adds the `<xhtml:link rel="alternate" hreflang>` of every
language to each entry and `x_default = True` the Polish one as `x-default`
(with its `/pl/` prefix: see `PortalSitemap._urls`). The apps define their
sections next to their models (`cities/sitemaps.py`, `declarations/sitemaps.py`);
the project assembles them at `/sitemap.xml` (`ump_portal/sitemaps.py`).
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def _urls(self, page, protocol, domain):
        """Django writes `x-default` as the Polish URL without its `/pl/` prefix,
        which fits `prefix_default_language=False`. Here every URL has its prefix
        and `/declarations/` does not exist, so `x-default` is the Polish URL
        itself, as in the pages' own `hreflang` links."""
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            by_language = {alt["lang_code"]: alt for alt in url["alternates"]}
            if "x-default" in by_language and settings.LANGUAGE_CODE in by_language:
                default = by_language[settings.LANGUAGE_CODE]["location"]
                by_language["x-default"]["location"] = default
        return urls


class ObjectSitemap(PortalSitemap):
    """One page per object, last modified when the object was (`updated_at`).
    Sections of publishable content list `published()` items only, like every
    public view."""

    def lastmod(self, obj):
        return obj.updated_at
