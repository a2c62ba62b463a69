"""Open data under /api/v1/ (open_data/datasets.py): the files parse as JSON and
CSV, hold the documented columns, match the database, list published items only,
and are read-only; the "Open data" page describes every file and column."""

import csv
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

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


# The API index, the Data Package and `frictionless validate` -------------------


def test_api_index_lists_every_dataset_and_file(client, data):
    index = client.get("/api/v1/").json()
    assert [entry["name"] for entry in index["datasets"]] == list(DATASETS)
    assert index["datapackage"] == "http://testserver/api/v1/datapackage.json"
    by_name = {entry["name"]: entry for entry in index["datasets"]}
    assert by_name["cities"]["files"] == {
        "json": "http://testserver/api/v1/cities.json",
        "csv": "http://testserver/api/v1/cities.csv",
    }
    # One signatories file per published declaration: never the draft's.
    assert [f["declaration"] for f in by_name["signatories"]["files"]] == ["deklaracja-ump"]
    for entry in index["datasets"]:
        files = entry["files"] if isinstance(entry["files"], list) else [entry["files"]]
        for file in files:
            for fmt in ("json", "csv"):
                assert client.get(file[fmt].removeprefix("http://testserver")).status_code == 200


def download_package(client, folder):
    """The Data Package and every file it names, laid out as on the server."""
    package = client.get("/api/v1/datapackage.json").json()
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    for resource in package["resources"]:
        target = folder / resource["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(client.get(f"/api/v1/{resource['path']}").content)
    return package


def frictionless_validate(path):
    """`frictionless validate` (the command, as a reuser would run it): its report."""
    command = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(  # noqa: S603 - our own virtualenv's command, a path we made.
        [command, "validate", "--json", str(path)], capture_output=True, text=True, check=False
    )
    return json.loads(result.stdout)


def test_data_package_describes_every_column(client, data):
    package = client.get("/api/v1/datapackage.json").json()
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == {"cities", "meetings", "declarations", "signatories-deklaracja-ump"}
    for name, resource in resources.items():
        dataset = DATASETS[name.split("-")[0]]
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == [c.name for c in dataset.columns]
        assert all(field["description"] and field["type"] for field in fields)
    types = {f["name"]: f["type"] for f in resources["cities"]["schema"]["fields"]}
    assert (types["population"], types["latitude"], types["is_ump_member"]) == (
        "integer",
        "number",
        "boolean",
    )
    assert resources["signatories-deklaracja-ump"]["schema"]["foreignKeys"][1] == {
        "fields": "city",
        "reference": {"resource": "cities", "fields": "id"},
    }


def test_frictionless_validate_passes_on_the_data_package(client, data, tmp_path):
    download_package(client, tmp_path)
    report = frictionless_validate(tmp_path / "datapackage.json")
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert len(report["tasks"]) == 4


def test_frictionless_validate_finds_a_file_that_breaks_its_schema(client, data, tmp_path):
    download_package(client, tmp_path)
    cities = tmp_path / "cities.csv"
    text = cities.read_bytes().decode("utf-8")
    header, first, *rest = text.split("\r\n")
    # A membership that is not a boolean, and a row whose id is not unique.
    broken = first.replace(",true,", ",maybe,", 1)
    cities.write_bytes("\r\n".join([header, broken, first, *rest]).encode("utf-8"))
    report = frictionless_validate(tmp_path / "datapackage.json")
    assert not report["valid"]
    errors = {error["type"] for task in report["tasks"] for error in task["errors"]}
    assert {"type-error", "primary-key"} <= errors


# Formulas: no cell of any CSV file starts what a spreadsheet would run ---------

FORMULAS = ['=HYPERLINK("http://evil.example")', "+48 22 123", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def formulas(db):
    """An object of every dataset whose every text starts like a formula."""
    text = iter(FORMULAS * 10)
    city = CityFactory(
        slug="formula",
        name_pl=next(text),
        name_en=next(text),
        contact_phone=next(text),
        contact_email="@evil.example",
        website="-http://x",
    )
    mayor = MayorFactory(city=city, full_name=next(text))
    declaration = DeclarationFactory(
        slug="formula",
        title_pl=next(text),
        title_en=next(text),
        place_pl=next(text),
        place_en=next(text),
        summary_pl=next(text),
        summary_en=next(text),
        source_url="=cmd",
    )
    SignatoryFactory(
        declaration=declaration,
        city=city,
        mayor=mayor,
        note_pl=next(text),
        note_en=next(text),
        source_title=next(text),
        source_url="+x",
    )
    MeetingFactory(
        slug="formula",
        host_city=city,
        title_pl=next(text),
        title_en=next(text),
        place_pl=next(text),
        place_en=next(text),
        theme_pl=next(text),
        theme_en=next(text),
    )
    return city


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cities.csv",
        "/api/v1/meetings.csv",
        "/api/v1/declarations.csv",
        "/api/v1/declarations/formula/signatories.csv",
    ],
)
def test_no_csv_cell_starts_a_formula(client, formulas, path):
    _fieldnames, rows = get_csv(client, path)
    cells = [value for row in rows for value in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    # The text is kept, behind the apostrophe that tells a spreadsheet it is text.
    assert any(cell.startswith("'=HYPERLINK") or cell.startswith("'+48") for cell in cells)


def test_formula_text_is_left_as_it_is_in_json(client, formulas):
    items = get_json(client, "/api/v1/cities.json")["items"]
    city = next(item for item in items if item["id"] == "formula")
    assert city["contact_phone"] == "-2+3"
