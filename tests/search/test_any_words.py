"""When no report has every word: said in the heading, the API and exports; ranked by words held."""

import json

import pytest
from django.urls import reverse

from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(search_index, db):
    made = {
        # One rare word, many times: the best BM25 score for it alone.
        "one_word": factories.make_article(
            title="Methamphetamine methamphetamine",
            body="Methamphetamine " * 12 + "was burned by the authorities.",
        ),
        # Two of the three words, once each.
        "two_words": factories.make_article(
            title="Raid in Poipet", body="Police found methamphetamine in a Poipet warehouse."
        ),
        "none": factories.make_article(title="Flood relief", body="Rain closed the schools."),
        "casino": factories.make_article(title="Casino fined", body="A casino was fined."),
    }
    apply_pending()
    return made


def test_the_heading_says_no_report_has_every_word_and_how_many_have_some(client, reports):
    response = client.get(reverse("search:search"), {"q": "methamphetamine Poipet casinno"})
    page = " ".join(response.content.decode().split())
    assert "No report has all of: methamphetamine, Poipet, casinno. 2 have some of them" in page
    assert "Download the 2 with some of the words as" in page
    assert "Download all" not in page
    assert response.context["response"].suggestion == "methamphetamine Poipet casino"
    # An excluded word is not one a report is asked to have.
    excluded = client.get(reverse("search:search"), {"q": "methamphetamine casinno -flood"})
    assert excluded.context["response"].words == ("methamphetamine", "casinno")


def test_reports_holding_more_of_the_words_rank_first(client, reports):
    response = client.get(reverse("search:search"), {"q": "methamphetamine Poipet casinno"})
    ranked = [article.pk for _hit, article in response.context["results"]]
    assert ranked == [reports["two_words"].pk, reports["one_word"].pk]
    # Alone, the rare word's repetitions rank the other report first: the tier decides above.
    alone = client.get(reverse("search:search"), {"q": "methamphetamine"})
    first = alone.context["results"][0][1]
    assert first.pk == reports["one_word"].pk


def test_the_api_says_the_match_is_any_and_names_the_words(client, reports):
    data = client.get(reverse("search:api_search"), {"q": "methamphetamine Poipet casinno"}).json()
    assert data["match"] == "any" and data["total"] == 2
    assert "No report has all of: methamphetamine, Poipet, casinno." in data["notices"][-1]
    assert data["suggestion"] == "methamphetamine Poipet casino"
    assert client.get(reverse("search:api_search"), {"q": "Poipet"}).json()["match"] == "all"


def test_exports_record_that_the_match_is_any(client, reports):
    url = reverse("search:export", args=["json"])
    response = client.get(url, {"q": "methamphetamine Poipet casinno"})
    provenance = json.loads(b"".join(response.streaming_content))["provenance"]
    assert provenance["search"]["match"] == "any"
    assert "No report has all of" in provenance["note"]
    response = client.get(url, {"q": "Poipet"})
    assert json.loads(b"".join(response.streaming_content))["provenance"]["search"]["match"] == (
        "all"
    )
