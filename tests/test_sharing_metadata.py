"""Sharing metadata (ump_portal/templatetags/sharing.py, includes/head_meta.html):
title and description in the page's language, canonical URL, Open Graph tags and
schema.org JSON-LD that a strict Content-Security-Policy leaves alone."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from PIL import Image

from cities.models import City
from tests.factories import CityFactory, DeclarationFactory, MeetingFactory, TeamFactory
from tests.html import json_ld, meta, parse
from ump_portal.templatetags.sharing import _json_ld_script


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response)


@pytest.fixture
def site(db):
    declaration = DeclarationFactory(slug="deklaracja-ump")
    team = TeamFactory(
        established_by=declaration,
        name_en="Team for Migration and Integration",
        description_pl="Stały zespół miast UMP.",
        description_en="A standing team of UMP cities.",
    )
    lublin = CityFactory(
        slug="lublin",
        name_pl="Lublin",
        name_en="Lublin",
        name_uk="Люблін",
        summary_pl="Miasto na wschodzie Polski.",
        summary_en="A city in eastern Poland.",
        website="https://lublin.eu",
        latitude="51.25058",
        longitude="22.57009",
    )
    meeting = MeetingFactory(
        team=team,
        slug="lublin-2019",
        title_pl="Spotkanie w Lublinie",
        title_en="Meeting in Lublin",
        title_uk="Засідання в Любліні",
        theme_pl="Integracja </script><script>alert(1)</script>",
        theme_en="Integration </script><script>alert(1)</script>",
        theme_uk="Інтеграція </script><script>alert(1)</script>",
        host_city=lublin,
        place_en="City Hall",
        start_date=datetime.date(2019, 6, 12),
        end_date=datetime.date(2019, 6, 13),
    )
    return {"meeting": meeting, "city": lublin, "declaration": declaration}


@pytest.mark.parametrize(
    ("language", "title", "description", "locality"),
    [
        ("en", "Meeting in Lublin", "Integration", "Lublin"),
        ("pl", "Spotkanie w Lublinie", "Integracja", "Lublin"),
        ("uk", "Засідання в Любліні", "Інтеграція", "Люблін"),
    ],
)
def test_meeting_page_has_canonical_open_graph_and_event(
    client, site, language, title, description, locality
):
    with translation.override(language):
        url = site["meeting"].get_absolute_url()
    page = get_page(client, url)
    canonical = [link.get("href") for link in page.xpath("//link[@rel = 'canonical']")]
    assert canonical == [f"http://testserver{url}"]
    properties = meta(page, "property")
    assert properties["og:url"] == f"http://testserver{url}"
    assert properties["og:title"] == title
    assert properties["og:description"].startswith(description)
    locales = {"pl": "pl_PL", "en": "en_GB", "uk": "uk_UA"}
    assert properties["og:locale"] == locales[language]
    alternate = page.xpath("//meta[@property = 'og:locale:alternate']/@content")
    assert sorted(alternate) == sorted(set(locales.values()) - {locales[language]})
    assert page.findtext("head/title").startswith(title)
    assert meta(page)["description"].startswith(description)
    [event] = json_ld(page)
    assert event["@type"] == "Event"
    assert event["name"] == title
    assert (event["startDate"], event["endDate"]) == ("2019-06-12", "2019-06-13")
    assert event["location"]["address"]["addressLocality"] == locality
    assert event["inLanguage"] == language


def test_json_ld_cannot_close_its_script_element(client, site):
    block = _json_ld_script({"name": "A </script><script>alert(1)</script> & <!-- B"})
    body = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["name"] == "A </script><script>alert(1)</script> & <!-- B"
    # On a page, the only <script> is the data block, which no browser executes.
    text = client.get(site["meeting"].get_absolute_url()).content.decode()
    assert text.count("<script") == 1
    assert "<script>alert" not in text


def test_city_page_describes_a_government_organisation(client, site):
    [organisation] = json_ld(get_page(client, site["city"].get_absolute_url()))
    assert organisation["@type"] == "GovernmentOrganization"
    assert organisation["areaServed"]["@type"] == "City"
    assert organisation["areaServed"]["geo"]["latitude"] == 51.25058
    assert organisation["sameAs"] == ["https://lublin.eu"]


def test_home_page_offers_the_site_search(client, site):
    [website] = json_ld(get_page(client, "/en/"))
    assert website["@type"] == "WebSite"
    assert website["potentialAction"]["target"]["urlTemplate"] == (
        "http://testserver/en/search/?q={query}"
    )


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
@pytest.mark.parametrize(
    "view_name",
    [
        "declarations:declaration_list",
        "cities:city_list",
        "declarations:meeting_list",
        "declarations:initiative_list",
        "declarations:team",
        "search:search",
        "open_data:index",
        "accessibility",
    ],
)
def test_every_page_has_a_description_and_open_graph_in_its_language(
    client, site, language, view_name
):
    with translation.override(language):
        url = reverse(view_name)
    page = get_page(client, url)
    properties = meta(page, "property")
    assert meta(page)["description"]
    assert properties["og:title"]
    assert properties["og:description"]
    assert properties["og:site_name"]
    assert properties["og:type"] == "website"
    assert meta(page)["deklaracja-dostępności"].startswith("http://testserver/")


def test_list_pages_get_their_own_description(client, site):
    site_description = meta(get_page(client, "/en/"))["description"]
    for view_name in ("declarations:meeting_list", "cities:city_list", "open_data:index"):
        with translation.override("en"):
            url = reverse(view_name)
        assert meta(get_page(client, url))["description"] != site_description, view_name


# og:image: the portal's share image, or a city's coat of arms -----------------


def og_image(page):
    properties = meta(page, "property")
    return {key: value for key, value in properties.items() if key.startswith("og:image")}


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_page_offers_the_share_image_with_its_size_and_alt(client, site, language):
    with translation.override(language):
        urls = [reverse(name) for name in ("home", "cities:city_list", "search:search")]
        urls += [site["meeting"].get_absolute_url(), site["declaration"].get_absolute_url()]
    for url in urls:
        image = og_image(get_page(client, url))
        assert image["og:image"] == "http://testserver/static/img/share.png", url
        assert (image["og:image:width"], image["og:image:height"]) == ("1200", "630")
        assert image["og:image:type"] == "image/png"
        assert len(image["og:image:alt"]) > 30
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert og_image(parse(response))["og:image"].endswith("/static/img/share.png")


def test_the_share_image_is_a_1200_by_630_png():
    path = Path(settings.BASE_DIR) / "static/img/share.png"
    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_a_city_shares_its_coat_of_arms(client, site):
    city = site["city"]
    buffer = io.BytesIO()
    Image.new("RGB", (200, 240), (200, 30, 40)).save(buffer, "WEBP")
    city.coat_of_arms.save("lublin.webp", ContentFile(buffer.getvalue()))
    with translation.override("en"):
        image = og_image(get_page(client, city.get_absolute_url()))
    assert image["og:image"] == f"http://testserver{city.coat_of_arms.url}"
    assert (image["og:image:width"], image["og:image:height"]) == ("200", "240")
    assert image["og:image:type"] == "image/webp"
    assert image["og:image:alt"] == "Coat of arms of Lublin"


def test_a_broken_coat_of_arms_falls_back_to_the_share_image(client, site):
    # A file no upload could store now (the model refuses it): one left in storage
    # from before, whose size was never known.
    city = site["city"]
    name = default_storage.save("cities/arms/broken.webp", ContentFile(b"not an image"))
    City.objects.filter(pk=city.pk).update(
        coat_of_arms=name, coat_of_arms_width=None, coat_of_arms_height=None
    )
    with translation.override("en"):
        response = client.get(city.get_absolute_url())
    assert og_image(parse(response))["og:image"].endswith("/static/img/share.png")
