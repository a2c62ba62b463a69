"""The map of signatories (cities/maps.py, declarations/templatetags/maps.py) on the home page
and the cities list: one focusable, labelled link per city with coordinates, its
status told by shape and words, a list for screen readers, the Natural Earth credit."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cities.maps import Projection, outline_path, place_labels
from declarations.models import Signatory
from declarations.templatetags.maps import map_context
from tests.factories import CityFactory, DeclarationFactory, SignatoryFactory, TeamFactory


class MapParser(HTMLParser):
    """The links inside the map's <svg> and the other facts the tests need."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_svg = 0
        self.links = []  # attrs of every <a> inside the map's svg
        self.shapes = []  # (link index, shape tag)
        self.svg_attrs = None
        self.stylesheets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        if tag == "svg" and "signatory-map__svg" in (attrs.get("class") or ""):
            self.in_svg += 1
            self.svg_attrs = attrs
        elif self.in_svg and tag == "a":
            self.links.append(attrs)
        elif self.in_svg and tag in {"circle", "polygon"} and self.links:
            self.shapes.append((len(self.links) - 1, tag))

    def handle_endtag(self, tag):
        if tag == "svg" and self.in_svg:
            self.in_svg -= 1


def parse(response):
    assert response.status_code == 200
    parser = MapParser()
    parser.feed(response.content.decode())
    return parser


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


@pytest.mark.parametrize("language", ["pl", "en"])
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
    page = parse(client.get(url))
    assert page.svg_attrs["role"] == "group"
    assert page.svg_attrs["aria-labelledby"] == "signatory-map-title"
    hrefs = [link["href"] for link in page.links]
    assert sorted(hrefs) == sorted(expected)  # no link for the region without coordinates
    for link in page.links:
        city = expected[link["href"]]
        # An <a href> in SVG is focusable with the keyboard; its name says city and status.
        assert link["aria-label"].startswith(city.name_en if language == "en" else city.name_pl)
        assert Decimal(link["data-latitude"]) == city.latitude
        assert Decimal(link["data-longitude"]) == city.longitude
    assert any(sheet.endswith("css/map.css") for sheet in page.stylesheets)


def test_status_is_told_by_shape_and_words(client, signatories):
    _declaration, cities = signatories
    page = parse(client.get("/en/"))
    by_href = {link["href"]: index for index, link in enumerate(page.links)}
    shapes = dict(page.shapes)
    gdansk = by_href[cities["gdansk"].get_absolute_url()]
    katowice = by_href[cities["katowice"].get_absolute_url()]
    leszno = by_href[cities["leszno"].get_absolute_url()]
    assert shapes[gdansk] == "circle"
    assert shapes[katowice] == shapes[leszno] == "polygon"
    assert page.links[gdansk]["aria-label"] == "Gdańsk: signed"
    assert page.links[katowice]["aria-label"] == "Katowice: listed, but did not sign"
    assert page.links[leszno]["aria-label"] == "Leszno: not listed as a signatory"
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
    page = parse(client.get("/en/cities/", {"declaration": "deklaracja-ump"}))
    assert [link["href"] for link in page.links] == [cities["gdansk"].get_absolute_url()]


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
