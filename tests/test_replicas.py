"""Stateless replicas, for real: three containers of the image behind Debian's HAProxy
(deploy/haproxy/haproxy.cfg, health checks on /healthz), sharing one PostgreSQL
database, Redis for the page cache and an S3 server (moto) for uploads.

What is shown, each by a test that fails otherwise:
- the three, started at the same moment on an empty database, migrate it once;
- a sign-in made through one replica holds on the others, and a sign-out too;
- a save in the admin of one replica drops the cached page on every replica: no
  request sent a second after the save gets the old page;
- an image uploaded through one replica is shown by another, from the object
  storage, public (Debian's Chromium displays it under the page's policy); a
  meeting's document is private there, reached only through a short-lived signed
  address;
- with one replica killed under load, the load balancer returns no error once its
  health check has noticed (and, thanks to its retries, none before either);
- a rolling restart under load (each replica stopped gracefully, started again and
  waited for in turn) loses no request.

`make stack-test` runs it after `make image`; tests/stack.py says what it needs. The
counts of every load test are printed (`-s`) and saved with the logs.
"""

import concurrent.futures
import io
import secrets
import threading
import time
import urllib.parse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.html import form_data, parse
from tests.stack import (
    FIRST_PORT,
    REDIS_URL,
    Client,
    Instance,
    Load,
    LoadBalancer,
    S3Server,
    docker,
    empty_redis,
    get,
    logs_folder,
    query,
    require_image,
    scratch_database,
    summary,
    wait_for,
)

pytestmark = [pytest.mark.container, pytest.mark.stack]

BUCKET = "ump-media"
EDITOR = "stack-editor"
EDITOR_PASSWORD = secrets.token_urlsafe(24)
CITY_PAGE = "/pl/miasta/gdansk/"
# What visitors read: the main pages in both languages and a static file.
LOAD_PATHS = ["/pl/", "/en/", CITY_PAGE, "/pl/spotkania/", "/en/cities/", "/pl/deklaracje/"]


class Stack:
    def __init__(self, instances, balancer, s3, database_url, log_dir):
        self.instances = instances
        self.balancer = balancer
        self.s3 = s3
        self.database_url = database_url
        self.log_dir = log_dir

    def report(self, name, text):
        print(f"\n{name}: {text}")
        with (self.log_dir / "counts.txt").open("a") as counts:
            counts.write(f"{name}: {text}\n")


