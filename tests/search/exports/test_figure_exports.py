"""Figure downloads: confirmed only unless asked, three shapes that join UNODC's and ACLED's
data, the search's filters, streamed."""

import csv
import io
import json

import pytest
from django.urls import reverse

from search.exports.figure_rows import (
    FULL_COLUMNS,
    SHAPES,
    admin1_name,
    country_iso3,
    country_name,
    reading,
)

pytestmark = pytest.mark.django_db


def download(client, fmt="csv", **params):
    return client.get(reverse("search:figure_export", args=[fmt]), params)


def body_of(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body_of(response), newline="")))


def by_evidence(rows: list[dict], words: str) -> dict:
    text = "evidence" if "evidence" in rows[0] else "notes"  # ACLED calls it notes
    (row,) = [row for row in rows if words in row[text]]
    return row


# --- Which figures ---------------------------------------------------------------------------


def test_by_default_only_confirmed_figures_are_exported(client, figures):
    response = download(client)
    assert response["Content-Disposition"] == 'attachment; filename="figures-confirmed.csv"'
    assert response["X-Figures"] == "confirmed"
    rows = rows_of(response)
    confirmed = ("seizure", "total", "th_seizure", "person", "arrest")
    assert sorted(int(row["id"]) for row in rows) == sorted(figures[key].pk for key in confirmed)
    assert {row["status"] for row in rows} == {"confirmed"}
    assert response["X-Result-Count"] == "5"


def test_figures_all_adds_the_machines_proposals_labelled_as_such_but_never_rejections(
    client, figures
):
    response = download(client, figures="all")
    assert response["Content-Disposition"] == 'attachment; filename="figures-all.csv"'
    rows = rows_of(response)
    ids = {int(row["id"]) for row in rows}
    assert figures["proposed"].pk in ids
    assert figures["rejected"].pk not in ids
    proposed = by_evidence(rows, "Three men")
    assert proposed["status"] == "proposed"
    assert proposed["reading"] == "proposed by the machine, confidence 0.62"
    assert by_evidence(rows, "12 kg")["reading"] == "confirmed by a curator"
    assert {row["reading"] for row in rows if row["kind"] == "person"} == {"added by a curator"}


def test_an_unknown_shape_or_switch_is_refused_and_named(client, figures):
    response = download(client, shape="ucdp")
    assert response.status_code == 400
    assert "full, unodc-ids, acled" in response.content.decode()
    response = download(client, figures="proposed")
    assert response.status_code == 400
    assert "'figures' is confirmed" in response.content.decode()
    assert download(client, "xlsx").status_code == 404


# --- The full shape --------------------------------------------------------------------------


def test_a_full_row_carries_the_report_the_place_codes_and_names(client, figures, corpus):
    rows = rows_of(download(client, figures="all"))
    assert list(rows[0]) == list(FULL_COLUMNS)
    row = by_evidence(rows, "12 kg")
    casino = corpus["casino"]
    assert row["article_id"] == str(casino.pk)
    assert row["article_url"] == f"http://testserver/articles/{casino.pk}/"
    assert row["report_url"] == "https://news.example.org/casino-raid"
    assert (row["title"], row["source"]) == ("Casino raided in Poipet", "VOD Test")
    assert (row["year"], row["published_date"]) == ("2021", "2021-05-03")
    assert (row["drug"], row["quantity"], row["unit"], row["mass_kg"]) == (
        "methamphetamine",
        "12.0",
        "kg",
        "12.0",
    )
    assert (row["country_iso2"], row["country_iso3"]) == ("KH", "KHM")
    assert (row["admin1_code"], row["admin1"]) == ("KH-18", "Preah Sihanouk")
    # Subject agencies only, not the one the report merely mentions.
    assert row["agencies"] == "General Commissariat of National Police; Ministry of Interior"
    arrest = by_evidence(rows, "Three men")
    assert (arrest["country_iso2"], arrest["country_iso3"]) == ("KH", "KHM")  # from KH-12
    assert arrest["admin1"] == "Phnom Penh"
    assert arrest["nationalities"] == "CN; VN"


def test_a_province_the_press_table_lacks_is_named_by_iso(client, figures):
    row = by_evidence(rows_of(download(client)), "41 people")
    assert (row["admin1_code"], row["admin1"], row["country_iso3"]) == (
        "TH-65",
        "Phitsanulok",
        "THA",
    )


def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe_and_json_keeps_it(client, figures):
    row = by_evidence(rows_of(download(client)), "Border police")
    assert row["evidence"].startswith("'=Border police")
    document = json.loads(body_of(download(client, "json")))
    (record,) = [r for r in document["figures"] if "Border police" in r["evidence"]]
    assert record["evidence"].startswith("=Border police")


def test_the_json_export_says_which_figures_and_keeps_types(client, figures):
    document = json.loads(body_of(download(client, "json", figures="all")))
    provenance = document["provenance"]
    assert (provenance["figures"], provenance["statuses"]) == ("all", ["confirmed", "proposed"])
    assert provenance["total"] == len(document["figures"]) == 6
    assert "proposed by the machine" in provenance["note"]
    (arrest,) = [r for r in document["figures"] if r["id"] == figures["proposed"].pk]
    assert arrest["nationalities"] == ["CN", "VN"]
    assert arrest["count"] == 3
    assert arrest["confidence"] == 0.62


# --- Shapes that join UNODC's and ACLED's data ------------------------------------------------


