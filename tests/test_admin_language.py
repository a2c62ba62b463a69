"""The admin speaks Polish and English only (`ADMIN_LANGUAGES`), while the public site
also speaks Ukrainian; editors and city staff still fill in the Ukrainian texts, in a
tab of their own (ump_portal/middleware/admin_language.py)."""

from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.urls import reverse

from tests.html import parse

pytestmark = pytest.mark.django_db


def test_the_admin_languages_are_a_part_of_the_sites():
    site = [code for code, _name in settings.LANGUAGES]
    assert settings.ADMIN_LANGUAGES == ["pl", "en"]
    assert set(settings.ADMIN_LANGUAGES) < set(site)
    assert "uk" in site


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("pl", "pl"),
        ("en-GB,en;q=0.9", "en"),
        # A Ukrainian browser gets the admin in its next choice the admin speaks...
        ("uk-UA,uk;q=0.9,ru;q=0.8,en-US;q=0.7,en;q=0.6", "en"),
        ("uk,pl;q=0.5", "pl"),
        # ... or in Polish, the site's default.
        ("uk", "pl"),
    ],
)
def test_the_admin_is_never_in_ukrainian(client, accept, language):
    response = client.get(reverse("admin:login"), headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert parse(response).get("lang") == language
    assert response["Content-Language"] == language


def test_a_ukrainian_language_cookie_does_not_change_the_admin(client, editor):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    client.force_login(editor)
    response = client.get(reverse("admin:index"), headers={"Accept-Language": "uk"})
    assert parse(response).get("lang") == "pl"


def test_the_public_site_still_answers_in_ukrainian(client):
    response = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/uk/"
    assert parse(client.get("/uk/")).get("lang") == "uk"


def test_city_staff_fill_in_the_ukrainian_text_in_a_third_tab(client, staff_a, city_a):
    client.force_login(staff_a)
    response = client.get(reverse("admin:cities_city_change", args=[city_a.pk]))
    assert response.status_code == 200
    page = parse(response)
    for field in ("summary", "description", "integration_office"):
        names = page.xpath(f"//textarea[starts-with(@name, '{field}_')]/@name")
        assert names == [f"{field}_pl", f"{field}_en", f"{field}_uk"], field


def test_an_admin_mounted_under_a_prefix_is_still_the_admin(wsgi_application):
    """Served under a script prefix (`SCRIPT_NAME`, a reverse proxy's sub-path), the
    admin is still recognised and speaks an admin language. Through the real WSGI
    application, which sets the prefix as gunicorn's requests do. (Its responses are
    never cached whatever the prefix: Django's admin marks every view never_cache.)"""

    environ = {
        "PATH_INFO": "/admin/login/",
        "SCRIPT_NAME": "/portal",
        "HTTP_ACCEPT_LANGUAGE": "uk",
        "SERVER_NAME": "testserver",
        "HTTP_HOST": "testserver",
    }
    setup_testing_defaults(environ)
    answer = {}
    body = b"".join(
        wsgi_application(environ, lambda status, headers: answer.update(headers, status=status))
    )
    assert answer["status"].startswith("200")
    assert parse(body).get("lang") == "pl"
    assert b'action="/portal/admin/login/' in body
