"""Measure the place and anchor-date extractors against labelled reports.

Used by tests/extraction/test_places_evaluation.py (which asserts floors) and by
bench/extraction_places.py (which prints the figures). Pure: reads files, runs the extractors.

Each labelled report lists the places it names (ISO 3166-2 code, and the name for a town,
district or crossing) and the year its anchor events give, or null. Measured per report:
- "iso": the set of province codes found against the set labelled;
- "named": the towns, districts and crossings found, as (code, name), against those labelled;
- "anchor_year": a year proposed is right when it equals the label; a year proposed for a
  report labelled null, or a wrong year, is a false positive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.extraction.place_names import PROVINCE
from archive.extraction.places import Gazetteer, find_places
from archive.tagging.anchor_calendar import DEFAULT_ANCHORS
from archive.tagging.anchors import explicit_years_in, propose_year

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "events" / "places.jsonl"
SEED_LABELS = REPO / "tests" / "fixtures" / "events" / "places_seeds.json"
SEEDS = REPO / "seeds"
MEASURES = ("iso", "named", "anchor_year")


@dataclass(frozen=True)
class LabelledReport:
    name: str
    text: str
    places: tuple[dict, ...]
    anchor_year: int | None


@dataclass
class Counts:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    def add(self, name: str, predicted: set, expected: set) -> None:
        self.true_positives += len(predicted & expected)
        self.predicted += len(predicted)
        self.expected += len(expected)
        if predicted != expected:
            extra, missing = (
                sorted(map(str, predicted - expected)),
                sorted(map(str, expected - predicted)),
            )
            self.misses.append(f"{name}: extra {extra}, missing {missing}")


def load_fixtures(path: Path = FIXTURES) -> list[LabelledReport]:
    """Return the labelled reports of a JSON Lines file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        LabelledReport(row["id"], row["text"], tuple(row["places"]), row["anchor_year"])
        for row in rows
    ]


def load_seeds(labels: Path = SEED_LABELS, seeds: Path = SEEDS) -> list[LabelledReport]:
    """Return the seed reports with their labels."""
    rows = json.loads(labels.read_text(encoding="utf-8"))
    return [
        LabelledReport(
            name,
            (seeds / name).read_text(encoding="utf-8"),
            tuple(row["places"]),
            row["anchor_year"],
        )
        for name, row in rows.items()
    ]


def evaluate(reports: Iterable[LabelledReport], *, gazetteer: Gazetteer) -> dict[str, Counts]:
    """Return the counts per measure over `reports`."""
    counts = {measure: Counts() for measure in MEASURES}
    for report in reports:
        figures = find_places(report.text, gazetteer=gazetteer)
        found_iso = {figure.values["iso"] for figure in figures}
        found_named = {
            (figure.values["iso"], figure.values["name"])
            for figure in figures
            if figure.values["level"] != PROVINCE
        }
        counts["iso"].add(report.name, found_iso, {place["iso"] for place in report.places})
        counts["named"].add(
            report.name,
            found_named,
            {(place["iso"], place["name"]) for place in report.places if "name" in place},
        )
        proposal = propose_year(
            report.text, anchors=DEFAULT_ANCHORS, explicit_years=explicit_years_in(report.text)
        )
        proposed = {proposal.year} if proposal else set()
        expected = {report.anchor_year} if report.anchor_year else set()
        counts["anchor_year"].add(report.name, proposed, expected)
    return counts
