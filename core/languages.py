"""Which language a text is shown in, and whether it is the original.

django-modeltranslation falls back to Polish when a field has no text in the
active language. Templates need to know when that happened, so the block can be
marked `lang="pl"` with a notice for readers and screen readers. Content that
exists in several languages also records which one is the original and whether
the other versions are official or translations made by the portal's editors.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
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
        for code, _name in settings.LANGUAGES
        if any(not getattr(obj, f"{name}_{code}", "") for name in field_names)
    ]


class TextOrigin(models.TextChoices):
    ORIGINAL = "original", _("original text")
    OFFICIAL = "official", _("official version published by the authors")
    EDITORIAL = "editorial", _("translation by the portal's editors")


class HasOriginalLanguage(models.Model):
    """Content written in one language and offered in others."""

    original_language = models.CharField(
        _("original language"), max_length=5, choices=settings.LANGUAGES, default="pl"
    )
    translations_are_official = models.BooleanField(
        _("translations are official"),
        default=False,
        help_text=_(
            "Tick when the versions in other languages were published by the authors "
            "themselves; otherwise they are shown as the portal's own translations."
        ),
    )

    class Meta:
        abstract = True

    def text_origin(self, language=None):
        """Whether the text shown in `language` is the original, official or ours."""
        if (language or active_language()) == self.original_language:
            return TextOrigin.ORIGINAL
        if self.translations_are_official:
            return TextOrigin.OFFICIAL
        return TextOrigin.EDITORIAL
