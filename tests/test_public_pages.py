"""Every public page in both languages: status, one <h1>, <html lang>, hreflang
alternates, the language switcher, fallback marking, drafts, filters, error
pages, constant query counts and nothing a strict Content-Security-Policy
would block.

Pages are read with the standard library's HTML parser, not with regexes.
"""

import datetime
import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
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
from ump_portal.views import server_error

LANGUAGES = [code for code, _name in settings.LANGUAGES]
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip


# ---------------------------------------------------------------- page parsing


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""


@dataclass
class Page:
    """What the tests need to know about a rendered page."""

    html_lang: str | None = None
    h1_count: int = 0
    alternates: dict = field(default_factory=dict)  # hreflang -> href
    switcher: list = field(default_factory=list)  # <a> elements of the switcher
    nav_links: list = field(default_factory=list)  # <a> elements of the main nav
    lang_blocks: list = field(default_factory=list)  # elements with a lang attribute
    items: list = field(default_factory=list)  # <tr> and <li> elements
    links: list = field(default_factory=list)  # href of every <a>
    classes: set = field(default_factory=set)
    scripts: int = 0
    style_blocks: int = 0
    inline_styles: int = 0
    inline_handlers: int = 0
    text: str = ""


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack = []  # open elements: (tag, Element or None, context label)
        self.texts = []

    def context(self):
        return {label for _tag, _element, label in self.stack if label}

    def handle_starttag(self, tag, attr_list):
        attrs = {name: value or "" for name, value in attr_list}
        page = self.page
        page.classes.update(attrs.get("class", "").split())
        # A JSON-LD data block is never executed, so no CSP applies to it.
        page.scripts += tag == "script" and attrs.get("type") != "application/ld+json"
        page.style_blocks += tag == "style"
        page.inline_styles += "style" in attrs
        page.inline_handlers += any(name.startswith("on") for name in attrs)
        if tag == "html":
            page.html_lang = attrs.get("lang")
        if tag == "h1":
            page.h1_count += 1
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            page.alternates[attrs["hreflang"]] = attrs["href"]
        element = Element(tag, attrs)
        if tag == "a" and "href" in attrs:
            page.links.append(attrs["href"])
        if tag == "a" and "language-switcher" in self.context():
            page.switcher.append(element)
        elif tag == "a" and "site-nav" in self.context():
            page.nav_links.append(element)
        elif "lang" in attrs and tag != "html":
            page.lang_blocks.append(element)
        if tag in {"tr", "li"}:
            page.items.append(element)
        if tag in VOID_ELEMENTS:
            return
        label = None
        css = attrs.get("class", "").split()
        if "language-switcher" in css:
            label = "language-switcher"
        elif "site-nav" in css:
            label = "site-nav"
        self.stack.append((tag, element, label))

    def handle_startendtag(self, tag, attr_list):
        self.handle_starttag(tag, attr_list)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Close up to the matching open tag (tolerates unclosed <p> and <li>).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.texts.append(data)
        for _tag, element, _label in self.stack:
            element.text += data


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    parser.close()
    parser.page.text = squash("".join(parser.texts))
    return parser.page


def squash(text):
    return " ".join(text.split())


