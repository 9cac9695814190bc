"""Exports hold exactly the search's result set, in page order, with provenance, streamed.

Each file has the shape its tools expect: CSV is RFC 4180 with the header first, JSON Lines an
article a line; their provenance is in the Data Package descriptor beside them and in headers.
"""

import csv
import dataclasses
import datetime as dt
import io
import json
import zipfile

import bibtexparser
import pytest
import rispy
from django.http import QueryDict
from django.urls import reverse

from archive.models import TagAssignment
from search.backends.base import SearchRequest
from search.exports import downloads as exports
from search.index.sync import apply_pending
from search.service.results import ResultSet
from tests import factories

pytestmark = pytest.mark.django_db

SEARCHES = [
    "",
    "q=police",
    "q=casino",
    "country=KH",
    "country=KH&country=VN",  # multi-select widens
    "country=KH&crime_type=gambling",
    "crime_type=gambling&crime_type=kidnapping&sort=oldest",
    "country=LA&mentions=1",
    "year_from=2022&year_to=2023",
    "q=police&country=KH&country=TH&sort=newest",
    "q=nothingmatchesthis",
    "country=ZZ",  # an unknown value: an empty result, as on the page
]


def body_of(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def export(client, fmt, query):
    return client.get(reverse("search:export", args=[fmt]) + (f"?{query}" if query else ""))


def page_ids(client, query) -> list[int]:
    response = client.get(reverse("search:search") + f"?{query}")
    return [hit.article_id for hit, _ in response.context["results"]]


def page_total(client, query) -> int:
    return client.get(reverse("search:search") + f"?{query}").context["response"].total


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("id,url,title,")  # the header, first
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("query", SEARCHES)
def test_every_format_holds_exactly_the_search_result_in_page_order(client, corpus, query):
    expected = page_ids(client, query)
    assert len(expected) == page_total(client, query)

    rows = csv_rows(body_of(export(client, "csv", query)))
    assert [int(row["id"]) for row in rows] == expected

    document = json.loads(body_of(export(client, "json", query)))
    assert [record["id"] for record in document["articles"]] == expected
    assert document["provenance"]["total"] == len(expected)

    lines = body_of(export(client, "jsonl", query)).splitlines()
    assert [json.loads(line)["id"] for line in lines] == expected  # an article a line

    bib = bibtexparser.loads(body_of(export(client, "bib", query)))
    assert [int(entry["ID"].rsplit("-", 1)[1]) for entry in bib.entries] == expected

    records = rispy.loads(body_of(export(client, "ris", query)))
    assert [int(record["id"]) for record in records] == expected

    response = export(client, "zip", query)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as packed:
        assert sorted(packed.namelist()) == ["README.txt", "datapackage.json", "reports.csv"]
        assert [int(row["id"]) for row in csv_rows(packed.read("reports.csv").decode())] == (
            expected
        )
        descriptor = json.loads(packed.read("datapackage.json"))
    assert descriptor["resources"][0]["path"] == "reports.csv"
    assert descriptor["provenance"]["total"] == len(expected)


def test_the_full_id_list_is_the_pages_concatenated(search_index, db):
    """Across many pages, ties in score and in date included, in every sort."""
    kh = factories.country("KH")
    for number in range(37):
        article = factories.make_article(
            title=f"Raid {number}",
            body="Police raided a casino. " * (1 + number % 3),  # equal scores in threes
            year=2010 + number % 4,  # equal dates in fours
        )
        factories.tag(article, kh)
    apply_pending()
    for query in ("", "q=casino", "q=casino&sort=newest", "sort=oldest", "q=police+raided"):
        results = ResultSet.from_params(QueryDict(query))
        paged = []
        for page in range(1, 7):
            request = dataclasses.replace(results.request, page=page, page_size=7)
            response = results.backend.search(
                request, texts_of=lambda ids: {pk: ("t", "b") for pk in ids}
            )
            paged += [hit.article_id for hit in response.hits]
        assert len(paged) == 37
        assert results.ids() == paged, query
        assert results.count() == 37


def test_provenance_names_the_search_the_time_and_the_archive(client, corpus, settings):
    settings.PUBLIC_URL = "https://reports.example.org"
    query = "q=casino&country=KH&year_from=2020&page=3"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    response = export(client, "json", query)
    provenance = json.loads(body_of(response))["provenance"]
    assert provenance["archive_url"] == "https://reports.example.org/"
    # The page is not part of what was exported: the whole result set is.
    assert (
        provenance["search_url"]
        == "https://reports.example.org/?q=casino&country=KH&year_from=2020"
    )
    assert provenance["search"] == {
        "query": "casino",
        "filters": {"country": ["Cambodia"], "year_from": 2020},
        "include_mentions": False,
        "count": "incidents",
        "sort": "relevance",
        "match": "all",
    }
    assert dt.datetime.fromisoformat(provenance["exported_at"]) >= before
    assert response["Content-Disposition"].startswith('attachment; filename="reports-')

    csv_response = export(client, "csv", query)
    assert csv_rows(body_of(csv_response))  # nothing before the header
    described = (
        "https://reports.example.org/export.datapackage.json?q=casino&country=KH&year_from=2020"
    )
    assert csv_response["Link"] == f'<{described}>; rel="describedby"; type="application/json"'
    assert csv_response["X-Result-Count"] == "2" and csv_response["X-Search-Match"] == "all"
    descriptor = client.get(described.removeprefix("https://reports.example.org")).json()
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["provenance"]["search"]["filters"] == {
        "country": ["Cambodia"],
        "year_from": 2020,
    }
    resource = descriptor["resources"][0]
    assert resource["path"] == (
        "https://reports.example.org/export.csv?q=casino&country=KH&year_from=2020"
    )
    assert [field["name"] for field in resource["schema"]["fields"]] == exports.CSV_COLUMNS
    ris = rispy.loads(body_of(export(client, "ris", query)))
    assert all("https://reports.example.org/?q=casino" in record["notes"][0] for record in ris)


def test_records_carry_tags_with_confidence_and_review_status(client, corpus):
    article = corpus["casino"]
    article.country_tags.update(status=TagAssignment.Status.CONFIRMED, confidence=0.85)
    factories.tag(article, factories.country("TH"), status=TagAssignment.Status.REJECTED)
    apply_pending()
    document = json.loads(body_of(export(client, "json", "q=Poipet")))
    (record,) = document["articles"]
    assert record["url"] == f"http://testserver/articles/{article.pk}/"
    assert [(t["code"], t["status"], t["confidence"]) for t in record["countries"]] == [
        ("KH", "confirmed", 0.85)
    ]
    (row,) = csv_rows(body_of(export(client, "csv", "q=Poipet")))
    assert row["countries"] == "Cambodia"
    assert row["countries_detail"].startswith("Cambodia (subject, confirmed, ")
    assert "0.85" in row["countries_detail"]
    assert "Thailand" not in json.dumps(record)  # rejected tags stay out
    assert row["body"] == article.body


def test_a_row_carries_the_incident_its_report_is_in(client, grouped):
    incident = grouped.incident_of("r001")
    grouped_ids = {grouped.articles[key].pk for key in ("r001", "r002", "r003")}
    alone = grouped.articles["r055"]  # a distractor, in no incident
    # Every report (count=reports): by default an export lists each incident once.
    rows = {
        int(row["id"]): row for row in csv_rows(body_of(export(client, "csv", "count=reports")))
    }
    assert {rows[pk]["incident_id"] for pk in grouped_ids} == {str(incident.pk)}
    assert rows[alone.pk]["incident_id"] == ""
    records = {
        record["id"]: record
        for record in json.loads(body_of(export(client, "json", "count=reports")))["articles"]
    }
    assert records[grouped.articles["r001"].pk]["incident_id"] == incident.pk
    assert records[alone.pk]["incident_id"] is None
    field = next(
        field
        for field in client.get(reverse("search:export", args=["datapackage.json"])).json()[
            "resources"
        ][0]["schema"]["fields"]
        if field["name"] == "incident_id"
    )
    assert field["type"] == "integer" and "count the event once" in field["description"]


def test_csv_neutralises_spreadsheet_formulas_and_json_keeps_them(client, search_index, db):
    factories.make_article(title='=HYPERLINK("http://evil")', body="+1 -2 @sum casino")
    apply_pending()
    (row,) = csv_rows(body_of(export(client, "csv", "q=casino")))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["body"] == "'+1 -2 @sum casino"
    (record,) = json.loads(body_of(export(client, "json", "q=casino")))["articles"]
    assert record["title"] == '=HYPERLINK("http://evil")'


def test_articles_are_read_a_chunk_at_a_time(
    search_index, db, monkeypatch, django_assert_num_queries
):
    for _ in range(7):
        factories.make_article()
    apply_pending()
    ids = ResultSet.from_params(QueryDict("")).ids()
    monkeypatch.setattr(exports, "CHUNK", 3)
    records = exports.records_for(ids, base_url="")
    # Nothing is read before the first record is asked for, then one chunk at a time
    # (an article query plus one per kind of tag and the source join, and their incidents).
    with django_assert_num_queries(5):
        assert next(records)["id"] == ids[0]
    with django_assert_num_queries(0):
        next(records), next(records)
    with django_assert_num_queries(5):
        next(records)


def test_pages_link_to_their_exports_their_description_and_feed(client, corpus):
    html = client.get(reverse("search:search") + "?country=KH&page=1").content.decode()
    assert 'href="/export.csv?country=KH"' in html
    assert 'href="/export.ris?country=KH"' in html
    assert 'href="/export.zip?country=KH"' in html
    assert 'href="/export.datapackage.json?country=KH"' in html
    assert 'href="/feeds/search.atom?country=KH&amp;sort=added"' in html


def test_unknown_format_is_404_and_a_missing_index_503(client, corpus, settings, tmp_path):
    assert export(client, "xlsx", "").status_code == 404
    settings.SEARCH_INDEX_DIR = tmp_path / "nowhere"
    response = export(client, "csv", "q=police")
    assert response.status_code == 503


def test_the_backend_interface_lists_every_match_without_a_cap(search_index, db):
    for _ in range(3):
        factories.make_article()
    apply_pending()
    request = SearchRequest(page=50, page_size=1)  # paging does not limit the id list
    assert len(search_index.matching_ids(request)) == 3
