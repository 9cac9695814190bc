"""Words the index leaves out and scripts it does not read: said on the page, in the API and in
exports, and a query of nothing but such words lists no report instead of passing for a search."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGE, API = reverse("search:search"), reverse("search:api_search")
NOTHING_SEARCHED = "Nothing in the query could be searched, so no report is listed"


def page_notices(response) -> list[tuple[str, str]]:
    """Return (class, text) of each status line of the page."""
    found = re.findall(r'<p class="([^"]+)" role="status">(.*?)</p>', response.content.decode())
    return [(kind, " ".join(text.split())) for kind, text in found]


@pytest.mark.parametrize("query", ["the of", "a", "!!!", '"the of"', "\u17cb", "U.S."])
def test_a_query_the_index_leaves_wholly_out_lists_no_report_and_says_why(client, corpus, query):
    response = client.get(PAGE, {"q": query})
    assert response.context["results"] == []
    assert response.context["response"].total == 0
    assert response.context["response"].searched_nothing
    notices = page_notices(response)
    assert any(kind == "notice" and NOTHING_SEARCHED in text for kind, text in notices)
    content = response.content.decode()
    assert "could be searched</h2>" in content
    assert "Check the spelling" not in content  # no advice meant for a word no report holds


def test_the_page_names_the_common_words_and_says_quotes_do_not_keep_them(client, corpus):
    response = client.get(PAGE, {"q": "the of", "country": "KH"})
    (notice,) = [text for kind, text in page_notices(response) if kind == "notice"]
    assert "“the” and “of” are too common to be indexed" in notice
    assert "Quotes do not keep such words" in notice
    # The way to every report is a link, not what the search answers.
    assert 'href="?country=KH">list every report with these filters</a>' in (
        response.content.decode()
    )


def test_words_ignored_beside_searched_ones_are_said_in_passing(client, corpus):
    response = client.get(PAGE, {"q": "the casino"})
    assert response.context["response"].total == 2
    assert ("muted small", "Not searched: “the” (too common to be indexed).") in page_notices(
        response
    )


def test_an_ignored_word_beside_an_excluded_one_leaves_the_exclusion_searched(client, corpus):
    response = client.get(PAGE, {"q": "the NOT casino"})
    assert response.context["response"].total == 4
    assert not response.context["response"].searched_nothing


def test_a_script_the_archive_cannot_read_is_named_on_the_page(client, corpus):
    response = client.get(PAGE, {"q": "བོད་ཡིག"})
    assert response.context["results"] == []
    texts = [text for _kind, text in page_notices(response)]
    assert any(text.startswith("Tibetan cannot be searched yet") for text in texts)
    assert any(NOTHING_SEARCHED in text for text in texts)


def test_the_api_says_so_in_notices_and_lists_the_ignored_words(client, corpus):
    data = client.get(API, {"q": "the of"}).json()
    assert data["total"] == 0 and data["results"] == []
    assert data["ignored_words"] == [
        {"word": "the", "reason": "common"},
        {"word": "of", "reason": "common"},
    ]
    assert any(notice.startswith(NOTHING_SEARCHED) for notice in data["notices"])
    partly = client.get(API, {"q": "casino the"}).json()
    assert partly["total"] == 2
    assert "Not searched: “the” (too common to be indexed)." in partly["notices"]


def test_the_api_names_a_script_and_what_was_searched_in_its_place(client, corpus):
    data = client.get(API, {"q": "casino ᬩᬮᬶ"}).json()
    assert data["unread_scripts"] == [
        {
            "script": "Balinese",
            "words": ["ᬩᬮᬶ"],
            "searched_as": ["ᬩᬮ"],
            "drops_signs": True,
            "unspaced": False,
        }
    ]
    assert any(notice.startswith("Balinese is searched without") for notice in data["notices"])
    assert data["ignored_words"] == []


def test_a_query_of_the_archive_s_words_has_no_omissions(client, corpus):
    data = client.get(API, {"q": "casino Poipet"}).json()
    assert data["ignored_words"] == [] and data["unread_scripts"] == []
    assert data["notices"] == []


def test_an_export_of_a_search_that_searched_nothing_says_why(client, corpus):
    described = json.loads(
        client.get(reverse("search:export", args=["datapackage.json"]), {"q": "the of"}).content
    )
    assert NOTHING_SEARCHED in json.dumps(described, ensure_ascii=False)
