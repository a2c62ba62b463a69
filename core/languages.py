"""Which language a text is shown in, and whether it is the original.

django-modeltranslation falls back to Polish when a field has no text in the
active language. Templates need to know when that happened, so the block can be
marked `lang="pl"` with a notice for readers and screen readers. Content that
exists in several languages also records which one is the original and in which
languages the authors published official versions; any other version is a
translation made by the portal's editors.

Code that lists languages reads them from `LANGUAGES` (`language_codes`,
`in_every_language`), so adding one is settings, a catalogue and a migration.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TranslatedText:
    text: str
    language: str
    is_fallback: bool

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


def language_codes():
    """The codes of `LANGUAGES`, in their order: "pl", "en", "uk"."""
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(*field_names):
    """`name_pl`, `name_en`, ... for each translated field named: for lookups that
    must see every language (the admin's search), not just the active one."""
    return [f"{name}_{code}" for name in field_names for code in language_codes()]


def active_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def translated_text(obj, field_name, language=None):
    """The text of `obj.field_name` in `language` (default: active), with fallback."""
    language = language or active_language()
    own = getattr(obj, f"{field_name}_{language}", None)
    if own:
        return TranslatedText(own, language, False)
    for fallback in settings.MODELTRANSLATION_FALLBACK_LANGUAGES:
        text = getattr(obj, f"{field_name}_{fallback}", None)
        if text:
            return TranslatedText(text, fallback, fallback != language)
    return TranslatedText("", language, False)


def missing_languages(obj, field_names):
    """Languages in which any of `field_names` has no text of its own."""
    return [
        code
        for code in language_codes()
        if any(not getattr(obj, f"{name}_{code}", "") for name in field_names)
    ]


def validate_language_codes(value):
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of language codes."))
    unknown = [str(code) for code in value if code not in language_codes()]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s."), params={"codes": ", ".join(unknown)}
        )


class LanguageListField(models.JSONField):
    """A list of language codes of `LANGUAGES`, ticked in a form.

    A JSON list rather than a column per language, so that adding a language to the
    settings needs no migration of this field; the boxes are the settings' languages
    when the form is built."""

    default_validators = [validate_language_codes]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            required=False,
            choices=settings.LANGUAGES,
            widget=forms.CheckboxSelectMultiple,
        )


class TextOrigin(models.TextChoices):
    ORIGINAL = "original", _("original text")
    OFFICIAL = "official", _("official version published by the authors")
    EDITORIAL = "editorial", _("translation by the portal's editors")


class HasOriginalLanguage(models.Model):
    """Content written in one language and offered in others: the version in the
    original language, official versions the authors published in other languages
    (`official_translations`), and the portal's own translations (all the rest)."""

    original_language = models.CharField(
        _("original language"), max_length=5, choices=settings.LANGUAGES, default="pl"
    )
    official_translations = LanguageListField(
        _("official versions"),
        help_text=_(
            "Tick the languages, other than the original, in which the authors themselves "
            "published a version. Texts in the other languages are shown as the portal's "
            "own translations."
        ),
    )

    class Meta:
        abstract = True

    def text_origin(self, language=None):
        """Whether the text shown in `language` is the original, official or ours."""
        language = language or active_language()
        if language == self.original_language:
            return TextOrigin.ORIGINAL
        if language in self.official_translations:
            return TextOrigin.OFFICIAL
        return TextOrigin.EDITORIAL
