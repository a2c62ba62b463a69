"""Every public page in every language: status, one <h1>, <html lang>, hreflang
alternates, the language switcher, fallback marking, drafts, filters, error
pages, constant query counts and nothing a strict Content-Security-Policy
would block.

Pages are read with lxml (tests/html.py), not with regexes.
"""

import datetime
import io
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from cities.models import City, Voivodeship
from core.publishing import Status
from core.templatetags.portal import collate, date_range
from declarations.models import Declaration, Initiative, Meeting, Signatory
from tests.factories import (
    CityFactory,
    DeclarationFactory,
    InitiativeFactory,
    MayorFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    SignatoryFactory,
    TeamFactory,
    UserFactory,
)
from tests.html import alternates, classes, h1_texts, parse, text, with_class
from ump_portal.views import server_error

LANGUAGES = [code for code, _name in settings.LANGUAGES]


# ---------------------------------------------------------------- page parsing


def links_in(page, container_class):
    """The <a> elements inside the elements with `container_class`."""
    return [link for container in with_class(page, container_class) for link in container.iter("a")]


def lang_blocks(page):
    """The elements marked with a language of their own (any but <html>)."""
    return page.xpath("//*[@lang][not(self::html)]")


def item_with(page, words, tag="tr"):
    """The text of the first table row (or list item, `tag="li"`) mentioning `words`."""
    for item in page.iter(tag):
        if words in text(item):
            return text(item)
    raise AssertionError(f"no row or item mentions {words!r}")


def blocked_by_csp(page):
    """What a strict Content-Security-Policy would block, counted by kind. A JSON-LD
    data block is never executed, so no CSP applies to it."""
    return {
        "scripts": len(page.xpath("//script[not(@type = 'application/ld+json')]")),
        "style_blocks": len(page.xpath("//style")),
        "inline_styles": len(page.xpath("//*[@style]")),
        "inline_handlers": len(page.xpath("//*[@*[starts-with(name(), 'on')]]")),
    }


NOTHING_BLOCKED = {"scripts": 0, "style_blocks": 0, "inline_styles": 0, "inline_handlers": 0}


DASH = "\u2013"  # en dash, as in "12-13 June 2019"


# ---------------------------------------------------------------- content


@pytest.fixture
def site(db):
    """A small portal: a declaration signed by two cities and refused by one,
    a second declaration with no English text, the Team with partners, members
    and meetings (one with a document), and initiatives."""
    warszawa = CityFactory(
        slug="warszawa",
        name_pl="Warszawa",
        name_en="Warsaw",
        name_uk="Варшава",
        voivodeship=Voivodeship.MAZOWIECKIE,
        description_pl="Opis **Warszawy**.",
        description_en="About **Warsaw**.",
        description_uk="Про **Варшаву**.",
        integration_office_pl="Centrum Wielokulturowe",
        integration_office_en="Multicultural Centre",
        integration_office_uk="Багатокультурний центр",
        contact_email="migranci@example.org",
        contact_phone="+48 22 000 00 00",
        website="https://um.warszawa.pl/",
    )
    lodz = CityFactory(
        slug="lodz", name_pl="Łódź", name_en="Łódź", name_uk="Лодзь", voivodeship="lodzkie"
    )
    katowice = CityFactory(
        slug="katowice",
        name_pl="Katowice",
        name_en="Katowice",
        name_uk="Катовіце",
        voivodeship="slaskie",
    )
    MayorFactory(
        city=warszawa,
        full_name="Hanna Gronkiewicz-Waltz",
        term_start=datetime.date(2006, 12, 2),
        term_end=datetime.date(2018, 11, 21),
    )
    MayorFactory(
        city=warszawa, full_name="Rafał Trzaskowski", term_start=datetime.date(2018, 11, 22)
    )
    declaration = DeclarationFactory(
        slug="deklaracja-ump",
        title_pl="Deklaracja prezydentów",
        title_en="Declaration of Mayors",
        official_translations=["en"],
    )
    SignatoryFactory(
        declaration=declaration,
        city=warszawa,
        mayor=warszawa.mayors.get(full_name="Hanna Gronkiewicz-Waltz"),
    )
    SignatoryFactory(declaration=declaration, city=lodz)
    SignatoryFactory(
        declaration=declaration,
        city=katowice,
        status=Signatory.Status.NOT_SIGNED,
        note_pl="Prezydent Katowic nie podpisał deklaracji.",
        note_en="The mayor of Katowice did not sign.",
        note_uk="Міський голова Катовіце не підписав декларацію.",
        source_title="rp.pl",
        source_url="https://www.rp.pl/",
    )
    polish_only = DeclarationFactory(
        slug="pomorze",
        title_pl="Przyjazne i Bezpieczne Pomorze",
        title_en="",
        title_uk="",
        summary_en="",
        summary_uk="",
        body_pl="Tekst tylko po polsku.",
        body_en="",
        body_uk="",
    )
    partner = OrganisationFactory(name_en="International Organization for Migration", acronym="IOM")
    team = TeamFactory(established_by=declaration, description_en="The standing team.")
    team.partners.add(partner)
    team.member_cities.add(warszawa, lodz, katowice)
    initiative = InitiativeFactory(slug="akademia", website="https://example.org/")
    initiative.organisations.add(partner)
    initiative.cities.add(warszawa, lodz)
    meeting = MeetingFactory(
        team=team,
        slug="lublin-2019",
        host_city=warszawa,
        start_date=datetime.date(2019, 6, 12),
        end_date=datetime.date(2019, 6, 13),
        notes_pl="Notatki.",
        notes_en="Notes.",
        notes_uk="Нотатки.",
    )
    meeting.initiatives.add(initiative)
    MeetingDocumentFactory(meeting=meeting)
    MeetingFactory(
        team=team, slug="warszawa-2017", host_city=warszawa, start_date=datetime.date(2017, 6, 6)
    )
    return {
        "city": warszawa,
        "refusing_city": katowice,
        "declaration": declaration,
        "polish_only": polish_only,
        "team": team,
        "meeting": meeting,
        "initiative": initiative,
    }


