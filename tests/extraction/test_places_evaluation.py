"""Precision and recall of places and anchor years on the labelled fixtures and the seeds.

Floors sit a little under what bench/extraction_places.py measures, so that a change that
makes the extractors worse fails here.
"""

import pytest

from archive.extraction.places import Gazetteer
from tests.extraction.places_evaluation import evaluate, load_fixtures, load_seeds

# (measure, precision floor, recall floor)
FIXTURE_FLOORS = {"iso": (0.95, 0.95), "named": (0.95, 0.95), "anchor_year": (0.95, 0.95)}
SEED_FLOORS = {"iso": (0.95, 0.95), "named": (0.95, 0.95), "anchor_year": (0.95, 0.95)}


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.build()


def test_the_fixtures_are_many_and_labelled():
    reports = load_fixtures()
    assert len(reports) >= 40
    assert sum(bool(report.places) for report in reports) >= 40
    assert sum(report.anchor_year is not None for report in reports) >= 5


@pytest.mark.parametrize("measure", sorted(FIXTURE_FLOORS))
def test_the_fixtures_score_above_their_floors(measure, gazetteer):
    counts = evaluate(load_fixtures(), gazetteer=gazetteer)[measure]
    precision_floor, recall_floor = FIXTURE_FLOORS[measure]
    assert counts.precision >= precision_floor, counts.misses
    assert counts.recall >= recall_floor, counts.misses


@pytest.mark.parametrize("measure", sorted(SEED_FLOORS))
def test_the_seeds_score_above_their_floors(measure, gazetteer):
    counts = evaluate(load_seeds(), gazetteer=gazetteer)[measure]
    precision_floor, recall_floor = SEED_FLOORS[measure]
    assert counts.precision >= precision_floor, counts.misses
    assert counts.recall >= recall_floor, counts.misses
