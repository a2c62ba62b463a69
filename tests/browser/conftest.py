"""What the browser tests share: one Chromium, pages on the live server, the seed.

Chromium is Debian's /usr/bin/chromium, driven by Playwright through
`executable_path`; no browser is ever downloaded. One browser serves the whole
package (each test gets a fresh context, so cookies never leak between tests),
and one live server (`portal_server`) serves the seeded modules.

`seeded_site` loads the real seed content once per module on `portal_server`,
committed, so the server's thread (and, on PostgreSQL, its own connection) reads
it; at the end of the module the tables are flushed and the rows of the data
migrations made again, so the tests that follow find the database as the
migrations left it. Its modules are marked `django_db` (which also makes
pytest-django create the test database): each test then runs in a transaction
that is rolled back, so what a test itself writes is seen by the server only on
SQLite, whose in-memory database the server shares; a module-scoped fixture
writes what the server must see.

Without Chromium, tests/conftest.py stops the run with a line saying how to
install it, or how to leave these tests out on purpose (`make test BROWSER=skip`).
"""

import os
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import translation

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

# Screenshots and PDFs the tests leave behind for people to look at (gitignored).
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for every browser test."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which Django
    # takes for async code; the tests' own database calls happen between
    # Playwright's calls, never inside them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def record_failures(page):
    """Adds script errors and failed responses to `page.problems` (a list the test
    made), for the test to assert empty."""
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    # The browser asks for /favicon.ico by itself; every other failure counts.
    page.on(
        "response",
        lambda response: (
            page.problems.append(f"{response.status} for {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )


@pytest.fixture
def open_page(browser):
    """Opens a page in a fresh context: `open_page(width=375, locale="pl-PL")`.
    Every context is closed when the test ends."""
    contexts = []

    def open_page(width=1280, height=800, locale="en-GB", **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, **options
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A desktop-sized page in a fresh context."""
    return open_page()


@dataclass
class SeededSite:
    """The live server with the seed content, and the path of each page type
    in each language (computed once, while the module has database access)."""

    url: str
    paths: dict = field(default_factory=dict)

    def __call__(self, path):
        return f"{self.url}{path}"


NO_SUCH_PAGE = {"pl": "nie-ma-takiej-strony", "en": "no-such-page", "uk": "nemaie-takoi-storinky"}


def public_paths(language):
    """One path per public page type, for `language`, from the seed content."""
    from cities.models import City
    from declarations.models import Declaration, Initiative, Meeting

    declaration = Declaration.objects.published().get(slug="deklaracja-ump-2017")
    meeting = Meeting.objects.published().latest_first().first()
    initiative = Initiative.objects.published().first()
    with translation.override(language):
        cities = reverse("cities:city_list")
        search = reverse("search:search")
        return {
            "home": reverse("home"),
            "declaration_list": reverse("declarations:declaration_list"),
            "declaration_detail": declaration.get_absolute_url(),
            "city_list": cities,
            "city_list_filtered": (
                f"{cities}?voivodeship=pomorskie&declaration={declaration.slug}"
            ),
            "city_detail": City.objects.get(slug="gdansk").get_absolute_url(),
            "region_detail": City.objects.get(slug="pomorskie").get_absolute_url(),
            "team": reverse("declarations:team"),
            "meeting_list": reverse("declarations:meeting_list"),
            "meeting_detail": meeting.get_absolute_url(),
            "initiative_list": reverse("declarations:initiative_list"),
            "initiative_detail": initiative.get_absolute_url(),
            "search_results": f"{search}?q=Gda%C5%84sk",
            "search_none": f"{search}?q=zzzqqq",
            # A typing error ("Did you mean …?") and a word found nowhere.
            "search_corrected": f"{search}?q=Wroclw+zzzqqq",
            "open_data": reverse("open_data:index"),
            "accessibility": reverse("accessibility"),
            "not_found": f"/{language}/{NO_SUCH_PAGE[language]}/",
        }


def restore_migration_data():
    """Rows the data migrations made (the roles, the accessibility statement),
    which a transactional test's flush removed, made again by the same code."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    apps = loader.project_state().apps
    schema_editor = SimpleNamespace(connection=connection)
    for app_label, name, function in (
        ("declarations", "0002_roles", "create_roles"),
        (
            "declarations",
            "0004_signatory_mayor_protected_markdown_city_staff_delete",
            "let_city_staff_delete_mayors",
        ),
        ("ump_portal", "0002_accessibilitystatement", "create_default_statement"),
        ("ump_portal", "0006_accessibility_statement_in_ukrainian", "add_ukrainian_text"),
    ):
        module = import_module(f"{app_label}.migrations.{name}")
        getattr(module, function)(apps, schema_editor)


@pytest.fixture(scope="package")
def portal_server(django_db_setup):
    """A live server for the seeded modules. Not pytest-django's `live_server`:
    any test that uses that one gets `transactional_db`, which empties the
    database after each test, and the seed would have to be loaded again for
    every page. Reads the test database (an in-memory SQLite one is shared
    with the server's thread, as `live_server` does)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


def assert_test_database():
    """Never load into, or flush, anything but the test database: pytest-django
    sets one up only when some collected test is marked `django_db`."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
    if not (name.startswith("test_") or in_memory):
        pytest.fail(f"Not a test database ({name}): mark the module pytest.mark.django_db.")


@pytest.fixture(scope="module")
def seeded_site(django_db_blocker, portal_server):
    """The seed content on the live server for the whole module."""
    with django_db_blocker.unblock():
        assert_test_database()
        restore_migration_data()
        call_command("load_seed_content", verbosity=0)
        site = SeededSite(
            url=portal_server.url,
            paths={code: public_paths(code) for code, _name in settings.LANGUAGES},
        )
        try:
            yield site
        finally:
            # Back to the state after the migrations, which the tests that
            # follow expect (their own transactions start from it).
            call_command("flush", interactive=False, verbosity=0)
            restore_migration_data()
            # With Playwright's loop running, Django's per-context connection
            # here is not the one pytest-django closes before dropping the test
            # database (PostgreSQL refuses while a session is open).
            connections.close_all()
