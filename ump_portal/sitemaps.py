"""`/sitemap.xml`: the apps' sections and the pages that are not one object.

Every public page in every language, with hreflang alternates (`core/sitemaps.py`).
Search results are not listed: they are not pages of their own. A list page's
`lastmod` is the last change of what it lists: the latest `updated_at` of its
items, or the moment the latest of them was published, whichever came later (a
scheduled item changes the list when it becomes public, without being saved).
"""

from django.db.models import Max
from django.urls import reverse

from cities.models import City
from cities.sitemaps import CitySitemap
from core.sitemaps import PortalSitemap
from declarations.models import Declaration, Initiative, Meeting, Team
from declarations.sitemaps import DeclarationSitemap, InitiativeSitemap, MeetingSitemap

from .models import AccessibilityStatement


def _last_change(queryset, published=True):
    """The latest `updated_at` (and `published_at`, for publishable items) in `queryset`."""
    fields = {"updated": Max("updated_at")}
    if published:
        queryset = queryset.published()
        fields["published"] = Max("published_at")
    moments = [moment for moment in queryset.aggregate(**fields).values() if moment]
    return max(moments, default=None)


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

    def lastmod(self, item):
        if not hasattr(self, "_last_changes"):
            # Once per sitemap, not per page and language.
            declarations = _last_change(Declaration.objects)
            cities = _last_change(City.objects, published=False)
            meetings = _last_change(Meeting.objects)
            initiatives = _last_change(Initiative.objects)
            statement = AccessibilityStatement.current()
            everything = [declarations, cities, meetings, initiatives]
            # A city card shows the declarations the city signed.
            self._last_changes = {
                "home": everything,
                "declarations:declaration_list": [declarations],
                "cities:city_list": [cities, declarations],
                "declarations:team": [meetings, declarations],
                "declarations:meeting_list": [meetings],
                "declarations:initiative_list": [initiatives],
                "open_data:index": everything,
                "accessibility": [statement.updated_at if statement else None],
            }
        return max(filter(None, self._last_changes[item]), default=None)


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "declarations": DeclarationSitemap,
    "cities": CitySitemap,
    "meetings": MeetingSitemap,
    "initiatives": InitiativeSitemap,
}
