"""Which translations are official, per language: `official_translations` (a list of
language codes) replaces the `translations_are_official` switch, which said it of
every language at once. With Polish and English that was the same thing; with
Ukrainian it is not: the UMP declaration's English version is the authors', and a
Ukrainian text is always the portal editors' own translation.

An object whose translations were official gets every language of the portal as it
was before Ukrainian (Polish and English) other than its original. The versions
django-reversion keeps of these objects are rewritten the same way, so restoring one
saved before this migration keeps the official versions it had.
"""

import json

import core.languages
from django.db import migrations

LANGUAGES_BEFORE_UKRAINIAN = ("pl", "en")
MODELS = ("Declaration", "Initiative", "Meeting")
HELP_TEXT = (
    "Tick the languages, other than the original, in which the authors themselves "
    "published a version. Texts in the other languages are shown as the portal's own "
    "translations."
)


def languages_from_switch(is_official, original_language):
    if not is_official:
        return []
    return [code for code in LANGUAGES_BEFORE_UKRAINIAN if code != original_language]


def rewrite_versions(apps, using, rewrite_fields):
    """Each stored version (JSON) of these models, its fields passed through
    `rewrite_fields`, which changes them in place and says whether it did."""
    Version = apps.get_model("reversion", "Version")
    versions = Version.objects.using(using).filter(
        content_type__app_label="declarations",
        content_type__model__in=[name.lower() for name in MODELS],
        format="json",
    )
    for version in versions:
        objects = json.loads(version.serialized_data)
        changed = [rewrite_fields(obj["fields"]) for obj in objects]
        if any(changed):
            version.serialized_data = json.dumps(objects)
            version.save(update_fields=["serialized_data"])


def official_translations_from_switch(apps, schema_editor):
    using = schema_editor.connection.alias
    for name in MODELS:
        model = apps.get_model("declarations", name)
        for obj in model.objects.using(using).filter(translations_are_official=True):
            obj.official_translations = languages_from_switch(True, obj.original_language)
            obj.save(update_fields=["official_translations"])

    def rewrite(fields):
        if "translations_are_official" not in fields:
            return False
        is_official = fields.pop("translations_are_official")
        fields["official_translations"] = languages_from_switch(
            is_official, fields.get("original_language")
        )
        return True

    rewrite_versions(apps, using, rewrite)


def switch_from_official_translations(apps, schema_editor):
    using = schema_editor.connection.alias
    for name in MODELS:
        model = apps.get_model("declarations", name)
        for obj in model.objects.using(using).all():
            if obj.official_translations:
                obj.translations_are_official = True
                obj.save(update_fields=["translations_are_official"])

    def rewrite(fields):
        if "official_translations" not in fields:
            return False
        fields["translations_are_official"] = bool(fields.pop("official_translations"))
        return True

    rewrite_versions(apps, using, rewrite)


class Migration(migrations.Migration):

    dependencies = [
        ("declarations", "0008_ukrainian_translations"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
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