def grow(site):
    """More of everything each page lists, to show that query counts stay put."""
    city, declaration, team = site["city"], site["declaration"], site["team"]
    meeting, initiative = site["meeting"], site["initiative"]
    for _ in range(3):
        other = CityFactory()
        MayorFactory(city=other)
        MayorFactory(
            city=city, term_start=datetime.date(1998, 1, 1), term_end=datetime.date(2002, 1, 1)
        )
        SignatoryFactory(declaration=declaration, city=other)
        SignatoryFactory(declaration=DeclarationFactory(), city=city, mayor=None)
        team.partners.add(OrganisationFactory())
        team.member_cities.add(other)
        extra_initiative = InitiativeFactory()
        extra_initiative.organisations.add(OrganisationFactory())
        extra_initiative.cities.add(city, other)
        meeting.initiatives.add(extra_initiative)
        initiative.cities.add(other)
        initiative.organisations.add(OrganisationFactory())
        MeetingDocumentFactory(meeting=meeting)
        extra_meeting = MeetingFactory(team=team, host_city=city)
        extra_meeting.initiatives.add(initiative)


# ---------------------------------------------------------------- the URLs

# (name, kwargs from the site fixture, query string)
PAGES = [
    ("home", {}, {}),
    ("declarations:declaration_list", {}, {}),
    ("declarations:declaration_detail", {"slug": "declaration"}, {}),
    ("declarations:declaration_detail", {"slug": "polish_only"}, {}),
    ("cities:city_list", {}, {}),
    ("cities:city_list", {}, {"voivodeship": "mazowieckie"}),
    ("cities:city_list", {}, {"declaration": "deklaracja-ump"}),
    ("cities:city_list", {}, {"voivodeship": "mazowieckie", "declaration": "deklaracja-ump"}),
    ("cities:city_list", {}, {"voivodeship": "atlantis"}),
    ("cities:city_list", {}, {"declaration": "no-such-declaration"}),
    ("cities:city_detail", {"slug": "city"}, {}),
    ("cities:city_detail", {"slug": "refusing_city"}, {}),
    ("declarations:team", {}, {}),
    ("declarations:meeting_list", {}, {}),
    ("declarations:meeting_detail", {"slug": "meeting"}, {}),
    ("declarations:initiative_list", {}, {}),
    ("declarations:initiative_detail", {"slug": "initiative"}, {}),
]
PAGE_IDS = [f"{name}{'-' + '-'.join(q.values()) if q else ''}" for name, _k, q in PAGES]


