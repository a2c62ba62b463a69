"""The real pieces of the image and replica tests (tests/test_image.py,
tests/test_replicas.py), started and stopped here:

- `Instance`: a container of the portal's image, as production runs it: a read-only
  root file system with a tmpfs on /tmp, the image's own user and entrypoint. It
  shares the host's network, so it reaches PostgreSQL and Redis on 127.0.0.1 as
  they listen on these machines, and answers on a port of its own;
- `scratch_database`: an empty PostgreSQL database, dropped afterwards;
- `S3Server`: moto's server mode, an S3-speaking server on a local port;
- `LoadBalancer`: Debian's HAProxy with deploy/haproxy/haproxy.cfg, and its runtime
  API for the state of each replica;
- `Client`: HTTP requests that keep their cookies, as a browser's do;
- `Load`: threads requesting pages as fast as they can, each response counted by
  status and time.

`make stack-test` sets the environment:
  STACK_DATABASE_URL  the PostgreSQL server; its database name is the prefix of the
                      scratch databases (default postgres://postgres@127.0.0.1:5432/ump_stack)
  STACK_REDIS_URL     the replicas' shared cache; the stack empties that Redis
                      database first (default redis://127.0.0.1:6379/5)
  STACK_PORT          the first of 40 ports the stack listens on (default 18400)
  STACK_IMAGE         the image, built by `make image` (default ump-portal:latest)
"""

import collections
import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
HAPROXY_CONFIG = BASE_DIR / "deploy" / "haproxy" / "haproxy.cfg"
# The containers', HAProxy's and moto's logs, and the load tests' counts, kept after
# the run (CI keeps artifacts/).
LOG_DIR = BASE_DIR / "artifacts" / "stack"

DATABASE_URL = os.environ.get("STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ump_stack")
REDIS_URL = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/5")
FIRST_PORT = int(os.environ.get("STACK_PORT", "18400"))
IMAGE = os.environ.get("STACK_IMAGE", "ump-portal:latest")

# Values for these tests only: the stack answers on 127.0.0.1 over plain HTTP.
APP_ENV = {
    "DJANGO_SECRET_KEY": "stack-test-only-not-a-secret-4f8e2b7c1d9a6e3f0b5c8d2a7e4f1b9c",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "GUNICORN_WORKERS": "2",
}


def docker(*args, check=True, timeout=180):
    result = subprocess.run(  # noqa: S603 (the test's own arguments)
        ["docker", *args],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def require_image():
    """The Docker engine answers and the image exists; else a failure saying how."""
    if not shutil.which("docker") or docker("info", check=False).returncode != 0:
        pytest.fail(
            "No Docker engine answers: `make stack-test` starts Debian's dockerd when run "
            "as root (scripts/docker_engine.sh)."
        )
    if docker("image", "inspect", IMAGE, check=False).returncode != 0:
        pytest.fail(f"No image {IMAGE}: build it with `make image` (make stack-test does).")


def logs_folder(name):
    """An empty folder for one test module's logs under LOG_DIR."""
    folder = LOG_DIR / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def wait_for(predicate, timeout, message, interval=0.2):
    """Call `predicate` until it returns a true value, which is returned; fail after
    `timeout` seconds with `message` (a string, or a callable giving one)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(message() if callable(message) else message)
        time.sleep(interval)


# --- PostgreSQL and Redis ----------------------------------------------------------


def database_url(name):
    return urllib.parse.urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()


@contextlib.contextmanager
def scratch_database(suffix):
    """The URL of an empty database named after STACK_DATABASE_URL's and `suffix`."""
    import psycopg

    name = f"{urllib.parse.urlsplit(DATABASE_URL).path.lstrip('/')}_{suffix}"
    server = database_url("postgres")
    try:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"The stack needs PostgreSQL at STACK_DATABASE_URL ({DATABASE_URL}): {error}")
    try:
        yield database_url(name)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url, sql, params=()):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(sql, params).fetchall()


