"""Every public page runs a fixed number of SQL queries, whatever the amount of content.

Each page's count is pinned, measured once with the 12 UMP cities and again with
300 cities and 2,000 meetings (plus their mayors and signatures). The page cache is
empty in each test (tests/conftest.py), so these are the counts of a cache miss.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import translate_url
from django.utils import translation

from cities.models import City, Mayor, Voivodeship
from core.publishing import Status
from declarations.models import Declaration, Initiative, Meeting, Signatory, Team
from tests.factories import DeclarationFactory, InitiativeFactory, TeamFactory
from ump_portal.middleware import page_cache

pytestmark = pytest.mark.django_db

# Page -> queries on a cache miss. When the next scheduled item goes public is asked
# once per cache generation (three queries, ump_portal/middleware/page_cache.py), not
# per page: `count_queries` asks it first. A change here is a change in how a page
# reads the database: make sure it stays constant with the amount of content.
PINNED = {
    "/en/": 5,
    "/en/declarations/": 1,
    "/en/declarations/ump/": 3,
    "/en/cities/": 7,
    "/en/cities/?voivodeship=pomorskie&declaration=ump": 6,
    "/en/cities/city-0/": 5,
    "/en/team/": 4,
    "/en/meetings/": 1,
    "/en/meetings/meeting-0/": 3,
    "/en/initiatives/": 2,
    "/en/initiatives/academy/": 4,
    "/en/search/?q=city": 6,
    "/en/open-data/": 6,
    "/en/accessibility/": 1,
    "/sitemap.xml": 10,
    "/api/v1/cities.json": 2,
    "/api/v1/meetings.csv": 1,
    "/api/v1/declarations/ump/signatories.csv": 2,
    "/en/feeds/meetings.atom": 1,
    "/en/feeds/meetings.ics": 1,
}


def build_site(cities, meetings):
    """`cities` cities with a mayor each, all signatories of one declaration, one Team
    with `meetings` meetings hosted in turn by them, and one initiative with them all."""
    declaration = DeclarationFactory(slug="ump")
    voivodeships = list(Voivodeship.values)
    city_objects = City.objects.bulk_create(
        City(
            name=f"City {n}",
            name_pl=f"Miasto {n}",
            name_en=f"City {n}",
            slug=f"city-{n}",
            voivodeship=voivodeships[n % len(voivodeships)],
            is_ump_member=n < 12,
            latitude=50 + n % 5,
            longitude=15 + n % 8,
        )
        for n in range(cities)
    )
    mayors = Mayor.objects.bulk_create(
        Mayor(city=city, full_name=f"Mayor {n}", term_start=datetime.date(2014, 12, 1))
        for n, city in enumerate(city_objects)
    )
    Signatory.objects.bulk_create(
        Signatory(declaration=declaration, city=city, mayor=mayor, status=Signatory.Status.SIGNED)
        for city, mayor in zip(city_objects, mayors, strict=True)
    )
    team = TeamFactory(established_by=declaration)
    team.member_cities.set(city_objects)
    published_at = declaration.published_at
    Meeting.objects.bulk_create(
        Meeting(
            team=team,
            title=f"Meeting {n}",
            title_pl=f"Posiedzenie {n}",
            title_en=f"Meeting {n}",
            slug=f"meeting-{n}",
            host_city=city_objects[n % cities],
            start_date=datetime.date(2017, 1, 1) + datetime.timedelta(days=n),
            status=Status.PUBLISHED,
            published_at=published_at,
        )
        for n in range(meetings)
    )
    initiative = InitiativeFactory(slug="academy")
    initiative.cities.set(city_objects)
    initiative.meetings.set(Meeting.objects.all()[:meetings])
    assert (City.objects.count(), Meeting.objects.count()) == (cities, meetings)
    assert (Declaration.objects.count(), Team.objects.count(), Initiative.objects.count()) == (
        1,
        1,
        1,
    )


def count_queries(client, url):
    page_cache.seconds_until_next_publication(page_cache.current_generation())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("cities", "meetings"), [(12, 4), (300, 2000)], ids=["small", "large"])
def test_each_page_runs_its_pinned_number_of_queries(client, cities, meetings):
    build_site(cities, meetings)
    measured = {url: count_queries(client, url) for url in PINNED}
    assert measured == PINNED


@pytest.mark.parametrize("language", ["pl", "uk"])
def test_every_language_runs_as_many_queries_as_english(client, language):
    """The pinned counts hold for the same pages in the other languages, whether their
    texts exist in that language (Polish) or fall back to Polish (Ukrainian here)."""
    build_site(12, 4)
    english = [url for url in PINNED if url.startswith("/en/")]
    with translation.override("en"):
        translated = {url: translate_url(url, language) for url in english}
    assert all(path.startswith(f"/{language}/") for path in translated.values()), translated
    measured = {url: count_queries(client, path) for url, path in translated.items()}
    assert measured == {url: PINNED[url] for url in english}