def page_url(site, name, kwargs, query, language):
    resolved = {key: site[value].slug for key, value in kwargs.items()}
    with translation.override(language):
        url = reverse(name, kwargs=resolved)
    return f"{url}?{urlencode(query)}" if query else url


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES, ids=PAGE_IDS)
def test_public_page(client, site, name, kwargs, query, language):
    url = page_url(site, name, kwargs, query, language)
    response = client.get(url)
    assert response.status_code == 200, url
    page = parse(response)
    assert len(h1_texts(page)) == 1, url
    assert page.get("lang") == language
    # hreflang: every language plus x-default (Polish), each the same object.
    expected = {code: page_url(site, name, kwargs, query, code) for code in LANGUAGES}
    assert alternates(page) == {
        **{code: f"http://testserver{path}" for code, path in expected.items()},
        "x-default": f"http://testserver{expected[settings.LANGUAGE_CODE]}",
    }
    # Nothing a strict Content-Security-Policy would block.
    assert blocked_by_csp(page) == NOTHING_BLOCKED


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES, ids=PAGE_IDS)
def test_language_switcher_leads_to_the_same_object(client, site, name, kwargs, query, language):
    page = parse(client.get(page_url(site, name, kwargs, query, language)))
    switcher = links_in(page, "language-switcher")
    assert [link.get("hreflang") for link in switcher] == LANGUAGES
    for link in switcher:
        code = link.get("hreflang")
        assert link.get("href") == page_url(site, name, kwargs, query, code)
        assert link.get("lang") == code
        # Each language is named in itself.
        assert text(link) == {"pl": "Polski", "en": "English", "uk": "Українська"}[code]
        assert ("aria-current" in link.attrib) == (code == language)


@pytest.mark.parametrize(
    ("name", "kwargs", "current", "section"),
    [
        ("cities:city_list", {}, "cities:city_list", None),
        ("cities:city_detail", {"slug": "city"}, None, "cities:city_list"),
        ("declarations:meeting_list", {}, "declarations:meeting_list", None),
        (
            "declarations:declaration_detail",
            {"slug": "declaration"},
            None,
            "declarations:declaration_list",
        ),
        ("declarations:team", {}, "declarations:team", None),
    ],
)
def test_main_navigation_marks_the_current_page(client, site, name, kwargs, current, section):
    page = parse(client.get(page_url(site, name, kwargs, {}, "en")))
    marked = {link.get("href"): link.get("aria-current") for link in links_in(page, "site-nav")}
    assert len(marked) == 5
    expected = {}
    for view_name, value in ((current, "page"), (section, "true")):
        if view_name:
            expected[page_url(site, view_name, {}, {}, "en")] = value
    assert {href: value for href, value in marked.items() if value} == expected


# ---------------------------------------------------------------- content shown


def signatories_by_caption(page):
    """{caption text: [row texts]} of the signatories tables: one table per status."""
    return {
        text(table.find("caption")): [text(row) for row in table.iter("tr")][1:]
        for table in with_class(page, "signatory-table", tag="table")
    }


def test_declaration_page_shows_signatories_with_status(client, site):
    response = client.get(
        page_url(site, "declarations:declaration_detail", {"slug": "declaration"}, {}, "en")
    )
    page = parse(response)
    tables = signatories_by_caption(page)
    assert list(tables) == ["2 cities or regions signed", "1 listed, but did not sign"]
    [row] = tables["1 listed, but did not sign"]
    assert "Katowice" in row
    assert "The mayor of Katowice did not sign." in row
    assert "Source: rp.pl" in row
    assert any("Łódź" in row for row in tables["2 cities or regions signed"])
    # No status column: each row has the name and who signed, nothing more.
    assert [len(row.findall("td")) for row in page.xpath("//table//tbody/tr")] == [1, 1, 1]
    assert "Hanna Gronkiewicz-Waltz" in text(page)  # the mayor at signing, not today's
    assert "2 of 3 signed" in text(page)
    assert "This is an official version, published by the authors." in text(page)
    assert "Summary by the portal's editors" in text(page)


def test_home_shows_the_refusal_as_did_not_sign(client, site):
    page = parse(client.get("/en/"))
    assert "Did not sign" in item_with(page, "Katowice", tag="li")
    assert "Signed" in item_with(page, "Warsaw", tag="li")
    assert "2 of the 3 mayors listed signed the declaration." in text(page)


