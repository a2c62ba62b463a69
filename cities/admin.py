"""Admin for cities and mayors, with a tab per language for translated fields."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import City, Mayor


class MayorInline(admin.TabularInline):
    model = Mayor
    extra = 0
    fields = ["full_name", "office", "term_start", "term_end"]


@admin.register(City)
class CityAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "voivodeship", "is_ump_member", "updated_at"]
    list_filter = ["kind", "voivodeship", "is_ump_member"]
    search_fields = ["name_pl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_pl"]}
    filter_horizontal = ["editors"]
    inlines = [MayorInline]


@admin.register(Mayor)
class MayorAdmin(admin.ModelAdmin):
    list_display = ["full_name", "city", "office", "term_start", "term_end"]
    list_filter = ["office", "city"]
    search_fields = ["full_name", "city__name_pl"]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]