def empty_redis():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError as error:
        pytest.fail(f"The stack needs Redis at STACK_REDIS_URL ({REDIS_URL}): {error}")


# --- Containers ----------------------------------------------------------------------


def container_is_running(name):
    result = docker("inspect", "--format", "{{.State.Running}}", name, check=False)
    return result.stdout.strip() == "true"


class Instance:
    """One container of the image, listening on 127.0.0.1:`port`."""

    def __init__(self, name, port, env, log_dir, options=()):
        self.name = name
        self.options = list(options)
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = {**APP_ENV, **env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        self.log_dir = log_dir

    def start(self):
        docker("rm", "--force", "--volumes", self.name, check=False)
        environment = [
            arg for key, value in self.env.items() for arg in ("--env", f"{key}={value}")
        ]
        docker(
            "run",
            "--detach",
            "--name",
            self.name,
            "--network",
            "host",
            "--read-only",
            "--tmpfs",
            "/tmp",  # noqa: S108 (the container's own tmpfs)
            # The image's check, at the port this instance listens on.
            "--health-cmd",
            'python -c "import urllib.request; urllib.request.urlopen('
            f"'http://127.0.0.1:{self.port}/healthz', timeout=4)\"",
            "--health-interval",
            "2s",
            *self.options,
            *environment,
            IMAGE,
        )

    def is_healthy(self):
        try:
            return get(self.base, "/healthz", timeout=3).status == 200
        except OSError:
            return False

    def wait_until_healthy(self, timeout=300):
        def healthy():
            if not container_is_running(self.name):
                pytest.fail(f"{self.name} stopped:\n{self.logs()[-4000:]}")
            return self.is_healthy()

        wait_for(healthy, timeout, lambda: f"{self.name} never answered:\n{self.logs()[-4000:]}")

    def logs(self):
        result = docker("logs", self.name, check=False)
        return result.stdout + result.stderr

    def exec(self, *command, env=None):
        options = [arg for key, value in (env or {}).items() for arg in ("--env", f"{key}={value}")]
        return docker("exec", *options, self.name, *command)

    def save_logs(self):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        (self.log_dir / f"{self.name}.log").write_text(self.logs())

    def remove(self):
        self.save_logs()
        docker("rm", "--force", "--volumes", self.name, check=False)


# --- S3 and the load balancer --------------------------------------------------------


class S3Server:
    """moto's server mode (requirements-dev.txt): S3's API on 127.0.0.1:`port`."""

    access_key = "stack-test"  # moto accepts any credentials
    secret_key = "stack-test-secret"

    def __init__(self, port, log_path):
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    def __enter__(self):
        moto_server = Path(sys.executable).parent / "moto_server"
        if not moto_server.exists():
            pytest.fail("moto's S3 server is missing: make install-dev (requirements-dev.txt).")
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [str(moto_server), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

        def answers():
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                return get(self.endpoint, "/", timeout=2).status == 200
            except OSError:
                return False

        wait_for(answers, 60, "moto's S3 server did not answer")
        return self

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def env(self, bucket):
        """The replicas' storage settings for `bucket` (ump_portal/settings.py, "Storage")."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
        }

    def __exit__(self, *exc_info):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


class LoadBalancer:
    """HAProxy with deploy/haproxy/haproxy.cfg in front of three instances."""

    backend = "replicas"

    def __init__(self, port, instances, work_dir):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.instances = instances
        self.socket_path = work_dir / "haproxy.sock"
        self.log_path = work_dir / "haproxy.log"

    def __enter__(self):
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(haproxy).exists():
            pytest.fail(
                "The stack needs Debian's HAProxy: apt-get install haproxy "
                "(make stack-test does so as root)."
            )
        env = {
            **os.environ,
            "UMP_LB_BIND": f"127.0.0.1:{self.port}",
            "UMP_LB_SOCKET": str(self.socket_path),
            **{f"UMP_APP{i}": f"127.0.0.1:{inst.port}" for i, inst in enumerate(self.instances, 1)},
        }
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [haproxy, "-db", "-f", str(HAPROXY_CONFIG)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(
            self.socket_path.exists,
            30,
            lambda: f"HAProxy did not start:\n{self.log_path.read_text()}",
        )
        self.wait_for_states({f"app{i}": "UP" for i in range(1, len(self.instances) + 1)})
        return self

    def command(self, line):
        """One command of HAProxy's runtime API; its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(self.socket_path))
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self):
        """Each replica's row of `show stat`: {"app1": {"status": "UP", ...}, ...}."""
        header, *rows = self.command("show stat").lstrip("# ").splitlines()
        columns = header.split(",")
        stats = [dict(zip(columns, row.split(","), strict=False)) for row in rows if row]
        return {
            s["svname"]: s
            for s in stats
            if s["pxname"] == self.backend and s["svname"].startswith("app")
        }

    def states(self):
        """Each replica's state after its latest checks: "UP", "DOWN", or on the way
        from one to the other ("UP 1/2": one more failed check takes it out)."""
        return {name: row["status"] for name, row in self.servers().items()}

    def wait_for_states(self, expected, timeout=60):
        return wait_for(
            lambda: all(self.states().get(name) == state for name, state in expected.items()),
            timeout,
            lambda: f"HAProxy's replicas: {self.states()}, expected {expected}",
            interval=0.05,
        )

    def __exit__(self, *exc_info):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


# --- HTTP ----------------------------------------------------------------------------

Response = collections.namedtuple("Response", "status headers body")


def request(base, method, path, body=None, headers=None, timeout=30):
    url = urllib.parse.urlsplit(urllib.parse.urljoin(base, path))
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)
    try:
        target = url.path + (f"?{url.query}" if url.query else "")
        connection.request(
            method, target, body=body, headers={"Connection": "close", **(headers or {})}
        )
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def get(base, path, **options):
    return request(base, "GET", path, **options)


