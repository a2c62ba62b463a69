"""The site with its database unreachable: `/healthz` answers 503, every page
the styled 503 page in the visitor's language (never a traceback or a 500), and
the site answers again as soon as the database does, without a restart.

The database is made unreachable for real (tests/unreachable_database.py). The
last test runs the production stack, gunicorn with persistent connections, on
PostgreSQL through a TCP relay that the test cuts and restores under load.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import CityFactory, UserFactory
from tests.unreachable_database import unreachable_database
from ump_portal import views
from ump_portal.middleware import database_down

BASE_DIR = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_come_from_the_database(settings):
    """Anonymous pages may come from the page cache (ump_portal/middleware/page_cache.py),
    which keeps answering while the database is down; these tests are about the
    pages that need the database, so nothing is cached or served from the cache."""
    settings.PAGE_CACHE_SECONDS = 0
    caches["default"].clear()


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def text_in(language, message):
    with translation.override(language):
        return gettext(message)


def assert_503_page(response, language):
    assert response.status_code == 503
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Retry-After"] == str(database_down.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    assert text_in(language, "The portal is temporarily unavailable") in html
    assert "/static/css/site" in html, "styled with the site's stylesheet"
    assert "Traceback" not in html
    assert "OperationalError" not in html


def test_health_check_answers_200_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_health_check_answers_503_when_the_database_does_not(client, tmp_path):
    with unreachable_database(tmp_path):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("home", {}),
        ("cities:city_list", {}),
        ("cities:city_detail", {"slug": "warszawa"}),
        ("declarations:declaration_list", {}),
        ("declarations:meeting_list", {}),
    ],
)
def test_public_pages_answer_the_503_page_in_the_visitors_language(
    client, tmp_path, language, name, kwargs
):
    with unreachable_database(tmp_path):
        response = client.get(url_in(language, name, **kwargs))
    assert_503_page(response, language)


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("pl,en;q=0.5", "pl"),
        ("en-GB,en", "en"),
        # The admin speaks Polish and English only: the browser's next choice, or Polish.
        ("uk-UA,uk;q=0.9,en;q=0.5", "en"),
        ("uk", "pl"),
    ],
)
def test_signing_in_answers_the_503_page_in_the_browsers_language(
    client, tmp_path, accept, language
):
    """The sign-in form itself needs no database; signing in does."""
    with unreachable_database(tmp_path):
        form = client.get("/admin/login/", headers={"Accept-Language": accept})
        posted = client.post(
            "/admin/login/",
            {"username": "editor", "password": "whatever"},
            headers={"Accept-Language": accept},
        )
    assert form.status_code == 200
    assert_503_page(posted, language)


def test_a_signed_in_editor_gets_the_503_page_too(client, tmp_path):
    """The session and the user are read from the database: they fail too."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with unreachable_database(tmp_path):
        assert_503_page(client.get("/admin/"), "pl")
        assert_503_page(client.get(url_in("en", "home")), "en")


def test_the_503_page_offers_the_same_page_in_the_other_language(client, tmp_path):
    with unreachable_database(tmp_path):
        html = client.get(url_in("en", "cities:city_list")).content.decode()
    assert f'href="{url_in("pl", "cities:city_list")}"' in html
    assert f'href="{url_in("en", "cities:city_list")}"' in html


def test_the_site_recovers_when_the_database_returns(client, tmp_path):
    CityFactory(slug="gdansk")
    detail = url_in("en", "cities:city_detail", slug="gdansk")
    assert client.get(detail).status_code == 200
    with unreachable_database(tmp_path):
        assert client.get(detail).status_code == 503
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200
    assert client.get(detail).status_code == 200


