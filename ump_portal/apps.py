from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# Apps whose objects appear on public pages: saving one drops every cached page.
CONTENT_APPS = ("cities", "declarations", "ump_portal")


class PortalConfig(AppConfig):
    """The project: settings, URLs, site-wide views and middleware, and its own two
    models (the accessibility statement and the seed loader's records)."""

    name = "ump_portal"
    verbose_name = _("Portal")

    def ready(self):
        from .middleware.page_cache import invalidate_all

        for label in CONTENT_APPS:
            for model in apps.get_app_config(label).get_models():
                post_save.connect(invalidate_all, sender=model, dispatch_uid=f"page-cache-{model}")
                post_delete.connect(
                    invalidate_all, sender=model, dispatch_uid=f"page-cache-d-{model}"
                )
        m2m_changed.connect(invalidate_all, dispatch_uid="page-cache-m2m")
