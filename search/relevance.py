"""The search's relevance set (search/relevance.toml) and how well the search does on it.

Each query of the set names the page a visitor expects; `evaluate()` runs every query
in its language against the content in the database and records where that page came
among the results. Recall at k is the share of queries whose page is among the first k
results. `make search-eval` prints it on the seed content (`manage.py search_eval`), and
tests/test_search_relevance.py fails when it falls below the targets.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation

from .ranking import search

SET_FILE = Path(__file__).with_name("relevance.toml")
TARGET_RECALL_AT_1 = 0.9
TARGET_RECALL_AT_3 = 1.0


@dataclass(frozen=True)
class Query:
    language: str
    kind: str
    q: str
    expected: str


@dataclass(frozen=True)
class Outcome:
    query: Query
    rank: int | None  # where the expected page came, from 1; None when not found
    first: tuple  # the first three results' addresses

    def found_within(self, k):
        return self.rank is not None and self.rank <= k


def queries():
    with SET_FILE.open("rb") as file:
        return [Query(**entry) for entry in tomllib.load(file)["queries"]]


def evaluate(query_set=None):
    outcomes = []
    for query in query_set or queries():
        with translation.override(query.language):
            urls = [result.url for result in search(query.q).results]
        rank = urls.index(query.expected) + 1 if query.expected in urls else None
        outcomes.append(Outcome(query, rank, tuple(urls[:3])))
    return outcomes


def recall(outcomes, k):
    return sum(outcome.found_within(k) for outcome in outcomes) / len(outcomes)


def meets_targets(outcomes):
    return recall(outcomes, 1) >= TARGET_RECALL_AT_1 and recall(outcomes, 3) >= TARGET_RECALL_AT_3


def report(outcomes):
    """The figures and every query whose page did not come first, as lines of text."""
    lines = []
    for outcome in outcomes:
        if not outcome.found_within(1):
            query = outcome.query
            where = f"at {outcome.rank}" if outcome.rank else "not found"
            lines.append(
                f"  [{query.language}] {query.q!r} ({query.kind}): {query.expected} {where}; "
                f"first: {', '.join(outcome.first) or 'nothing'}"
            )
    if lines:
        lines.insert(0, "Queries whose page did not come first:")
        lines.append("")
    languages = sorted({outcome.query.language for outcome in outcomes})
    lines.append(f"{len(outcomes)} queries ({', '.join(languages)})")
    for k, target in ((1, TARGET_RECALL_AT_1), (3, TARGET_RECALL_AT_3)):
        found = sum(outcome.found_within(k) for outcome in outcomes)
        lines.append(
            f"recall@{k}: {recall(outcomes, k):.3f} ({found}/{len(outcomes)}; target {target})"
        )
    return lines
