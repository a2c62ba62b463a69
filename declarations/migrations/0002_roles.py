"""Roles as data: the "City staff" and "Editors" groups and their permissions.

Lives in the declarations app because the Editors' permissions span both content
apps, and declarations already depends on cities. The lists are frozen here on
purpose; a model added later gets its Editors' permissions in its own migration.
Which objects a "City staff" member may reach is decided in `cities.permissions`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CITY_STAFF = "City staff"
EDITORS = "Editors"

# Permissions that exist for no model operation: they lift the city-staff rule
# and allow granting access (see cities/permissions.py).
CUSTOM_CITY_PERMISSIONS = {
    "edit_all_cities": "Can edit every city, including its membership fields",
    "manage_city_staff": "Can grant and revoke city staff access",
}

CITY_STAFF_PERMISSIONS = [
    ("cities", "view_city"),
    ("cities", "change_city"),
    ("cities", "view_mayor"),
    ("cities", "add_mayor"),
    ("cities", "change_mayor"),
]

CONTENT_MODELS = {
    "cities": ["city", "mayor"],
    "declarations": [
        "organisation",
        "declaration",
        "signatory",
        "team",
        "initiative",
        "meeting",
        "meetingdocument",
    ],
}
EDITOR_PERMISSIONS = [
    (app_label, f"{action}_{model}")
    for app_label, models in CONTENT_MODELS.items()
    for model in models
    for action in ("view", "add", "change", "delete")
] + [("cities", codename) for codename in CUSTOM_CITY_PERMISSIONS]


def _ensure_model_permissions(apps, using):
    # Django creates model permissions after the last migration; the groups
    # need them now, on a fresh database too.
    for label in ("cities", "declarations"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    _ensure_model_permissions(apps, using)
    city_type = ContentType.objects.db_manager(using).get_by_natural_key("cities", "city")
    for codename, name in CUSTOM_CITY_PERMISSIONS.items():
        Permission.objects.using(using).update_or_create(
            content_type=city_type, codename=codename, defaults={"name": name}
        )

    for group_name, wanted in ((CITY_STAFF, CITY_STAFF_PERMISSIONS), (EDITORS, EDITOR_PERMISSIONS)):
        group, _created = Group.objects.using(using).get_or_create(name=group_name)
        permissions = [
            Permission.objects.using(using).get(
                content_type__app_label=app_label, codename=codename
            )
            for app_label, codename in wanted
        ]
        # add, not set: other migrations give these groups permissions of their own.
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.using(using).filter(name__in=[CITY_STAFF, EDITORS]).delete()
    Permission.objects.using(using).filter(
        content_type__app_label="cities", codename__in=list(CUSTOM_CITY_PERMISSIONS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cities", "0001_initial"),
        ("declarations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