def test_city_page_shows_mayors_signatures_and_contact(client, site):
    page = parse(client.get(page_url(site, "cities:city_detail", {"slug": "city"}, {}, "en")))
    assert "Rafał Trzaskowski, mayor (prezydent miasta), in office since 2018" in text(page)
    assert f"Hanna Gronkiewicz-Waltz mayor (prezydent miasta) 2006{DASH}2018" in text(page)
    assert "Declaration of Mayors" in text(page)
    assert "Multicultural Centre" in text(page)
    assert "migranci@example.org" in text(page)


def test_coat_of_arms_has_its_size_and_a_text_alternative(client, site):
    image = io.BytesIO()
    Image.new("RGB", (90, 120), "white").save(image, "PNG")
    site["city"].coat_of_arms.save("warszawa.png", ContentFile(image.getvalue()))
    response = client.get(page_url(site, "cities:city_detail", {"slug": "city"}, {}, "en"))
    [arms] = with_class(parse(response), "profile-header__arms", tag="img")
    assert (arms.get("width"), arms.get("height")) == ("90", "120")
    assert arms.get("alt") == "Coat of arms of Warsaw"


def test_city_page_without_contact_says_so(client, site):
    page = parse(
        client.get(page_url(site, "cities:city_detail", {"slug": "refusing_city"}, {}, "en"))
    )
    assert "has not yet given a public contact for migrants" in text(page)
    assert "Did not sign" in text(page)


def test_meeting_page_shows_dates_documents_and_initiatives(client, site):
    page = parse(
        client.get(page_url(site, "declarations:meeting_detail", {"slug": "meeting"}, {}, "en"))
    )
    assert f"12{DASH}13 June 2019" in text(page)
    assert "Minutes PDF, 15 bytes, Polish" in text(page)
    assert site["initiative"].title_en in text(page)


def test_meetings_are_grouped_by_year(client, site):
    shown = text(parse(client.get("/en/" + "meetings/")))
    assert shown.index("2019") < shown.index(f"12{DASH}13 June 2019")
    assert shown.index(f"12{DASH}13 June 2019") < shown.index("2017") < shown.index("6 June 2017")


# ---------------------------------------------------------------- filters


def test_city_filters_narrow_the_list(client, site):
    CityFactory(slug="gdansk", name_en="Gdańsk", voivodeship=Voivodeship.POMORSKIE)
    url = "/en/cities/"
    assert "4 cities or regions found" in text(parse(client.get(url)))
    by_region = parse(client.get(url, {"voivodeship": "mazowieckie"}))
    assert "1 city or region found" in text(by_region)
    assert "Warsaw" in text(by_region)
    signed = parse(client.get(url, {"declaration": "deklaracja-ump"}))
    # Katowice is listed for the declaration but did not sign it.
    assert "2 cities or regions found" in text(signed)
    assert "Katowice" not in text(signed)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"voivodeship": "atlantis"}, 3),
        ({"declaration": "x' OR 1=1"}, 3),
        ({"voivodeship": "atlantis", "declaration": "deklaracja-ump"}, 2),
        ({"voivodeship": "mazowieckie", "declaration": "<script>"}, 1),
    ],
)
def test_bogus_filter_value_is_reported_not_a_server_error(client, site, query, found):
    response = client.get("/en/cities/", query)
    assert response.status_code == 200
    page = parse(response)
    assert "field--error" in classes(page)
    assert "This filter is not applied." in text(page)
    # Only the bad filter is left out; a valid one still applies.
    assert f"{found} cit" in text(page)
    assert blocked_by_csp(page)["scripts"] == 0


# ---------------------------------------------------------------- fallback


def test_text_missing_in_english_is_shown_in_polish_and_marked(client, site):
    url = page_url(site, "declarations:declaration_detail", {"slug": "polish_only"}, {}, "en")
    page = parse(client.get(url))
    polish = [text(block) for block in lang_blocks(page) if block.get("lang") == "pl"]
    assert "Przyjazne i Bezpieczne Pomorze" in polish  # the title
    assert "Tekst tylko po polsku." in polish  # the body
    assert "fallback__notice" in classes(page)
    assert "This text is not available in English yet; it is shown in Polish." in text(page)
    # No claim that the Polish text is a translation.
    assert "translation by the portal's editors" not in text(page)


def test_inline_fallback_in_lists_is_marked(client, site):
    page = parse(client.get("/en/declarations/"))
    titles = [
        block for block in lang_blocks(page) if text(block) == "Przyjazne i Bezpieczne Pomorze"
    ]
    assert titles and all(block.get("lang") == "pl" for block in titles)
    assert "(in Polish)" in text(page)


