"""Lighthouse on the production stack: `make lighthouse`.

Starts `make serve` (gunicorn, DEBUG off, WhiteNoise with compressed static
files) on port 8150 with a scratch SQLite database holding the seed content,
then runs Lighthouse (the npm package, installed under tools/lighthouse/ by the
Makefile) in its default mobile setting against Debian's Chromium
(`CHROME_PATH=/usr/bin/chromium`) for the home page, a declaration and a city.
The HTML and JSON reports go to artifacts/lighthouse/; the four category scores
of each page are printed. Lighthouse fetches nothing but the pages themselves:
it runs on localhost, with Chromium's background networking off.

Exits 1 when a score is below `--min-score` (default 100, the issue's target).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from production_stack import ROOT, seed_pages, serving

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "artifacts" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def run_lighthouse(url, name, attempts=3):
    """Runs Lighthouse; returns its scores (0-100) by category and the audits
    below full marks. Chromium's trace of a page load now and then comes back
    without its navigation start (NO_NAVSTART); such a run is tried again."""
    output_path = REPORTS / name
    for attempt in range(1, attempts + 1):
        finished = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=html",
                "--output=json",
                f"--output-path={output_path}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=False,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
        if finished.returncode == 0:
            break
        print(f"Lighthouse failed on {url} (attempt {attempt} of {attempts})", file=sys.stderr)
    else:
        sys.exit(f"Lighthouse failed {attempts} times on {url}.")
    report = json.loads(output_path.with_suffix(".report.json").read_text())
    failing = {
        audit["id"]: audit["title"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    }
    scores = {
        category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES
    }
    return scores, failing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--database", default="/tmp/lh.sqlite3", help="scratch SQLite file")  # noqa: S108
    parser.add_argument("--min-score", type=int, default=100)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse`.")
    if not Path(CHROMIUM).exists():
        sys.exit(f"No {CHROMIUM}: apt-get install chromium")

    REPORTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    pages = {name: path for name, path in seed_pages().items() if name != "meetings"}
    with serving(args.port, Path(args.database), REPORTS / "serve.log"):
        results = {name: run_lighthouse(base + path, name) for name, path in pages.items()}

    print(f"\nLighthouse, mobile (default), on {base}; reports in {REPORTS.relative_to(ROOT)}/\n")
    print(f"{'page':<14}" + "".join(f"{category:>16}" for category in CATEGORIES))
    below = []
    for name, (scores, failing) in results.items():
        print(f"{name:<14}" + "".join(f"{scores[category]:>16}" for category in CATEGORIES))
        below += [
            f"{name}: {category} {score}"
            for category, score in scores.items()
            if score < args.min_score
        ]
        for audit, title in failing.items():
            print(f"{'':<14}  audit not at full marks: {audit} ({title})")
    if below:
        print(f"\nBelow {args.min_score}: " + ", ".join(below))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
