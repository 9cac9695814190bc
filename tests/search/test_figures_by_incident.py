"""The seizure and arrest tables count an incident reported several times once, by default."""

from pathlib import Path

import pytest
from django.urls import reverse

from archive.ingest.batch import ingest_paths
from search.index.sync import apply_pending
from search.service.figure_reading import CountedFigure, once_per_incident

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents" / "reports.jsonl"


def seizure(article_id, kg, *, proposed=True, drug="methamphetamine", scope="single"):
    return CountedFigure(
        article_id=article_id, year=2024, kind="seizure", scope=scope, proposed=proposed,
        country="KH", province="KH-1", drug=drug, kg=kg,
    )  # fmt: skip


def test_one_report_of_an_incident_counts_a_confirmed_one_first():
    figures = [
        seizure(1, 100.0),
        seizure(2, 105.0, proposed=False),  # a curator confirmed this one
        seizure(2, 3.0, drug="heroin"),
        seizure(1, 4.0, drug="heroin"),
        seizure(3, 50.0),  # in no incident
        seizure(1, 900.0, scope="total"),  # a total over a period stays
    ]
    kept = once_per_incident(figures, {1: 7, 2: 7})
    assert sorted((f.article_id, f.drug, f.kg) for f in kept) == [
        (1, "heroin", 4.0),
        (1, "methamphetamine", 900.0),
        (2, "methamphetamine", 105.0),
        (3, "methamphetamine", 50.0),
    ]
    assert {f.incident for f in kept if f.article_id in (1, 2)} == {7}


@pytest.mark.django_db
def test_the_tables_count_each_incident_once_and_every_report_on_the_switch(client, search_index):
    ingest_paths([FIXTURES])
    apply_pending()

    def total_kg(params):
        page = client.get(reverse("search:figures"), {"figures": "all", **params}).context["page"]
        return sum(row.total.kg for row in page.tables.seizures.rows), page

    once, page = total_kg({})
    every, every_page = total_kg({"count": "reports"})
    assert 0 < once < every
    html = client.get(reverse("search:figures"), {"figures": "all"}).content.decode()
    assert "counted once" in html and "Count every report" in html
    assert "count=reports" in page.incidents_url and "count=" not in every_page.incidents_url