def test_polish_page_has_no_fallback_marking(client, site):
    url = page_url(site, "declarations:declaration_detail", {"slug": "polish_only"}, {}, "pl")
    page = parse(client.get(url))
    assert not [block for block in lang_blocks(page) if block.tag not in {"a", "link"}]
    assert "fallback__notice" not in classes(page)


def test_editorial_translation_is_labelled(client, site):
    site["meeting"].official_translations = []
    site["meeting"].save()
    url = page_url(site, "declarations:meeting_detail", {"slug": "meeting"}, {}, "en")
    page = parse(client.get(url))
    assert (
        "This text is a translation by the portal's editors; only the original is "
        "authoritative. Original language: Polish."
    ) in text(page)
    polish_page = parse(
        client.get(page_url(site, "declarations:meeting_detail", {"slug": "meeting"}, {}, "pl"))
    )
    assert "origin-notice--original" in classes(polish_page)


def test_text_missing_in_ukrainian_is_shown_in_polish_with_a_ukrainian_notice(client, site):
    url = page_url(site, "declarations:declaration_detail", {"slug": "polish_only"}, {}, "uk")
    page = parse(client.get(url))
    assert page.get("lang") == "uk"
    polish = [text(block) for block in lang_blocks(page) if block.get("lang") == "pl"]
    assert "Przyjazne i Bezpieczne Pomorze" in polish
    assert "Tekst tylko po polsku." in polish
    assert "Цього тексту ще немає українською мовою, тому його показано польською." in text(page)
    assert "переклад редакції порталу" not in text(page)
    listed = parse(client.get(page_url(site, "declarations:declaration_list", {}, {}, "uk")))
    assert "(польською)" in text(listed)


def test_ukrainian_text_is_the_editors_translation_even_where_english_is_official(client, site):
    """The declaration's English version is the authors' own; its Ukrainian one is ours."""
    url = page_url(site, "declarations:declaration_detail", {"slug": "declaration"}, {}, "uk")
    page = parse(client.get(url))
    assert "origin-notice--editorial" in classes(page)
    assert (
        "Цей текст — переклад редакції порталу; автентичним є лише оригінал. "
        "Мова оригіналу: польська."
    ) in text(page)
    assert "Короткий виклад від редакції порталу" in text(page)
    english = parse(
        client.get(
            page_url(site, "declarations:declaration_detail", {"slug": "declaration"}, {}, "en")
        )
    )
    assert "origin-notice--official" in classes(english)


def test_city_page_in_ukrainian(client, site):
    page = parse(client.get(page_url(site, "cities:city_detail", {"slug": "city"}, {}, "uk")))
    assert h1_texts(page) == ["Варшава"]
    # The Polish name, which migrants meet on signs and in offices, marked as Polish.
    assert "Мазовецьке воєводство · Польська назва: Warszawa" in text(page)
    assert [text(span) for span in page.xpath("//main//span[@lang='pl']")] == ["Warszawa"]
    assert "Rafał Trzaskowski, міський голова (prezydent miasta), на посаді з 2018 року" in (
        text(page)
    )
    assert "Контакти для мігрантів" in text(page)
    assert "Багатокультурний центр" in text(page)
    polish = parse(client.get(page_url(site, "cities:city_detail", {"slug": "city"}, {}, "pl")))
    assert "Nazwa polska" not in text(polish)


# ---------------------------------------------------------------- drafts


@pytest.fixture
def drafts(site):
    return {
        "declarations:declaration_detail": DeclarationFactory(
            slug="draft-declaration", status=Status.DRAFT
        ),
        "declarations:meeting_detail": MeetingFactory(slug="draft-meeting", status=Status.DRAFT),
        "declarations:initiative_detail": InitiativeFactory(
            slug="draft-initiative", status=Status.DRAFT
        ),
    }


DRAFT_VIEWS = [
    "declarations:declaration_detail",
    "declarations:meeting_detail",
    "declarations:initiative_detail",
]


@pytest.mark.parametrize("view_name", DRAFT_VIEWS)
def test_draft_is_404_for_anonymous_visitors(client, drafts, view_name):
    with translation.override("en"):
        url = reverse(view_name, kwargs={"slug": drafts[view_name].slug})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("view_name", DRAFT_VIEWS)
