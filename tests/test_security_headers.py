"""The security headers on every kind of response: public pages in both
languages, the admin, static files, the error pages (404, 503) and the health
check; HSTS and the SSL redirect; request ids; one-line logs."""

import io
import logging
import re
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.unreachable_database import unreachable_database
from ump_portal.middleware.request_id import OneLineFormatter, RequestIDFilter

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
CSP_REQUIRED = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
]


def assert_security_headers(response):
    for header, value in EXPECTED.items():
        assert response.headers.get(header) == value, header
    policy = response.headers["Content-Security-Policy"]
    for directive in CSP_REQUIRED:
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


@pytest.fixture
def client_with_static(settings):
    """A client whose WhiteNoise serves the project's static files as in
    production (from the finders here, since tests do not run collectstatic)."""
    settings.WHITENOISE_USE_FINDERS = True
    return Client()


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name", "kwargs", "status"),
    [
        ("pl", "home", {}, 200),
        ("en", "home", {}, 200),
        ("pl", "declarations:declaration_list", {}, 200),
        ("en", "cities:city_list", {}, 200),
        ("pl", "declarations:meeting_list", {}, 200),
        ("en", "declarations:declaration_detail", {"slug": "no-such-declaration"}, 404),
        ("pl", "cities:city_detail", {"slug": "no-such-city"}, 404),
        (None, "admin:login", {}, 200),
        (None, "admin:index", {}, 302),
    ],
)
def test_pages_carry_the_security_headers(client, language, name, kwargs, status):
    response = client.get(url_in(language or "pl", name, **kwargs))
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [("/pl/no-such-page/", 404), ("/healthz", 200), ("/", 302), ("/favicon.ico", 404)],
)
def test_other_responses_carry_the_security_headers(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["css/site.css", "admin/css/base.css", "js/admin_forms.js"],
)
def test_static_files_carry_the_security_headers(client_with_static, path):
    response = client_with_static.get(f"/static/{path}")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_the_503_page_carries_the_security_headers(client, tmp_path):
    with unreachable_database(tmp_path):
        response = client.get("/pl/")
    assert response.status_code == 503
    assert_security_headers(response)


@pytest.mark.django_db
def test_the_admin_login_sets_only_secure_host_prefixed_cookies(client):
    response = client.get("/admin/login/")
    assert response.cookies, "the login form sets the CSRF cookie"
    for name, morsel in response.cookies.items():
        assert name.startswith("__Host-"), name
        assert morsel["secure"]
        assert morsel["httponly"]
        assert morsel["samesite"] == "Lax"
        assert morsel["path"] == "/"
        assert not morsel["domain"]


@pytest.mark.django_db
def test_hsts_on_https(client):
    response = client.get("/pl/", secure=True)
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/pl/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/pl/"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_behind_a_proxy_https_is_recognised_from_its_header(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/pl/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


@pytest.mark.django_db
def test_the_health_check_answers_any_host(client, settings):
    """A container engine asks for 127.0.0.1:8000, which is not an allowed host."""
    settings.ALLOWED_HOSTS = ["migracje.example.pl"]
    assert client.get("/pl/", headers={"Host": "127.0.0.1:8000"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8000"}).status_code == 200


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_and_a_bad_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "edge-4f1c2a9b-77"})
    assert kept.headers["X-Request-ID"] == "edge-4f1c2a9b-77"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nforged log line"})
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])


@pytest.fixture
def log_lines():
    """What the site's log handler writes, as a list of lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIDFilter())
    handler.setFormatter(
        OneLineFormatter("%(levelname)s %(name)s request_id=%(request_id)s %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)


@pytest.mark.django_db
def test_an_error_is_one_log_line_with_the_request_id(client, tmp_path, log_lines):
    with unreachable_database(tmp_path):
        response = client.get("/en/cities/")
    assert response.status_code == 503
    request_id = response.headers["X-Request-ID"]
    lines = [line for line in log_lines() if line.startswith(("WARNING", "ERROR"))]
    assert len(lines) == 1
    assert f"request_id={request_id}" in lines[0]
    assert "Database unavailable: GET /en/cities/" in lines[0]


def test_a_traceback_is_logged_on_the_same_line():
    formatter = OneLineFormatter("%(levelname)s request_id=%(request_id)s %(message)s")
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        record = logging.getLogger("test").makeRecord(
            "test", logging.ERROR, __file__, 1, "Internal Server Error: /pl/", (), None
        )
        record.exc_info = sys.exc_info()
    RequestIDFilter().filter(record)
    line = formatter.format(record)
    assert "\n" not in line
    assert line.startswith("ERROR request_id=- Internal Server Error: /pl/\\nTraceback")
    assert "ValueError: first line\\nsecond line" in line


def test_log_times_carry_their_utc_offset():
    record = logging.getLogger("test").makeRecord(
        "test", logging.INFO, __file__, 1, "Worker warmed up.", (), None
    )
    line = OneLineFormatter("%(asctime)s %(message)s").format(record)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d Worker warmed up\.", line
    ), line
