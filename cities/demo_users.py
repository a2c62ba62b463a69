"""Two demo accounts to try the admin on a laptop: an editor and Gdańsk's city staff.

Used by `manage.py load_seed_content --demo-users` (and so by `make run`). Each run
gives both accounts a new random password and returns it to be printed once; no
password is stored anywhere else. With DEBUG off it refuses to run: these are
known user names on a machine anyone may reach. The messages are console output for
the developer and stay in English, like the seed loader's.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import City
from .permissions import EDITORS_GROUP
from .roles import grant_city_editor

DEMO_EDITOR = "demo-editor"
DEMO_CITY_STAFF = "demo-gdansk"
DEMO_CITY_SLUG = "gdansk"


class DemoUsersRefused(Exception):
    """Demo accounts cannot be made here (DEBUG off, or Gdańsk not loaded)."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str


def _new_password():
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_demo_users():
    """Create or refresh both demo accounts; return them with their new passwords."""
    if not settings.DEBUG:
        raise DemoUsersRefused(
            "Demo users are for local use only: they are not created with DEBUG off."
        )
    city = City.objects.filter(slug=DEMO_CITY_SLUG).first()
    if city is None:
        raise DemoUsersRefused(
            f"The city {DEMO_CITY_SLUG!r} is not in the database: load the seed content first."
        )
    user_model = get_user_model()

    editor, _created = user_model.objects.get_or_create(username=DEMO_EDITOR)
    editor_password = _new_password()
    editor.set_password(editor_password)
    editor.is_staff = True
    editor.is_active = True
    editor.save()
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))

    staff = grant_city_editor(city, DEMO_CITY_STAFF).user
    staff_password = _new_password()
    staff.set_password(staff_password)
    staff.is_active = True
    staff.save()

    return [
        DemoAccount(DEMO_EDITOR, editor_password, "editor"),
        DemoAccount(DEMO_CITY_STAFF, staff_password, f"city staff of {city.name}"),
    ]


def describe(accounts):
    """Lines to print once: who the demo users are and their passwords."""
    lines = ["Demo users for local use (new passwords on every run, shown only now):"]
    lines += [
        f"  {account.username:<14} {account.password}   ({account.role})" for account in accounts
    ]
    return lines
