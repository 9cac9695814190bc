"""/api/v1/figures: confirmed figures unless asked, filters, pages, strict parameters; an
article's figures; both in the OpenAPI document, and real answers match its schemas."""

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from search.api.figure_list import FIGURE_KEYS
from tests.search.api.test_openapi import check

pytestmark = pytest.mark.django_db

FIGURES_URL = reverse("search:api_figures")


def ids(data) -> set[int]:
    return {row["id"] for row in data["results"]}


def keys(figures, *names) -> set[int]:
    return {figures[name].pk for name in names}


CONFIRMED = ("seizure", "total", "th_seizure", "person", "arrest")


# --- Which figures ---------------------------------------------------------------------------


def test_only_confirmed_figures_are_served_unless_asked(get_json, figures):
    data = get_json(FIGURES_URL)
    assert data["statuses"] == ["confirmed"]
    assert (data["total"], ids(data)) == (5, keys(figures, *CONFIRMED))
    data = get_json(FIGURES_URL, {"figures": "all"})
    assert data["statuses"] == ["confirmed", "proposed"]
    assert ids(data) == keys(figures, *CONFIRMED, "proposed")  # never the rejected one
    (proposal,) = [row for row in data["results"] if row["status"] == "proposed"]
    assert proposal["reading"] == "proposed by the machine, confidence 0.62"


def test_status_picks_one_status_and_refuses_a_contradiction(get_json, figures):
    data = get_json(FIGURES_URL, {"status": "proposed"})
    assert ids(data) == keys(figures, "proposed")
    error = get_json(FIGURES_URL, {"status": "proposed", "figures": "confirmed"}, status=400)
    assert error["error"]["parameter"] == "status"
    error = get_json(FIGURES_URL, {"status": "rejected"}, status=400)
    assert "never served" in error["error"]["message"]


# --- Filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "seizure"}, ("seizure", "total", "th_seizure")),
        ({"kind": ["arrest", "person"]}, ("person", "arrest")),
        ({"drug": "Methamphetamine"}, ("seizure", "total", "th_seizure")),
        ({"country": "KH"}, ("seizure",)),
        ({"country": "kh", "figures": "all"}, ("seizure", "proposed")),  # KH-12: in KH
        ({"country": "THA"}, ("total", "th_seizure", "arrest")),  # TH-65: in TH
        ({"place": "TH-27"}, ("th_seizure",)),
        ({"place": "kh-18"}, ("seizure",)),
        ({"year": "2022"}, ("total", "th_seizure")),
        ({"min_kg": "2"}, ("seizure", "total", "th_seizure")),
        ({"min_kg": "12.5"}, ("total",)),
        (
            {"kind": "seizure", "country": "TH", "min_kg": "0.5", "year": "2022"},
            ("total", "th_seizure"),
        ),
    ],
)
def test_the_filters_narrow_the_figures(get_json, figures, params, expected):
    assert ids(get_json(FIGURES_URL, params)) == keys(figures, *expected)


def test_the_article_filter_lists_one_articles_figures_in_text_order(get_json, figures, corpus):
    data = get_json(FIGURES_URL, {"article": corpus["casino"].pk, "figures": "all"})
    assert [row["id"] for row in data["results"]] == [
        figures["seizure"].pk,
        figures["proposed"].pk,
    ]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"kind": "raid"}, "kind"),
        ({"country": "Cambodia"}, "country"),
        ({"country": "ZZ"}, "country"),
        ({"place": "Preah Sihanouk"}, "place"),
        ({"year": "22"}, "year"),
        ({"min_kg": "-1"}, "min_kg"),
        ({"min_kg": "lots"}, "min_kg"),
        ({"article": "first"}, "article"),
        ({"figures": "proposed"}, "figures"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"drug": ["a", "b"]}, "drug"),
        ({"contry": "KH"}, "contry"),
    ],
)
def test_a_malformed_parameter_answers_400_and_is_named(get_json, figures, params, parameter):
    error = get_json(FIGURES_URL, params, status=400)["error"]
    assert error["parameter"] == parameter


