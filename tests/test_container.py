"""The container files, tested without a Docker engine (tests/test_image.py and
tests/test_replicas.py run the image itself, with `make stack-test`).

- docker/entrypoint.sh is run for real: against a fresh database it applies
  every migration before the command, it refuses to start the command when the
  database does not answer, and with no command it starts gunicorn
  (gunicorn.conf.py), which then answers /healthz.
- The Dockerfile and compose.yaml are read: what they name exists, the order of
  the build steps is the one that makes layer caching work, the user is not root.
  compose.yaml is checked by `docker compose config` (or docker-compose), which
  needs no engine, and Caddy's configuration by `caddy validate`, when installed.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.unreachable_database import free_port

pytestmark = pytest.mark.container

BASE_DIR = Path(__file__).resolve().parent.parent
ENTRYPOINT = BASE_DIR / "docker" / "entrypoint.sh"
DOCKERFILE = (BASE_DIR / "Dockerfile").read_text()


def entrypoint_env(database_url, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="entrypoint-test-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        PAGE_CACHE_STAMP_FILE=str(Path(tempfile.gettempdir()) / "entrypoint-test-page-cache"),
        **extra,
    )
    return env


def run_entrypoint(env, *command, timeout=180):
    return subprocess.run(  # noqa: S603 (the test's own command)
        [str(ENTRYPOINT), *command],
        cwd="/",  # the script finds the project itself, as it does in /app
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of the kind the suite runs on: a new SQLite file, or a
    new database on the PostgreSQL server of DATABASE_URL."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    # Named after the suite's own test database, so two runs on one server never share it.
    name = f"{db['NAME']}_entrypoint"
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_entrypoint_applies_every_migration_before_the_command(fresh_database_url):
    env = entrypoint_env(fresh_database_url)
    result = run_entrypoint(env, "python", "manage.py", "showmigrations", "--plan")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert "entrypoint: applying migrations" in output
    assert output.index("Applying contenttypes.0001_initial") < output.index(
        "entrypoint: starting python manage.py showmigrations"
    )
    plan = output.split("entrypoint: starting", 1)[1]
    assert "[X]  axes.0001_initial" in plan
    assert "[X]  cities.0001_initial" in plan
    assert "[ ]" not in plan, "a migration was left unapplied"

    again = run_entrypoint(env, "true")
    assert again.returncode == 0, again.stderr
    assert "No migrations to apply." in again.stdout


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's advisory lock; SQLite is one machine's"
)
def test_entrypoints_started_together_migrate_once(fresh_database_url):
    """Three replicas starting at the same moment: one applies the migrations while
    the others wait for its lock, then find nothing left to apply."""
    env = entrypoint_env(fresh_database_url)
    processes = [
        subprocess.Popen(  # noqa: S603
            [str(ENTRYPOINT), "true"],
            cwd="/",
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=180)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    applied = [output for output in outputs if "Applying contenttypes.0001_initial" in output]
    assert len(applied) == 1, outputs
    waited = [output for output in outputs if output not in applied]
    for output in waited:
        assert "No migrations to apply." in output
    assert any("Another process is migrating this database: waiting" in o for o in waited)


def test_migrate_waits_for_the_lock_another_process_holds(fresh_database_url):
    """The lock is PostgreSQL's, taken by `migrate` itself: a migration run while
    another session holds it waits, and applies everything once it is released.
    On SQLite the command migrates as Django's does."""
    env = entrypoint_env(fresh_database_url)
    command = [sys.executable, "manage.py", "migrate", "--no-input"]
    if connection.vendor != "postgresql":
        result = subprocess.run(  # noqa: S603
            command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert "waiting" not in result.stdout
        assert "Applying contenttypes.0001_initial" in result.stdout
        return
    import psycopg

    from ump_portal.management.commands.migrate import MIGRATION_LOCK

    with psycopg.connect(fresh_database_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        process = subprocess.Popen(  # noqa: S603
            command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout.readline().startswith("Another process is migrating")
        time.sleep(1)
        assert process.poll() is None, "migrated while another process held the lock"
        tables = holder.execute("SELECT to_regclass('django_migrations')").fetchone()[0]
        assert tables is None
        holder.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
        output = process.communicate(timeout=180)[0]
    assert process.returncode == 0
    assert "Applying contenttypes.0001_initial" in output


def test_entrypoint_does_not_start_without_a_database(tmp_path):
    marker = tmp_path / "started"
    env = entrypoint_env(
        f"postgres://postgres@127.0.0.1:{free_port()}/nothing", DJANGO_DB_WAIT_SECONDS="3"
    )
    started = time.monotonic()
    result = run_entrypoint(env, "touch", str(marker), timeout=60)
    assert result.returncode != 0
    assert "the database did not answer within 3s" in result.stderr
    assert "Connection refused" in result.stderr or "connection failed" in result.stderr
    assert not marker.exists(), "the command ran without its database"
    assert time.monotonic() - started < 30


def test_entrypoint_can_be_told_not_to_migrate(tmp_path):
    database = tmp_path / "untouched.sqlite3"
    env = entrypoint_env(f"sqlite:///{database}", DJANGO_MIGRATE_ON_START="false")
    result = run_entrypoint(env, "echo", "command ran")
    assert result.returncode == 0, result.stderr
    assert "not applying migrations" in result.stdout
    assert "command ran" in result.stdout
    assert not database.exists()


def test_entrypoint_passes_the_commands_exit_status_on():
    env = entrypoint_env("sqlite:///unused.sqlite3", DJANGO_MIGRATE_ON_START="false")
    assert run_entrypoint(env, "sh", "-c", "exit 7").returncode == 7


def test_entrypoint_without_a_command_serves_with_gunicorn(fresh_database_url, tmp_path):
    port = 8105
    env = entrypoint_env(
        fresh_database_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    # The image collects the static files when it is built (Dockerfile).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    log = (tmp_path / "entrypoint.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [str(ENTRYPOINT)], cwd="/", env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while status != 200:
            assert process.poll() is None, (tmp_path / "entrypoint.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "entrypoint.log").read_text()
            time.sleep(0.3)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    status = r.status
            except (urllib.error.URLError, ConnectionError):
                status = None
        # exec: the process the container engine started is gunicorn itself, so
        # it receives the engine's SIGTERM and stops gracefully.
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert b"gunicorn" in cmdline
        assert b"gunicorn.conf.py" in cmdline
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()
    output = (tmp_path / "entrypoint.log").read_text()
    assert "entrypoint: applying migrations" in output
    assert "entrypoint: starting gunicorn --config gunicorn.conf.py" in output
    assert re.search(r'"GET /healthz HTTP/1.1" 200 .* request_id=[0-9a-f]{32}', output)
    # The worker rendered the public pages before it took its first request.
    warmed = re.search(r"Worker warmed up: (\d+) of (\d+) pages", output)
    assert warmed, output
    assert warmed.group(1) == warmed.group(2) != "0"
    assert output.index("Worker warmed up") < output.index('"GET /healthz')


# --- Dockerfile -------------------------------------------------------------------


def dockerfile_instructions():
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    pairs = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def test_dockerfile_uses_python_311_slim_and_the_pinned_requirements_first():
    instructions = dockerfile_instructions()
    images = [args.split()[0] for name, args in instructions if name == "FROM"]
    assert images and all(image == "python:3.11-slim" for image in images)
    texts = [f"{name} {args}" for name, args in instructions]
    copy_requirements = next(i for i, t in enumerate(texts) if "requirements.txt" in t)
    install = next(i for i, t in enumerate(texts) if "pip install" in t)
    copy_source = texts.index("COPY . .")
    assert copy_requirements < install < copy_source
    for line in (BASE_DIR / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, f"not pinned: {line}"


def test_dockerfile_compiles_messages_and_collects_static_at_build():
    texts = [f"{name} {args}" for name, args in dockerfile_instructions()]
    build_stage = texts[: [i for i, t in enumerate(texts) if t.startswith("FROM")][1]]
    gettext = next(i for i, t in enumerate(build_stage) if "install" in t and "gettext" in t)
    build = next(i for i, t in enumerate(build_stage) if "compilemessages" in t)
    assert gettext < build
    assert "collectstatic --no-input" in build_stage[build]


def test_dockerfile_build_settings_load(tmp_path):
    """The values the Dockerfile gives collectstatic are enough for the
    production settings (DEBUG off) to load and collect."""
    run = next(args for name, args in dockerfile_instructions() if "collectstatic" in args)
    build_env = dict(re.findall(r"(DJANGO_[A-Z_]+)=(\S+)", run.split("collectstatic")[0]))
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"} <= set(build_env)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(build_env, DJANGO_STATIC_ROOT=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists(), "hashed (manifest) static files"
    assert list(tmp_path.glob("css/site.*.css.gz")), "compressed copies for WhiteNoise"


def test_dockerfile_runs_gunicorn_as_a_user_with_a_health_check():
    instructions = dockerfile_instructions()
    names = [name for name, _ in instructions]
    user = [args for name, args in instructions if name == "USER"]
    assert user and user[-1] not in {"root", "0"}
    assert names.index("USER") > max(i for i, n in enumerate(names) if n == "FROM")
    (healthcheck,) = [args for name, args in instructions if name == "HEALTHCHECK"]
    assert "http://127.0.0.1:8000/healthz" in healthcheck
    (entrypoint,) = [args for name, args in instructions if name == "ENTRYPOINT"]
    assert entrypoint == '["/app/docker/entrypoint.sh"]'
    assert os.access(ENTRYPOINT, os.X_OK)
    (cmd,) = [args for name, args in instructions if name == "CMD"]
    assert cmd == '["gunicorn", "--config", "gunicorn.conf.py"]'
    assert (BASE_DIR / "gunicorn.conf.py").exists()
    assert "GUNICORN_BIND=0.0.0.0:8000" in DOCKERFILE
    assert "DJANGO_MEDIA_ROOT=/app/media" in DOCKERFILE


def test_the_app_user_writes_only_where_it_may():
    """The code in /app belongs to root; what the site writes at run time must
    be pointed elsewhere: uploads to the media volume, the page cache's stamp
    file (touched on every content save) to /tmp."""
    assert "DJANGO_MEDIA_ROOT=/app/media" in DOCKERFILE
    assert "chown app:app /app/media" in DOCKERFILE
    assert re.search(r"PAGE_CACHE_STAMP_FILE=/tmp/\S+", DOCKERFILE)


def test_dockerfile_copies_only_what_exists_and_dockerignore_keeps_local_state_out():
    for name, args in dockerfile_instructions():
        if name == "COPY" and "--from" not in args:
            *sources, _destination = args.split()
            for source in sources:
                assert source == "." or (BASE_DIR / source).exists(), source
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".env", "*.sqlite3", "media/", "staticfiles/"):
        assert entry in ignored


# --- compose.yaml and Caddy ------------------------------------------------------


def compose_command():
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run(  # noqa: S603
            [docker, "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail(
        "Checking compose.yaml needs `docker compose` or Debian's docker-compose: "
        "apt-get install docker-compose (`make test` does so when run as root)."
    )


COMPOSE_ENV = {
    "POSTGRES_PASSWORD": "s3cretpassw0rd",
    "DJANGO_SECRET_KEY": "compose-test-only-not-a-secret",
    "SITE_HOST": "migracje.example.pl",
}


def compose_config(env_overrides, *extra):
    env = {k: v for k, v in os.environ.items() if k not in COMPOSE_ENV}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603
        [*compose_command(), "--file", str(BASE_DIR / "compose.yaml"), "config", *extra],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_compose_file_is_valid_and_wires_the_services():
    result = compose_config(COMPOSE_ENV)
    assert result.returncode == 0, result.stderr
    config = result.stdout
    assert "image: postgres:15" in config
    assert "postgres_data:/var/lib/postgresql/data" in config
    assert "media:/app/media" in config, "uploads kept in a named volume"
    assert "media:/srv/media:ro" in config, "Caddy serves the same media, read-only"
    assert "DATABASE_URL: postgres://ump_portal:s3cretpassw0rd@db:5432/ump_portal" in config
    assert "condition: service_healthy" in config, "web waits for PostgreSQL to answer"
    assert "DJANGO_SECURE_PROXY_SSL_HEADER: X-Forwarded-Proto" in config
    assert f"{BASE_DIR}/docker/Caddyfile:/etc/caddy/Caddyfile" in config
    assert (BASE_DIR / "docker" / "Caddyfile").exists()

    services = compose_config(COMPOSE_ENV, "--services").stdout.split()
    assert sorted(services) == ["db", "proxy", "web"]
    volumes = compose_config(COMPOSE_ENV, "--volumes").stdout.split()
    assert {"postgres_data", "media"} <= set(volumes)


@pytest.mark.parametrize("missing", sorted(COMPOSE_ENV))
def test_compose_refuses_to_start_without_its_secrets(missing):
    env = {key: value for key, value in COMPOSE_ENV.items() if key != missing}
    result = compose_config(env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_caddyfile_is_valid():
    caddy = shutil.which("caddy")
    assert caddy, "Validating the Caddyfile needs Debian's caddy: apt-get install caddy"
    result = subprocess.run(  # noqa: S603
        [
            caddy,
            "validate",
            "--adapter",
            "caddyfile",
            "--config",
            str(BASE_DIR / "docker" / "Caddyfile"),
        ],
        env={**os.environ, "SITE_HOST": "migracje.example.pl"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
