"""Translated fields of the portal's own models (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import AccessibilityStatement


@register(AccessibilityStatement)
class AccessibilityStatementTranslationOptions(TranslationOptions):
    fields = (
        "entity_name",
        "non_compliance",
        "auditor",
        "contact_person",
        "procedure",
        "architecture",
        "mobile_apps",
        "additional_information",
    )