def test_a_misspelt_name_gets_a_suggestion(get_json, db):
    error = get_json(FIGURES_URL, {"contry": "KH"}, status=400)["error"]
    assert "Did you mean 'country'?" in error["message"]


# --- Pages -----------------------------------------------------------------------------------


def test_pages_split_the_figures_and_link_to_each_other(get_json, figures):
    first = get_json(FIGURES_URL, {"page_size": 2, "kind": "seizure", "figures": "all"})
    assert (first["total"], first["pages"], len(first["results"])) == (3, 2, 2)
    assert first["links"]["previous"] is None
    assert (
        first["links"]["self"]
        == "http://testserver/api/v1/figures?page_size=2&kind=seizure&figures=all"
    )
    second = get_json(first["links"]["next"])
    assert second["page"] == 2
    assert second["links"]["next"] is None
    assert len(second["results"]) == 1
    assert ids(first) | ids(second) == keys(figures, "seizure", "total", "th_seizure")
    assert get_json(second["links"]["previous"]) == first
    error = get_json(FIGURES_URL, {"page_size": 2, "page": 3, "kind": "seizure"}, status=400)
    assert error["error"]["parameter"] == "page"


def test_no_figure_is_one_empty_page(get_json, db):
    data = get_json(FIGURES_URL)
    assert (data["total"], data["pages"], data["results"]) == (0, 0, [])


# --- An article's figures --------------------------------------------------------------------


def test_an_article_lists_its_figures_proposals_included_rejections_not(get_json, figures, corpus):
    data = get_json(reverse("search:api_article", args=[corpus["casino"].pk]))
    assert [row["id"] for row in data["figures"]] == [figures["seizure"].pk, figures["proposed"].pk]
    assert [row["status"] for row in data["figures"]] == ["confirmed", "proposed"]
    assert data["figures"][0]["country_iso3"] == "KHM"
    assert get_json(reverse("search:api_article", args=[corpus["online"].pk]))["figures"] == []


# --- The OpenAPI document --------------------------------------------------------------------


@pytest.fixture
def document(get_json, db):
    return get_json(reverse("search:api_openapi"))


def test_the_document_lists_the_figures_and_their_parameters(document):
    validate(document)
    operation = document["paths"][FIGURES_URL]["get"]
    assert [parameter["name"] for parameter in operation["parameters"]] == list(FIGURE_KEYS)
    assert {"200", "400", "405", "429"} <= set(operation["responses"])
    assert {"Figure", "FigureList"} <= set(document["components"]["schemas"])
    detail = document["components"]["schemas"]["ArticleDetail"]["properties"]
    assert detail["figures"]["items"] == {"$ref": "#/components/schemas/Figure"}


@pytest.mark.parametrize(
    "params", [{}, {"figures": "all"}, {"kind": "person"}, {"page_size": 1, "page": 2}]
)
def test_figure_answers_match_the_schema(document, get_json, figures, params):
    check(document, "FigureList", get_json(FIGURES_URL, params))


def test_an_article_with_figures_matches_the_schema(document, get_json, figures, corpus):
    for article in corpus.values():
        check(document, "ArticleDetail", get_json(reverse("search:api_article", args=[article.pk])))


def test_the_figure_schema_catches_a_column_the_code_adds(document, get_json, figures):
    import jsonschema

    data = get_json(FIGURES_URL)
    data["results"][0]["latitude"] = 11.5
    with pytest.raises(jsonschema.ValidationError, match="latitude"):
        check(document, "FigureList", data)


def test_the_index_links_the_figures(get_json, db):
    paths = [e["path"] for e in get_json(reverse("search:api_index"))["endpoints"]]
    assert FIGURES_URL in paths


def test_a_page_of_figures_takes_a_fixed_number_of_queries(
    client, figures, django_assert_max_num_queries
):
    # The count, the page, then the rows' figures, articles, agencies and incidents: not one
    # per figure.
    with django_assert_max_num_queries(6):
        assert client.get(FIGURES_URL, {"figures": "all", "page_size": 100}).status_code == 200
