"""The accessibility statement in the admin, and the words of the apps we do not own.

The accessibility statement: one statement, edited by editors. Editors get its view
and change permissions from the migration that creates it
(`ump_portal/migrations/0002_accessibilitystatement.py`). There is one statement:
no "add" once it exists, and no "delete", so the page never disappears.

Users and groups (Django's) and the sign-in records (django-axes) are registered
again with the titles of `core.admin_wording`, permissions named in the user's
language, and Polish for the strings django-axes leaves untranslated
(`AXES_WORDS`, kept in our catalogue).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from cities.permissions import GROUP_NAMES, PERMISSION_NAMES
from core.admin import HistoryAdmin
from core.admin_wording import AdminPhrases, AdminWordingMixin

from .models import AccessibilityStatement


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(HistoryAdmin, TranslationAdmin):
    phrases = AdminPhrases(
        add=_("Add an accessibility statement"),
        change=_("Edit the accessibility statement"),
        view=_("Accessibility statement"),
    )
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


# Users and groups ---------------------------------------------------------------------

ACTIONS = {
    "add": _("adding"),
    "change": _("changing"),
    "delete": _("deleting"),
    "view": _("viewing"),
}


def permission_label(permission):
    """A permission in the user's language ("Miasta | włodarze | dodawanie"): its
    stored name is the English one Django wrote when the model was created."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in ACTIONS and model_name == model._meta.model_name:
        opts = model._meta
        return f"{opts.app_config.verbose_name} | {opts.verbose_name_plural} | {ACTIONS[action]}"
    name = PERMISSION_NAMES.get(f"{permission.content_type.app_label}.{permission.codename}")
    return f"{permission.content_type} | {name or gettext(permission.name)}"


def group_label(group):
    return str(GROUP_NAMES.get(group.name, group.name))


class LabelsMixin:
    """Permissions and groups named in the user's language in the forms."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and db_field.related_model is Permission:
            formfield.label_from_instance = permission_label
        elif formfield is not None and db_field.related_model is Group:
            formfield.label_from_instance = group_label
        return formfield


class GroupFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        names = {pk: str(GROUP_NAMES.get(name, name)) for pk, name in Group.objects.values_list()}
        return [
            (pk, names.get(pk, label))
            for pk, label in super().field_choices(field, request, model_admin)
        ]


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PortalUserAdmin(AdminWordingMixin, LabelsMixin, UserAdmin):
    phrases = AdminPhrases(add=_("Add a user"), change=_("Edit user"), view=_("User details"))
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", GroupFilter))


@admin.register(Group)
class PortalGroupAdmin(AdminWordingMixin, LabelsMixin, GroupAdmin):
    phrases = AdminPhrases(add=_("Add a group"), change=_("Edit group"), view=_("Group details"))
    list_display = ["name_in_your_language"]

    @admin.display(description=_("name"), ordering="name")
    def name_in_your_language(self, group):
        return group_label(group)


# Sign-in records (django-axes) --------------------------------------------------------

# Strings of django-axes that its Polish catalogue lacks or gets wrong; ours comes first.
AXES_WORDS = (
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("User Agent"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Username"),
    gettext_noop("Access lock out"),
    gettext_noop("Expires At"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
)

SIGN_IN_RECORD_PHRASES = {
    "AccessAttempt": AdminPhrases(
        add=_("Add a sign-in attempt record"),
        change=_("Sign-in attempts"),
        view=_("Sign-in attempts"),
    ),
    "AccessLog": AdminPhrases(
        add=_("Add a sign-in record"), change=_("Sign-in"), view=_("Sign-in")
    ),
    "AccessFailureLog": AdminPhrases(
        add=_("Add a failed sign-in record"),
        change=_("Failed sign-in"),
        view=_("Failed sign-in"),
    ),
}


def register_sign_in_records_with_wording():
    """django-axes registers its admins itself (when its settings say so): the same
    classes again, with the wording mixin in front."""
    for model, model_admin in list(admin.site._registry.items()):
        phrases = SIGN_IN_RECORD_PHRASES.get(model.__name__)
        if model._meta.app_label != "axes" or phrases is None:
            continue
        admin_class = type(model_admin)
        admin.site.unregister(model)
        admin.site.register(
            model,
            type(
                f"Portal{admin_class.__name__}",
                (AdminWordingMixin, admin_class),
                {"phrases": phrases},
            ),
        )


register_sign_in_records_with_wording()
