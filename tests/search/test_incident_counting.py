"""Each incident counted once and listed by its best report; every report on a switch."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from archive.grouping.queries import incident_ids
from archive.ingest.batch import ingest_paths
from archive.models import Article, GroupMember, GroupStatus
from search.index.sync import apply_pending

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents" / "reports.jsonl"

pytestmark = pytest.mark.django_db


@pytest.fixture
def grouped(search_index, db):
    ingest_paths([FIXTURES])
    apply_pending()
    return incident_ids(Article.objects.values_list("pk", flat=True))


def distinct_incidents(article_ids, grouped):
    return len({grouped.get(pk, -pk) for pk in article_ids})


def test_a_search_lists_each_incident_once_and_counts_both(client, grouped):
    page = client.get(reverse("search:search"), {"q": "methamphetamine"})
    response = page.context["response"]
    every = client.get(reverse("search:search"), {"q": "methamphetamine", "count": "reports"})
    all_reports = every.context["response"]
    assert response.reports == all_reports.total == all_reports.reports
    assert response.total == response.incidents < response.reports
    shown = [hit.article_id for hit in response.hits]
    assert len({grouped.get(pk, -pk) for pk in shown}) == len(shown)  # no incident twice
    listed = [hit.article_id for hit in all_reports.hits]
    assert response.incidents == distinct_incidents(
        client_all_ids(client, "methamphetamine"), grouped
    )
    assert len(listed) == min(20, all_reports.total)
    html = page.content.decode()
    assert "Also reported by" in html and "(grouped by the machine)" in html
    assert "Each incident is listed once, by its best report" in html
    heading = client.get(reverse("search:search")).content.decode()
    everything = client.get(reverse("search:search")).context["response"]
    assert f"{everything.incidents} incidents in {everything.reports} reports" in heading


def client_all_ids(client, query):
    data = json.loads(
        client.get(
            reverse("search:api_search"), {"q": query, "count": "reports", "page_size": 100}
        ).content
    )
    return [record["id"] for record in data["results"]]


def test_facet_counts_count_incidents_or_reports(client, grouped):
    by_incident = client.get(reverse("search:search")).context["response"].facet_counts
    by_report = (
        client.get(reverse("search:search"), {"count": "reports"}).context["response"].facet_counts
    )
    province, reports = max(by_report["province"].items(), key=lambda item: item[1])
    found = json.loads(
        client.get(
            reverse("search:api_search"),
            {"province": province, "count": "reports", "page_size": 100},
        ).content
    )
    ids = [record["id"] for record in found["results"]]
    assert len(ids) == reports
    assert by_incident["province"][province] == distinct_incidents(ids, grouped) < reports


def test_a_split_report_counts_again_as_its_own(client, grouped):
    before = client.get(reverse("search:search")).context["response"]
    member = GroupMember.objects.filter(tier=GroupMember.Tier.COPY).first()
    member.status = GroupStatus.REJECTED
    member.save()
    from archive.signals import articles_changed

    articles_changed.send(sender=Article, article_ids=[member.article_id])
    apply_pending()
    after = client.get(reverse("search:search")).context["response"]
    assert after.incidents == before.incidents + 1 and after.reports == before.reports


def test_the_api_takes_the_count_and_says_which_it_counted(client, grouped):
    url = reverse("search:api_search")
    data = json.loads(client.get(url, {"q": "ketamine"}).content)
    assert data["query"]["count"] == "incidents"
    assert data["total"] == data["incidents"] < data["reports"]
    grouped_hit = next(hit for hit in data["results"] if hit["incident"])
    assert grouped_hit["incident"]["other_reports"]
    assert grouped_hit["incident"]["confirmed"] is False
    wrong = client.get(url, {"count": "events"})
    assert wrong.status_code == 400
    assert "'count' must be incidents" in json.loads(wrong.content)["error"]["message"]


def test_an_export_lists_what_the_page_counts(client, grouped):
    collapsed = client.get(reverse("search:export", args=["csv"]), {"q": "ketamine"})
    every = client.get(
        reverse("search:export", args=["csv"]), {"q": "ketamine", "count": "reports"}
    )

    def rows(response):
        text = b"".join(response.streaming_content).decode()
        return [row for row in csv.reader(io.StringIO(text)) if row and not row[0].startswith("#")]

    page = client.get(reverse("search:search"), {"q": "ketamine"}).context["response"]
    assert len(rows(collapsed)) - 1 == page.incidents
    assert len(rows(every)) - 1 == page.reports
