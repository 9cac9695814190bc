"""Measure the people extractor against labelled reports: names with their roles, nationalities.

The labelled reports are JSON Lines: tests/fixtures/events/people.jsonl (short reports written for
this in the seeds' style, in English, Khmer, Vietnamese and Thai, with traps: victims and
witnesses named, headlines, agencies, places beside titles, honorifics with no role) and
tests/fixtures/events/people_seeds.jsonl (the five seeds, by file name). Each line lists the
people a reader expects, the name as the report first writes it:

    "people": [{"name": "Sar Kheng", "role": "minister"},
               {"name": "Wang Hao", "role": "suspect", "nationality": "CN"}]

A person found matches an expected one when name (case aside) and role are equal; a
nationality is scored apart, over the people found with one and the people labelled with one.
Used by tests/extraction/test_people_evaluation.py (which asserts floors) and
bench/extraction_people.py (which prints the figures).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from archive.extraction.people import find_people
from archive.extraction.places import Gazetteer
from tests.extraction.arrests_evaluation import Score, score_report

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "events" / "people.jsonl"
SEED_LABELS = REPO / "tests" / "fixtures" / "events" / "people_seeds.jsonl"
SEEDS = REPO / "seeds"
KINDS = ("people", "nationalities")


@dataclass(frozen=True)
class Labelled:
    name: str
    text: str
    people: list[dict]


def load_fixtures() -> list[Labelled]:
    return [Labelled(row["id"], row["text"], row["people"]) for row in _lines(FIXTURES)]


def load_seeds() -> list[Labelled]:
    return [
        Labelled(row["seed"], (SEEDS / row["seed"]).read_text(encoding="utf-8"), row["people"])
        for row in _lines(SEED_LABELS)
    ]


def _lines(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def person_key(values: dict) -> tuple:
    return (str(values["name"]).casefold(), values["role"])


def nationality_key(values: dict) -> tuple:
    return (str(values["name"]).casefold(), values["nationality"])


def evaluate(
    reports: list[Labelled], demonyms: dict[str, str], gazetteer: Gazetteer
) -> tuple[dict[str, Score], dict[str, list]]:
    """Return precision and recall per kind over `reports`, and each report's errors."""
    scores = {kind: Score() for kind in KINDS}
    errors: dict[str, list] = {}
    for report in reports:
        found = [
            figure.values
            for figure in find_people(report.text, demonyms=demonyms, gazetteer=gazetteer)
        ]
        pairs = {
            "people": (
                [person_key(values) for values in found],
                [person_key(label) for label in report.people],
            ),
            "nationalities": (
                [nationality_key(values) for values in found if values.get("nationality")],
                [nationality_key(label) for label in report.people if label.get("nationality")],
            ),
        }
        for kind, (found_keys, expected_keys) in pairs.items():
            if problems := score_report(found_keys, expected_keys, scores[kind]):
                errors.setdefault(report.name, []).extend((kind, *p) for p in problems)
    return scores, errors
