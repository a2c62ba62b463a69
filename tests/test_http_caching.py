"""Responses a CDN can keep: validators and 304, public or private Cache-Control, and a
page cache key that ignores tracking parameters and parameters a page does not read."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.cache import get_max_age

from core.publishing import Status
from core.query import declared_parameters, is_tracking
from tests.factories import CityFactory, DeclarationFactory, UserFactory
from tests.html import alternates
from ump_portal.middleware import page_cache

pytestmark = pytest.mark.django_db


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_an_anonymous_page_is_public_for_a_cdn_with_an_etag(client, settings):
    settings.CDN_MAX_AGE = 45
    settings.CDN_STALE_WHILE_REVALIDATE = 240
    CityFactory(slug="gdansk")
    for response in (client.get("/pl/miasta/gdansk/"), client.get("/pl/miasta/gdansk/")):
        assert response.status_code == 200
        assert cache_control(response) == {
            "public",
            "max-age=0",
            "s-maxage=45",
            "stale-while-revalidate=240",
        }
        assert response["ETag"].startswith('"')
    assert response["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from the page cache"])
def test_a_matching_if_none_match_gets_304_until_content_changes(client, cached):
    city = CityFactory(slug="lodz")
    etag = client.get("/pl/miasta/lodz/")["ETag"]
    if not cached:
        page_cache.invalidate_all()  # the next request renders the page again

    not_modified = client.get("/pl/miasta/lodz/", headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    city.summary_pl = "Zmieniony opis."
    city.save()
    changed = client.get("/pl/miasta/lodz/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Zmieniony opis." in changed.content.decode()


def test_the_shared_lifetime_ends_at_the_next_scheduled_publication(client, settings):
    settings.CDN_MAX_AGE = 3600
    DeclarationFactory(
        slug="zaplanowana", published_at=timezone.now() + datetime.timedelta(minutes=10)
    )
    response = client.get("/pl/deklaracje/")
    shared = next(part for part in cache_control(response) if part.startswith("s-maxage="))
    assert 500 < int(shared.removeprefix("s-maxage=")) <= 600


@pytest.mark.parametrize("url", ["/pl/", "/pl/deklaracje/", "/pl/miasta/gdansk/"])
def test_pages_for_a_signed_in_user_are_private_and_not_stored(client, url):
    CityFactory(slug="gdansk")
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    assert "public" not in cache_control(response)
    assert "ETag" not in response


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/cities/city/"])
def test_admin_responses_are_private_and_not_stored(client, url):
    if url != "/admin/login/":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize(
    ("url", "status"),
    [("/pl/miasta/nie-ma/", 404), ("/pl/miasta", 301), ("/", 302), ("/robots.txt", 200)],
)
def test_errors_and_redirects_are_kept_by_no_cdn(client, url, status):
    """A 404 may be cached by a CDN's heuristics; the page could be published a
    minute later. A page the portal caches keeps its public headers."""
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert "public" in cache_control(response)
    else:
        assert cache_control(response) == {"no-cache"}


def test_an_editors_draft_preview_is_private_and_not_stored(client):
    draft = DeclarationFactory(status=Status.DRAFT, slug="projekt")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    assert get_max_age(response) == 0


TRACKED = "utm_source=newsletter&utm_medium=email&fbclid=abc&gclid=def&mc_cid=1&mc_eid=2&msclkid=x"


def test_tracking_parameters_share_the_page_of_the_plain_url(client):
    CityFactory(slug="gdansk")
    plain = client.get("/pl/miasta/gdansk/")
    tracked = client.get(f"/pl/miasta/gdansk/?{TRACKED}")
    assert tracked["X-Page-Cache"] == "hit"
    assert tracked.content == plain.content
    assert "utm_" not in tracked.content.decode()


def test_parameters_a_page_does_not_read_share_its_entry(client):
    client.get("/pl/deklaracje/")
    response = client.get("/pl/deklaracje/?page=3&sort=title&x=1")
    assert response["X-Page-Cache"] == "hit"


def test_the_parameters_a_page_reads_make_their_own_entry(client):
    CityFactory(slug="gdansk", voivodeship="pomorskie")
    CityFactory(slug="krakow", voivodeship="malopolskie")
    everything = client.get("/pl/miasta/").content.decode()
    filtered = client.get(f"/pl/miasta/?voivodeship=pomorskie&{TRACKED}")
    assert filtered["X-Page-Cache"] == "miss"
    assert "/pl/miasta/krakow/" in everything
    assert "/pl/miasta/krakow/" not in filtered.content.decode()
    # The language links keep the filter and drop the tracking parameters.
    assert (
        alternates(filtered.content)["en"] == "http://testserver/en/cities/?voivodeship=pomorskie"
    )
    again = client.get("/pl/miasta/?gclid=1&voivodeship=pomorskie&unknown=2")
    assert again["X-Page-Cache"] == "hit"


def test_search_keeps_its_query_and_drops_tracking(client):
    CityFactory(name_pl="Gdańsk", slug="gdansk")
    first = client.get("/pl/szukaj/?q=gda%C5%84sk")
    second = client.get("/pl/szukaj/?utm_campaign=spring&q=gda%C5%84sk")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert client.get("/pl/szukaj/?q=inne")["X-Page-Cache"] == "miss"


def test_tracking_parameter_names():
    assert all(is_tracking(name) for name in ["utm_source", "UTM_TERM", "fbclid", "gclid"])
    assert not any(is_tracking(name) for name in ["q", "page", "voivodeship", "p"])


def public_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from public_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_every_public_view_declares_the_query_parameters_it_reads():
    undeclared = [route for route, view in public_patterns() if declared_parameters(view) is None]
    assert undeclared == []


def test_with_the_page_cache_off_pages_are_rendered_every_time(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    CityFactory(slug="gdansk")
    first = client.get("/pl/miasta/gdansk/")
    second = client.get("/pl/miasta/gdansk/", headers={"if-none-match": first["ETag"]})
    assert "X-Page-Cache" not in first
    assert "public" in cache_control(first)
    assert second.status_code == 304
