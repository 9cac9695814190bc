"""Hostile and odd queries against the JSON API: a JSON answer every time, 200 or a 400 naming
the parameter, never a 500, and highlights whose only markup is <mark>."""

import json
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from search.service.url_state import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from tests.search.test_hostile_queries import MARKUP, PROPERTY, params, queries

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:api_search")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def tags_in(fragment: str) -> list[tuple[str, list]]:
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def assert_only_marks(fragment: str) -> None:
    """A highlight is escaped text with bare <mark> tags: nothing else is markup."""
    assert all(tag == "mark" and not attrs for tag, attrs in tags_in(fragment)), fragment


def test_the_highlight_check_catches_markup():
    assert_only_marks("a <mark>casino</mark> &lt;script&gt;")
    for fragment in ["<script>x</script>", "<mark onclick=x>a</mark>", "<img src=x>"]:
        with pytest.raises(AssertionError):
            assert_only_marks(fragment)


def answer(client, pairs):
    response = client.get(f"{SEARCH}?{urlencode(pairs)}")
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.status_code, json.loads(response.content)


@PROPERTY
@given(query=queries, extra=params)
def test_every_answer_is_json_200_or_a_400_naming_the_parameter(client, corpus, query, extra):
    status, data = answer(client, [("q", query), *extra])
    assert status in (200, 400), data
    if status == 400:
        error = data["error"]
        assert error["status"] == 400 and error["message"]
        assert error["parameter"] in {name for name, _ in extra} | {"q"}
        return
    assert data["page"] >= 1 and data["total"] >= 0
    for result in data["results"]:
        assert_only_marks(result["highlighted_title"])
        for passage in result["highlights"]:
            assert_only_marks(passage)


@PROPERTY
@given(markup=st.sampled_from(MARKUP), word=st.sampled_from(["casino", "owner", "police"]))
def test_markup_in_articles_and_queries_stays_out_of_highlights(client, corpus, markup, word):
    status, data = answer(client, [("q", f"{word} {markup}")])
    assert status == 200
    for result in data["results"]:
        assert_only_marks(result["highlighted_title"])
        for passage in result["highlights"]:
            assert_only_marks(passage)


def test_the_hostile_report_is_highlighted_as_escaped_text(client, corpus):
    status, data = answer(client, [("q", "casino owner")])
    assert status == 200
    (hostile,) = [r for r in data["results"] if "Casino report" in r["title"]]
    assert hostile["title"].startswith("<script>")  # data is data: kept exactly
    assert hostile["highlighted_title"].startswith("&lt;script&gt;")
    assert "&lt;img src=x onerror=alert(1)&gt;" in " ".join(hostile["highlights"])
    assert_only_marks(hostile["highlighted_title"])


@pytest.mark.parametrize(
    "query", ["NOT NOT casino", "sort_date:5", "title:[a TO z]", "*:*", "casino^9999999999999"]
)
def test_queries_that_once_failed_answer_200(client, corpus, query):
    status, data = answer(client, [("q", query)])
    assert status == 200, data


def test_caps_and_dropped_wildcards_are_reported_in_notices(client, corpus):
    words = " ".join(f"w{number}" for number in range(MAX_QUERY_WORDS + 5))
    status, data = answer(client, [("q", f"*ing {words}")])
    assert status == 200
    notices = " ".join(data["notices"])
    assert "'*ing' was searched as 'ing'" in notices
    assert f"first {MAX_QUERY_WORDS} words" in notices
    status, data = answer(client, [("q", "x" * (MAX_QUERY_CHARS + 1))])
    assert f"first {MAX_QUERY_CHARS} characters" in " ".join(data["notices"])


def test_unknown_facet_values_are_empty_200s_and_odd_numbers_400s(client, corpus):
    status, data = answer(client, [("country", "<b>ZZ</b>"), ("source", "nowhere")])
    assert status == 200 and data["total"] == 0 and data["results"] == []
    assert len(data["notices"]) == 2
    for name, value in [("year_from", "²²²²"), ("page", "9" * 5000), ("page_size", "-1")]:
        status, data = answer(client, [(name, value)])
        assert status == 400 and data["error"]["parameter"] == name