class Client:
    """Requests to any instance with one set of cookies, as one browser sends them
    to one site (whichever replica answers). Secure cookies are sent over plain HTTP
    too: the stack is 127.0.0.1, where browsers accept them as well."""

    def __init__(self):
        self.cookies = {}

    def request(self, base, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = request(base, method, path, body=body, headers=headers)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, base, path):
        return self.request(base, "GET", path)

    def post(self, base, path, fields):
        """A form as a browser posts it, files included (multipart/form-data)."""
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        return self.request(
            base,
            "POST",
            path,
            body=encode_multipart(BOUNDARY, fields),
            headers={
                "Content-Type": MULTIPART_CONTENT,
                "Referer": urllib.parse.urljoin(base, path),
            },
        )

    def log_in(self, base, username, password):
        from tests.html import form_data

        page = self.get(base, "/admin/login/?next=/admin/")
        fields = form_data(page.body, "login-form")
        fields.update(username=username, password=password)
        response = self.post(base, "/admin/login/?next=/admin/", fields)
        assert response.status == 302, response.body.decode()[:2000]
        assert response.headers["Location"] == "/admin/"


class Load:
    """`threads` threads requesting `paths` in turn through `base` until stopped, a
    new connection each time, as many visitors would. Every answer is kept as
    (time, status), and every request that got none, or only part of one, as (time,
    the error's name)."""

    def __init__(self, base, paths, threads=6):
        self.base = base
        self.paths = paths
        self.threads = threads
        self.results = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, offset):
        i = offset
        while not self._stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            try:
                outcome = get(self.base, path, timeout=40).status
            except (OSError, http.client.HTTPException) as error:
                # An answer cut short (IncompleteRead) is a failure too, counted as
                # one; the thread goes on, so no failure ends the load unseen.
                outcome = type(error).__name__
            with self._lock:
                self.results.append((time.monotonic(), outcome))

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def counts(self, start=None, end=None):
        """How many answers of each status (or error) between the two moments."""
        return collections.Counter(
            outcome
            for moment, outcome in self.results
            if (start is None or moment >= start) and (end is None or moment < end)
        )


def summary(counts):
    return json.dumps(dict(sorted(counts.items(), key=str)))