def test_a_database_error_in_a_middleware_gets_the_503_page(rf):
    """handler500 (ump_portal.views.server_error) is what Django calls for an
    error raised outside a view, such as a session saved while the database
    went away."""
    request = rf.get("/en/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = views.server_error(request)
    assert_503_page(response, "en")


def test_other_errors_still_get_the_500_page(rf):
    request = rf.get("/pl/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = views.server_error(request)
    assert response.status_code == 500


def test_the_503_page_appears_even_if_its_template_fails(rf, settings, tmp_path):
    (tmp_path / "503.html").write_text("{% extends 'no-such-base.html' %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    response = database_down.database_unavailable(rf.get("/en/"))
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert text_in("en", "The portal is temporarily unavailable") in html


# --- The production stack on PostgreSQL, with the database cut and restored -----


class TCPRelay:
    """Forwards 127.0.0.1:<port> to the database server. `cut()` drops every
    open connection and refuses new ones, as a stopped server does; `restore()`
    listens again on the same port."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, int(target_port))
        self.port = None
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.sockets.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def get_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return type(error).__name__, ""


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ump_portal.settings",
        "DJANGO_SECRET_KEY": "collectstatic-for-tests-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_ROOT": str(root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@pytest.mark.load
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="cuts a PostgreSQL server's connections"
)
def test_gunicorn_answers_503_while_the_database_is_cut_and_recovers_under_load(
    collected_static, tmp_path
):
    db = connection.settings_dict
    relay = TCPRelay(db["HOST"] or "127.0.0.1", db["PORT"] or 5432)
    relay.restore()
    port = 8106
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "ump_portal.settings",
        "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{relay.port}/{db['NAME']}",
        "DJANGO_SECRET_KEY": "gunicorn-test-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(collected_static),
        "DJANGO_DB_CONNECT_TIMEOUT": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        # Every page from the database, none from the page cache.
        "PAGE_CACHE_SECONDS": "0",
        "PAGE_CACHE_STAMP_FILE": str(tmp_path / "page-cache-stamp"),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while get_status(f"{base}/healthz")[0] != 200:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.2)

        # Every page answers once before the load starts (workers warmed up).
        for path in ("/pl/", "/en/", url_in("en", "cities:city_list")):
            assert get_status(base + path)[0] == 200, path

        # Four visitors keep asking for pages while the database goes away and back.
        phase = {"name": "up-before"}
        counts = {"up-before": Counter(), "down": Counter(), "up-after": Counter()}
        stop = threading.Event()
        problems = []
        paths = ["/pl/", "/en/", url_in("en", "cities:city_list"), "/healthz"]

        def visitor(offset):
            n = offset
            while not stop.is_set():
                path = paths[n % len(paths)]
                n += 1
                status, html = get_status(base + path)
                current = phase["name"]
                counts[current][status] += 1
                if status == 503 and path != "/healthz":
                    language = path.split("/")[1]
                    if f'<html lang="{language}">' not in html:
                        problems.append(f"503 page for {path} not in {language}")

        visitors = [threading.Thread(target=visitor, args=(i,)) for i in range(4)]

        def wait_for(phase_name, responses):
            """Until `responses` responses in this phase (bounded: 30 s)."""
            deadline = time.monotonic() + 30
            while sum(counts[phase_name].values()) < responses:
                assert time.monotonic() < deadline, counts
                time.sleep(0.1)

        for thread in visitors:
            thread.start()
        wait_for("up-before", 20)
        phase["name"] = "down"
        relay.cut()
        wait_for("down", 20)
        time.sleep(2)
        relay.restore()
        # Give requests that were under way when it came back time to finish.
        time.sleep(1)
        phase["name"] = "up-after"
        wait_for("up-after", 40)
        stop.set()
        for thread in visitors:
            thread.join(timeout=15)

        everything = sum(counts.values(), Counter())
        print({name: dict(counter) for name, counter in counts.items()})
        assert not problems, problems[:3]
        assert set(everything) <= {200, 503}, everything
        assert set(counts["up-before"]) == {200}
        assert counts["down"][503] > 0
        assert set(counts["up-after"]) == {200}, counts["up-after"]
        assert server.poll() is None, "gunicorn kept running throughout"
    finally:
        server.terminate()
        server.wait(timeout=30)
        relay.cut()
        log.close()
    # Every record is one line: no traceback spread over the lines after it.
    for line in (tmp_path / "gunicorn.log").read_text().splitlines():
        assert line.startswith(("127.0.0.1 ", "20", "[20")), line
