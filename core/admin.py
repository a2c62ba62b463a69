"""Admin building blocks shared by the apps: history, translation status, publishing.

- `HistoryAdmin`: django-reversion's `VersionAdmin` (every change saved in the admin
  is a version with who, when and the change message; an editor can restore one),
  newest first, and refusing a version id that belongs to another model; with
  `core.history_admin` it records no version for a save without changes, shows what
  each version changed and what restoring one would change; its titles and change
  messages in natural Polish (`core.admin_wording`) and forms without traps
  (`core.admin_forms`). Who may not restore (city staff) sees their own name in the
  history and "another user" for everybody else's, and not the revisions
  `hidden_revisions()` names.
- `TranslationStatusMixin`: a list column and a list filter telling which objects
  miss their text in a language of `LANGUAGES` (`core.languages.missing_languages`).
- `PublishableAdminMixin`: publish and unpublish actions that call the model's
  `publish()` / `unpublish()`, a list column and filter that tell drafts,
  published and scheduled items apart, and "published without a time" meaning now.

- `SafeAutocompleteMixin`: autocomplete fields whose widget leaves out a submitted
  value that is no key at all (`abc` for an id): Django's widget would look it up
  to show it again beside the form error, and fail with a server error.

Mix them in before the base admin class, e.g.
`class MeetingAdmin(PublishableAdminMixin, TranslationStatusMixin, HistoryAdmin,
TranslationAdmin)`.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from reversion import is_active as reversion_is_active
from reversion import set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version

from .admin_forms import EditingAidsMixin
from .admin_wording import AdminWordingMixin, sentence_comment
from .history_admin import TruthfulHistoryMixin
from .languages import missing_languages
from .publishing import Status


class _KnownKeysOnly:
    """An autocomplete widget that shows again only submitted values that could be
    keys of the related model (the form reports the others as invalid choices)."""

    def _is_key(self, value):
        opts = self.field.remote_field.model._meta
        key = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        try:
            key.run_validators(key.to_python(value))
        except (ValidationError, TypeError, ValueError):
            return False
        return True

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_key(v)], attr)


class SafeAutocompleteSelect(_KnownKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KnownKeysOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class HistoryAdmin(
    SafeAutocompleteMixin, TruthfulHistoryMixin, AdminWordingMixin, EditingAidsMixin, VersionAdmin
):
    history_latest_first = True
    object_history_template = "admin/history_with_versions.html"

    def can_restore(self, request):
        return self.has_change_permission(request)

    def can_recover(self, request):
        """Deleted entries come back through an add form: restoring and adding both."""
        return self.can_restore(request) and self.has_add_permission(request)

    def history_view(self, request, object_id, extra_context=None):
        can_restore = self.can_restore(request)
        context = {
            "can_restore": can_restore,
            "shows_every_name": can_restore,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def changelist_view(self, request, extra_context=None):
        context = {"can_restore": self.can_recover(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def _version_of_this_model(self, version_id, object_id=None):
        versions = Version.objects.get_for_model(self.model).filter(pk=version_id)
        if object_id is not None:
            versions = versions.filter(object_id=object_id)
        if not versions.exists():
            raise Http404

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._version_of_this_model(version_id, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self._version_of_this_model(version_id)
        return super().recover_view(request, version_id, extra_context)


# Translation status ---------------------------------------------------------------

# A language without a label here is named by its name in LANGUAGES.
MISSING_LABELS = {
    "pl": _("missing Polish"),
    "en": _("missing English"),
    "uk": _("missing Ukrainian"),
}


def translated_fields(model):
    try:
        return list(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return []


def fields_with_text(obj, field_names):
    """Fields that have text in at least one language: an empty field lacks nothing."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [name for name in field_names if any(getattr(obj, f"{name}_{c}", "") for c in codes)]


def _empty(lookup):
    return Q(**{f"{lookup}__isnull": True}) | Q(**{lookup: ""})