def item_with(page, text, tag="tr"):
    """The text of the first table row (or list item, `tag="li"`) mentioning `text`."""
    for item in page.items:
        if item.tag == tag and text in squash(item.text):
            return squash(item.text)
    raise AssertionError(f"no row or item mentions {text!r}")


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
        voivodeship=Voivodeship.MAZOWIECKIE,
        description_pl="Opis **Warszawy**.",
        description_en="About **Warsaw**.",
        integration_office_pl="Centrum Wielokulturowe",
        integration_office_en="Multicultural Centre",
        contact_email="migranci@example.org",
        contact_phone="+48 22 000 00 00",
        website="https://um.warszawa.pl/",
    )
    lodz = CityFactory(slug="lodz", name_pl="Łódź", name_en="Łódź", voivodeship="lodzkie")
    katowice = CityFactory(
        slug="katowice", name_pl="Katowice", name_en="Katowice", voivodeship="slaskie"
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
        translations_are_official=True,
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
        source_title="rp.pl",
        source_url="https://www.rp.pl/",
    )
    polish_only = DeclarationFactory(
        slug="pomorze",
        title_pl="Przyjazne i Bezpieczne Pomorze",
        title_en="",
        summary_en="",
        body_pl="Tekst tylko po polsku.",
        body_en="",
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
    assert page.h1_count == 1, url
    assert page.html_lang == language
    # hreflang: every language plus x-default (Polish), each the same object.
    expected = {code: page_url(site, name, kwargs, query, code) for code in LANGUAGES}
    assert page.alternates == {
        **{code: f"http://testserver{path}" for code, path in expected.items()},
        "x-default": f"http://testserver{expected[settings.LANGUAGE_CODE]}",
    }
    # Nothing a strict Content-Security-Policy would block.
    assert (page.scripts, page.style_blocks, page.inline_styles, page.inline_handlers) == (
        0,
        0,
        0,
        0,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES, ids=PAGE_IDS)
def test_language_switcher_leads_to_the_same_object(client, site, name, kwargs, query, language):
    page = parse(client.get(page_url(site, name, kwargs, query, language)))
    assert [link.attrs["hreflang"] for link in page.switcher] == LANGUAGES
    for link in page.switcher:
        code = link.attrs["hreflang"]
        assert link.attrs["href"] == page_url(site, name, kwargs, query, code)
        assert link.attrs["lang"] == code
        # Each language is named in itself.
        assert squash(link.text) == {"pl": "Polski", "en": "English"}[code]
        assert ("aria-current" in link.attrs) == (code == language)


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
    marked = {link.attrs["href"]: link.attrs.get("aria-current") for link in page.nav_links}
    assert len(marked) == 5
    expected = {}
    for view_name, value in ((current, "page"), (section, "true")):
        if view_name:
            expected[page_url(site, view_name, {}, {}, "en")] = value
    assert {href: value for href, value in marked.items() if value} == expected


# ---------------------------------------------------------------- content shown


def test_declaration_page_shows_signatories_with_status(client, site):
    response = client.get(
        page_url(site, "declarations:declaration_detail", {"slug": "declaration"}, {}, "en")
    )
    page = parse(response)
    row = item_with(page, "Katowice")
    assert "Did not sign" in row
    assert "The mayor of Katowice did not sign." in row
    assert "Source: rp.pl" in row
    assert "Signed" in item_with(page, "Łódź")
    assert "Hanna Gronkiewicz-Waltz" in page.text  # the mayor at signing, not today's
    assert "2 of 3 signed" in page.text
    assert "This is the official English version" in page.text
    assert "Summary by the portal's editors" in page.text


def test_home_shows_the_refusal_as_did_not_sign(client, site):
    page = parse(client.get("/en/"))
    assert "Did not sign" in item_with(page, "Katowice", tag="li")
    assert "Signed" in item_with(page, "Warsaw", tag="li")
    assert "2 of the 3 mayors listed signed the declaration." in page.text


def test_city_page_shows_mayors_signatures_and_contact(client, site):
    page = parse(client.get(page_url(site, "cities:city_detail", {"slug": "city"}, {}, "en")))
    assert "Rafał Trzaskowski, mayor (prezydent miasta), in office since 2018" in page.text
    assert f"Hanna Gronkiewicz-Waltz mayor (prezydent miasta) 2006{DASH}2018" in page.text
    assert "Declaration of Mayors" in page.text
    assert "Multicultural Centre" in page.text
    assert "migranci@example.org" in page.text


def test_coat_of_arms_has_its_size_and_a_text_alternative(client, site):
    image = io.BytesIO()
    Image.new("RGB", (90, 120), "white").save(image, "PNG")
    site["city"].coat_of_arms.save("warszawa.png", ContentFile(image.getvalue()))
    response = client.get(page_url(site, "cities:city_detail", {"slug": "city"}, {}, "en"))
    parser = ImageParser()
    parser.feed(response.content.decode())
    [arms] = [img for img in parser.images if "profile-header__arms" in img.get("class", "")]
    assert (arms["width"], arms["height"]) == ("90", "120")
    assert arms["alt"] == "Coat of arms of Warsaw"


class ImageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def test_city_page_without_contact_says_so(client, site):
    page = parse(
        client.get(page_url(site, "cities:city_detail", {"slug": "refusing_city"}, {}, "en"))
    )
    assert "has not yet given a public contact for migrants" in page.text
    assert "Did not sign" in page.text


def test_meeting_page_shows_dates_documents_and_initiatives(client, site):
    page = parse(
        client.get(page_url(site, "declarations:meeting_detail", {"slug": "meeting"}, {}, "en"))
    )
    assert f"12{DASH}13 June 2019" in page.text
    assert "Minutes PDF, 15 bytes, Polish" in page.text
    assert site["initiative"].title_en in page.text


def test_meetings_are_grouped_by_year(client, site):
    page = parse(client.get("/en/" + "meetings/"))
    assert page.text.index("2019") < page.text.index(f"12{DASH}13 June 2019")
    assert (
        page.text.index(f"12{DASH}13 June 2019")
        < page.text.index("2017")
        < page.text.index("6 June 2017")
    )


# ---------------------------------------------------------------- filters


def test_city_filters_narrow_the_list(client, site):
    CityFactory(slug="gdansk", name_en="Gdańsk", voivodeship=Voivodeship.POMORSKIE)
    url = "/en/cities/"
    assert "4 cities or regions found" in parse(client.get(url)).text
    by_region = parse(client.get(url, {"voivodeship": "mazowieckie"}))
    assert "1 city or region found" in by_region.text
    assert "Warsaw" in by_region.text
    signed = parse(client.get(url, {"declaration": "deklaracja-ump"}))
    # Katowice is listed for the declaration but did not sign it.
    assert "2 cities or regions found" in signed.text
    assert "Katowice" not in signed.text


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
    assert "field--error" in page.classes
    assert "This filter is not applied." in page.text
    # Only the bad filter is left out; a valid one still applies.
    assert f"{found} cit" in page.text
    assert page.scripts == 0


# ---------------------------------------------------------------- fallback


def test_text_missing_in_english_is_shown_in_polish_and_marked(client, site):
    url = page_url(site, "declarations:declaration_detail", {"slug": "polish_only"}, {}, "en")
    page = parse(client.get(url))
    polish = [squash(block.text) for block in page.lang_blocks if block.attrs["lang"] == "pl"]
    assert "Przyjazne i Bezpieczne Pomorze" in polish  # the title
    assert "Tekst tylko po polsku." in polish  # the body
    assert "fallback__notice" in page.classes
    assert "This text is not available in English yet; it is shown in Polish." in page.text
    # No claim that the Polish text is a translation.
    assert "translation by the portal's editors" not in page.text


def test_inline_fallback_in_lists_is_marked(client, site):
    page = parse(client.get("/en/declarations/"))
    titles = [
        block
        for block in page.lang_blocks
        if squash(block.text) == "Przyjazne i Bezpieczne Pomorze"
    ]
    assert titles and all(block.attrs["lang"] == "pl" for block in titles)
    assert "(in Polish)" in page.text


def test_polish_page_has_no_fallback_marking(client, site):
    url = page_url(site, "declarations:declaration_detail", {"slug": "polish_only"}, {}, "pl")
    page = parse(client.get(url))
    assert not [block for block in page.lang_blocks if block.tag not in {"a", "link"}]
    assert "fallback__notice" not in page.classes


def test_editorial_translation_is_labelled(client, site):
    site["meeting"].translations_are_official = False
    site["meeting"].save()
    url = page_url(site, "declarations:meeting_detail", {"slug": "meeting"}, {}, "en")
    page = parse(client.get(url))
    assert "This English text is a translation by the portal's editors" in page.text
    polish_page = parse(
        client.get(page_url(site, "declarations:meeting_detail", {"slug": "meeting"}, {}, "pl"))
    )
    assert "origin-notice--original" in polish_page.classes


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
    assert "draft-banner" in page.classes
    assert "This page is not published. Only editors can see it." in page.text


def test_scheduled_page_says_when_it_will_be_published(client, db):
    moment = timezone.now() + datetime.timedelta(days=3)
    scheduled = DeclarationFactory(slug="scheduled", published_at=moment)
    with translation.override("en"):
        url = scheduled.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = parse(client.get(url))
    assert "draft-banner" in page.classes
    assert "This page is scheduled for publication on" in page.text


def test_published_page_has_no_banner(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = parse(
        client.get(
            page_url(site, "declarations:declaration_detail", {"slug": "declaration"}, {}, "en")
        )
    )
    assert "draft-banner" not in page.classes


def test_drafts_are_left_out_of_public_lists(client, drafts):
    for url in ("/en/declarations/", "/en/meetings/", "/en/initiatives/"):
        page = parse(client.get(url))
        assert "status--draft" not in page.classes


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("language", "path"), [("pl", "/pl/nie-ma-takiej-strony/"), ("en", "/en/no-such-page/")]
)
def test_404_page_in_the_visitors_language(client, db, language, path):
    response = client.get(path)
    assert response.status_code == 404
    page = parse(response)
    assert page.html_lang == language
    assert page.h1_count == 1
    assert page.alternates == {}  # a missing page has no versions
    homes = {}
    for code in LANGUAGES:
        with translation.override(code):
            homes[code] = reverse("home")
    assert {link.attrs["hreflang"]: link.attrs["href"] for link in page.switcher} == homes


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_page_needs_no_database_and_no_user(language):
    """No `db` fixture: pytest-django makes any database access fail here."""
    request = RequestFactory().get(f"/{language}/")  # no session, no user attached
    response = server_error(request)
    assert response.status_code == 500
    parser = PageParser()
    parser.feed(response.content.decode())
    assert parser.page.html_lang == language
    assert parser.page.h1_count == 1


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
        for href in page.links:
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
        assert page.h1_count == 1, url
        assert page.html_lang == language, url
        assert set(page.alternates) == {*LANGUAGES, "x-default"}, url
        assert page.alternates[language] == f"http://testserver{url}", url
        # The other language's version is the same object and answers too.
        other_url = page.alternates[other].removeprefix("http://testserver")
        assert client.get(other_url).status_code == 200, other_url
        switcher = {link.attrs["hreflang"]: link.attrs["href"] for link in page.switcher}
        assert switcher[other] == other_url, url
        assert page.scripts == page.style_blocks == page.inline_styles == 0, url


def test_seeded_facts_are_on_the_pages(client, seeded):
    declaration = Declaration.objects.get(signatories__city__slug="katowice")
    with translation.override("en"):
        page = parse(client.get(declaration.get_absolute_url()))
    assert "Did not sign" in item_with(page, "Katowice")
    rows = [squash(item.text) for item in page.items if item.tag == "tr"][1:]  # no header
    assert len(rows) == 12
    assert sum("Did not sign" in row for row in rows) == 1
    assert "11 of 12 signed" in page.text

    academy = Initiative.objects.get(cities__slug="hrubieszow")
    with translation.override("en"):
        page = parse(client.get(academy.get_absolute_url()))
    for name in ("Częstochowa", "Hrubieszów", "Leszno"):
        assert name in page.text

    for city, dates in [
        ("warszawa", "6 June 2017"),
        ("lublin", f"12{DASH}13 June 2019"),
        ("poznan", f"29{DASH}30 October 2019"),
    ]:
        meeting = Meeting.objects.get(host_city__slug=city)
        with translation.override("en"):
            page = parse(client.get(meeting.get_absolute_url()))
        assert dates in page.text, city
