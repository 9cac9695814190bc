"""Measure the arrest and case extractors against labelled reports, per figure kind.

The labelled reports are JSON Lines: tests/fixtures/events/arrests.jsonl (reports written for
this, in the seeds' style, with traps: past statistics, totals, repeated figures, ages, phone
numbers, dates, articles of laws, money) and tests/fixtures/events/arrests_seeds.jsonl (the five
seeds, by file name). Each line lists the figures a reader expects:

    "arrests": [{"count": 41, "scope": "single", "nationalities": ["CN", "ID"]}]
    "cases": [{"what": "cases", "count": 541, "scope": "total"}, {"what": "operation",
              "name": "Operation Cobra"}, {"what": "court", "name": "..."}, {"what": "charge",
              "charge": "illegal logging"}, {"what": "sentence", "years": 7, "months": 6},
              {"what": "sentence", "life": true}, {"what": "fine", "amount": 8000000,
              "currency": "KHR"}]

A figure found matches an expected one when its key is equal (an arrest: count, scope and
nationalities; a count of cases: what, count, scope); a charge matches when either wording
holds the other. Used by tests/extraction/test_arrests_evaluation.py (which asserts floors) and
bench/extraction_arrests.py (which prints the figures).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from archive.extraction.arrests import find_arrests
from archive.extraction.cases import find_cases
from archive.extraction.figures import Figure

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "events" / "arrests.jsonl"
SEED_LABELS = REPO / "tests" / "fixtures" / "events" / "arrests_seeds.jsonl"
SEEDS = REPO / "seeds"
KINDS = ("arrests", "cases")
# The press writes "Myanmar nationals" as often as "Burmese": a curator would add it.
EXTRA_DEMONYMS = {"Myanmar": "MM"}


@dataclass
class Score:
    true_positives: int = 0
    found: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


@dataclass(frozen=True)
class Labelled:
    name: str
    text: str
    arrests: list[dict]
    cases: list[dict]


def default_demonyms() -> dict[str, str]:
    """Return demonym -> ISO alpha-2 from the taxonomy's migrations (their data, no database)."""
    first = importlib.import_module(
        "archive.migrations.0003_country_demonyms_article_proposed_year"
    )
    every = importlib.import_module("archive.migrations.0009_every_iso_country")
    demonyms = {}
    for code, forms in first.DEMONYMS.items():
        for form in forms:
            demonyms[form] = code
    for code, _name, _aliases, forms, _places in every._rows():
        for form in forms:
            demonyms.setdefault(form, code)
    demonyms.update(EXTRA_DEMONYMS)
    return demonyms


def load_fixtures() -> list[Labelled]:
    return [
        Labelled(row["id"], row["text"], row["arrests"], row["cases"]) for row in _lines(FIXTURES)
    ]


def load_seeds() -> list[Labelled]:
    return [
        Labelled(
            row["seed"],
            (SEEDS / row["seed"]).read_text(encoding="utf-8"),
            row["arrests"],
            row["cases"],
        )
        for row in _lines(SEED_LABELS)
    ]


def _lines(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def arrest_key(values: dict, scope: str) -> tuple:
    return (values["count"], scope, tuple(sorted(values.get("nationalities") or ())))


def case_key(values: dict, scope: str) -> tuple:
    what = values["what"]
    if what in ("cases", "sites", "raids"):
        return (what, values["count"], scope)
    if what in ("operation", "court"):
        return (what, str(values["name"]).casefold())
    if what == "charge":
        return (what, str(values["charge"]).casefold())
    if what == "sentence":
        if values.get("death"):
            return (what, "death")
        if values.get("life"):
            return (what, "life")
        return (what, values.get("years", 0), values.get("months", 0))
    return (what, values.get("amount"), values.get("currency"))


def _same(found: tuple, expected: tuple) -> bool:
    if found[0] == "charge" == expected[0]:
        return found[1] in expected[1] or expected[1] in found[1]
    return found == expected


def score_report(found: Iterable[tuple], expected: Iterable[tuple], score: Score) -> list:
    """Add one report's figures to `score`; return what was missed and what was wrong."""
    found, unmatched = list(found), list(expected)
    wrong = []
    score.found += len(found)
    score.expected += len(unmatched)
    for key in found:
        match = next((want for want in unmatched if _same(key, want)), None)
        if match is None:
            wrong.append(key)
            continue
        unmatched.remove(match)
        score.true_positives += 1
    return [("missed", key) for key in unmatched] + [("wrong", key) for key in wrong]


def evaluate(
    reports: list[Labelled], demonyms: dict[str, str]
) -> tuple[dict[str, Score], dict[str, list]]:
    """Return precision and recall per kind over `reports`, and each report's errors."""
    extractors: dict[str, tuple[Callable[[str], list[Figure]], Callable]] = {
        "arrests": (lambda text: find_arrests(text, demonyms=demonyms), arrest_key),
        "cases": (find_cases, case_key),
    }
    scores = {kind: Score() for kind in KINDS}
    errors: dict[str, list] = {}
    for report in reports:
        for kind, (extract, key) in extractors.items():
            found = [key(figure.values, str(figure.scope)) for figure in extract(report.text)]
            expected = [
                key(label, label.get("scope", "unknown")) for label in getattr(report, kind)
            ]
            if problems := score_report(found, expected, scores[kind]):
                errors.setdefault(report.name, []).extend((kind, *p) for p in problems)
    return scores, errors
