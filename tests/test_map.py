"""The map of signatories (cities/maps.py, declarations/templatetags/maps.py) on the home page
and the cities list: one focusable, labelled link per city with coordinates, its
status told by shape and words, a list for screen readers, the Natural Earth credit."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cities.maps import Projection, outline_path, place_labels
from declarations.models import Signatory
from declarations.templatetags.maps import map_context
from tests.factories import CityFactory, DeclarationFactory, SignatoryFactory, TeamFactory
from tests.html import parse, with_class


def map_of(response):
    """The map's <svg> on the page."""
    assert response.status_code == 200
    [svg] = with_class(parse(response), "signatory-map__svg", tag="svg")
    return svg


def shape(link):
    """The marker inside a city's link on the map: "circle" or "polygon"."""
    [marker] = link.xpath(".//circle | .//polygon")
    return marker.tag


@pytest.fixture
def signatories(db):
    declaration = DeclarationFactory(slug="deklaracja-ump")
    TeamFactory(established_by=declaration)

    def city(slug, name, latitude=None, longitude=None):
        return CityFactory(
            slug=slug,
            name_en=name,
            latitude=Decimal(latitude) if latitude else None,
            longitude=Decimal(longitude) if longitude else None,
        )

    cities = {
        "gdansk": city("gdansk", "Gdańsk", "54.35227", "18.64912"),
        "katowice": city("katowice", "Katowice", "50.2597", "19.02173"),
        "leszno": city("leszno", "Leszno", "51.84034", "16.57494"),
        "pomorskie": city("pomorskie", "Pomorskie Voivodeship"),
    }
    SignatoryFactory(declaration=declaration, city=cities["gdansk"])
    SignatoryFactory(
        declaration=declaration, city=cities["katowice"], status=Signatory.Status.NOT_SIGNED
    )
    return declaration, cities


def test_outline_is_projected_inside_the_view_box():
    projection = Projection.for_outline()
    path = outline_path()
    numbers = [float(n) for n in path.replace("M", " ").replace("L", " ").replace("Z", " ").split()]
    xs, ys = numbers[0::2], numbers[1::2]
    assert len(xs) == 45
    assert min(xs) >= 0 and max(xs) <= projection.width
    assert min(ys) >= 0 and max(ys) <= projection.height
    # Poland is about as tall as it is wide once longitudes are scaled by cos(latitude).
    assert 0.85 < projection.height / projection.width < 1.15


def test_projection_keeps_west_east_and_north_south():
    projection = Projection.for_outline()
    szczecin = projection.project(14.55302, 53.42894)
    warsaw = projection.project(21.01178, 52.22977)
    gdansk = projection.project(18.64912, 54.35227)
    krakow = projection.project(19.93658, 50.06143)
    assert szczecin[0] < warsaw[0]
    assert gdansk[1] < krakow[1]


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
@pytest.mark.parametrize("view_name", ["home", "cities:city_list"])
def test_one_focusable_labelled_link_per_city_with_coordinates(
    client, signatories, language, view_name
):
    _declaration, cities = signatories
    with translation.override(language):
        url = reverse(view_name)
        expected = {
            cities[slug].get_absolute_url(): cities[slug]
            for slug in ("gdansk", "katowice", "leszno")
        }
    response = client.get(url)
    svg = map_of(response)
    assert svg.get("role") == "group"
    assert svg.get("aria-labelledby") == "signatory-map-title"
    links = list(svg.iter("a"))
    hrefs = [link.get("href") for link in links]
    assert sorted(hrefs) == sorted(expected)  # no link for the region without coordinates
    for link in links:
        city = expected[link.get("href")]
        # An <a href> in SVG is focusable with the keyboard; its name says city and status.
        assert link.get("aria-label").startswith(getattr(city, f"name_{language}"))
        assert Decimal(link.get("data-latitude")) == city.latitude
        assert Decimal(link.get("data-longitude")) == city.longitude
    stylesheets = parse(response).xpath("//link[@rel = 'stylesheet']/@href")
    assert any(sheet.endswith("css/map.css") for sheet in stylesheets)


def test_status_is_told_by_shape_and_words(client, signatories):
    _declaration, cities = signatories
    by_href = {link.get("href"): link for link in map_of(client.get("/en/")).iter("a")}
    gdansk = by_href[cities["gdansk"].get_absolute_url()]
    katowice = by_href[cities["katowice"].get_absolute_url()]
    leszno = by_href[cities["leszno"].get_absolute_url()]
    assert shape(gdansk) == "circle"
    assert shape(katowice) == shape(leszno) == "polygon"
    assert gdansk.get("aria-label") == "Gdańsk: signed"
    assert katowice.get("aria-label") == "Katowice: listed, but did not sign"
    assert leszno.get("aria-label") == "Leszno: not listed as a signatory"
    text = client.get("/en/").content.decode()
    for words in ("Signed", "Listed, but did not sign", "Not listed as a signatory"):
        assert words in text  # the legend
    assert "Natural Earth" in text


def test_text_alternative_lists_every_city(client, signatories):
    _declaration, cities = signatories
    text = client.get("/en/").content.decode()
    details = text[text.index('<details class="signatory-map__list">') : text.index("</details>")]
    for city in cities.values():
        assert city.get_absolute_url() in details
    assert "Not shown on the map" in details  # the region without coordinates


def test_cities_list_map_follows_the_filter(client, signatories):
    _declaration, cities = signatories
    svg = map_of(client.get("/en/cities/", {"declaration": "deklaracja-ump"}))
    assert [link.get("href") for link in svg.iter("a")] == [cities["gdansk"].get_absolute_url()]


def test_labels_stay_inside_the_map(signatories):
    context = map_context()
    markers = place_labels(context["markers"])
    assert len(markers) == 3
    for marker in markers:
        assert 0 < marker.label_x < context["width"]
        assert 0 < marker.label_y < context["height"]


def test_map_query_count_is_constant(client, signatories):
    with CaptureQueriesContext(connection) as before:
        client.get("/en/")
    for n in range(5):
        CityFactory(latitude=Decimal("52.0") + n, longitude=Decimal("20.0"))
    with CaptureQueriesContext(connection) as after:
        client.get("/en/")
    assert len(after) == len(before)