def start_together(instances):
    threads = [threading.Thread(target=instance.start) for instance in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.fixture(scope="module")
def stack():
    require_image()
    log_dir = logs_folder("replicas")
    empty_redis()
    with (
        scratch_database("replicas") as database_url,
        S3Server(FIRST_PORT + 1, log_dir / "s3.log") as s3,
    ):
        s3.client().create_bucket(Bucket=BUCKET)
        env = {
            "DATABASE_URL": database_url,
            "CACHE_URL": REDIS_URL,
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            **s3.env(BUCKET),
        }
        instances = [
            Instance(f"ump-stack-app{i}", FIRST_PORT + 10 + i, env, log_dir) for i in (1, 2, 3)
        ]
        try:
            start_together(instances)
            for instance in instances:
                instance.wait_until_healthy()
            first = instances[0]
            first.exec("python", "manage.py", "load_seed_content", "--verbosity", "0")
            first.exec(
                "python",
                "manage.py",
                "createsuperuser",
                "--no-input",
                f"--username={EDITOR}",
                "--email=editor@example.org",
                env={"DJANGO_SUPERUSER_PASSWORD": EDITOR_PASSWORD},
            )
            with LoadBalancer(FIRST_PORT + 10, instances, log_dir) as balancer:
                yield Stack(instances, balancer, s3, database_url, log_dir)
        finally:
            for instance in instances:
                instance.remove()
            print(f"\nThe stack's logs: {log_dir}")


def test_started_together_they_migrate_the_database_once(stack):
    logs = [instance.logs() for instance in stack.instances]
    migrated = [log for log in logs if "Applying contenttypes.0001_initial" in log]
    assert len(migrated) == 1, "not exactly one replica applied the migrations"
    for log in logs:
        if log is not migrated[0]:
            assert "No migrations to apply." in log
        assert "Traceback" not in log
    assert any("Another process is migrating this database: waiting" in log for log in logs)
    duplicates = query(
        stack.database_url,
        "SELECT app, name FROM django_migrations GROUP BY app, name HAVING count(*) > 1",
    )
    assert duplicates == []


def test_the_load_balancer_checks_each_replica_on_healthz(stack):
    servers = stack.balancer.servers()
    assert sorted(servers) == ["app1", "app2", "app3"]
    for row in servers.values():
        assert row["status"] == "UP"
        # "* L7OK" while the next check is under way.
        assert row["check_status"].removeprefix("* ") == "L7OK"
        assert row["check_code"] == "200"
    # Round robin: the requests of one visitor reach all three replicas.
    served = {get(stack.balancer.base, "/healthz").status for _ in range(6)}
    assert served == {200}
    assert all(int(row["stot"]) > 0 for row in stack.balancer.servers().values())


def test_a_sign_in_holds_on_every_replica(stack):
    app1, app2, app3 = stack.instances
    browser = Client()
    browser.log_in(app1.base, EDITOR, EDITOR_PASSWORD)
    assert "__Host-sessionid" in browser.cookies
    for instance in (app2, app3):
        response = browser.get(instance.base, "/admin/")
        assert response.status == 200, instance.name
        assert EDITOR in response.body.decode()
    for _ in range(6):
        assert browser.get(stack.balancer.base, "/admin/").status == 200
    # Signing out on one replica signs out on all of them.
    logout = form_data(browser.get(app3.base, "/admin/").body, "logout-form")
    assert browser.post(app3.base, "/admin/logout/", logout).status == 200
    assert browser.get(app1.base, "/admin/").status == 302


def city_form(browser, base, city_id):
    url = f"/admin/cities/city/{city_id}/change/"
    return url, form_data(browser.get(base, url).body, "city_form")


def gdansk_id(stack):
    return query(stack.database_url, "SELECT id FROM cities_city WHERE slug = 'gdansk'")[0][0]


def test_a_save_on_one_replica_refreshes_the_page_on_every_replica_within_a_second(stack):
    app1 = stack.instances[0]
    for instance in stack.instances:
        get(instance.base, CITY_PAGE)
        assert get(instance.base, CITY_PAGE).headers["X-Page-Cache"] == "hit"

    browser = Client()
    browser.log_in(app1.base, EDITOR, EDITOR_PASSWORD)
    new_summary = f"Streszczenie zapisane na jednej replice {secrets.token_hex(4)}."
    url, fields = city_form(browser, app1.base, gdansk_id(stack))
    fields.update(summary_pl=new_summary, _save="1")
    assert browser.post(app1.base, url, fields).status == 302
    saved = time.monotonic()

    # How long each replica went on serving the old page: the moment the first
    # request that got the new one was sent, all three asked at once (rendering it
    # may take longer on a busy machine, but no request sent from then on gets the
    # old page).
    def stale_for(instance):
        while True:
            sent = time.monotonic()
            if new_summary in get(instance.base, CITY_PAGE).body.decode():
                return round(sent - saved, 3)
            if sent - saved > 1:
                return None

    with concurrent.futures.ThreadPoolExecutor() as pool:
        stale = dict(zip(names(stack), pool.map(stale_for, stack.instances), strict=True))
    stack.report("old page served after the save (s)", summary(stale))
    for name, seconds in stale.items():
        assert seconds is not None, f"{name} served the old page a second after the save"


def names(stack):
    return [instance.name for instance in stack.instances]


def png(color):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), color).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_image_uploaded_through_one_replica_is_served_through_another(stack):
    _app1, app2, app3 = stack.instances
    browser = Client()
    browser.log_in(app2.base, EDITOR, EDITOR_PASSWORD)
    url, fields = city_form(browser, app2.base, gdansk_id(stack))
    fields.update(
        coat_of_arms=SimpleUploadedFile("herb.png", png((20, 90, 160)), "image/png"), _save="1"
    )
    assert browser.post(app2.base, url, fields).status == 302

    response = get(app3.base, CITY_PAGE)
    [src] = parse(response.body).xpath("//img[contains(@class, 'profile-header__arms')]/@src")
    assert src.startswith(f"{stack.s3.endpoint}/{BUCKET}/cities/arms/"), src
    # The page allows images from the object storage, and only from there besides itself.
    policy = [part.split() for part in response.headers["Content-Security-Policy"].split(";")]
    assert ["img-src", "'self'", stack.s3.endpoint] in policy
    # Public: fetched without any credential or signature, as a visitor's browser does.
    assert "Signature" not in src
    image = get(src, "")
    assert image.status == 200
    assert image.headers["Cache-Control"] == "public, max-age=86400"
    with Image.open(io.BytesIO(image.body)) as picture:
        assert picture.getpixel((10, 10)) == (20, 90, 160)
    # Every replica, and the load balancer, point at the same stored file.
    for base in (app2.base, stack.balancer.base):
        assert src in get(base, CITY_PAGE).body.decode()
    # And a browser shows it: the page's policy lets it load the image from there.
    shown, refused = in_chromium(stack.balancer.base + CITY_PAGE, stack.log_dir / "city.png")
    assert shown == 320, "Chromium did not show the coat of arms"
    assert refused == []


def in_chromium(url, screenshot):
    """The coat of arms' natural width as Debian's Chromium loads `url`, and the
    messages of the Content-Security-Policy violations it reported."""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(url, wait_until="load")
        width = page.eval_on_selector(".profile-header__arms", "image => image.naturalWidth")
        page.screenshot(path=str(screenshot))
        browser.close()
    return width, refused


