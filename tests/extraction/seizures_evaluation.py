"""Measure find_seizures against labelled reports: precision and recall of seizure figures.

A figure is right when its drug, quantity and unit are the labelled ones ("seizures"); it is
also right in scope when, besides, it is single or total as labelled ("seizures+scope"). Used
by tests/extraction/test_seizures_evaluation.py (which asserts floors) and by
bench/extraction_seizures.py (which prints the figures).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from archive.extraction.seizures import find_seizures

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "events" / "seizures.jsonl"
SEED_LABELS = REPO / "tests" / "fixtures" / "events" / "seizures-seeds.jsonl"
SEEDS = REPO / "seeds"


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)  # "report: figure" for a reader to check

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


def labelled_fixtures() -> list[tuple[str, str, list[dict]]]:
    """Return (id, text, expected seizures) for each labelled report."""
    rows = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
    return [(row["id"], row["text"], row["seizures"]) for row in rows if row]


def labelled_seeds() -> list[tuple[str, str, list[dict]]]:
    """Return (seed file, its text, expected seizures) for each labelled seed."""
    rows = [json.loads(line) for line in SEED_LABELS.read_text(encoding="utf-8").splitlines()]
    return [
        (row["seed"], (SEEDS / row["seed"]).read_text(encoding="utf-8"), row["seizures"])
        for row in rows
        if row
    ]


def evaluate(reports: list[tuple[str, str, list[dict]]]) -> dict[str, Score]:
    """Return the scores of find_seizures on `reports`, with and without scope."""
    scores = {"seizures": Score(), "seizures+scope": Score()}
    for report_id, text, expected in reports:
        predicted = [figure.values | {"scope": str(figure.scope)} for figure in find_seizures(text)]
        for name, with_scope in (("seizures", False), ("seizures+scope", True)):
            found = Counter(_key(values, with_scope) for values in predicted)
            wanted = Counter(_key(values, with_scope) for values in expected)
            score = scores[name]
            score.true_positives += sum((found & wanted).values())
            score.predicted += sum(found.values())
            score.expected += sum(wanted.values())
            score.misses += [f"{report_id}: extra {key}" for key in found - wanted]
            score.misses += [f"{report_id}: missed {key}" for key in wanted - found]
    return scores


def _key(values: dict, with_scope: bool) -> tuple:
    key = (values["drug"], round(float(values["quantity"]), 6), values["unit"])
    return (*key, values["scope"]) if with_scope else key
