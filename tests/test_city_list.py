"""The cities list: each card names its head's office (also when no head is
recorded, as on the region's own page, whose table of past heads does not call
them mayors either), and a filter option shown in Polish on the English page says
so with `lang`."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cities.models import City, Mayor
from tests.factories import CityFactory, DeclarationFactory, MayorFactory

pytestmark = pytest.mark.django_db


def cities_page(client, language):
    with translation.override(language):
        url = reverse("cities:city_list")
    return client.get(url).content.decode()


def card_of(html, name):
    cards = re.findall(
        r'<li class="city-card">.*?</li>\s*(?=<li class="city-card">|</ul>)', html, re.S
    )
    return next(card for card in cards if name in card)


@pytest.mark.parametrize(
    ("language", "region_label", "city_label"),
    [
        ("en", "Marshal of the voivodeship (marszałek województwa)", "Mayor (prezydent miasta)"),
        ("pl", "Marszałek województwa", "Prezydent miasta"),
    ],
)
def test_each_card_names_the_office_of_its_head(client, language, region_label, city_label):
    region = CityFactory(
        name_pl="Województwo Pomorskie",
        name_en="Pomorskie Region",
        kind=City.Kind.VOIVODESHIP,
    )
    MayorFactory(city=region, full_name="Mieczysław Struk", office=Mayor.Office.MARSHAL)
    city = CityFactory(name_pl="Gdańsk", name_en="Gdansk")
    MayorFactory(city=city, full_name="Aleksandra Dulkiewicz")

    html = cities_page(client, language)

    region_card = card_of(html, "Mieczysław Struk")
    assert f'<span class="label">{region_label}</span>' in region_card
    assert "Current mayor" not in region_card
    assert f'<span class="label">{city_label}</span>' in card_of(html, "Aleksandra Dulkiewicz")


@pytest.mark.parametrize(
    ("language", "label", "not_recorded"),
    [
        ("en", "Marshal of the voivodeship (marszałek województwa)", "not recorded"),
        ("pl", "Marszałek województwa", "brak danych"),
    ],
)
def test_a_region_without_a_recorded_head_is_still_not_given_a_mayor(
    client, language, label, not_recorded
):
    """As in the seed content: the Pomorskie region, with no marshal recorded."""
    region = CityFactory(
        name_pl="Województwo Pomorskie", slug="pomorskie", kind=City.Kind.VOIVODESHIP
    )

    with translation.override(language):
        url = region.get_absolute_url()
    card = card_of(cities_page(client, language), f'href="{url}"')
    assert f'<span class="label">{label}</span>' in card
    assert not_recorded in card

    profile = client.get(url).content.decode()
    assert f'<h2 id="mayor-heading">{label[0].upper()}{label[1:]}</h2>' in profile
    assert "mayor is not recorded" not in profile


@pytest.mark.parametrize(
    ("language", "region_caption", "city_caption"),
    [
        ("en", "Office holders over time", "Mayors over time"),
        ("pl", "Kolejne osoby sprawujące urząd", "Kolejni włodarze"),
    ],
)
def test_the_table_of_past_heads_calls_a_marshal_no_mayor(
    client, language, region_caption, city_caption
):
    region = CityFactory(kind=City.Kind.VOIVODESHIP)
    MayorFactory(city=region, full_name="Mieczysław Struk", office=Mayor.Office.MARSHAL)
    city = CityFactory()
    MayorFactory(city=city, full_name="Aleksandra Dulkiewicz")

    for place, caption, other in [
        (region, region_caption, city_caption),
        (city, city_caption, region_caption),
    ]:
        with translation.override(language):
            profile = client.get(place.get_absolute_url()).content.decode()
        assert f"<caption>{caption}</caption>" in profile
        assert other not in profile


def test_a_declaration_without_an_english_title_is_marked_polish_in_the_filter(client):
    DeclarationFactory(
        slug="przyjazne-pomorze", title_pl="Przyjazne i Bezpieczne Pomorze", title_en=""
    )
    DeclarationFactory(slug="ump-2017", title_en="Declaration of Mayors")

    english = cities_page(client, "en")
    assert (
        '<option value="przyjazne-pomorze" lang="pl">Przyjazne i Bezpieczne Pomorze</option>'
        in (english)
    )
    assert '<option value="ump-2017">Declaration of Mayors</option>' in english
    # On the Polish page the Polish title is no fallback.
    assert '<option value="przyjazne-pomorze">' in cities_page(client, "pl")
