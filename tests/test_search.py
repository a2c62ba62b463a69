"""Site search (search/): what a newcomer would type, in both languages, on the real
database (the suite runs on SQLite and on PostgreSQL, and the expected orders below are
the same for both): other forms of a word, typing errors and "Did you mean", words
found nowhere, the labels of results, the kept index and when it is built again.
The relevance set on the seed content is tests/test_search_relevance.py."""

import datetime
import runpy
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cities.models import City
from core.publishing import Status
from core.text import fold
from search import analysers
from search import index as search_index
from search.analysers import analyser_for
from search.forms import MAX_QUERY_LENGTH
from search.ranking import search
from search.text import MAX_TERM_LENGTH, highlight, query_terms
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


def folded_terms(query):
    return [term.folded for term in query_terms(query)]


def test_query_terms_ignore_punctuation_and_one_letter_words():
    assert folded_terms("  Łódź, a   Gdańsk!  ") == ["lodz", "gdansk"]
    assert [term.word for term in query_terms("Łódź, Gdańsk")] == ["Łódź", "Gdańsk"]
    assert folded_terms("' OR 1=1; --") == ["or"]
    assert folded_terms("!!!") == []
    assert folded_terms("lodz LODZ Łódź") == ["lodz"]


def test_query_terms_are_capped_in_number_and_length():
    assert len(query_terms(" ".join(f"word{n}" for n in range(50)))) == 10
    assert folded_terms("x" * 200) == ["x" * MAX_TERM_LENGTH]


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
    # The English page searches the English text: the Polish title is not matched, only
    # the address, which is the same in both languages; the English title is shown.
    _response, page = results_page(client, "en", "deklaracja")
    assert titles(page) == ["Declaration of Mayors on cooperation in the field of migration"]
    _response, page = results_page(client, "en", "współdziałaniu")
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
    _response, page = results_page(client, "en", "integration academy")
    assert titles(page) == ["Academy on the Integration of Migrants"]


def test_a_word_found_nowhere_is_left_out_and_named(client, content):
    response, page = results_page(client, "en", "gdansk zzyzx")
    assert titles(page)[0] == "Gdańsk"
    assert "zzyzx" in text(with_class(page, "search-note")[0])
    assert response.context["not_found"] == ["zzyzx"]
    # Nothing at all: the page says so, without a note about left-out words.
    response, page = results_page(client, "en", "zzyzx")
    assert titles(page) == []
    assert not with_class(page, "search-note")


def test_when_no_page_holds_every_word_the_closest_are_shown(client, content):
    # No page has both "Baltic" and "Academy": each of them has one.
    response, page = results_page(client, "en", "baltic academy")
    assert set(titles(page)) == {"Gdańsk", "Academy on the Integration of Migrants"}
    assert response.context["partial"]
    assert "contain most of them" in text(with_class(page, "search-note")[0])


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
    assert titles(page)[0] == "Gdańsk"
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
        titles = [result.document.title for result in search("migra").results]
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


# ---------------------------------------------------------------- other forms of a word


