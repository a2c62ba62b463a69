"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page: rolled-back data sends no signal."""
    cache.clear()


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("pl")


@pytest.fixture
def seeded(db):
    """The real seed content, loaded through the management command."""
    call_command("load_seed_content", verbosity=0)
