"""`/sitemap.xml` and `/robots.txt` (ump_portal/sitemaps.py): every public page in
both languages, each answering 200 with the same hreflang alternates as the sitemap
says, lastmod from `updated_at`, drafts left out, the admin kept out."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.publishing import Status
from declarations.models import Declaration, Meeting
from tests.factories import (
    CityFactory,
    DeclarationFactory,
    InitiativeFactory,
    MeetingFactory,
    TeamFactory,
)
from tests.html import alternates

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def site(db):
    declaration = DeclarationFactory(slug="deklaracja-ump")
    team = TeamFactory(established_by=declaration)
    city = CityFactory(slug="gdansk")
    meeting = MeetingFactory(team=team, host_city=city)
    initiative = InitiativeFactory()
    draft = DeclarationFactory(slug="szkic", status=Status.DRAFT)
    scheduled = MeetingFactory(
        team=team, slug="pozniej", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    return {
        "declaration": declaration,
        "city": city,
        "meeting": meeting,
        "initiative": initiative,
        "draft": draft,
        "scheduled": scheduled,
    }


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's output
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        entries[loc] = {
            "alternates": alternates,
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
        }
    return entries


def path_of(url):
    parts = urlsplit(url)
    assert parts.netloc == "testserver"
    return parts.path


def test_every_url_answers_with_matching_alternates(client, site):
    entries = sitemap_entries(client)
    assert entries
    for loc, entry in entries.items():
        response = client.get(path_of(loc))
        assert response.status_code == 200, loc
        # The sitemap's alternates: every language and x-default (the Polish page).
        assert set(entry["alternates"]) == {*LANGUAGES, "x-default"}, loc
        assert entry["alternates"]["x-default"] == entry["alternates"][settings.LANGUAGE_CODE]
        assert loc in entry["alternates"].values()
        # ... are exactly the page's own hreflang links.
        assert alternates(response) == entry["alternates"], loc


def test_every_public_page_is_listed_in_both_languages(client, site):
    locs = {path_of(loc) for loc in sitemap_entries(client)}
    for language in LANGUAGES:
        with translation.override(language):
            expected = {
                reverse("home"),
                reverse("declarations:declaration_list"),
                reverse("cities:city_list"),
                reverse("declarations:team"),
                reverse("declarations:meeting_list"),
                reverse("declarations:initiative_list"),
                reverse("open_data:index"),
                reverse("accessibility"),
                site["declaration"].get_absolute_url(),
                site["city"].get_absolute_url(),
                site["meeting"].get_absolute_url(),
                site["initiative"].get_absolute_url(),
            }
            hidden = {site["draft"].get_absolute_url(), site["scheduled"].get_absolute_url()}
        assert expected <= locs
        assert not hidden & locs


def test_lastmod_comes_from_updated_at(client, site):
    entries = sitemap_entries(client)
    for key in ("declaration", "city", "meeting", "initiative"):
        obj = site[key]
        for language in LANGUAGES:
            with translation.override(language):
                loc = f"http://testserver{obj.get_absolute_url()}"
            # The sitemap writes the date in the site's time zone (Warsaw), which
            # around midnight is not the date in UTC.
            assert entries[loc]["lastmod"] == timezone.localdate(obj.updated_at).isoformat(), loc


def test_every_page_has_a_lastmod_and_lists_carry_their_items_last_change(client, site):
    declarations = Declaration.objects.filter(pk=site["declaration"].pk)
    declarations.update(updated_at=timezone.now() - datetime.timedelta(days=30))
    published_at = timezone.now() - datetime.timedelta(days=10)
    declarations.update(published_at=published_at)
    # A draft changed later, or an item that is not public yet, changes no list.
    Declaration.objects.filter(pk=site["draft"].pk).update(updated_at=timezone.now())
    meeting_changed = timezone.now() - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=site["meeting"].pk).update(
        updated_at=meeting_changed, published_at=meeting_changed
    )
    Meeting.objects.filter(pk=site["scheduled"].pk).update(updated_at=timezone.now())
    entries = sitemap_entries(client)
    assert all(entry["lastmod"] for entry in entries.values())

    def lastmod(view_name, language="en"):
        with translation.override(language):
            return entries[f"http://testserver{reverse(view_name)}"]["lastmod"]

    assert lastmod("declarations:declaration_list") == timezone.localdate(published_at).isoformat()
    assert lastmod("declarations:declaration_list", "pl") == lastmod(
        "declarations:declaration_list"
    )
    assert lastmod("declarations:meeting_list") == timezone.localdate(meeting_changed).isoformat()
    assert lastmod("home") >= lastmod("declarations:meeting_list")


def test_robots_txt_points_to_the_sitemap_and_keeps_the_admin_out(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405