def test_a_meetings_document_is_private_behind_a_short_lived_signed_address(stack):
    app1, app2, _app3 = stack.instances
    meeting_id, slug = query(
        stack.database_url,
        "SELECT id, slug FROM declarations_meeting WHERE status = 'published' "
        "AND published_at <= now() ORDER BY id LIMIT 1",
    )[0]
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    browser = Client()
    browser.log_in(app1.base, EDITOR, EDITOR_PASSWORD)
    url = f"/admin/declarations/meeting/{meeting_id}/change/"
    fields = form_data(browser.get(app1.base, url).body, "meeting_form")
    fields.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-title_pl": "Protokół",
            "documents-0-title_en": "Minutes",
            "documents-0-language": "pl",
            "documents-0-file": SimpleUploadedFile("protokol.pdf", pdf, "application/pdf"),
            "documents-0-meeting": str(meeting_id),
            "_save": "1",
        }
    )
    assert browser.post(app1.base, url, fields).status == 302

    page = parse(get(app2.base, f"/pl/spotkania/{slug}/").body)
    [href] = [h for h in page.xpath("//a/@href") if "protokol" in h or "document" in h]
    # The page may link to the file or to a view of ours that redirects to it.
    address = urllib.parse.urljoin(app2.base, href)
    for _ in range(3):
        response = get(address, "")
        if response.status not in (301, 302, 303, 307):
            break
        address = urllib.parse.urljoin(address, response.headers["Location"])
    assert response.status == 200
    assert response.body == pdf
    signed = urllib.parse.urlsplit(address)
    assert f"{signed.scheme}://{signed.netloc}" == stack.s3.endpoint
    parameters = urllib.parse.parse_qs(signed.query)
    assert parameters["X-Amz-Expires"] == ["900"]
    assert parameters["X-Amz-Signature"]
    # Without the signature the object storage refuses it.
    assert get(signed._replace(query="").geturl(), "").status == 403


def warm(stack):
    """Every page of the load in the page cache, as it is on a site in use (the
    tests before have each emptied it with an edit)."""
    for path in LOAD_PATHS:
        assert get(stack.balancer.base, path).status == 200


def answered(load, at_least, since=None, timeout=120):
    wait_for(
        lambda: sum(load.counts(start=since).values()) >= at_least,
        timeout,
        lambda: f"the load got only {summary(load.counts(start=since))} in {timeout} s",
    )


def test_no_error_once_the_health_check_notices_a_killed_replica(stack):
    balancer = stack.balancer
    app3 = stack.instances[2]
    warm(stack)
    with Load(balancer.base, LOAD_PATHS) as load:
        answered(load, 30)
        killed = time.monotonic()
        docker("kill", app3.name)
        balancer.wait_for_states({"app3": "DOWN"}, timeout=10)
        noticed = time.monotonic()
        answered(load, 100, since=noticed)
    before, between, after = (
        load.counts(end=killed),
        load.counts(killed, noticed),
        load.counts(start=noticed),
    )
    stack.report(
        "replica killed under load",
        f"before {summary(before)}; until HAProxy noticed ({noticed - killed:.2f} s) "
        f"{summary(between)}; after {summary(after)}",
    )
    assert set(before) == {200}, "errors before the kill"
    assert set(after) == {200}, "the load balancer returned errors after its check noticed"
    # Until the check notices, HAProxy sends a new request elsewhere when the dead
    # replica refuses it (`option redispatch`); an answer it was already sending
    # is cut short, and no balancer can mend that: at most one per load thread.
    failed = sum(count for outcome, count in between.items() if outcome != 200)
    assert failed <= load.threads, f"{failed} requests failed while the replica died"

    app3_stats = balancer.servers()["app3"]
    docker("start", app3.name)
    app3.wait_until_healthy()
    balancer.wait_for_states({"app3": "UP"})
    assert int(balancer.servers()["app3"]["stot"]) >= int(app3_stats["stot"])


def test_a_rolling_restart_under_load_loses_no_request(stack):
    balancer = stack.balancer
    restarts = []
    warm(stack)
    with Load(balancer.base, LOAD_PATHS) as load:
        answered(load, 30)
        for instance in stack.instances:
            started = time.monotonic()
            # SIGTERM: gunicorn stops taking connections and finishes what it has.
            docker("stop", "--time", "35", instance.name)
            docker("start", instance.name)
            instance.wait_until_healthy()
            balancer.wait_for_states({f"app{stack.instances.index(instance) + 1}": "UP"})
            restarts.append((instance.name, started, time.monotonic()))
        answered(load, 30, since=time.monotonic())
    counts = load.counts()
    during = [
        f"{name} {end - start:.1f} s: {summary(load.counts(start, end))}"
        for name, start, end in restarts
    ]
    stack.report("rolling restart under load", f"all {summary(counts)}; " + "; ".join(during))
    assert set(counts) == {200}, f"requests lost: {summary(counts)}"
    for name, start, end in restarts:
        assert sum(load.counts(start, end).values()) > 10, f"no load while {name} restarted"
