"""The invented reports of tests/fixtures/incidents, ingested as the archive does, grouped into
incidents and story threads on the way; shared by the incident pages', API's and exports' tests."""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.grouping.queries import incident_ids
from archive.ingest.batch import ingest_paths
from archive.models import Article, GroupKind, ReportGroup
from search.index.sync import apply_pending

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents" / "reports.jsonl"
REPORTS = {
    record["id"]: record
    for record in map(json.loads, FIXTURES.read_text(encoding="utf-8").splitlines())
}


@dataclass
class Grouped:
    """The ingested reports by their fixture id ("r052"), and the groups they are in."""

    articles: dict[str, Article]

    def incident_of(self, report: str) -> ReportGroup:
        article = self.articles[report]
        return ReportGroup.objects.get(pk=incident_ids([article.pk])[article.pk])

    def thread_of(self, report: str) -> ReportGroup:
        article = self.articles[report]
        found = incident_ids([article.pk], kind=GroupKind.THREAD)
        return ReportGroup.objects.get(pk=found[article.pk])


@pytest.fixture
def grouped(search_index, db):
    """The hundred reports ingested and indexed. Among the groups the machine proposes:
    r001 (AKP, the airport ketamine) with its copy r002 and r003 reported independently, and
    in a story thread with the charge and sentence; r052 (Khmer Times, 105 kg of meth and 8
    arrested) with r054 (The Phnom Penh Post: 100 kg and 9 arrested), r057 (VOD) and copies."""
    ingest_paths([FIXTURES])
    apply_pending()
    by_title = {article.title: article for article in Article.objects.select_related("source")}
    return Grouped({key: by_title[record["title"]] for key, record in REPORTS.items()})
