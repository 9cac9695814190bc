"""The tagger measured on the labelled set; the thresholds guard against regressions.

Precision and recall count every proposed tag (subject or mention) against every labelled one;
the subject figures count only what search and browse use by default.
"""

import pytest

from tests.tagging.evaluation import FACETS, evaluate, report
from tests.tagging.evaluation_set import SEED_CASES, WRITTEN_CASES

pytestmark = pytest.mark.django_db

# Floors a little under the measured figures (see the closing report), per facet.
FLOORS = {
    "seeds": {"countries": (0.95, 0.95), "ministries": (0.9, 0.8), "crime_types": (0.9, 0.9)},
    "written": {"countries": (0.9, 0.9), "ministries": (0.9, 0.9), "crime_types": (0.9, 0.9)},
}
SUBJECT_FLOORS = {"countries": (0.8, 0.9), "ministries": (0.85, 0.85), "crime_types": (0.75, 0.9)}


@pytest.mark.parametrize(("group", "cases"), [("seeds", SEED_CASES), ("written", WRITTEN_CASES)])
def test_precision_and_recall_per_facet(group, cases):
    evaluation = evaluate(cases)
    print(report(evaluation, group))
    for facet in FACETS:
        precision_floor, recall_floor = FLOORS[group][facet]
        counts = evaluation.any_role[facet]
        assert counts.precision >= precision_floor, (facet, evaluation.misses)
        assert counts.recall >= recall_floor, (facet, evaluation.misses)
        subject_precision, subject_recall = SUBJECT_FLOORS[facet]
        assert evaluation.subject[facet].precision >= subject_precision, facet
        assert evaluation.subject[facet].recall >= subject_recall, facet


@pytest.mark.parametrize(("group", "cases"), [("seeds", SEED_CASES), ("written", WRITTEN_CASES)])
def test_no_year_is_stated_wrongly_and_every_unknown_year_is_flagged(group, cases):
    years = evaluate(cases).years
    assert years.wrong == []
    assert years.unflagged == []
    assert years.stated_right >= 1