def missing_language_q(field_names, language):
    """Objects where some field has text in another language but none in `language`."""
    others = [code for code, _name in settings.LANGUAGES if code != language]
    condition = Q(pk__in=[])
    for name in field_names:
        has_other = Q(pk__in=[])
        for other in others:
            has_other |= ~_empty(f"{name}_{other}")
        condition |= _empty(f"{name}_{language}") & has_other
    return condition


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, MISSING_LABELS.get(code, name)) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        language = self.value()
        if language not in dict(settings.LANGUAGES):
            return queryset
        return queryset.filter(missing_language_q(translated_fields(queryset.model), language))


class TranslationStatusMixin:
    """Adds the "translation" column and filter to a translated model's list."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation_status"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MissingTranslationFilter]

    @admin.display(description=_("translation"))
    def translation_status(self, obj):
        fields = fields_with_text(obj, translated_fields(type(obj)))
        missing = missing_languages(obj, fields)
        if not missing:
            return format_html('<span class="translation-complete">{}</span>', gettext("complete"))
        labels = ", ".join(str(MISSING_LABELS.get(code, code)) for code in missing)
        return format_html('<strong class="translation-missing">{}</strong>', labels)


# Publishing -------------------------------------------------------------------------


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("draft")),
            ("public", _("public")),
            ("scheduled", _("scheduled")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(status=Status.PUBLISHED)
        if self.value() == "draft":
            return queryset.filter(status=Status.DRAFT)
        if self.value() == "public":
            return queryset.filter(published, published_at__lte=now)
        if self.value() == "scheduled":
            return queryset.filter(published, published_at__gt=now)
        return queryset


class PublishableAdminMixin:
    actions = ["publish_selected", "unpublish_selected"]

    def get_list_display(self, request):
        # Right after the title, where a long list cannot push it out of sight.
        display = list(super().get_list_display(request))
        display.insert(1, "publication_state")
        return display

    def get_list_filter(self, request):
        return [PublicationStateFilter, *super().get_list_filter(request)]

    @admin.display(description=_("publication"), ordering="published_at")
    def publication_state(self, obj):
        if obj.is_scheduled:
            when = localize(timezone.localtime(obj.published_at))
            return gettext("scheduled for %(moment)s") % {"moment": when}
        if obj.is_public:
            return gettext("public")
        if obj.status == Status.PUBLISHED:
            return gettext("published, no time set")
        return gettext("draft")

    def has_publish_permission(self, request):
        return self.has_change_permission(request)

    def save_model(self, request, obj, form, change):
        # "Published" with no time would never become public: it means "now".
        if obj.status == Status.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Publish the selected items (now, or at their scheduled time)"),
        permissions=["publish"],
    )
    def publish_selected(self, request, queryset):
        public = scheduled = 0
        for obj in queryset:
            obj.publish()
            if obj.is_scheduled:
                scheduled += 1
                self.log_change(request, obj, gettext("Scheduled for publication."))
            else:
                public += 1
                self.log_change(request, obj, gettext("Published."))
        if reversion_is_active():
            set_comment(sentence_comment(gettext_noop("Published with the admin action.")))
        if public:
            self.message_user(
                request,
                ngettext("%(count)d item is now public.", "%(count)d items are now public.", public)
                % {"count": public},
                messages.SUCCESS,
            )
        if scheduled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item is scheduled and becomes public at its publication time.",
                    "%(count)d items are scheduled and become public at their publication time.",
                    scheduled,
                )
                % {"count": scheduled},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Unpublish the selected items (back to draft)"),
        permissions=["publish"],
    )
    def unpublish_selected(self, request, queryset):
        count = 0
        for obj in queryset:
            obj.unpublish()
            self.log_change(request, obj, gettext("Unpublished."))
            count += 1
        if reversion_is_active():
            set_comment(sentence_comment(gettext_noop("Unpublished with the admin action.")))
        self.message_user(
            request,
            ngettext(
                "%(count)d item is back to draft.", "%(count)d items are back to draft.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