def test_draft_is_previewed_with_a_banner_by_a_superuser(client, drafts, view_name):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    with translation.override("en"):
        url = reverse(view_name, kwargs={"slug": drafts[view_name].slug})
    response = client.get(url)
    assert response.status_code == 200
    page = parse(response)
    assert "draft-banner" in classes(page)
    assert "This page is not published. Only editors can see it." in text(page)


def test_scheduled_page_says_when_it_will_be_published(client, db):
    moment = timezone.now() + datetime.timedelta(days=3)
    scheduled = DeclarationFactory(slug="scheduled", published_at=moment)
    with translation.override("en"):
        url = scheduled.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = parse(client.get(url))
    assert "draft-banner" in classes(page)
    assert "This page is scheduled for publication on" in text(page)


def test_published_page_has_no_banner(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = parse(
        client.get(
            page_url(site, "declarations:declaration_detail", {"slug": "declaration"}, {}, "en")
        )
    )
    assert "draft-banner" not in classes(page)


def test_drafts_are_left_out_of_public_lists(client, drafts):
    for url in ("/en/declarations/", "/en/meetings/", "/en/initiatives/"):
        page = parse(client.get(url))
        assert "status--draft" not in classes(page)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("language", "path"),
    [
        ("pl", "/pl/nie-ma-takiej-strony/"),
        ("en", "/en/no-such-page/"),
        ("uk", "/uk/nemaie-takoi-storinky/"),
    ],
)
def test_404_page_in_the_visitors_language(client, db, language, path):
    response = client.get(path)
    assert response.status_code == 404
    page = parse(response)
    assert page.get("lang") == language
    assert len(h1_texts(page)) == 1
    assert alternates(page) == {}  # a missing page has no versions
    homes = {}
    for code in LANGUAGES:
        with translation.override(code):
            homes[code] = reverse("home")
    switcher = links_in(page, "language-switcher")
    assert {link.get("hreflang"): link.get("href") for link in switcher} == homes


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_page_needs_no_database_and_no_user(language):
    """No `db` fixture: pytest-django makes any database access fail here."""
    request = RequestFactory().get(f"/{language}/")  # no session, no user attached
    response = server_error(request)
    assert response.status_code == 500
    page = parse(response)
    assert page.get("lang") == language
    assert len(h1_texts(page)) == 1


# ---------------------------------------------------------------- query counts


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_content(client, site):
    urls = [page_url(site, name, kwargs, query, "en") for name, kwargs, query in PAGES]
    before = {url: count_queries(client, url) for url in urls}
    grow(site)
    after = {url: count_queries(client, url) for url in urls}
    assert after == before


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", datetime.date(2019, 6, 12), datetime.date(2019, 6, 13), f"12{DASH}13 June 2019"),
        ("pl", datetime.date(2019, 6, 12), datetime.date(2019, 6, 13), f"12{DASH}13 czerwca 2019"),
        ("en", datetime.date(2017, 6, 6), None, "6 June 2017"),
        ("pl", datetime.date(2019, 10, 29), datetime.date(2019, 10, 29), "29 października 2019"),
        (
            "en",
            datetime.date(2017, 6, 29),
            datetime.date(2017, 7, 1),
            f"29 June {DASH} 1 July 2017",
        ),
        (
            "pl",
            datetime.date(2019, 12, 30),
            datetime.date(2020, 1, 2),
            f"30 grudnia 2019 {DASH} 2 stycznia 2020",
        ),
        # Ukrainian: the month in the genitive after a day number.
        ("uk", datetime.date(2017, 6, 30), None, "30 червня 2017"),
        ("uk", datetime.date(2019, 6, 12), datetime.date(2019, 6, 13), f"12{DASH}13 червня 2019"),
        (
            "uk",
            datetime.date(2017, 6, 29),
            datetime.date(2017, 7, 1),
            f"29 червня {DASH} 1 липня 2017",
        ),
        (
            "uk",
            datetime.date(2019, 12, 30),
            datetime.date(2020, 1, 2),
            f"30 грудня 2019 {DASH} 2 січня 2020",
        ),
    ],
)
def test_date_range(language, start, end, expected):
    with translation.override(language):
        assert date_range(start, end) == expected


def test_names_are_collated_in_polish_order():
    @dataclass
    class Named:
        name: str

    names = ["Wrocław", "Łódź", "Lublin", "Poznań", "Zielona Góra", "Żary", "Łomża"]
    assert [item.name for item in collate([Named(n) for n in names])] == [
        "Lublin", "Łomża", "Łódź", "Poznań", "Wrocław", "Zielona Góra", "Żary",
    ]  # fmt: skip


