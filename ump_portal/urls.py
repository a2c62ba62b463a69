"""Site URLs. Public pages live under a language prefix (/pl/, /en/) with
translated path words; the admin and machine endpoints do not."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("cities.urls")),
    path("", include("declarations.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "ump_portal.views.page_not_found"
# A database error raised in a middleware gets the 503 page; anything else the 500 page.
handler500 = "ump_portal.failures.server_error"
