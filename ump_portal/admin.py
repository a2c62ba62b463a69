"""The accessibility statement in the admin: one statement, edited by editors.

Editors get its view and change permissions from the migration that creates it
(`ump_portal/migrations/0002_accessibilitystatement.py`). There is one statement:
no "add" once it exists, and no "delete", so the page never disappears.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from .models import AccessibilityStatement


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(VersionAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "compliance", "reviewed_on", "updated_at"]
    fieldsets = [
        (None, {"fields": ["entity_name", "site_url", "site_published_on", "site_updated_on"]}),
        (
            _("Compliance"),
            {"fields": ["compliance", "non_compliance", "disproportionate_burden_url"]},
        ),
        (
            _("Preparation of the statement"),
            {"fields": ["prepared_on", "reviewed_on", "assessment", "auditor"]},
        ),
        (
            _("Feedback and contact"),
            {"fields": ["contact_person", "contact_email", "contact_phone", "procedure"]},
        ),
        (
            _("Other information"),
            {"fields": ["architecture", "mobile_apps", "additional_information"]},
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