def test_names_are_collated_in_ukrainian_order_on_ukrainian_pages():
    @dataclass
    class Named:
        name: str

    # ґ after г, є after е, і and ї after и; a name shown in Polish (a fallback) last.
    names = ["Щецин", "Гданськ", "Ґданськ", "Ірпінь", "Житомир", "Єнакієве", "Kraków", "Ялта"]
    with translation.override("uk"):
        collated = [item.name for item in collate([Named(n) for n in names])]
    assert collated == [
        "Гданськ", "Ґданськ", "Єнакієве", "Житомир", "Ірпінь", "Щецин", "Ялта", "Kraków",
    ]  # fmt: skip


# ---------------------------------------------------------------- the seeded site


def walk(client, start):
    """Every page reachable from `start` through links that stay in its language."""
    prefix = start
    seen, queue, pages = set(), [start], {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = page = parse(response)
        for href in page.xpath("//a/@href"):
            path = href.split("#")[0]
            if path.startswith(prefix) and path not in seen:
                queue.append(path)
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_the_seeded_site(client, seeded, language):
    pages = walk(client, f"/{language}/")
    # Every kind of page was reached: lists and details of each app.
    with translation.override(language):
        expected = {
            reverse("declarations:declaration_list"),
            reverse("cities:city_list"),
            reverse("declarations:team"),
            reverse("declarations:meeting_list"),
            reverse("declarations:initiative_list"),
            *(d.get_absolute_url() for d in Declaration.objects.published()),
            *(c.get_absolute_url() for c in City.objects.all()),
            *(m.get_absolute_url() for m in Meeting.objects.published()),
            *(i.get_absolute_url() for i in Initiative.objects.published()),
        }
    assert expected <= set(pages)
    other = next(code for code in LANGUAGES if code != language)
    for url, page in pages.items():
        assert len(h1_texts(page)) == 1, url
        assert page.get("lang") == language, url
        versions = alternates(page)
        assert set(versions) == {*LANGUAGES, "x-default"}, url
        assert versions[language] == f"http://testserver{url}", url
        # The other language's version is the same object and answers too.
        other_url = versions[other].removeprefix("http://testserver")
        assert client.get(other_url).status_code == 200, other_url
        switcher = {
            link.get("hreflang"): link.get("href") for link in links_in(page, "language-switcher")
        }
        assert switcher[other] == other_url, url
        blocked = blocked_by_csp(page)
        assert blocked["scripts"] == blocked["style_blocks"] == blocked["inline_styles"] == 0, url


def test_seeded_facts_are_on_the_pages(client, seeded):
    declaration = Declaration.objects.get(signatories__city__slug="katowice")
    with translation.override("en"):
        page = parse(client.get(declaration.get_absolute_url()))
    tables = signatories_by_caption(page)
    assert {caption: len(rows) for caption, rows in tables.items()} == {
        "11 cities or regions signed": 11,
        "1 listed, but did not sign": 1,
    }
    assert "Katowice" in tables["1 listed, but did not sign"][0]
    assert "11 of 12 signed" in text(page)

    academy = Initiative.objects.get(cities__slug="hrubieszow")
    with translation.override("en"):
        page = parse(client.get(academy.get_absolute_url()))
    for name in ("Częstochowa", "Hrubieszów", "Leszno"):
        assert name in text(page)

    for city, dates in [
        ("warszawa", "6 June 2017"),
        ("lublin", f"12{DASH}13 June 2019"),
        ("poznan", f"29{DASH}30 October 2019"),
    ]:
        meeting = Meeting.objects.get(host_city__slug=city)
        with translation.override("en"):
            page = parse(client.get(meeting.get_absolute_url()))
        assert dates in text(page), city


def test_city_page_lists_an_undated_declaration_last(client, db):
    """Undated declarations come after dated ones on every database (SQLite
    would put NULL dates first)."""
    city = CityFactory(slug="miasto")
    for title, date in (
        ("Deklaracja bez daty", None),
        ("Deklaracja datowana", datetime.date(2017, 6, 30)),
    ):
        SignatoryFactory(city=city, declaration=DeclarationFactory(title_pl=title, date=date))
    page = client.get("/pl/miasta/miasto/").content.decode()
    assert page.index("Deklaracja datowana") < page.index("Deklaracja bez daty")
