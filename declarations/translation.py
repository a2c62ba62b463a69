"""Translated fields of the declarations app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Declaration, Initiative, Meeting, MeetingDocument, Organisation, Signatory, Team


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Declaration)
class DeclarationTranslationOptions(TranslationOptions):
    fields = ("title", "short_title", "place", "summary", "body")


@register(Signatory)
class SignatoryTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(Team)
class TeamTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Initiative)
class InitiativeTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "place", "theme", "notes")


@register(MeetingDocument)
class MeetingDocumentTranslationOptions(TranslationOptions):
    fields = ("title",)
