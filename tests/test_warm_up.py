"""Warming up a gunicorn worker: every kind of public page, in every language, through
the real WSGI application, before the worker takes requests (gunicorn.conf.py)."""

import pytest
from django.conf import settings
from django.test import override_settings

from core.publishing import Status
from tests.factories import (
    CityFactory,
    DeclarationFactory,
    InitiativeFactory,
    MeetingFactory,
    TeamFactory,
)
from ump_portal import warm_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    gdansk = CityFactory(slug="gdansk")
    DeclarationFactory(slug="deklaracja-ump-2017")
    DeclarationFactory(slug="a-draft", status=Status.DRAFT)
    TeamFactory()
    MeetingFactory(slug="2017-06-gdansk", host_city=gdansk)
    InitiativeFactory(slug="admin4all")


def test_paths_cover_every_kind_of_page_in_every_language(content):
    paths = warm_up.warm_up_paths()

    for expected in [
        "/pl/",
        "/pl/deklaracje/",
        "/pl/deklaracje/deklaracja-ump-2017/",
        "/pl/miasta/gdansk/",
        "/pl/zespol/",
        "/pl/spotkania/2017-06-gdansk/",
        "/pl/inicjatywy/admin4all/",
        "/pl/dostepnosc/",
        "/en/",
        "/en/cities/",
        "/en/declarations/deklaracja-ump-2017/",
        "/en/meetings/",
        "/en/initiatives/admin4all/",
        "/en/open-data/",
    ]:
        assert expected in paths
    assert not [path for path in paths if "a-draft" in path], "a draft is not public"
    assert len(paths) == len(set(paths)) == len(settings.LANGUAGES) * 12


def test_warm_up_renders_every_page_and_fills_the_page_cache(content, client, wsgi_application):
    answered = warm_up.warm_up(wsgi_application)

    assert answered == len(warm_up.warm_up_paths())
    # The test client asks for the first allowed host, as the warm-up did.
    for path in ["/pl/", "/en/cities/gdansk/", "/pl/spotkania/2017-06-gdansk/"]:
        assert client.get(path)["X-Page-Cache"] == "hit"


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["testserver"])
def test_warm_up_speaks_https_when_the_site_redirects_to_it(content, client, wsgi_application):
    assert warm_up.warm_up(wsgi_application) == len(warm_up.warm_up_paths())
    assert client.get("/pl/", secure=True)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        (["ump.example.pl", "localhost"], "ump.example.pl"),
        ([".example.pl"], "example.pl"),
        (["*"], "localhost"),
    ],
)
def test_warm_up_host_is_the_first_allowed_host_name(allowed_hosts, host):
    with override_settings(ALLOWED_HOSTS=allowed_hosts):
        assert warm_up.warm_up_host() == host


def test_a_failing_warm_up_is_logged_and_the_worker_starts_anyway(content, caplog):
    def broken_application(environ, start_response):
        raise RuntimeError("the database went away")

    assert warm_up.warm_up(broken_application) == 0
    assert "Warming up the worker failed" in caplog.text
    assert "the database went away" in caplog.text
