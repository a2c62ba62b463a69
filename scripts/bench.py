"""Benchmark of the production stack: `make bench` (or `make bench BENCH_ARGS=--short`).

Starts `make serve` (gunicorn, DEBUG off) on its own port with a scratch SQLite
database holding the seed content, and drives it with wrk (Debian's package) at 16
concurrent connections, three times:

1. cached: the home page, a declaration, a city and the meetings list from the
   page cache, beside a static file served by the same server;
2. cached, while an editor saves: the home page again while a signed-in editor
   saves an organisation through the admin every 5 seconds (each save drops every
   cached page), against the same page without saves;
3. uncached: a second server with the page cache off (`PAGE_CACHE_SECONDS=0`), every
   page type rendered on each request, beside the static file again.

It prints each URL's requests per second, 50th and 99th percentile latency, its
throughput as a ratio to the static file's of the same server, the resident memory
of every gunicorn worker and its proportional share (PSS), and how many workers
gunicorn replaced (max_requests).
Ratios are taken within one server's run, against the mean of a static-file run
before the pages and one after them, so that a machine shared with other work moves
the pages and their reference alike.

Targets (2-core machine; issue 6 and issue 13): cached pages >= 0.9 of the static
file's throughput with p99 < 50 ms; uncached, the home page, a declaration, a city
and the meetings list >= 0.25 of it; with an editor saving every 5 s, at least half
the throughput without saves; no errors; each worker's share of memory < 120 MB.
A full run exits 1 when a target is missed; `--short` (CI) runs briefly and exits 1
only on errors.

Then the search benchmark (scripts/bench_search.py) prints the CPU time of searches
with 300 cities and 2,000 meetings, under the same rules.
"""

import argparse
import html
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench_search import run as search_benchmark
from production_stack import ROOT, other_pages, seed_pages, serving

MIN_CACHED_RATIO = 0.9
MIN_UNCACHED_RATIO = 0.25
MIN_RATIO_WHILE_SAVING = 0.5
MAX_P99_MS = 50.0
MAX_WORKER_MB = 120.0
SAVE_EVERY_SECONDS = 5
EDITOR = ("bench-editor", "bench-editor-password-not-secret-1")


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() != 0:
        sys.exit("wrk is not installed: run `sudo apt-get install wrk` and try again.")
    print("Installing wrk from Debian's packages ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


def static_path():
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(wrk, url, duration, connections):
    output = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))\s*$", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(percentiles["50"]),
        "p99": to_ms(percentiles["99"]),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, socket.groups())) if socket else 0),
    }


def worker_memory_mb(master_pid):
    """Each worker's resident memory and its proportional share of it (PSS), in MB.

    The master loads the search analysers' dictionaries before forking
    (gunicorn.conf.py), so every worker's resident figure counts the same shared
    pages again; the proportional share divides them among the processes that
    share them, and the shares add up to what the workers really take. The
    target is checked on the share."""
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        sizes.append(
            tuple(
                int(re.search(rf"^{field}:\s+(\d+) kB", rollup, re.MULTILINE).group(1)) / 1024
                for field in ("Rss", "Pss")
            )
        )
    return sizes


def gunicorn_master(server_pid):
    """`make serve` execs gunicorn from make's shell; find the gunicorn master."""
    out = subprocess.run(
        ["pgrep", "-f", "-g", str(os.getpgid(server_pid)), "gunicorn"],
        capture_output=True,
        text=True,
    ).stdout.split()
    pids = [int(pid) for pid in out]
    masters = [
        pid for pid in pids if int(Path(f"/proc/{pid}/stat").read_text().split()[3]) not in pids
    ]
    return masters[0]


def measure(wrk, base, pages, duration, connections):
    """Each page, between two runs against the static file: "static file" is their
    mean, so that load from outside that changes during the run weighs on the pages
    and on their reference alike (both runs are printed)."""
    targets = {"static, before": static_path(), **pages, "static, after": static_path()}
    results = {}
    for name, path in targets.items():
        try:
            urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
        except urllib.error.HTTPError as error:
            sys.exit(f"{name} page {path} answered {error.code}; nothing to measure.")
        # Warm up every worker (each has its own page cache) before measuring.
        run_wrk(wrk, base + path, 1, connections)
        results[name] = run_wrk(wrk, base + path, duration, connections)
    before, after = results["static, before"], results["static, after"]
    results["static file"] = {
        key: (before[key] + after[key]) / 2 if key != "errors" else 0 for key in before
    }
    return results


