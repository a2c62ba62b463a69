"""The production stack for measuring scripts: `make serve` on a scratch database.

Used by `bench.py` (wrk) and `lighthouse.py`: both start gunicorn with DEBUG off
and the seed content, wait until /healthz answers, measure real pages of the seed
content, and stop the server again, whatever happens in between.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "ump_portal" / "seed" / "content.toml"


def seed_pages():
    """Real pages of the seed content, in Polish (the default language)."""
    content = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
    declaration = content["declarations"][0]["slug"]
    return {
        "home": "/pl/",
        "declaration": f"/pl/deklaracje/{declaration}/",
        "city": "/pl/miasta/gdansk/",
        "meetings": "/pl/spotkania/",
    }


def other_pages():
    """The other page types of the seed content."""
    content = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))
    return {
        "declarations": "/pl/deklaracje/",
        "cities": "/pl/miasta/",
        "cities filter": "/pl/miasta/?voivodeship=pomorskie",
        "team": "/pl/zespol/",
        "meeting": f"/pl/spotkania/{content['meetings'][0]['slug']}/",
        "initiatives": "/pl/inicjatywy/",
        "initiative": f"/pl/inicjatywy/{content['initiatives'][0]['slug']}/",
        "search": "/pl/szukaj/?q=migracja",
        "open data": "/pl/otwarte-dane/",
    }


def wait_until_up(base, server, log_path, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"`make serve` stopped ({server.returncode}):\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("The server did not answer /healthz in time.")


@contextlib.contextmanager
def serving(port, database, log_path, env=None):
    """Run `make serve` on `port` with the SQLite file `database` (made anew) and
    the settings `env` adds; yield the running process once /healthz answers, and
    stop it on the way out."""
    database.unlink(missing_ok=True)
    env = {
        **os.environ,
        **(env or {}),
        "DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(port),
    }
    with log_path.open("w") as log:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server, log_path)
            yield server
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
