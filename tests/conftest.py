"""Fixtures shared by the whole suite."""

import os
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import set_script_prefix
from django.utils import translation

from search.index import forget as forget_search_indexes
from tests.browser.chromium import CHROMIUM

# The people of the permission tests (city_a, staff_a, editor, ...): any test may
# request them by name.
pytest_plugins = ["tests.roles"]

# `make test BROWSER=skip` sets this: the browser tests are left out on purpose.
SKIP_BROWSER = os.environ.get("UMP_BROWSER") == "skip"


def pytest_collection_modifyitems(config, items):
    """Browser tests run, or are left out on purpose and counted; a missing
    Chromium is an error that says what to do, never a silent skip."""
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if not browser_tests:
        return
    if SKIP_BROWSER:
        config.hook.pytest_deselected(items=browser_tests)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
        config.stash[skipped_browser_tests] = len(browser_tests)
        return
    if not shutil.which(CHROMIUM):
        raise pytest.UsageError(
            f"{len(browser_tests)} browser tests need Debian's Chromium at {CHROMIUM}: "
            "install it with `apt-get install chromium` (`make test` does so when run as "
            "root), or leave them out on purpose with `make test BROWSER=skip`."
        )


skipped_browser_tests = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config):
    if count := config.stash.get(skipped_browser_tests, 0):
        terminalreporter.write_line(
            f"{count} browser tests left out on purpose (BROWSER=skip).", yellow=True, bold=True
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache(settings, tmp_path):
    """Each test starts with no cached page and no kept search index (rolled-back data
    sends no signal) and a stamp file of its own, untouched by any other test run on
    the machine."""
    settings.PAGE_CACHE_STAMP_FILE = tmp_path / "page-cache-stamp"
    cache.clear()
    forget_search_indexes()


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("pl")


@pytest.fixture
def wsgi_application(db):
    """Django's real WSGI application, as gunicorn calls it. Each test runs inside
    one transaction on one connection, and the real handler closes a connection in a
    transaction when a request ends (PostgreSQL then loses the test's data), so, like
    Django's test client, the connection is kept open; and the script prefix a
    request set (`SCRIPT_NAME`) is put back for the tests that follow."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    set_script_prefix("/")


@pytest.fixture
def seeded(db):
    """The real seed content, loaded through the management command."""
    call_command("load_seed_content", verbosity=0)
