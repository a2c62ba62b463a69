"""People of the permission tests: two cities with their staff, an editor, a superuser.

The groups come from the data migration, as in production; the users are made the
way the portal makes them (`cities.roles.grant_city_editor` for city staff).
tests/conftest.py registers this module as a plugin, so a test requests the
fixtures by name; `client_for` is imported as usual.
"""

import pytest
from django.contrib.auth.models import Group

from cities.models import DirectPublishing
from cities.permissions import EDITORS_GROUP
from cities.roles import grant_city_editor

from .factories import CityFactory, MayorFactory, UserFactory


@pytest.fixture
def city_a(db):
    return CityFactory(name_pl="Gdańsk", name_en="Gdansk", slug="gdansk")


@pytest.fixture
def city_b(db):
    return CityFactory(name_pl="Łódź", name_en="Lodz", slug="lodz")


@pytest.fixture
def mayor_a(city_a):
    return MayorFactory(city=city_a, full_name="Aleksandra Dulkiewicz")


@pytest.fixture
def mayor_b(city_b):
    return MayorFactory(city=city_b, full_name="Hanna Zdanowska")


def _city_staff(city, username):
    user = grant_city_editor(city, username).user
    user.set_password("correct horse battery staple")
    user.save()
    return user


@pytest.fixture
def staff_a(city_a):
    return _city_staff(city_a, "staff-a")


@pytest.fixture
def staff_b(city_b):
    return _city_staff(city_b, "staff-b")


@pytest.fixture
def trusted_a(city_a, editor):
    """City A's staff publish without review (an editor's decision)."""
    return DirectPublishing.objects.create(city=city_a, granted_by=editor)


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def people(staff_a, staff_b, editor, superuser):
    return {
        "anonymous": None,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "editor": editor,
        "superuser": superuser,
    }


def client_for(client, user):
    """The test client logged in as `user` (None: anonymous)."""
    if user is not None:
        client.force_login(user)
    return client
