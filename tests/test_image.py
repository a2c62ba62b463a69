"""The image `make image` built, run as production runs it: one container against
a new PostgreSQL database, with a read-only root file system and a tmpfs on /tmp.

It applies every migration as it starts, answers /healthz with 200 (and Docker's
health check with the image's own command says healthy), serves pages in Polish and
English with their hashed, compressed static files, runs as the image's user and
cannot write outside /tmp and its media volume. Run by `make stack-test`, which
builds the image first (tests/stack.py says what it needs).
"""

import re

import pytest

from tests.html import parse
from tests.stack import (
    FIRST_PORT,
    Instance,
    docker,
    get,
    logs_folder,
    query,
    require_image,
    scratch_database,
    wait_for,
)

pytestmark = [pytest.mark.container, pytest.mark.stack]

NAME = "ump-stack-image"


@pytest.fixture(scope="module")
def instance():
    require_image()
    log_dir = logs_folder("image")
    with scratch_database("image") as url:
        # Uploads on one machine live in a volume, as compose.yaml's `media`.
        instance = Instance(
            NAME, FIRST_PORT + 30, {"DATABASE_URL": url}, log_dir, ["--volume", "/app/media"]
        )
        instance.database_url = url
        instance.start()
        try:
            instance.wait_until_healthy()
            instance.exec("python", "manage.py", "load_seed_content", "--verbosity", "0")
            yield instance
        finally:
            instance.remove()


def test_migrations_are_applied_as_it_starts(instance):
    logs = instance.logs()
    assert "entrypoint: applying migrations" in logs
    assert logs.index("Applying contenttypes.0001_initial") < logs.index(
        "entrypoint: starting gunicorn --config gunicorn.conf.py"
    )
    applied = query(instance.database_url, "SELECT app, name FROM django_migrations")
    assert ("declarations", "0001_initial") in applied
    check = docker("exec", NAME, "python", "manage.py", "migrate", "--check", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_healthz_answers_and_docker_sees_it_healthy(instance):
    response = get(instance.base, "/healthz")
    assert response.status == 200
    assert response.body == b"ok\n"

    def docker_health():
        result = docker("inspect", "--format", "{{.State.Health.Status}}", NAME)
        return result.stdout.strip() == "healthy"

    wait_for(docker_health, 60, "Docker's health check never passed")


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [("/pl/", "pl", "Deklaracja"), ("/en/", "en", "Declaration")],
)
def test_a_page_in_each_language(instance, path, language, heading):
    response = get(instance.base, path)
    assert response.status == 200
    page = parse(response.body)
    assert page.get("lang") == language
    assert heading in page.text_content()
    # The static files were collected, hashed and compressed when the image was built.
    stylesheet = page.xpath("//link[@rel='stylesheet']/@href")[0]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet)
    css = get(instance.base, stylesheet, headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]


def test_it_runs_as_the_images_user_not_root(instance):
    user = docker("inspect", "--format", "{{.Config.User}}", NAME).stdout.strip()
    assert user == "app"
    assert docker("exec", NAME, "id", "-u").stdout.strip() == "10001"
    # gunicorn's master, the container's first process, and its workers.
    for pid in docker("exec", NAME, "sh", "-c", "ls /proc | grep -E '^[0-9]+$'").stdout.split():
        status = docker("exec", NAME, "cat", f"/proc/{pid}/status", check=False).stdout
        uid = re.search(r"^Uid:\s+(\d+)", status, re.MULTILINE)
        if uid:
            assert uid.group(1) == "10001", status


def test_the_root_file_system_is_read_only(instance):
    read_only = docker("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", NAME)
    assert read_only.stdout.strip() == "true"
    for path in ("/app/ump_portal/hacked.py", "/opt/venv/lib/hacked.py", "/etc/hacked"):
        result = docker("exec", NAME, "touch", path, check=False)
        assert result.returncode != 0
        assert "Read-only file system" in result.stderr
    assert docker("exec", NAME, "touch", "/tmp/fine").returncode == 0  # noqa: S108
    mounts = docker("exec", NAME, "cat", "/proc/mounts").stdout
    assert re.search(r"^tmpfs /tmp tmpfs ", mounts, re.MULTILINE)
    # The media volume is the one other place it writes (uploads on one machine).
    assert docker("exec", NAME, "touch", "/app/media/fine").returncode == 0
