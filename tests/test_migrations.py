"""Data migrations run on data made before them: the database is taken back to the
migration before, given rows as they were then, and migrated forward again."""

import json
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from declarations.models import Declaration, Initiative
from ump_portal.models import AccessibilityStatement

BEFORE_OFFICIAL_TRANSLATIONS = [("declarations", "0008_ukrainian_translations")]
BEFORE_STATEMENT_IN_UKRAINIAN = [("ump_portal", "0005_ukrainian_translations")]


def migrate(targets):
    """The database with the apps of `targets` at those migrations and every other app
    at its latest; the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    apps = {app for app, _name in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in apps]
    return executor.loader.project_state([*others, *targets]).apps


def migrate_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_to(transactional_db):
    """Takes the database back to a migration, and forward again when the test ends."""
    yield migrate
    migrate_to_the_latest()


def test_official_translations_carry_over_the_switch_and_the_stored_versions(back_to):
    apps = back_to(BEFORE_OFFICIAL_TRANSLATIONS)
    OldDeclaration = apps.get_model("declarations", "Declaration")
    OldInitiative = apps.get_model("declarations", "Initiative")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    official = OldDeclaration.objects.create(
        title="Deklaracja", title_pl="Deklaracja", slug="ump", translations_are_official=True
    )
    OldDeclaration.objects.create(
        title="Pomorze", title_pl="Pomorze", slug="pomorze", translations_are_official=False
    )
    academy = OldInitiative.objects.create(
        title="Academy",
        title_pl="Akademia",
        slug="academy",
        original_language="en",
        translations_are_official=True,
    )
    stored = {"title_pl": "Deklaracja", "original_language": "pl"}
    Version.objects.create(
        revision=Revision.objects.create(date_created=timezone.now(), comment="Before."),
        object_id=str(official.pk),
        content_type=ContentType.objects.get_for_model(OldDeclaration),
        db="default",
        format="json",
        serialized_data=json.dumps(
            [
                {
                    "model": "declarations.declaration",
                    "pk": official.pk,
                    "fields": {**stored, "translations_are_official": True},
                }
            ]
        ),
        object_repr="Deklaracja",
    )

    migrate_to_the_latest()

    assert Declaration.objects.get(slug="ump").official_translations == ["en"]
    assert Declaration.objects.get(slug="pomorze").official_translations == []
    assert Initiative.objects.get(pk=academy.pk).official_translations == ["pl"]
    # A version saved before the change restores the official versions it had.
    from reversion.models import Version as CurrentVersion

    [version] = CurrentVersion.objects.get_for_object(Declaration.objects.get(slug="ump"))
    assert version.field_dict["official_translations"] == ["en"]
    assert "translations_are_official" not in json.loads(version.serialized_data)[0]["fields"]


def test_the_statement_gains_its_ukrainian_text_and_lists_ukrainian(back_to):
    apps = back_to(BEFORE_STATEMENT_IN_UKRAINIAN)
    # The default statement as the earlier migration makes it (a transactional test
    # starts from an emptied database).
    import_module("ump_portal.migrations.0002_accessibilitystatement").create_default_statement(
        apps, SimpleNamespace(connection=connection)
    )
    OldStatement = apps.get_model("ump_portal", "AccessibilityStatement")
    statement = OldStatement.objects.get()
    assert "po polsku i po angielsku" in statement.additional_information_pl
    # An editor has already written one part in Ukrainian: it is kept.
    statement.contact_person_uk = "Олена, редакція порталу"
    statement.save()

    migrate_to_the_latest()

    statement = AccessibilityStatement.objects.get()
    assert statement.contact_person_uk == "Олена, редакція порталу"
    assert statement.entity_name_uk.startswith("Союз польських метрополій")
    assert "po polsku, po angielsku i po ukraińsku" in statement.additional_information_pl
    assert "Polish, English and Ukrainian" in statement.additional_information_en
