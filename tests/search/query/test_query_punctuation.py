"""Punctuation people type inside and after words, on the search page and through the API."""

import pytest
from django.urls import reverse

from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = reverse("search:search")
API = reverse("search:api_search")

REPORTS = {
    "hyphen": "Officers broke up a cross-border smuggling route near Poipet.",
    "spaced": "A cross border convoy of stolen cars was stopped in Koh Kong.",
    "joined": "Crossborder fraud rings moved money through Bavet casinos.",
    "apart": "The suspect crossed into Thailand at dawn, near the border.",
    "laundering": "The anti-money laundering unit froze accounts of a gambling boss.",
    "organs": "Doctors were charged in a blood-harvesting scheme that sold plasma.",
    "acronym": "The U.N. office in Bangkok published a report on scam compounds.",
    "bare": "A UN envoy visited the border camps and met police chiefs.",
    "minister": "Sar Kheng's ministry ordered a review of border checkpoints.",
    "slash": "Checkpoints tested drivers for drug/alcohol use on the highway.",
    "alcohol": "Police seized untaxed alcohol from a warehouse in Takeo.",
}


@pytest.fixture
def reports(search_index, db):
    made = {
        key: factories.make_article(title=f"Report on {key}", body=body)
        for key, body in REPORTS.items()
    }
    apply_pending()
    return {article.pk: key for key, article in made.items()}


def page_finds(client, reports, query) -> set[str]:
    response = client.get(PAGE, {"q": query})
    assert response.status_code == 200
    return {reports[article.pk] for _hit, article in response.context["results"]}


def api_finds(client, reports, query) -> tuple[set[str], str]:
    data = client.get(API, {"q": query}).json()
    return {reports[result["id"]] for result in data["results"]}, data["match"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cross-border", {"hyphen", "spaced", "joined"}),
        ("cross\u2010border", {"hyphen", "spaced", "joined"}),  # a typographic hyphen
        ("anti-money laundering", {"laundering"}),
        ("blood-harvesting", {"organs"}),
        ("U.N.", {"acronym", "bare"}),
        ("Sar Kheng's ministry", {"minister"}),
        ("drug/alcohol", {"slash", "alcohol"}),
        ("cross-border route?", {"hyphen"}),
    ],
)
def test_in_word_punctuation_finds_what_the_text_writes(client, reports, query, expected):
    assert page_finds(client, reports, query) == expected
    assert api_finds(client, reports, query) == (expected, "all")


def test_a_hyphen_starting_a_word_still_excludes_it(client, reports):
    expected = {"hyphen", "spaced", "minister", "bare"}  # "apart" has "dawn"
    assert page_finds(client, reports, "border -dawn") == expected
    assert api_finds(client, reports, "border -dawn") == (expected, "all")


def test_a_typed_question_finds_what_the_bare_words_find(client, reports):
    assert page_finds(client, reports, "who ran the blood-harvesting scheme?") == page_finds(
        client, reports, "who ran the blood harvesting scheme"
    )
