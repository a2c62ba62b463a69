"""`/sitemap.xml`: the apps' sections and the pages that are not one object.

Every public page in every language, with hreflang alternates (`core/sitemaps.py`).
Search results are not listed: they are not pages of their own.
"""

from django.urls import reverse

from cities.sitemaps import CitySitemap
from core.sitemaps import PortalSitemap
from declarations.models import Team
from declarations.sitemaps import DeclarationSitemap, InitiativeSitemap, MeetingSitemap


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
            "open_data:index",
            "accessibility",
        ]
        if Team.objects.exists():
            names.insert(3, "declarations:team")
        return names

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "declarations": DeclarationSitemap,
    "cities": CitySitemap,
    "meetings": MeetingSitemap,
    "initiatives": InitiativeSitemap,
}
