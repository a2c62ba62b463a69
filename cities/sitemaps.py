"""The cities' section of `/sitemap.xml`: every city's page in every language."""

from core.sitemaps import ObjectSitemap

from .models import City


class CitySitemap(ObjectSitemap):
    def items(self):
        return City.objects.order_by("slug")
