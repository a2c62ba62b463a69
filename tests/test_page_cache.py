"""The anonymous page cache: per language, dropped on any save, never for logged-in users."""

import datetime
import re

import pytest
from django.utils import timezone

from core.publishing import Status
from tests.factories import CityFactory, DeclarationFactory, UserFactory
from ump_portal.middleware import page_cache

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_anonymous_request_is_served_from_the_cache(client, django_assert_num_queries):
    CityFactory(name_pl="Gdańsk", slug="gdansk")
    assert get(client, "/pl/miasta/")["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        response = get(client, "/pl/miasta/")
    assert response["X-Page-Cache"] == "hit"
    assert "Gdańsk" in response.content.decode()


def test_each_language_has_its_own_entry(client):
    CityFactory(name_pl="Warszawa", name_en="Warsaw", slug="warszawa")
    assert "Warszawa" in get(client, "/pl/miasta/warszawa/").content.decode()
    english = get(client, "/en/cities/warszawa/")
    assert english["X-Page-Cache"] == "miss"
    assert "Warsaw" in english.content.decode()


def test_saving_content_drops_cached_pages(client):
    city = CityFactory(name_pl="Łódź", slug="lodz")
    get(client, "/pl/miasta/lodz/")

    city.summary_pl = "Nowy opis miasta po zmianie."
    city.save()

    response = get(client, "/pl/miasta/lodz/")
    assert response["X-Page-Cache"] == "miss"
    assert "Nowy opis miasta po zmianie." in response.content.decode()


def test_generation_changes_on_every_invalidation():
    before = page_cache.current_generation()
    page_cache.invalidate_all()
    middle = page_cache.current_generation()
    page_cache.invalidate_all()
    assert before < middle < page_cache.current_generation()


def test_logged_in_users_are_never_served_a_cached_page(client):
    draft = DeclarationFactory(status=Status.DRAFT, slug="projekt")
    get(client, "/pl/deklaracje/")  # cached for anonymous visitors
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)

    response = get(client, "/pl/deklaracje/")
    assert "X-Page-Cache" not in response
    preview = get(client, draft.get_absolute_url())
    assert "X-Page-Cache" not in preview

    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_scheduled_item_appears_on_time(client, settings):
    """Shared caches keep the page no longer than until the item goes public."""
    settings.CDN_MAX_AGE = 3600
    soon = timezone.now() + datetime.timedelta(seconds=30)
    DeclarationFactory(title_pl="Zaplanowana", slug="zaplanowana", published_at=soon)

    for source in ("miss", "hit"):  # rendered, then from the page cache
        response = get(client, "/pl/deklaracje/")
        assert response["X-Page-Cache"] == source
        shared_lifetime = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"])[1])
        assert 1 <= shared_lifetime <= 30


def test_error_responses_are_not_cached(client):
    assert client.get("/pl/miasta/nie-ma-takiego/").status_code == 404
    CityFactory(slug="nie-ma-takiego")
    page_cache.invalidate_all()
    assert client.get("/pl/miasta/nie-ma-takiego/").status_code == 200


def test_each_host_has_its_own_entry(client):
    """Pages carry absolute links built from the request, so a page cached for one
    allowed host must not be served to visitors of another."""
    first = get(client, "/pl/miasta/")
    assert "http://localhost/pl/miasta/" not in first.content.decode()

    other_host = client.get("/pl/miasta/", headers={"host": "localhost"})
    assert other_host["X-Page-Cache"] == "miss"
    assert 'href="http://localhost/pl/miasta/"' in other_host.content.decode()
    assert client.get("/pl/miasta/")["X-Page-Cache"] == "hit"