@pytest.fixture
def inflected(db):
    """Texts that use the forms a visitor does not type."""
    krakow = CityFactory(
        slug="krakow", name_pl="Kraków", name_en="Kraków", name_uk="Краків", summary_pl=""
    )
    CityFactory(slug="wroclaw", name_pl="Wrocław", name_en="Wrocław", name_uk="Вроцлав")
    InitiativeFactory(
        slug="punkt",
        title_pl="Punkt informacyjny w Krakowie",
        title_en="Information point in Kraków",
        summary_pl="Porady dla migrantów i uchodźców z Ukrainy.",
        summary_en="Advice for migrants and refugees from Ukraine.",
        body_pl="",
        body_en="",
    )
    MeetingFactory(
        slug="wroclaw-2019",
        title_pl="Spotkanie we Wrocławiu",
        title_en="Meeting in Wrocław",
        theme_pl="Integracja na rynku pracy.",
        theme_en="Integrating newcomers into the labour market.",
    )
    return krakow


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("Krakowie", "Kraków"),  # locative
        ("Krakowa", "Kraków"),  # genitive
        ("krakowie", "Kraków"),
        ("Wrocławiu", "Wrocław"),
        ("wroclawiu", "Wrocław"),  # no diacritics: the text's own form leads to its lemma
        ("migranci", "Punkt informacyjny w Krakowie"),  # nominative plural
        ("migrant", "Punkt informacyjny w Krakowie"),  # the text has "migrantów"
        ("uchodźca", "Punkt informacyjny w Krakowie"),
        ("spotkania", "Spotkanie we Wrocławiu"),
    ],
)
def test_polish_forms_find_their_word(client, inflected, query, expected_first):
    _response, page = results_page(client, "pl", query)
    assert titles(page)[0] == expected_first


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("migrant", "Information point in Kraków"),  # the text has "migrants"
        ("refugee", "Information point in Kraków"),
        ("meetings", "Meeting in Wrocław"),
        ("labour markets", "Meeting in Wrocław"),  # the text has "labour market"
        ("Krakowie", "Kraków"),  # a Polish form on the English page
    ],
)
def test_english_forms_find_their_word(client, inflected, query, expected_first):
    _response, page = results_page(client, "en", query)
    assert titles(page)[0] == expected_first


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_ukrainian_form_finds_the_city_on_every_page(client, inflected, language):
    # A Cyrillic word is analysed as Ukrainian whatever the page's language:
    # "Кракові" -> "Краків", the city's Ukrainian name.
    _response, page = results_page(client, language, "у Кракові")
    assert titles(page)[0] == "Kraków"
    _response, page = results_page(client, language, "Вроцлаві")
    assert titles(page)[0] == "Wrocław"


def test_the_form_in_the_text_is_highlighted(client, inflected):
    response, page = results_page(client, "pl", "migranci")
    assert "<mark>migrantów</mark>" in response.content.decode()
    _response, page = results_page(client, "pl", "Krakowie")
    assert [text(mark) for mark in page.iter("mark")][:1] == ["Kraków"]


def test_a_function_word_need_not_occur(client, inflected):
    # "we" and "in" are not in the city's page; the city is still what is meant.
    _response, page = results_page(client, "pl", "we Wrocławiu")
    assert "Wrocław" in titles(page)
    _response, page = results_page(client, "pl", "dla Krakowa")
    assert titles(page)[0] == "Kraków"


# ---------------------------------------------------------------- typing errors


@pytest.mark.parametrize(
    ("language", "query", "expected_first", "suggestion"),
    [
        ("pl", "Wroclw", "Wrocław", "Wrocław"),
        ("pl", "Krakw", "Kraków", "Kraków"),
        ("en", "Krakw", "Kraków", "Kraków"),
        ("en", "Gdnask", "Gdańsk", "Gdańsk"),  # two letters swapped
        ("en", "baltik sea", "Gdańsk", "baltic sea"),
    ],
)
def test_a_mistyped_word_finds_its_page_and_is_corrected(
    client, content, inflected, language, query, expected_first, suggestion
):
    response, page = results_page(client, language, query)
    assert titles(page)[0] == expected_first
    assert response.context["suggestion"].lower() == suggestion.lower()
    link = with_class(page, "search-suggestion")[0].find("a")
    assert text(link).lower() == suggestion.lower()
    # The link runs the corrected search, which needs no correction.
    href = urlsplit(link.get("href"))
    with translation.override(language):
        assert href.path == reverse("search:search")
    response = client.get(href.path, {"q": parse_qs(href.query)["q"][0]})
    assert titles(parse(response))[0] == expected_first
    assert not response.context["suggestion"]


def test_did_you_mean_reads_well_in_both_languages(client, inflected):
    _response, page = results_page(client, "pl", "Wroclw")
    assert text(with_class(page, "search-suggestion")[0]) == "Czy chodziło Ci o Wrocław?"
    _response, page = results_page(client, "en", "Wroclw")
    assert text(with_class(page, "search-suggestion")[0]) == "Did you mean Wrocław?"


def test_a_correct_word_is_not_corrected(client, content, inflected):
    for query in ("Wrocław", "wroclaw", "Krakowie", "migra", "zzyzx"):
        response, _page = results_page(client, "pl", query)
        assert response.context["suggestion"] == "", query


