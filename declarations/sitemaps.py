"""The sections of `/sitemap.xml` for declarations, meetings and initiatives:
published items only, each in every language."""

from core.sitemaps import ObjectSitemap

from .models import Declaration, Initiative, Meeting


class DeclarationSitemap(ObjectSitemap):
    def items(self):
        return Declaration.objects.published().order_by("slug")


class MeetingSitemap(ObjectSitemap):
    def items(self):
        return Meeting.objects.published().order_by("slug")


class InitiativeSitemap(ObjectSitemap):
    def items(self):
        return Initiative.objects.published().order_by("slug")
