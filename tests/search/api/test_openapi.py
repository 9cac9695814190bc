"""The OpenAPI document is valid, covers every endpoint, and real answers match its schemas."""

import copy

import jsonschema
import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from search.api.openapi import build_document
from search.api.params import SEARCH_KEYS, TAXONOMY_LISTS
from search.urls import urlpatterns
from tests import factories

pytestmark = pytest.mark.django_db

DOCUMENT_URL = reverse("search:api_openapi")


@pytest.fixture
def document(get_json, db):
    return get_json(DOCUMENT_URL)


def check(document, schema_name: str, data) -> None:
    """Validate `data` against one of the document's component schemas (refs resolved)."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_server_is_the_site(document, settings, get_json):
    assert document["servers"] == [{"url": "http://testserver"}]
    settings.PUBLIC_URL = "https://archive.example.org"
    assert get_json(DOCUMENT_URL)["servers"] == [{"url": "https://archive.example.org"}]


def test_every_api_route_is_documented(document, get_json):
    listed = {endpoint["path"] for endpoint in get_json(reverse("search:api_index"))["endpoints"]}
    assert set(document["paths"]) == listed | {reverse("search:api_index")}
    routes = {pattern.name for pattern in urlpatterns if pattern.name.startswith("api_")}
    routes.discard("api_not_found")  # the JSON 404 for every other address under /api/
    assert routes == {
        "api_index",
        "api_openapi",
        "api_search",
        "api_article",
        "api_figures",
        "api_incidents",
        "api_incident",
        "api_taxonomy",
    }, "a new API route needs its place in search/api/openapi.py, the index and this test"
    for name in TAXONOMY_LISTS:
        assert reverse("search:api_taxonomy", args=[name]) in document["paths"]


def test_the_search_parameters_are_the_ones_the_code_accepts(document):
    parameters = document["paths"][reverse("search:api_search")]["get"]["parameters"]
    assert [p["name"] for p in parameters] == list(SEARCH_KEYS)
    by_name = {p["name"]: p["schema"] for p in parameters}
    assert by_name["sort"]["enum"] == ["relevance", "newest", "oldest", "added"]
    assert (by_name["page"]["minimum"], by_name["page"]["maximum"]) == (1, 50)
    assert by_name["page_size"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert by_name["country"]["type"] == "array"


def test_every_operation_documents_its_errors(document):
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        assert "405" in responses, path
    search = document["paths"][reverse("search:api_search")]["get"]["responses"]
    assert {"200", "400", "405", "429", "503"} <= set(search)
    countries = reverse("search:api_taxonomy", args=["countries"])
    assert "429" in document["paths"][countries]["get"]["responses"]
    limit = document["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in limit["headers"]
    assert (
        "year_from after year_to"
        in document["components"]["responses"]["BadRequest"]["description"]
    )
    article = document["paths"]["/api/v1/articles/{id}"]["get"]["responses"]
    assert "404" in article


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "casino owner", "page_size": "2"},
        {"q": "kidnaping"},
        {"q": "what did police do about the casino last spring"},
        {"country": ["KH", "ZZ"], "crime_type": "gambling", "year_from": "2021", "page_size": 1},
        {"q": "x " * 200, "mentions": "1", "sort": "oldest", "year_to": "2030"},
        {"q": "country:KH year:2022 crime:gambling", "source": "kt-test"},
        {"ministry": "Ministry of Interior", "year": ["2021", "2022"], "sort": "added"},
        {"q": "cross-border trafficing", "show": "source", "find": "vod"},
        {"q": "the of !!!"},  # words the index leaves out
        {"q": "casino ᬩᬮᬶ བོད་ཡིག"},  # scripts it does not read as written
    ],
)
def test_search_answers_match_the_schema(document, get_json, corpus, params):
    check(document, "SearchResponse", get_json(reverse("search:api_search"), params))


def test_article_answers_match_the_schema(document, get_json, corpus):
    article = corpus["online"]
    factories.tag(article, factories.ministry("Ministry of Interior"))
    article.authors, article.url = "Sok Chea", "https://news.example.org/a"
    article.save()
    for record in corpus.values():
        check(
            document,
            "ArticleDetail",
            get_json(reverse("search:api_article", args=[record.pk])),
        )


@pytest.mark.parametrize(
    ("name", "entry_schema"),
    [
        ("countries", "CountryEntry"),
        ("ministries", "MinistryEntry"),
        ("crime-types", "CrimeTypeEntry"),
        ("sources", "SourceEntry"),
    ],
)
def test_list_answers_match_the_schema(document, get_json, corpus, name, entry_schema):
    factories.make_source("Test Weekly", homepage="https://weekly.example.org/")
    data = get_json(reverse("search:api_taxonomy", args=[name]))
    check(document, "TaxonomyList", data)
    for entry in data["results"]:
        check(document, entry_schema, entry)


def test_the_index_matches_the_schema(document, get_json):
    check(document, "ApiIndex", get_json(reverse("search:api_index")))


def test_error_answers_match_the_schema(client, document, get_json, settings, tmp_path, db):
    check(document, "Error", get_json(reverse("search:api_search"), {"page": "0"}, status=400))
    backwards = {"year_from": "2022", "year_to": "2020"}
    check(document, "Error", get_json(reverse("search:api_search"), backwards, status=400))
    check(document, "Error", get_json(reverse("search:api_article", args=[9]), status=404))
    check(document, "Error", client.post(reverse("search:api_index")).json())
    settings.SEARCH_INDEX_DIR = tmp_path / "empty"
    (tmp_path / "empty").mkdir()
    check(document, "Error", get_json(reverse("search:api_search"), status=503))


def test_the_schemas_catch_a_field_the_code_adds_or_drops(document, get_json, corpus):
    data = get_json(reverse("search:api_search"), {"q": "casino"})
    added = copy.deepcopy(data)
    added["results"][0]["summary"] = "new"
    with pytest.raises(jsonschema.ValidationError, match="summary"):
        check(document, "SearchResponse", added)
    dropped = copy.deepcopy(data)
    del dropped["facets"]["year"]
    with pytest.raises(jsonschema.ValidationError, match="year"):
        check(document, "SearchResponse", dropped)
    wrong = copy.deepcopy(data)
    wrong["results"][0]["countries"][0]["status"] = "rejected"
    with pytest.raises(jsonschema.ValidationError, match="rejected"):
        check(document, "SearchResponse", wrong)


def test_the_document_builds_without_a_request():
    document = build_document("")
    assert document["servers"] == [{"url": "/"}]
    validate(document)


def test_a_rate_limited_answer_matches_the_schema(client, document, corpus, settings):
    from search.ratelimit import SEARCH

    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, SEARCH: (1, 60)}
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "o"},
    }
    answers = [client.get(reverse("search:api_search"), {"q": "casino"}) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 429]
    assert int(answers[1]["Retry-After"]) > 0
    check(document, "Error", answers[1].json())
