"""Benchmark of the production stack: `make bench` (or `make bench BENCH_ARGS=--short`).

Starts `make serve` (gunicorn, DEBUG off) on its own port with a scratch SQLite
database holding the seed content, then drives it with wrk (Debian's package) at
16 concurrent connections: the home page, a declaration, a city, the meetings
list, and beside them a static file served by the same server. It prints each
page's requests per second, 50th and 99th percentile latency, its throughput as a
ratio to the static file's, the resident memory of every gunicorn worker, and how
many workers gunicorn replaced during the run (max_requests).

Targets (issue 6, 2-core machine): every page >= 0.7 of the static file's
throughput, p99 < 50 ms, no errors, each worker < 120 MB. A full run exits 1 when
a target is missed; `--short` (CI) runs briefly and exits 1 only on errors.

Then the search benchmark (scripts/bench_search.py) prints the CPU time of searches
with 300 cities and 2,000 meetings, under the same rules.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from bench_search import run as search_benchmark
from production_stack import ROOT, seed_pages, serving

MIN_RATIO = 0.7
MAX_P99_MS = 50.0
MAX_WORKER_MB = 120.0


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
        [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
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


def worker_rss_mb(master_pid):
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="brief run; fail only on errors")
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=None, help="seconds per URL")
    args = parser.parse_args()
    duration = args.duration or (3 if args.short else 15)

    wrk = ensure_wrk()
    scratch = Path(tempfile.mkdtemp(prefix="ump-bench-"))
    base = f"http://127.0.0.1:{args.port}"
    try:
        with serving(args.port, scratch / "bench.sqlite3", scratch / "serve.log") as server:
            targets = {**seed_pages(), "static file": static_path()}
            results = {}
            for name, path in targets.items():
                try:
                    urllib.request.urlopen(base + path, timeout=10).read()  # noqa: S310
                except urllib.error.HTTPError as error:
                    sys.exit(f"{name} page {path} answered {error.code}; nothing to measure.")
                # Warm up every worker (each has its own page cache) before measuring.
                run_wrk(wrk, base + path, 1, args.connections)
                results[name] = run_wrk(wrk, base + path, duration, args.connections)
            rss = worker_rss_mb(gunicorn_master(server.pid))
        restarts = (scratch / "serve.log").read_text().count("Autorestarting worker")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    static_rps = results["static file"]["rps"]
    print(f"\nwrk, {args.connections} connections, {duration} s per URL, on {base}\n")
    print(f"{'page':<14}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>8}{'errors':>8}")
    missed = []
    errors = 0
    for name, result in results.items():
        ratio = result["rps"] / static_rps
        errors += result["errors"]
        print(
            f"{name:<14}{result['rps']:>10.0f}{result['p50']:>10.2f}{result['p99']:>10.2f}"
            f"{ratio:>8.2f}{result['errors']:>8}"
        )
        if name != "static file" and ratio < MIN_RATIO:
            missed.append(f"{name}: throughput ratio {ratio:.2f} < {MIN_RATIO}")
        if result["p99"] >= MAX_P99_MS:
            missed.append(f"{name}: p99 {result['p99']:.1f} ms >= {MAX_P99_MS} ms")
    print("\ngunicorn workers, resident MB: " + ", ".join(f"{mb:.0f}" for mb in rss))
    print(f"workers replaced during the run (max_requests): {restarts}")
    missed += [f"worker at {mb:.0f} MB >= {MAX_WORKER_MB} MB" for mb in rss if mb >= MAX_WORKER_MB]
    missed += search_benchmark(short=args.short)

    if errors:
        print(f"\nFAILED: {errors} error responses or socket errors")
        return 1
    if missed:
        print("\nTargets missed:\n  " + "\n  ".join(missed))
        return 0 if args.short else 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
