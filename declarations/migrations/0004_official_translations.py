"""Which translations are official, per language: `official_translations` (a list of
language codes) replaces the `translations_are_official` switch, which said it of
every language at once. With Polish and English that was the same thing; with
Ukrainian it is not: the UMP declaration's English version is the authors', and a
Ukrainian text is always the portal editors' own translation.

An object whose translations were official gets every language of the portal as it
was before Ukrainian (Polish and English) other than its original.
"""

import core.languages
from django.db import migrations

LANGUAGES_BEFORE_UKRAINIAN = ("pl", "en")
MODELS = ("Declaration", "Initiative", "Meeting")
HELP_TEXT = (
    "Tick the languages, other than the original, in which the authors themselves "
    "published a version. Texts in the other languages are shown as the portal's own "
    "translations."
)


def official_translations_from_switch(apps, schema_editor):
    using = schema_editor.connection.alias
    for name in MODELS:
        model = apps.get_model("declarations", name)
        for obj in model.objects.using(using).filter(translations_are_official=True):
            obj.official_translations = [
                code for code in LANGUAGES_BEFORE_UKRAINIAN if code != obj.original_language
            ]
            obj.save(update_fields=["official_translations"])


def switch_from_official_translations(apps, schema_editor):
    using = schema_editor.connection.alias
    for name in MODELS:
        model = apps.get_model("declarations", name)
        for obj in model.objects.using(using).all():
            if obj.official_translations:
                obj.translations_are_official = True
                obj.save(update_fields=["translations_are_official"])


class Migration(migrations.Migration):

    dependencies = [
        ("declarations", "0003_ukrainian_translations"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=name.lower(),
                name="official_translations",
                field=core.languages.LanguageListField(
                    blank=True,
                    default=list,
                    help_text=HELP_TEXT,
                    verbose_name="official versions",
                ),
            )
            for name in MODELS
        ),
        migrations.RunPython(
            official_translations_from_switch, switch_from_official_translations
        ),
        *(
            migrations.RemoveField(model_name=name.lower(), name="translations_are_official")
            for name in MODELS
        ),
    ]
