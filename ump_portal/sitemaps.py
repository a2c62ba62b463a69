"""`/sitemap.xml`: every public page in both languages, with hreflang alternates.

Django's sitemap framework with `i18n = True` lists each page once per language;
`alternates = True` adds the `<xhtml:link rel="alternate" hreflang>` of every
language to each entry and `x_default = True` the Polish one as `x-default`
(with its `/pl/` prefix: see `PortalSitemap._urls`).
Content pages give `lastmod` from their `updated_at`; published items only, through
the models' `published()` like every public view. Search results are not listed:
they are not pages of their own.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from cities.models import City
from declarations.models import Declaration, Initiative, Meeting, Team


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


class StaticPagesSitemap(PortalSitemap):
    """Pages that are not one object: home, lists, the Team, open data, accessibility."""

    changefreq = "weekly"

    def items(self):
        names = [
            "home",
            "declarations:declaration_list",
            "cities:city_list",
            "declarations:meeting_list",
            "declarations:initiative_list",
            "open_data",
            "accessibility",
        ]
        if Team.objects.exists():
            names.insert(3, "declarations:team")
        return names

    def location(self, item):
        return reverse(item)


class DeclarationSitemap(PortalSitemap):
    def items(self):
        return Declaration.objects.published().order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


class CitySitemap(PortalSitemap):
    def items(self):
        return City.objects.order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


class MeetingSitemap(PortalSitemap):
    def items(self):
        return Meeting.objects.published().order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


class InitiativeSitemap(PortalSitemap):
    def items(self):
        return Initiative.objects.published().order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "declarations": DeclarationSitemap,
    "cities": CitySitemap,
    "meetings": MeetingSitemap,
    "initiatives": InitiativeSitemap,
}


@require_safe
def robots_txt(request):
    """`/robots.txt`: everything may be crawled but the admin; where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
