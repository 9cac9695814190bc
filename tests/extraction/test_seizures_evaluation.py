"""Floors a little under what find_seizures measures (see bench/extraction_seizures.py)."""

from tests.extraction.seizures_evaluation import evaluate, labelled_fixtures, labelled_seeds


def test_seizures_on_the_labelled_reports_meet_the_floors():
    scores = evaluate(labelled_fixtures())
    assert scores["seizures"].precision >= 0.95, scores["seizures"].misses
    assert scores["seizures"].recall >= 0.95, scores["seizures"].misses
    assert scores["seizures+scope"].precision >= 0.95, scores["seizures+scope"].misses


def test_seizures_on_the_seeds_meet_the_floors():
    scores = evaluate(labelled_seeds())
    assert scores["seizures+scope"].precision >= 0.9, scores["seizures+scope"].misses
    assert scores["seizures+scope"].recall >= 0.9, scores["seizures+scope"].misses


def test_the_fixtures_are_enough_and_hold_traps():
    reports = labelled_fixtures()
    assert len(reports) >= 40
    assert sum(not expected for _, _, expected in reports) >= 5  # reports with no seizure at all
