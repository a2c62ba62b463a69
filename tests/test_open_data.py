"""Open data under /api/v1/ (open_data/datasets.py): the files parse as JSON and
CSV, hold the documented columns, match the database, list published items only,
and are read-only; the "Open data" page describes every file and column."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cities.models import City
from core.publishing import Status
from declarations.models import Signatory
from open_data.datasets import DATASETS
from tests.factories import (
    CityFactory,
    DeclarationFactory,
    MayorFactory,
    MeetingFactory,
    SignatoryFactory,
)


@pytest.fixture
def data(db):
    lodz = CityFactory(
        slug="lodz", name_pl="Łódź", name_en="Łódź", name_uk="Лодзь", latitude="51.77058"
    )
    warszawa = CityFactory(slug="warszawa", name_pl="Warszawa", name_en="Warsaw", name_uk="")
    katowice = CityFactory(slug="katowice", name_pl="Katowice", name_en="", name_uk="Катовіце")
    zdanowska = MayorFactory(
        city=lodz, full_name="Hanna Zdanowska", term_start=datetime.date(2010, 12, 1)
    )
    declaration = DeclarationFactory(slug="deklaracja-ump", date=datetime.date(2017, 6, 30))
    SignatoryFactory(
        declaration=declaration, city=lodz, mayor=zdanowska, date=datetime.date(2017, 6, 30)
    )
    SignatoryFactory(declaration=declaration, city=warszawa)
    SignatoryFactory(
        declaration=declaration,
        city=katowice,
        status=Signatory.Status.NOT_SIGNED,
        note_pl="Nie podpisał, przebywał za granicą.",
        note_en='Did not sign; "abroad", he said.',
    )
    draft = DeclarationFactory(slug="szkic", status=Status.DRAFT)
    SignatoryFactory(declaration=draft, city=lodz, mayor=zdanowska)
    MeetingFactory(slug="lublin-2019", host_city=lodz, start_date=datetime.date(2019, 6, 12))
    MeetingFactory(slug="szkic-spotkania", status=Status.DRAFT)
    MeetingFactory(slug="pozniej", published_at=timezone.now() + datetime.timedelta(days=1))
    return declaration


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content.decode("utf-8"))
    assert document["licence"]["name"] == "CC BY 4.0"
    for item in document["items"]:
        assert list(item) == document["columns"]
    return document


def get_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")  # no byte order mark
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline=""))
    return reader.fieldnames, list(reader)


def test_cities_json_and_csv_match_the_database(client, data):
    document = get_json(client, "/api/v1/cities.json")
    columns = [c.name for c in DATASETS["cities"].columns]
    assert document["columns"] == columns
    by_id = {item["id"]: item for item in document["items"]}
    assert set(by_id) == set(City.objects.values_list("slug", flat=True))
    lodz = by_id["lodz"]
    # A column per language of the site, generated from LANGUAGES.
    assert columns[1:4] == ["name_pl", "name_en", "name_uk"]
    assert (lodz["name_pl"], lodz["name_en"], lodz["name_uk"]) == ("Łódź", "Łódź", "Лодзь")
    assert by_id["warszawa"]["name_uk"] == ""  # no Ukrainian name: empty, not copied
    assert lodz["latitude"] == 51.77058
    assert lodz["current_mayor"] == "Hanna Zdanowska"
    assert by_id["katowice"]["name_en"] == ""  # no English name: empty, not copied
    assert by_id["warszawa"]["url_en"] == "http://testserver/en/cities/warszawa/"
    assert by_id["warszawa"]["url_uk"] == "http://testserver/uk/mista/warszawa/"
    with translation.override("pl"):
        assert (
            by_id["warszawa"]["url_pl"]
            == f"http://testserver{reverse('cities:city_detail', kwargs={'slug': 'warszawa'})}"
        )

    fieldnames, rows = get_csv(client, "/api/v1/cities.csv")
    assert fieldnames == columns
    assert [row["id"] for row in rows] == [item["id"] for item in document["items"]]
    csv_lodz = next(row for row in rows if row["id"] == "lodz")
    assert csv_lodz["name_pl"] == "Łódź"
    assert csv_lodz["is_ump_member"] == "true"
    assert csv_lodz["longitude"] == ""


def test_meetings_are_published_only(client, data):
    document = get_json(client, "/api/v1/meetings.json")
    assert [item["id"] for item in document["items"]] == ["lublin-2019"]
    meeting = document["items"][0]
    assert meeting["start_date"] == meeting["end_date"] == "2019-06-12"
    assert meeting["host_city"] == "lodz"
    _fieldnames, rows = get_csv(client, "/api/v1/meetings.csv")
    assert [row["id"] for row in rows] == ["lublin-2019"]


def test_declarations_count_their_signatories(client, data):
    document = get_json(client, "/api/v1/declarations.json")
    assert [item["id"] for item in document["items"]] == ["deklaracja-ump"]
    item = document["items"][0]
    assert (item["listed_count"], item["signed_count"]) == (3, 2)
    assert item["date"] == "2017-06-30"
    assert item["updated_at"].endswith("Z")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_signatories_match_the_declaration_page(client, data, fmt):
    url = f"/api/v1/declarations/deklaracja-ump/signatories.{fmt}"
    if fmt == "json":
        rows = get_json(client, url)["items"]
    else:
        _fieldnames, rows = get_csv(client, url)
    by_city = {row["city"]: row for row in rows}
    assert set(by_city) == {"lodz", "warszawa", "katowice"}
    assert by_city["katowice"]["city_name_uk"] == "Катовіце"
    assert by_city["katowice"]["city_name_en"] == ""
    assert by_city["katowice"]["status"] == "not_signed"
    assert by_city["katowice"]["note_en"] == 'Did not sign; "abroad", he said.'
    assert by_city["lodz"]["status"] == "signed"
    assert by_city["lodz"]["date"] == "2017-06-30"
    # What the declaration's page says about Katowice, the file says too.
    with translation.override("en"):
        url = data.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Did not sign" in page


def test_a_draft_or_unknown_declaration_has_no_signatories_file(client, data):
    assert client.get("/api/v1/declarations/szkic/signatories.json").status_code == 404
    assert client.get("/api/v1/declarations/nothing/signatories.csv").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_files_are_read_only(client, data, method):
    response = getattr(client, method)("/api/v1/cities.json")
    assert response.status_code == 405


def test_head_is_allowed(client, data):
    assert client.head("/api/v1/cities.csv").status_code == 200


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_open_data_page_describes_every_file_and_column(client, data, language):
    with translation.override(language):
        url = reverse("open_data:index")
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in text
    for path in (
        "/api/v1/cities.json",
        "/api/v1/cities.csv",
        "/api/v1/meetings.json",
        "/api/v1/meetings.csv",
        "/api/v1/declarations.json",
        "/api/v1/declarations/deklaracja-ump/signatories.json",
        "/api/v1/declarations/deklaracja-ump/signatories.csv",
    ):
        assert f'href="{path}"' in text
        assert client.get(path).status_code == 200
    assert "/api/v1/declarations/szkic/" not in text  # a draft's file is not offered
    assert "CC BY 4.0" in text
    assert "https://creativecommons.org/licenses/by/4.0/" in text


@pytest.mark.parametrize(
    ("language", "path"),
    [("pl", "/pl/otwarte-dane/"), ("en", "/en/open-data/"), ("uk", "/uk/vidkryti-dani/")],
)
def test_open_data_path_is_translated(client, db, language, path):
    with translation.override(language):
        assert reverse("open_data:index") == path
    assert client.get(path).status_code == 200
