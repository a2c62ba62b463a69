"""Site URLs: each app's under a language prefix (/pl/, /en/) with translated path
words; the admin and machine endpoints (sitemap, robots.txt, open-data files)
without one. Only this module imports `search` and `open_data` (pyproject.toml's
import contracts)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.query import uses_query_parameters

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    # The sitemap reads its page number, `?p=2`.
    path(
        "sitemap.xml",
        uses_query_parameters("p")(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("api/v1/", include("open_data.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("cities.urls")),
    path("", include("declarations.urls")),
    path("", include("search.urls")),
    path("", include("open_data.urls")),
    path(_("accessibility/"), views.AccessibilityStatementView.as_view(), name="accessibility"),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "ump_portal.views.permission_denied"
handler404 = "ump_portal.views.page_not_found"
# A database error raised in a middleware gets the 503 page; anything else the 500 page.
handler500 = "ump_portal.views.server_error"
