"""Site search (search/ranking.py): what a newcomer would type, in both languages,
on the real database (the suite runs on SQLite and on PostgreSQL, and the expected
orders below are the same for both)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cities.models import City
from core.publishing import Status
from core.text import fold
from search.forms import MAX_QUERY_LENGTH
from search.ranking import search
from search.text import highlight, query_terms
from tests.factories import (
    CityFactory,
    DeclarationFactory,
    InitiativeFactory,
    MayorFactory,
    MeetingFactory,
    TeamFactory,
)
from tests.html import h1_texts, parse, text, with_class


def results_page(client, language, query):
    with translation.override(language):
        url = reverse("search:search")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    page = parse(response)
    assert len(h1_texts(page)) == 1
    return response, page


def titles(page):
    """The titles of the results, in order."""
    return [text(title) for title in with_class(page, "search-result__title")]


@pytest.fixture
def content(db):
    lodz = CityFactory(
        slug="lodz",
        name_pl="Łódź",
        name_en="Łódź",
        summary_pl="Trzecie co do wielkości miasto Polski.",
        summary_en="Poland's third largest city.",
    )
    gdansk = CityFactory(
        slug="gdansk",
        name_pl="Gdańsk",
        name_en="Gdańsk",
        summary_pl="Miasto nad Bałtykiem, gospodarz konferencji w Gdańsku.",
        summary_en="A city on the Baltic Sea.",
    )
    warszawa = CityFactory(slug="warszawa", name_pl="Warszawa", name_en="Warsaw")
    MayorFactory(city=lodz, full_name="Hanna Zdanowska")
    declaration = DeclarationFactory(
        slug="deklaracja-ump",
        title_pl="Deklaracja prezydentów o współdziałaniu w dziedzinie migracji",
        title_en="Declaration of Mayors on cooperation in the field of migration",
        body_pl="Podpisano w Gdańsku. Integracja migrantów w Łodzi i w innych miastach.",
        body_en="Signed in Gdańsk. Integration of migrants in Łódź and other cities.",
    )
    team = TeamFactory(
        description_pl="Zespół ds. integracji.", description_en="Team on integration."
    )
    MeetingFactory(
        team=team,
        slug="spotkanie-lublin",
        title_pl="Spotkanie Zespołu w Lublinie",
        title_en="",  # not translated yet: the Polish title is shown and searched
        host_city=warszawa,
        theme_pl="Integracja migrantów na rynku pracy.",
        theme_en="",
    )
    InitiativeFactory(
        slug="akademia",
        title_pl="Akademia integracji migrantów",
        title_en="Academy on the Integration of Migrants",
        summary_pl="Szkolenia dla urzędników.",
        summary_en="Training for city staff.",
    )
    return {"lodz": lodz, "gdansk": gdansk, "declaration": declaration}


def test_fold_removes_case_and_polish_diacritics():
    assert fold("Łódź") == "lodz"
    assert fold("GDAŃSK") == "gdansk"
    assert fold("Zażółć gęślą jaźń") == "zazolc gesla jazn"
    assert fold("ŁÓDŹ") == fold("lodz")


def test_query_terms_ignore_punctuation_and_one_letter_words():
    assert query_terms("  Łódź, a   Gdańsk!  ") == ["lodz", "gdansk"]
    assert query_terms("' OR 1=1; --") == ["or"]
    assert query_terms("!!!") == []


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    ("query", "expected_first"),
    [("lodz", "Łódź"), ("ŁÓDŹ", "Łódź"), ("gdansk", "Gdańsk"), ("Gdańsk", "Gdańsk")],
)
def test_diacritics_and_case_do_not_matter(client, content, language, query, expected_first):
    _response, page = results_page(client, language, query)
    assert titles(page)[0] == expected_first


def test_title_hits_rank_above_body_hits(client, content):
    # "Gdańsk" is the city's name, and only mentioned in the declaration's text.
    _response, page = results_page(client, "en", "gdansk")
    assert titles(page)[:2] == [
        "Gdańsk",
        "Declaration of Mayors on cooperation in the field of migration",
    ]
    # "integration": two titles, then the declaration whose text mentions it.
    _response, page = results_page(client, "en", "integration")
    assert set(titles(page)[:2]) == {
        "Academy on the Integration of Migrants",
        "Team for Migration and Integration",
    }
    assert titles(page)[2] == "Declaration of Mayors on cooperation in the field of migration"


def test_matched_passage_is_highlighted(client, content):
    response, page = results_page(client, "en", "lodz")
    marks = [text(mark) for mark in page.iter("mark")]
    assert "Łódź" in marks  # in the declaration's text: "migrants in Łódź"
    assert b"<mark>\xc5\x81\xc3\xb3d\xc5\xba</mark>" in response.content


def test_results_are_in_the_active_language(client, content):
    _response, page = results_page(client, "pl", "deklaracja")
    assert titles(page) == ["Deklaracja prezydentów o współdziałaniu w dziedzinie migracji"]
    # The English page searches the English text: the Polish title is not matched.
    _response, page = results_page(client, "en", "deklaracja")
    assert titles(page) == []
    _response, page = results_page(client, "en", "warsaw")
    assert titles(page)[0] == "Warsaw"


def test_text_missing_in_english_falls_back_to_polish(client, content):
    response, page = results_page(client, "en", "lublinie")
    assert titles(page) == ["Spotkanie Zespołu w Lublinie"]
    # Marked as Polish for readers and screen readers.
    assert 'lang="pl"><mark>' in response.content.decode() or 'lang="pl">Spotkanie' in (
        response.content.decode()
    )


def test_city_slug_finds_a_city_by_its_polish_name_in_english(client, content):
    _response, page = results_page(client, "en", "warszawa")
    assert titles(page)[0] == "Warsaw"


def test_mayors_are_found_by_name(client, content):
    _response, page = results_page(client, "pl", "zdanowska")
    assert titles(page) == ["Hanna Zdanowska"]


def test_every_word_must_match(client, content):
    _response, page = results_page(client, "en", "gdansk baltic")
    assert titles(page) == ["Gdańsk"]
    _response, page = results_page(client, "en", "gdansk nonexistentword")
    assert titles(page) == []


def test_drafts_and_scheduled_items_are_not_found(client, content):
    DeclarationFactory(title_en="Secret draft zebra", status=Status.DRAFT)
    DeclarationFactory(
        title_en="Scheduled zebra",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    MeetingFactory(title_en="Draft zebra meeting", status=Status.DRAFT)
    InitiativeFactory(title_en="Draft zebra initiative", status=Status.DRAFT)
    _response, page = results_page(client, "en", "zebra")
    assert titles(page) == []


def test_no_results_page_is_helpful(client, content):
    response, page = results_page(client, "en", "xylophone")
    assert titles(page) == []
    text = response.content.decode()
    assert "0 results for “xylophone”" in text
    assert "Nothing found" in text
    assert reverse("cities:city_list") in text


@pytest.mark.parametrize("query", ["", "   ", "!!!", "?q=&"])
def test_empty_query_shows_what_can_be_found(client, content, query):
    response, page = results_page(client, "en", query)
    assert titles(page) == []
    assert response.context["results"] == []


def test_ten_thousand_characters_are_refused_politely(client, content):
    query = "gdansk " * 1500  # 10,500 characters
    response, page = results_page(client, "en", query)
    assert titles(page) == []
    text = response.content.decode()
    assert f"at most {MAX_QUERY_LENGTH} characters" in text
    assert query not in text  # not echoed back
    # Only the page's own address, in its hreflang links (every language and x-default)
    # and the language switcher, carries the query: nothing else grows with it.
    addresses = 2 * len(settings.LANGUAGES) + 1
    assert len(response.content) < 10_000 + addresses * len(query)


def test_sql_in_the_query_is_just_text(client, content):
    response, page = results_page(client, "en", "gdansk'; DROP TABLE cities_city; --")
    assert titles(page) == []
    assert City.objects.filter(slug="gdansk").exists()
    assert "DROP TABLE cities_city" in response.content.decode()  # shown, escaped, as typed


def test_html_in_the_query_is_escaped(client, content):
    response, _page = results_page(client, "en", '<script>alert("x")</script> gdansk')
    text = response.content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert" in text


def test_html_in_the_content_is_escaped_around_the_marks():
    html = highlight('<b>Łódź</b> & "lodz"', ["lodz"])
    assert html == "&lt;b&gt;<mark>Łódź</mark>&lt;/b&gt; &amp; &quot;<mark>lodz</mark>&quot;"


def test_null_character_is_refused(client, content):
    _response, page = results_page(client, "en", "gda\x00nsk")
    assert titles(page) == []


def test_query_count_does_not_grow_with_content(client, content):
    def count():
        with CaptureQueriesContext(connection) as queries:
            results_page(client, "en", "migrants")
        return len(queries)

    before = count()
    for n in range(5):
        CityFactory(summary_en=f"Migrants welcome {n}")
        MeetingFactory(theme_en=f"Migrants {n}")
        DeclarationFactory(body_en=f"Migrants {n}")
    assert count() == before


def test_same_order_on_every_database(content):
    """The expected list is written out: SQLite and PostgreSQL must both give it."""
    with translation.override("en"):
        titles = [result.document.title for result in search("migra")]
    assert titles == [
        "Declaration of Mayors on cooperation in the field of migration",
        "Team for Migration and Integration",
        "Academy on the Integration of Migrants",
        # English page, Polish fallback text: "Integracja migrantów".
        "Spotkanie Zespołu w Lublinie",
    ]


def test_search_box_is_in_every_page_header(client, content):
    for url in ("/en/", "/pl/", reverse("cities:city_list")):
        text = client.get(url).content.decode()
        assert 'role="search"' in text
        assert 'name="q"' in text


@pytest.mark.parametrize(("language", "path"), [("pl", "/pl/szukaj/"), ("en", "/en/search/")])
def test_search_path_is_translated(client, db, language, path):
    with translation.override(language):
        assert reverse("search:search") == path
    assert client.get(path, {"q": "lodz"}).status_code == 200
