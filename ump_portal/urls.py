"""Site URLs. Public pages live under a language prefix (/pl/, /en/) with
translated path words; the admin and machine endpoints do not."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import accessibility, feeds, open_data, search, sitemaps, views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    *open_data.api_urlpatterns,
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("cities.urls")),
    path("", include("declarations.urls")),
    path(_("search/"), search.SearchView.as_view(), name="search"),
    path(_("open-data/"), open_data.OpenDataView.as_view(), name="open_data"),
    path(
        _("accessibility/"),
        accessibility.AccessibilityStatementView.as_view(),
        name="accessibility",
    ),
    path("feeds/meetings.atom", feeds.MeetingFeed(), name="meeting_feed"),
    path("feeds/declarations.atom", feeds.DeclarationFeed(), name="declaration_feed"),
    path("feeds/meetings.ics", feeds.meetings_ics, name="meeting_calendar"),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "ump_portal.views.page_not_found"
# A database error raised in a middleware gets the 503 page; anything else the 500 page.
handler500 = "ump_portal.failures.server_error"
