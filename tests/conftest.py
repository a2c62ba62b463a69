"""Fixtures shared by the whole suite."""

import importlib.util
import os
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation


def pytest_configure(config):
    """In CI (UMP_REQUIRE_BROWSER=1) the browser tests must run, not be skipped."""
    if os.environ.get("UMP_REQUIRE_BROWSER") and not (
        shutil.which("/usr/bin/chromium") and importlib.util.find_spec("playwright")
    ):
        raise pytest.UsageError(
            "UMP_REQUIRE_BROWSER is set but Debian's chromium or Playwright is missing."
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache(settings, tmp_path):
    """Each test starts with no cached page (rolled-back data sends no signal) and a
    stamp file of its own, untouched by any other test run on the machine."""
    settings.PAGE_CACHE_STAMP_FILE = tmp_path / "page-cache-stamp"
    cache.clear()


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("pl")


@pytest.fixture
def seeded(db):
    """The real seed content, loaded through the management command."""
    call_command("load_seed_content", verbosity=0)