# ---------------------------------------------------------------- what the results say


def test_a_region_is_labelled_as_a_region(client, db):
    CityFactory(
        slug="pomorskie",
        name_pl="Województwo pomorskie",
        name_en="Pomorskie Voivodeship",
        kind=City.Kind.VOIVODESHIP,
    )
    CityFactory(slug="sopot", name_pl="Sopot", name_en="Sopot", summary_en="Pomorskie city.")
    CityFactory(
        slug="powiat-pucki", name_pl="Powiat pucki", name_en="Puck County", kind=City.Kind.COUNTY
    )
    _response, page = results_page(client, "en", "pomorskie")
    labels = {
        text(card.xpath(".//h2")[0]): text(with_class(card, "card__meta")[0])
        for card in with_class(page, "search-result")
    }
    assert labels == {"Pomorskie Voivodeship": "Region (regional government)", "Sopot": "City"}
    _response, page = results_page(client, "pl", "pomorskie")
    assert text(with_class(page, "card__meta")[0]) == "Region (samorząd województwa)"
    _response, page = results_page(client, "en", "puck")
    assert text(with_class(page, "card__meta")[0]) == "County"


def test_the_search_page_has_one_search_box(client, content):
    for query in ("", "gdansk"):
        _response, page = results_page(client, "en", query)
        assert len(page.xpath("//input[@name='q']")) == 1
        assert len(page.xpath("//form[@role='search']")) == 1
    # Every other page keeps the header's box.
    assert parse(client.get("/en/")).xpath("//input[@id='site-search-q']")


# ---------------------------------------------------------------- languages


def test_a_language_without_an_analyser_matches_folded_words(content, inflected, settings):
    settings.SEARCH_ANALYSERS = {
        code: path for code, path in settings.SEARCH_ANALYSERS.items() if code != "uk"
    }
    assert analyser_for("uk") is None  # no analyser named: still searchable
    City.objects.update(name_uk="", summary_uk="")  # the factories give Ukrainian names
    search_index.forget()
    with translation.override("uk"):
        # No Ukrainian text yet: the Polish one is shown, and searched as Polish.
        assert search("Krakowie").results[0].document.title == "Kraków"
        assert search("lodz").results[0].document.title == "Łódź"
    settings.SEARCH_ANALYSERS = {}
    search_index.forget()
    with translation.override("pl"):
        assert search("Łódź").results[0].document.title == "Łódź"
        assert search("Wroclw").suggestion == "Wrocław"
        assert search("Krakowie").results[0].document.title == "Punkt informacyjny w Krakowie"


# ---------------------------------------------------------------- the kept index


def test_the_index_is_kept_between_searches(content):
    with translation.override("en"):
        search("gdansk")
        with CaptureQueriesContext(connection) as queries:
            search("warsaw")
            search("lodz")
    assert len(queries) == 0


def test_an_edit_reaches_the_next_search(content):
    with translation.override("en"):
        assert search("gdynia").results == []
        content["gdansk"].name_en = "Gdańsk and Gdynia"
        content["gdansk"].save()
        assert search("gdynia").results[0].document.title == "Gdańsk and Gdynia"
        content["gdansk"].delete()
        assert search("gdynia").results == []


def test_a_scheduled_item_is_found_when_its_moment_comes(content, monkeypatch):
    now = timezone.now()
    InitiativeFactory(title_en="Zebra project", published_at=now + datetime.timedelta(hours=1))
    with translation.override("en"):
        assert search("zebra").results == []
        monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=2))
        assert search("zebra").results[0].document.title == "Zebra project"


def test_a_long_text_is_indexed_up_to_its_cap(db):
    filler = "migration " * (search_index.MAX_INDEXED_CHARACTERS // 10)
    InitiativeFactory(title_en="Long", summary_en="", body_en=f"early {filler} late")
    with translation.override("en"):
        assert search("early").results
        assert search("late").results == []


def test_the_gunicorn_master_loads_the_polish_dictionary_for_its_workers(settings):
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    config["on_starting"](None)
    assert analysers.polish("Krakowie") == {"Krak", "Kraka", "Kraków"}
    assert analysers.polish._morfeusz is not None  # loaded: forked workers share it
