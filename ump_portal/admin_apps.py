"""Django's admin app, with the portal's admin site as the default site.

Kept apart from `admin_site.py`, which imports models: an app config is loaded
before the models are ready.
"""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "ump_portal.admin_site.PortalAdminSite"
