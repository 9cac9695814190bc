"""The arrest and case extractors measured on the labelled reports and the seeds.

Floors sit a little under what bench/extraction_arrests.py measures (fixtures: arrests 0.98 /
0.98, cases 1.0 / 1.0; seeds: 1.0 / 1.0 on four figures of each kind), above the acceptance's
precision 0.9 and recall 0.8.
"""

import pytest

from tests.extraction.arrests_evaluation import (
    default_demonyms,
    evaluate,
    load_fixtures,
    load_seeds,
)

FIXTURE_FLOORS = {"arrests": (0.95, 0.95), "cases": (0.95, 0.95)}
# Four figures of each kind: one miss or one wrong figure is 0.75 or 0.8.
SEED_FLOORS = {"arrests": (0.8, 0.75), "cases": (0.8, 0.75)}


def test_the_fixtures_hold_at_least_forty_labelled_reports_with_traps():
    reports = load_fixtures()
    assert len(reports) >= 40
    assert sum(1 for report in reports if not report.arrests and not report.cases) >= 5


@pytest.mark.parametrize("kind", sorted(FIXTURE_FLOORS))
def test_precision_and_recall_on_the_labelled_reports_stay_above_the_floors(kind):
    scores, errors = evaluate(load_fixtures(), default_demonyms())
    precision, recall = FIXTURE_FLOORS[kind]
    assert scores[kind].precision >= precision, errors
    assert scores[kind].recall >= recall, errors


@pytest.mark.parametrize("kind", sorted(SEED_FLOORS))
def test_precision_and_recall_on_the_seeds_stay_above_the_floors(kind):
    scores, errors = evaluate(load_seeds(), default_demonyms())
    precision, recall = SEED_FLOORS[kind]
    assert scores[kind].expected >= 4
    assert scores[kind].precision >= precision, errors
    assert scores[kind].recall >= recall, errors
