"""Every page checked by the W3C Nu HTML Checker (vnu), with no error allowed.

The pages: every URL of the sitemap (both languages), search results, the 404 and 403 pages,
the cities list filtered down to a few, and the admin pages city staff use (the
index, their city's list, change form and history, the mayors' list, add and change
forms, the password change), in Polish and English. They are rendered by the test
client from the seed content, written to files and checked in one run of the
checker, whose errors are listed with the page, the line and the markup.

The checker is `vnu.jar` from the npm package vnu-jar, pinned in
tools/vnu/package-lock.json and installed there by `make test` (never globally),
and runs on Debian's Java (`default-jre`, which `make test` installs as root).
Without either the test fails saying how to get them: it is never skipped.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import translation
from lxml import etree

from cities.models import City
from cities.roles import grant_city_editor

VNU_JAR = Path(settings.BASE_DIR) / "tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def vnu():
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(
            "The HTML check needs Java and the Nu HTML Checker: `make test` installs both "
            "(apt-get install default-jre; npm ci --prefix tools/vnu --ignore-scripts).",
            pytrace=False,
        )

    def check(files):
        """The checker's errors for `files`, as (file name, message) pairs."""
        result = subprocess.run(  # noqa: S603 - Java on our own files.
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(result.stderr)
        return [
            (Path(urlsplit(message.get("url", "")).path).name, message)
            for message in report["messages"]
            if message["type"] == "error" or message.get("subType") == "fatal"
        ]

    return check


def sitemap_paths(client):
    tree = etree.fromstring(client.get("/sitemap.xml").content)
    return [urlsplit(loc).path for loc in tree.xpath("//s:loc/text()", namespaces=SITEMAP)]


def public_pages(client):
    yield from sitemap_paths(client)
    yield from (
        "/pl/szukaj/?q=Krak%C3%B3w",
        "/en/search/?q=integration",
        "/pl/szukaj/?q=",
        "/pl/miasta/?voivodeship=mazowieckie",
        "/en/cities/?declaration=przyjazne-i-bezpieczne-pomorze",
    )


def admin_pages(city):
    mayor = city.mayors.first()
    for language in ("pl", "en"):
        for path in (
            "/admin/",
            "/admin/cities/city/",
            f"/admin/cities/city/{city.pk}/change/",
            f"/admin/cities/city/{city.pk}/history/",
            "/admin/cities/mayor/",
            "/admin/cities/mayor/add/",
            f"/admin/cities/mayor/{mayor.pk}/change/",
            "/admin/password_change/",
        ):
            yield language, path


def test_every_page_is_valid_html(client, seeded, vnu, tmp_path):
    pages = {}

    def keep(response, label):
        assert response.status_code in (200, 403, 404), (label, response.status_code)
        name = f"page-{len(pages):03}.html"
        (tmp_path / name).write_bytes(response.content)
        pages[name] = label

    for path in public_pages(client):
        keep(client.get(path), path)
    for path in ("/pl/nie-ma-takiej-strony/", "/en/no-such-page/"):
        response = client.get(path)
        assert response.status_code == 404
        keep(response, path)

    gdansk = City.objects.get(slug="gdansk")
    client.force_login(grant_city_editor(gdansk, "gdansk-staff").user)
    for language, path in admin_pages(gdansk):
        with translation.override(language):
            keep(client.get(path, HTTP_ACCEPT_LANGUAGE=language), f"{path} ({language})")
    refused = client.get("/admin/auth/user/")  # an editors' page: the 403 page
    assert refused.status_code == 403
    keep(refused, "/admin/auth/user/ (403)")

    errors = vnu(sorted(tmp_path.glob("*.html")))
    report = [
        f"{pages[name]}:{message.get('lastLine')}: {message['message']} "
        f"[{message.get('extract', '').strip()[:120]}]"
        for name, message in errors
    ]
    assert not report, f"{len(report)} errors:\n" + "\n".join(report[:60])
    assert len(pages) > 80


def test_the_checker_finds_an_error(vnu, tmp_path):
    """The check can fail: an ARIA role on a table row of a plain table is an error."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>x</title>'
        '<table><tr role="row"><td>x</td></tr></table>',
        encoding="utf-8",
    )
    [(_name, message)] = vnu([page])
    assert "role" in message["message"]
