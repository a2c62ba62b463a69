"""schema.org JSON-LD on the public pages, checked against the vocabulary
(tests/schema_org.py): every page of the seeded site in both languages, and what
the declaration and initiative pages say about their object."""

import pytest
from django.conf import settings
from django.utils import translation
from lxml import etree

from declarations.models import Declaration, Initiative
from tests.html import json_ld
from tests.schema_org import problems

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_paths(client):
    tree = etree.fromstring(client.get("/sitemap.xml").content)
    return [
        loc.removeprefix("http://testserver")
        for loc in tree.xpath("//s:loc/text()", namespaces=SITEMAP)
    ]


def test_every_page_has_valid_json_ld(client, seeded):
    typed = {}
    for path in sitemap_paths(client):
        for data in json_ld(client.get(path)):
            assert problems(data) == [], path
            typed.setdefault(data["@type"], []).append(path)
    assert {"WebSite", "Legislation", "GovernmentOrganization", "Event", "Project"} <= set(typed)
    # Every language of every declaration and initiative.
    languages = len(settings.LANGUAGES)
    assert len(typed["Legislation"]) == languages * Declaration.objects.published().count()
    assert len(typed["Project"]) == languages * Initiative.objects.published().count()


@pytest.mark.parametrize(
    ("language", "expected_language"), [("pl", "pl"), ("en", "en"), ("uk", "pl")]
)
def test_declaration_is_legislation_with_language_date_place_and_signatories(
    client, seeded, language, expected_language
):
    declaration = Declaration.objects.get(slug="deklaracja-ump-2017")
    with translation.override(language):
        [data] = json_ld(client.get(declaration.get_absolute_url()))
    assert data["@type"] == "Legislation"
    assert data["inLanguage"] == expected_language
    assert data["legislationDate"] == "2017-06-30"
    assert data["locationCreated"]["name"] == {"uk": "Гданськ"}.get(language, "Gdańsk")
    signed = {organisation["name"] for organisation in data["legislationPassedBy"]}
    assert len(signed) == 11
    assert "Katowice" not in signed  # listed, but did not sign
    assert all(o["@type"] == "GovernmentOrganization" for o in data["legislationPassedBy"])
    with translation.override(language):
        assert data["alternateName"] == declaration.short_name().text
    # The full text has no Ukrainian version: a Ukrainian page shows the Polish original.
    if expected_language == "en":
        assert data["translationOfWork"]["inLanguage"] == "pl"
    else:
        assert "translationOfWork" not in data


def test_initiative_is_a_project_with_its_members_and_meetings(client, seeded):
    academy = Initiative.objects.get(slug="akademia-integracji-migrantow-i-uchodzcow")
    with translation.override("en"):
        [data] = json_ld(client.get(academy.get_absolute_url()))
    assert data["@type"] == "Project"
    members = {member["name"] for member in data["member"]}
    assert {"Hrubieszów", "Częstochowa"} <= members
    assert any(member.get("alternateName") == "UNHCR" for member in data["member"])
    lublin4all = Initiative.objects.get(slug="lublin4all")
    with translation.override("en"):
        [data] = json_ld(client.get(lublin4all.get_absolute_url()))
    assert [event["startDate"] for event in data["event"]] == ["2019-06-12"]


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"@type": "Legislaton", "name": "x"}, "is not a schema.org type"),
        ({"@type": "Legislation", "legislationDate": "30.06.2017"}, "is not a Date"),
        ({"@type": "Legislation", "startDate": "2017-06-30"}, "is not a property of Legislation"),
        ({"@type": "Legislation", "signatory": "x"}, "is not a schema.org property"),
        (
            {"@type": "Legislation", "legislationPassedBy": {"@type": "Place", "name": "x"}},
            "a Place where Organization or Person is expected",
        ),
        ({"@type": "Event", "eventStatus": "https://schema.org/Cancelled"}, "is not a"),
        ({"@type": "Event", "name": 12}, "is not a Text"),
    ],
)
def test_the_vocabulary_check_finds_mistakes(data, complaint):
    found = problems({"@context": "https://schema.org", **data})
    assert any(complaint in problem for problem in found), found


def test_the_vocabulary_check_accepts_subtypes_urls_and_enumerations():
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Meeting",
        "startDate": "2019-06-12",
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": {"@type": "GovernmentOrganization", "name": "Lublin"},
        "location": "https://example.org/lublin",
    }
    assert problems(data) == []


def test_a_declarations_pdf_is_given_by_the_view_that_checks_publication(client, seeded):
    declaration = Declaration.objects.get(slug="deklaracja-ump-2017")
    Declaration.objects.filter(pk=declaration.pk).update(pdf="declarations/ump-2017.pdf")
    declaration.refresh_from_db()
    [data] = json_ld(client.get(declaration.get_absolute_url()))
    assert data["encoding"]["contentUrl"] == f"http://testserver{declaration.pdf_url}"
