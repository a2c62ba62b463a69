"""Admin for declarations, signatories, the Team, meetings and initiatives."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import (
    Declaration,
    Initiative,
    Meeting,
    MeetingDocument,
    Organisation,
    Signatory,
    Team,
)


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ["name", "acronym", "website"]
    search_fields = ["name_pl", "name_en", "acronym"]


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    fields = ["city", "mayor", "status", "date"]
    autocomplete_fields = ["city", "mayor"]


@admin.register(Declaration)
class DeclarationAdmin(TabbedTranslationAdmin):
    list_display = ["title", "place", "date", "status", "published_at"]
    list_filter = ["status", "original_language"]
    search_fields = ["title_pl", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_pl"]}
    inlines = [SignatoryInline]


@admin.register(Signatory)
class SignatoryAdmin(TabbedTranslationAdmin):
    list_display = ["city", "declaration", "mayor", "status", "date"]
    list_filter = ["status", "declaration"]
    search_fields = ["city__name_pl", "mayor__full_name"]
    list_select_related = ["city", "declaration", "mayor"]
    autocomplete_fields = ["city", "mayor"]


@admin.register(Team)
class TeamAdmin(TabbedTranslationAdmin):
    list_display = ["name", "established_by"]
    filter_horizontal = ["partners", "member_cities"]
    prepopulated_fields = {"slug": ["name_pl"]}


class MeetingDocumentInline(TranslationTabularInline):
    model = MeetingDocument
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(TabbedTranslationAdmin):
    list_display = ["title", "kind", "host_city", "start_date", "end_date", "status"]
    list_filter = ["status", "kind", "host_city"]
    search_fields = ["title_pl", "title_en", "theme_pl", "theme_en"]
    date_hierarchy = "start_date"
    list_select_related = ["host_city"]
    autocomplete_fields = ["host_city"]
    filter_horizontal = ["initiatives"]
    prepopulated_fields = {"slug": ["title_pl"]}
    inlines = [MeetingDocumentInline]


@admin.register(Initiative)
class InitiativeAdmin(TabbedTranslationAdmin):
    list_display = ["title", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["title_pl", "title_en"]
    filter_horizontal = ["organisations", "cities"]
    prepopulated_fields = {"slug": ["title_pl"]}