def test_the_unodc_shape_holds_single_seizures_in_its_columns(client, figures):
    response = download(client, shape="unodc-ids")
    assert response["Content-Disposition"] == (
        'attachment; filename="figures-unodc-ids-confirmed.csv"'
    )
    text = body_of(response)
    assert text.splitlines()[0] == (
        "seizure_date,country_iso3,drug,quantity,unit,quantity_kg,location,status,confidence,"
        "report_url,evidence,incident_id"
    )
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    # The total over 2022 is not an individual seizure; arrests and people are not seizures.
    assert len(rows) == 2
    casino = by_evidence(rows, "12 kg")
    assert casino == {
        "seizure_date": "2021-05-03",
        "country_iso3": "KHM",
        "drug": "methamphetamine",
        "quantity": "12.0",
        "unit": "kg",
        "quantity_kg": "12.0",
        "location": "Preah Sihanouk",
        "status": "confirmed",
        "confidence": "0.9",
        "report_url": "https://news.example.org/casino-raid",
        "evidence": "Officers took 12 kg of methamphetamine from a car in Preah Sihanouk.",
        "incident_id": "",  # in no incident
    }
    border = by_evidence(rows, "Border police")
    assert (border["seizure_date"], border["country_iso3"], border["quantity_kg"]) == (
        "2022",  # no day known: the year
        "THA",
        "2.0",
    )
    assert border["location"] == "Sa Kaeo"


def test_the_acled_shape_files_arrests_and_seizures_as_strategic_developments(client, figures):
    rows = rows_of(download(client, shape="acled", figures="all"))
    assert list(rows[0]) == list(SHAPES["acled"].columns)
    assert list(rows[0])[:6] == [
        "event_date",
        "year",
        "disorder_type",
        "event_type",
        "sub_event_type",
        "actor1",
    ]
    assert {row["event_type"] for row in rows} == {"Strategic developments"}
    assert sorted(row["sub_event_type"] for row in rows) == ["Arrests", "Arrests", "Other", "Other"]
    seizure = by_evidence(rows, "12 kg")
    assert seizure["sub_event_type"] == "Other"
    assert (seizure["event_date"], seizure["year"]) == ("2021-05-03", "2021")
    assert seizure["actor1"] == "General Commissariat of National Police; Ministry of Interior"
    assert (seizure["country"], seizure["iso"], seizure["iso3"]) == ("Cambodia", "116", "KHM")
    assert seizure["admin1"] == "Preah Sihanouk"
    assert seizure["fatalities"] == ""
    assert seizure["notes"].startswith("Officers took 12 kg")
    assert (seizure["source"], seizure["source_url"]) == (
        "VOD Test",
        "https://news.example.org/casino-raid",
    )
    arrest = by_evidence(rows, "Three men")
    assert (arrest["sub_event_type"], arrest["status"]) == ("Arrests", "proposed")


# --- The search's filters, and streaming ------------------------------------------------------


def test_the_searchs_filters_restrict_the_articles(client, figures, corpus):
    rows = rows_of(download(client, country="TH"))
    assert {row["article_id"] for row in rows} == {str(corpus["meth"].pk)}
    rows = rows_of(download(client, q="casino", figures="all"))
    assert {row["article_id"] for row in rows} == {str(corpus["casino"].pk)}
    document = json.loads(body_of(download(client, "json", q="casino")))
    assert document["provenance"]["search"]["query"] == "casino"
    assert document["provenance"]["search_url"] == "http://testserver/?q=casino"
    assert document["provenance"]["total"] == 1


def test_a_search_no_report_answers_exports_the_header_alone(client, figures):
    text = body_of(download(client, q="nothingmatchesthis"))
    assert text.splitlines() == [",".join(FULL_COLUMNS)]


def test_the_export_streams_articles_a_chunk_at_a_time(client, figures, monkeypatch):
    from search.exports import figure_rows

    monkeypatch.setattr(figure_rows, "CHUNK", 1)  # one article a chunk: three chunks
    response = download(client)
    pieces = list(response.streaming_content)
    assert len(pieces) == 1 + 5  # the header, then a piece per figure
    assert b"".join(pieces).decode().count("\r\n") == 6


def test_a_figure_row_carries_the_incident_its_report_is_in(client, grouped):
    incident = grouped.incident_of("r052")
    rows = rows_of(download(client, figures="all", shape="acled"))
    assert list(rows[0])[-1] == "incident_id"  # after ACLED's columns and our status
    assert {str(incident.pk), ""} <= {row["incident_id"] for row in rows}
    full = json.loads(body_of(download(client, "json", figures="all")))["figures"]
    by_article = {row["article_id"]: row["incident_id"] for row in full}
    assert by_article[grouped.articles["r052"].pk] == incident.pk
    assert by_article[grouped.articles["r055"].pk] is None  # a distractor, in no incident


# --- Pure helpers ----------------------------------------------------------------------------


def test_codes_and_names_come_from_iso_and_the_press_table():
    assert (country_iso3("KH"), country_iso3("LA"), country_iso3(""), country_iso3("ZZ")) == (
        "KHM",
        "LAO",
        "",
        "",
    )
    assert (country_name("VN"), country_name("LA")) == ("Vietnam", "Laos")
    assert admin1_name("KH-18") == "Preah Sihanouk"
    assert admin1_name("KH-17") == "Siem Reap"  # ISO writes "Siem Reab"
    assert (admin1_name("TH-65"), admin1_name("XX-9"), admin1_name("")) == ("Phitsanulok", "", "")


def test_a_proposal_reads_as_the_machines_with_its_confidence():
    assert reading("proposed", "tagger", 0.456) == "proposed by the machine, confidence 0.46"
    assert reading("confirmed", "tagger", 0.4) == "confirmed by a curator"
    assert reading("confirmed", "curator", 1.0) == "added by a curator"


def test_figure_exports_count_against_the_export_limit(client, figures, settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": (1, 60)}
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "f"},
    }
    answers = [download(client).status_code, download(client, "json").status_code]
    assert answers == [200, 429]
