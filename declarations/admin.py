"""Admin for declarations, signatories, the Team, meetings and initiatives.

Editors only: the "City staff" group has no permission on these models. Declarations,
meetings and initiatives get publish / unpublish actions and a publication column;
every list tells which objects miss a language; every change is a version
(django-reversion) that an editor can restore. Uploaded documents are checked by
their content (`core.documents`).
"""

from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin import (
    HistoryAdmin,
    PublishableAdminMixin,
    SafeAutocompleteMixin,
    TranslationStatusMixin,
)
from core.admin_wording import AdminPhrases
from core.documents import PDF, DocumentUploadField, StoredDocumentWidget
from core.languages import in_every_language
from core.templatetags.portal import date_range

from .models import (
    Declaration,
    Initiative,
    Meeting,
    MeetingDocument,
    Organisation,
    Signatory,
    Team,
)


class ContentAdmin(TranslationStatusMixin, HistoryAdmin, TranslationAdmin):
    """Translated content: translation status, history, every language of its fields."""


class PublishableContentAdmin(PublishableAdminMixin, ContentAdmin):
    """Content with a draft / published state."""


@admin.register(Organisation)
class OrganisationAdmin(ContentAdmin):
    phrases = AdminPhrases(
        add=_("Add an organisation"),
        change=_("Edit organisation"),
        view=_("Organisation details"),
    )
    list_display = ["name", "acronym", "website"]
    search_fields = [*in_every_language("name"), "acronym"]


class SignatoryInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Signatory
    extra = 0
    phrases = AdminPhrases(
        add_another=_("Add another signatory"),
        added=_("Added signatory “%(object)s”."),
        changed=_("Changed %(fields)s of signatory “%(object)s”."),
        deleted=_("Deleted signatory “%(object)s”."),
    )
    fields = ["city", "mayor", "status", "date"]
    autocomplete_fields = ["city", "mayor"]


class DeclarationForm(forms.ModelForm):
    pdf = DocumentUploadField(
        allowed=[PDF], required=False, label=_("PDF"), widget=StoredDocumentWidget
    )


@admin.register(Declaration)
class DeclarationAdmin(PublishableContentAdmin):
    form = DeclarationForm
    phrases = AdminPhrases(
        add=_("Add a declaration"),
        change=_("Edit declaration"),
        view=_("Declaration details"),
    )
    list_display = ["title", "place", "date", "published_at"]
    list_filter = ["original_language"]
    search_fields = [*in_every_language("title"), "slug"]
    prepopulated_fields = {"slug": ["title_pl"]}
    inlines = [SignatoryInline]


@admin.register(Signatory)
class SignatoryAdmin(ContentAdmin):
    phrases = AdminPhrases(
        add=_("Add a signatory"), change=_("Edit signatory"), view=_("Signatory details")
    )
    list_display = ["city", "declaration", "mayor", "status", "date"]
    list_filter = ["status", "declaration"]
    search_fields = [*in_every_language("city__name"), "mayor__full_name"]
    list_select_related = ["city", "declaration", "mayor"]
    autocomplete_fields = ["city", "mayor"]


@admin.register(Team)
class TeamAdmin(ContentAdmin):
    phrases = AdminPhrases(add=_("Add a team"), change=_("Edit team"), view=_("Team details"))
    list_display = ["name", "established_by"]
    filter_horizontal = ["partners", "member_cities"]
    prepopulated_fields = {"slug": ["name_pl"]}


class MeetingDocumentForm(forms.ModelForm):
    file = DocumentUploadField(label=capfirst(_("file")), widget=StoredDocumentWidget)


class MeetingDocumentInline(TranslationTabularInline):
    model = MeetingDocument
    form = MeetingDocumentForm
    extra = 0
    phrases = AdminPhrases(
        add_another=_("Add another document"),
        added=_("Added document “%(object)s”."),
        changed=_("Changed %(fields)s of document “%(object)s”."),
        deleted=_("Deleted document “%(object)s”."),
    )


@admin.register(Meeting)
class MeetingAdmin(PublishableContentAdmin):
    phrases = AdminPhrases(
        add=_("Add a meeting"), change=_("Edit meeting"), view=_("Meeting details")
    )
    list_display = ["title", "kind", "host_city", "dates"]
    list_filter = ["kind", "host_city"]
    search_fields = in_every_language("title", "theme")
    date_hierarchy = "start_date"
    list_select_related = ["host_city"]
    autocomplete_fields = ["host_city"]
    filter_horizontal = ["initiatives"]
    prepopulated_fields = {"slug": ["title_pl"]}
    inlines = [MeetingDocumentInline]

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, meeting):
        """One column as the public pages write it (“29-30 października 2019”, with an en dash):
        two date columns push the list wider than a 1280 px window."""
        return date_range(meeting.start_date, meeting.end_date)


@admin.register(Initiative)
class InitiativeAdmin(PublishableContentAdmin):
    phrases = AdminPhrases(
        add=_("Add an initiative"), change=_("Edit initiative"), view=_("Initiative details")
    )
    list_display = ["title", "start_date", "end_date"]
    search_fields = in_every_language("title")
    filter_horizontal = ["organisations", "cities"]
    prepopulated_fields = {"slug": ["title_pl"]}
