"""Translated fields of cities (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import City


@register(City)
class CityTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description", "integration_office")