class Editor:
    """A signed-in editor who saves an organisation in the admin, as a person would:
    the change form is read, then sent back."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.saves = 0
        self.failures = []

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        content = response.read().decode()
        connection.close()
        return response.status, content

    @staticmethod
    def token(page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def sign_in(self):
        _status, page = self.request("GET", "/admin/login/")
        username, password = EDITOR
        form = {"csrfmiddlewaretoken": self.token(page), "username": username}
        status, _page = self.request("POST", "/admin/login/", {**form, "password": password})
        if status != 302:
            sys.exit(f"The benchmark's editor could not sign in ({status}).")
        _status, page = self.request("GET", "/admin/declarations/organisation/")
        link = r'href="(/admin/declarations/organisation/\d+/change/)"'
        self.change_path = re.search(link, page)[1]

    def save(self):
        _status, page = self.request("GET", self.change_path)
        fields = dict(
            re.findall(r'<input type="(?:text|url)" name="([^"]+)" value="([^"]*)"', page)
        )
        fields = {name: html.unescape(value) for name, value in fields.items()}
        fields["acronym"] = f"B{self.saves % 100}"
        fields.update(csrfmiddlewaretoken=self.token(page), _save="Save")
        status, _page = self.request("POST", self.change_path, fields)
        if status == 302:
            self.saves += 1
        else:
            self.failures.append(status)

    def keep_saving(self, stop):
        while not stop.wait(SAVE_EVERY_SECONDS):
            self.save()


def create_editor(database):
    username, password = EDITOR
    subprocess.run(
        [
            *(ROOT / ".venv" / "bin" / "python", "manage.py", "createsuperuser", "--no-input"),
            *("--username", username, "--email", "bench@example.org"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_DEBUG": "true",
            "DJANGO_SUPERUSER_PASSWORD": password,
        },
        check=True,
        capture_output=True,
    )


def while_saving(wrk, base, port, path, duration, connections):
    editor = Editor(port)
    editor.sign_in()
    stop = threading.Event()
    saver = threading.Thread(target=editor.keep_saving, args=(stop,))
    saver.start()
    try:
        result = run_wrk(wrk, base + path, duration, connections)
    finally:
        stop.set()
        saver.join()
    return result, editor


def report(title, results, targets):
    """Print one server's table; return the targets it missed. `targets` maps a page
    name to the ratio it must reach."""
    static_rps = results["static file"]["rps"]
    print(f"\n{title}\n")
    print(f"{'page':<16}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>8}{'errors':>8}")
    missed = []
    for name, result in results.items():
        ratio = result["rps"] / static_rps
        print(
            f"{name:<16}{result['rps']:>10.0f}{result['p50']:>10.2f}{result['p99']:>10.2f}"
            f"{ratio:>8.2f}{result['errors']:>8}"
        )
        if name in targets and ratio < targets[name]:
            missed.append(f"{title}: {name} throughput ratio {ratio:.2f} < {targets[name]}")
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="brief run; fail only on errors")
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=None, help="seconds per URL")
    args = parser.parse_args()
    duration = args.duration or (3 if args.short else 15)
    connections = args.connections

    wrk = ensure_wrk()
    scratch = Path(tempfile.mkdtemp(prefix="ump-bench-"))
    base = f"http://127.0.0.1:{args.port}"
    pages = seed_pages()
    every_page = {**pages, **({} if args.short else other_pages())}
    missed = []
    try:
        database = scratch / "bench.sqlite3"
        with serving(args.port, database, scratch / "serve.log") as server:
            cached = measure(wrk, base, pages, duration, connections)
            create_editor(database)
            saving, editor = while_saving(
                wrk, base, args.port, pages["home"], max(duration, 15), connections
            )
            alone = run_wrk(wrk, base + pages["home"], max(duration, 15), connections)
            memory = worker_memory_mb(gunicorn_master(server.pid))
        restarts = (scratch / "serve.log").read_text().count("Autorestarting worker")
        with serving(
            args.port, database, scratch / "serve-uncached.log", {"PAGE_CACHE_SECONDS": "0"}
        ):
            uncached = measure(wrk, base, every_page, duration, connections)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\nwrk, {connections} connections, {duration} s per URL, on {base}")
    missed += report("Page cache on", cached, dict.fromkeys(pages, MIN_CACHED_RATIO))
    missed += [
        f"page cache on: {name} p99 {result['p99']:.1f} ms >= {MAX_P99_MS} ms"
        for name, result in cached.items()
        if result["p99"] >= MAX_P99_MS
    ]
    missed += report(
        "Page cache off (PAGE_CACHE_SECONDS=0)",
        uncached,
        dict.fromkeys(pages, MIN_UNCACHED_RATIO),
    )
    saving_ratio = saving["rps"] / alone["rps"]
    print(
        f"\nHome page, page cache on, while an editor saves every {SAVE_EVERY_SECONDS} s: "
        f"{saving['rps']:.0f} req/s (p99 {saving['p99']:.1f} ms) against {alone['rps']:.0f} "
        f"without saves: {saving_ratio:.2f}; {editor.saves} saves"
        + (f", {len(editor.failures)} failed: {editor.failures}" if editor.failures else "")
    )
    if saving_ratio < MIN_RATIO_WHILE_SAVING:
        missed.append(f"while saving: ratio {saving_ratio:.2f} < {MIN_RATIO_WHILE_SAVING}")
    print(
        "\ngunicorn workers, resident MB (proportional share): "
        + ", ".join(f"{rss:.0f} ({pss:.0f})" for rss, pss in memory)
    )
    print(f"workers replaced during the run (max_requests): {restarts}")
    missed += [
        f"worker's share at {pss:.0f} MB >= {MAX_WORKER_MB} MB"
        for _rss, pss in memory
        if pss >= MAX_WORKER_MB
    ]
    missed += search_benchmark(short=args.short)

    errors = sum(r["errors"] for r in [*cached.values(), *uncached.values(), saving, alone])
    if errors or editor.failures or not editor.saves:
        print(f"\nFAILED: {errors} error responses or socket errors, {editor.saves} saves")
        return 1
    if missed:
        print("\nTargets missed:\n  " + "\n  ".join(missed))
        return 0 if args.short else 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
