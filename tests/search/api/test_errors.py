"""Every error the API gives is JSON with the right status and a sentence naming the cause."""

import pytest
from django.test import Client
from django.urls import reverse

from search.api.params import MAX_PAGE_SIZE, check_search_params
from search.service.url_state import MAX_PAGE
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:api_search")
ENDPOINTS = [
    reverse("search:api_index"),
    reverse("search:api_openapi"),
    SEARCH,
    reverse("search:api_article", args=[1]),
    reverse("search:api_taxonomy", args=["countries"]),
]


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"page": "abc"}, "page", ["'page' must be a whole number of 1 or more", "'abc'"]),
        ({"page": "0"}, "page", ["'page' must be a whole number of 1 or more", "'0'"]),
        ({"page": "-1"}, "page", ["'page'", "'-1'"]),
        ({"page": "1.5"}, "page", ["'page'", "'1.5'"]),
        ({"page": "9" * 5000}, "page", ["'page' '99999", "…' is past the last page"]),
        (
            {"page": str(MAX_PAGE + 1)},
            "page",
            [f"past the last page the search serves ({MAX_PAGE})", "narrow the search"],
        ),
        ({"page_size": "0"}, "page_size", [f"from 1 to {MAX_PAGE_SIZE}", "'0'"]),
        ({"page_size": str(MAX_PAGE_SIZE + 1)}, "page_size", [f"from 1 to {MAX_PAGE_SIZE}"]),
        ({"page_size": "ten"}, "page_size", ["'page_size' must be a whole number"]),
        ({"sort": "best"}, "sort", ["'sort' must be one of relevance, newest, oldest", "'best'"]),
        ({"year_from": "21"}, "year_from", ["'year_from' must be a four-digit year", "'21'"]),
        ({"year_from": "20211"}, "year_from", ["four-digit year"]),
        ({"year_to": "abcd"}, "year_to", ["'year_to' must be a four-digit year", "'abcd'"]),
        ({"year_to": "0999"}, "year_to", ["four-digit year"]),
        (
            {"year_from": "2023", "year_to": "2021"},
            "year_from",
            ["'year_from' (2023) is later than 'year_to' (2021)"],
        ),
        ({"mentions": "yes"}, "mentions", ["'mentions' must be 1, true or on", "'yes'"]),
        ({"contry": "KH"}, "contry", ["Unknown parameter 'contry'", "Did you mean 'country'?"]),
        ({"format": "json"}, "format", ["Unknown parameter 'format'", "The search takes: q,"]),
        ({"page": ["1", "2"]}, "page", ["'page' was given 2 times; give it once"]),
        ({"q": ["a", "b"]}, "q", ["'q' was given 2 times"]),
    ],
)
def test_malformed_search_parameters_answer_400_naming_the_parameter(
    get_json, corpus, params, parameter, words
):
    error = get_json(SEARCH, params, status=400)["error"]
    assert error["status"] == 400 and error["parameter"] == parameter
    for word in words:
        assert word in error["message"]


def test_the_page_forgives_what_the_api_refuses(client, corpus):
    # The same parameters are notices on the page: the API's strictness is its own.
    page = client.get(reverse("search:search"), {"page": "abc", "sort": "best", "year_to": "x"})
    assert page.status_code == 200


def test_empty_values_count_as_absent(get_json, corpus):
    data = get_json(SEARCH, {"q": "", "year_from": "", "year_to": "", "sort": "", "page": ""})
    assert data["total"] == 6 and data["page"] == 1


def test_repeating_a_facet_is_not_an_error(get_json, corpus):
    assert get_json(SEARCH, {"source": ["vod-test", "kt-test"]})["total"] == 4


def test_checking_needs_no_database_or_index():
    from django.http import QueryDict

    paging = check_search_params(QueryDict("q=x&country=KH&country=TH&page=3&page_size=7"))
    assert (paging.page, paging.page_size) == (3, 7)


def test_a_missing_article_is_a_json_404(get_json, db):
    error = get_json(reverse("search:api_article", args=[999_999]), status=404)["error"]
    assert error == {
        "status": 404,
        "message": "There is no article 999999; it may have been removed.",
    }


def test_an_unknown_list_is_a_json_404(get_json, db):
    error = get_json(reverse("search:api_taxonomy", args=["agencies"]), status=404)["error"]
    assert error["status"] == 404
    assert "no list called 'agencies'" in error["message"]
    assert "countries, ministries, crime-types, sources" in error["message"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_than_get_and_head_answer_405(db, path, method):
    # CSRF checks on, as in a browser: the API must answer 405, not the CSRF page's 403.
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Access-Control-Allow-Origin"] == "*"
    error = response.json()["error"]
    assert error["status"] == 405 and "read-only" in error["message"]


@pytest.mark.parametrize(
    "name", ["api_index", "api_openapi", "api_search", "api_article", "api_taxonomy"]
)
def test_head_is_allowed(client, corpus, name):
    args = {"api_article": [corpus["casino"].pk], "api_taxonomy": ["countries"]}.get(name, [])
    response = client.head(reverse(f"search:{name}", args=args))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def unavailable_index(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "broken"
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "current").symlink_to("gen-missing")


def test_a_missing_index_answers_503_as_json(get_json, settings, tmp_path, db):
    factories.make_article()
    unavailable_index(settings, tmp_path)
    error = get_json(SEARCH, {"q": "police"}, status=503)["error"]
    assert error["status"] == 503
    assert error["message"].startswith("Search is being rebuilt; try again in a few minutes.")


def test_an_empty_index_folder_answers_503(get_json, settings, tmp_path, db):
    settings.SEARCH_INDEX_DIR = tmp_path / "empty"
    (tmp_path / "empty").mkdir()
    assert get_json(SEARCH, status=503)["error"]["status"] == 503


def test_articles_and_lists_need_no_index(get_json, settings, tmp_path, db):
    article = factories.make_article()
    unavailable_index(settings, tmp_path)
    assert get_json(reverse("search:api_article", args=[article.pk]))["id"] == article.pk
    assert get_json(reverse("search:api_taxonomy", args=["countries"]))["count"] > 0


def test_a_bad_parameter_is_reported_before_the_index_is_read(get_json, settings, tmp_path, db):
    unavailable_index(settings, tmp_path)
    assert get_json(SEARCH, {"page": "x"}, status=400)["error"]["parameter"] == "page"


@pytest.mark.parametrize("path", ["/api/v1/articles/abc", "/api/v2/search", "/api/"])
def test_an_unknown_api_address_is_a_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "the list is at /api/v1/" in response.json()["error"]["message"]


def test_an_unknown_page_elsewhere_is_still_the_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"That page is not in the archive" in response.content


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_api_address_is_json_in_every_mode(client, settings, debug):
    settings.DEBUG = debug
    for path in ("/api/v1/nothing/here", "/api/v2/search", "/api/v1/articles/abc", "/api/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json()["error"]["status"] == 404
        assert response["Access-Control-Allow-Origin"] == "*"
