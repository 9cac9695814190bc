"""/api/v1/incidents and /api/v1/incidents/<id>: groups of reports, filtered and paged, and one
group with its reports and their figures; answers checked against the OpenAPI document."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from archive.models import GroupKind, GroupMember, GroupStatus, ReportGroup
from search.api.incidents import INCIDENT_KEYS
from tests.search.api.test_openapi import check

pytestmark = pytest.mark.django_db

LIST_URL = reverse("search:api_incidents")


def detail_url(pk: int) -> str:
    return reverse("search:api_incident", args=[pk])


@pytest.fixture
def document(get_json, db):
    return get_json(reverse("search:api_openapi"))


def test_the_list_is_paged_in_order_of_first_report(get_json, grouped):
    live = ReportGroup.objects.filter(merged_into__isnull=True)
    first = get_json(LIST_URL, {"page_size": 5})
    assert (first["total"], first["pages"], len(first["results"])) == (live.count(), 5, 5)
    assert first["links"]["next"] == "http://testserver/api/v1/incidents?page_size=5&page=2"
    assert first["links"]["previous"] is None
    every = [
        group["id"]
        for page in range(1, 6)
        for group in get_json(LIST_URL, {"page_size": 5, "page": page})["results"]
    ]
    assert sorted(every) == sorted(live.values_list("pk", flat=True))  # each group once
    days = [ReportGroup.objects.get(pk=pk).first_published for pk in every]
    assert days == sorted(days)
    summary = first["results"][0]
    assert summary["report_count"] == GroupMember.objects.filter(group_id=summary["id"]).count()
    assert summary["links"]["html"].endswith(f"/incidents/{summary['id']}/")


@pytest.mark.parametrize(
    "params, kept",
    [
        ({"kind": "thread"}, lambda g: g.kind == GroupKind.THREAD),
        ({"kind": "incident"}, lambda g: g.kind == GroupKind.INCIDENT),
        ({"status": "confirmed"}, lambda g: g.status == GroupStatus.CONFIRMED),
        ({"since": "2024-06-01"}, lambda g: g.first_published >= dt.date(2024, 6, 1)),
        (
            {"since": "2024-01-01", "until": "2024-03-31", "kind": "incident"},
            lambda g: (
                g.kind == GroupKind.INCIDENT
                and dt.date(2024, 1, 1) <= g.first_published <= dt.date(2024, 3, 31)
            ),
        ),
    ],
)
def test_the_filters_narrow_the_groups(get_json, grouped, params, kept):
    ReportGroup.objects.filter(pk=grouped.incident_of("r052").pk).update(status="confirmed")
    expected = {g.pk for g in ReportGroup.objects.all() if kept(g)}
    found = {g["id"] for g in get_json(LIST_URL, {**params, "page_size": 100})["results"]}
    assert found == expected and found


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"kind": "case"}, "kind"),
        ({"status": "rejected"}, "status"),
        ({"since": "2024-02-30"}, "since"),
        ({"until": "20240101"}, "until"),
        ({"since": "2024-05-01", "until": "2024-01-01"}, "since"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"knd": "thread"}, "knd"),
        ({"kind": ["incident", "thread"]}, "kind"),
    ],
)
def test_a_malformed_parameter_answers_400_and_is_named(get_json, db, params, parameter):
    error = get_json(LIST_URL, params, status=400)["error"]
    assert error["parameter"] == parameter


def test_a_group_lists_its_reports_with_how_they_were_matched_and_their_figures(get_json, grouped):
    group = grouped.incident_of("r001")
    data = get_json(detail_url(group.pk))
    assert (data["id"], data["kind"], data["status"]) == (group.pk, "incident", "proposed")
    first, copy, same = data["members"][:3]
    assert first["article_id"] == grouped.articles["r001"].pk and first["tier"] == "first"
    assert copy["tier"] == "copy"
    assert re.fullmatch(r"copies of one text \(0\.\d\d\)", " ".join(copy["reasons"]))
    assert copy["matched_with"] == first["article_id"]
    assert same["tier"] == "same" and "same province KH-12" in same["reasons"]
    assert (same["source"], same["published"]) == ("The Phnom Penh Post", "2023-07-10")
    assert same["url"] == f"http://testserver/articles/{same['article_id']}/"
    seizures = [f for f in first["figures"] if f["kind"] == "seizure"]
    assert [(f["mass_kg"], f["drug"], f["status"]) for f in seizures] == [
        (22.6, "ketamine", "proposed")
    ]
    assert {f["incident_id"] for f in first["figures"]} == {group.pk}
    assert {f["article_id"] for f in first["figures"]} == {first["article_id"]}


def test_a_report_split_out_is_no_member(get_json, grouped):
    group = grouped.incident_of("r001")
    copy = grouped.articles["r002"]
    GroupMember.objects.filter(group=group, article=copy).update(status=GroupStatus.REJECTED)
    data = get_json(detail_url(group.pk))
    assert copy.pk not in [member["article_id"] for member in data["members"]]
    assert data["report_count"] == len(data["members"])


def test_a_merged_group_redirects_and_leaves_the_list_and_a_missing_one_is_404(
    client, get_json, grouped
):
    kept, merged = grouped.incident_of("r001"), grouped.incident_of("r052")
    ReportGroup.objects.filter(pk=merged.pk).update(merged_into=kept)
    response = client.get(detail_url(merged.pk))
    assert response.status_code == 302 and response["Location"] == detail_url(kept.pk)
    assert response["Access-Control-Allow-Origin"] == "*"
    listed = {g["id"] for g in get_json(LIST_URL, {"page_size": 100})["results"]}
    assert merged.pk not in listed and kept.pk in listed
    assert "no incident" in get_json(detail_url(999999), status=404)["error"]["message"]


def test_the_document_describes_the_incidents(document):
    validate(document)
    parameters = document["paths"][LIST_URL]["get"]["parameters"]
    assert [p["name"] for p in parameters] == list(INCIDENT_KEYS)
    assert "404" in document["paths"]["/api/v1/incidents/{id}"]["get"]["responses"]


def test_incident_answers_match_the_schema(document, get_json, grouped):
    check(document, "IncidentList", get_json(LIST_URL, {"kind": "thread", "page_size": 2}))
    check(document, "IncidentList", get_json(LIST_URL, {"since": "2030-01-01"}))  # none
    for report in ("r001", "r052"):
        check(document, "Incident", get_json(detail_url(grouped.incident_of(report).pk)))
    check(document, "Incident", get_json(detail_url(grouped.thread_of("r001").pk)))
