"""GET /api/v1/search on the six-report corpus: the page's parameters, answered as JSON."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from search.service.taxonomy_names import Taxonomy
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("search:api_search")
PAGE_URL = reverse("search:search")


def titles(data) -> set[str]:
    return {record["title"] for record in data["results"]}


def counts(data, facet) -> dict[str, int]:
    return {item["value"]: item["count"] for item in data["facets"][facet]}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_an_empty_search_lists_every_report_newest_first(get_json, corpus):
    data = get_json(URL)
    assert (data["total"], data["page"], data["page_size"], data["pages"]) == (6, 1, 20, 1)
    years = [record["year"] for record in data["results"]]
    assert len(years) == 6 and years == sorted(years, reverse=True)
    assert data["query"] == {
        "query": "",
        "filters": {},
        "include_mentions": False,
        "count": "incidents",
        "sort": "newest",
    }
    assert data["notices"] == [] and data["suggestion"] is None
    assert (data["reports"], data["incidents"]) == (6, 6)


def test_a_result_is_the_article_record_with_score_and_highlights(get_json, corpus):
    data = get_json(URL, {"q": "police casino"})
    assert titles(data) == {"Casino raided in Poipet"}
    (record,) = data["results"]
    assert record["id"] == corpus["casino"].pk
    assert record["url"] == f"http://testserver/articles/{corpus['casino'].pk}/"
    assert record["source"]["slug"] == "vod-test" and record["published_date"] == "2021-05-03"
    assert [tag["code"] for tag in record["countries"]] == ["KH"]
    assert "body" not in record and "raw_text" not in record
    assert record["score"] > 0
    assert record["highlighted_title"] == "<mark>Casino</mark> raided in Poipet"
    assert any("<mark>casino</mark>" in passage for passage in record["highlights"])


def test_highlights_escape_hostile_text_and_mark_only_matches(get_json, corpus):
    data = get_json(URL, {"q": "casino owner"})
    hostile = next(r for r in data["results"] if r["id"] == corpus["hostile"].pk)
    passages = " ".join(hostile["highlights"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in passages and "<img" not in passages
    assert "<mark>owner</mark>" in passages
    assert hostile["highlighted_title"].startswith("&lt;script&gt;")
    # The plain title stays plain text: escaping is for the highlight strings only.
    assert hostile["title"] == "<script>alert('title')</script> Casino report"


def test_several_values_of_a_facet_widen_and_facets_narrow(get_json, corpus):
    assert get_json(URL, {"country": ["KH", "TH"]})["total"] == 5
    assert get_json(URL, {"country": "KH"})["total"] == 4
    both = get_json(URL, {"country": ["KH", "TH"], "crime_type": "gambling"})
    assert titles(both) == {
        "Casino raided in Poipet",
        "Online betting ring broken up",
        "<script>alert('title')</script> Casino report",
    }  # gambling includes online gambling


def test_facets_give_url_values_and_labels_counted_without_their_own_selection(get_json, corpus):
    data = get_json(URL, {"country": "KH", "crime_type": "kidnapping"})
    assert data["facets"]["country"] == [
        {"value": "KH", "label": "Cambodia", "count": 1, "selected": True}
    ]
    crimes = {item["value"]: item for item in data["facets"]["crime_type"]}
    gambling = factories.crime_type("Gambling").slug
    kidnapping = factories.crime_type("Kidnapping").slug
    # Gambling counts the online gambling report too, as selecting it finds it.
    assert crimes[gambling]["count"] == 3 and not crimes[gambling]["selected"]
    assert crimes[kidnapping]["count"] == 1 and crimes[kidnapping]["selected"]
    assert counts(data, "source") == {"kt-test": 1}
    assert data["query"]["filters"] == {"country": ["Cambodia"], "crime_type": ["Kidnapping"]}


def test_a_selected_value_without_matches_is_still_listed(get_json, corpus):
    data = get_json(URL, {"country": "TH", "crime_type": "kidnapping"})
    assert data["total"] == 0
    assert {"value": "TH", "label": "Thailand", "count": 0, "selected": True} in (
        data["facets"]["country"]
    )


def test_year_range_and_the_year_facet(get_json, corpus):
    data = get_json(URL, {"year_from": "2022", "year_to": "2022"})
    assert titles(data) == {"Online betting ring broken up", "Crystal meth seized at the border"}
    # The year facet is counted across the range, so the other years stay reachable.
    assert counts(data, "year") == {"2020": 1, "2021": 1, "2022": 2, "2023": 2}
    assert [item["value"] for item in data["facets"]["year"] if item["selected"]] == ["2022"]
    assert data["query"]["filters"] == {"year_from": 2022, "year_to": 2022}
    assert get_json(URL, {"year_from": "2023"})["total"] == 2
    assert get_json(URL, {"year_to": "2021"})["total"] == 2


def test_a_score_is_given_only_when_results_are_ranked_by_it(get_json, corpus):
    ranked = get_json(URL, {"q": "police"})["results"]
    scores = [record["score"] for record in ranked]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert {r["score"] for r in get_json(URL, {"q": "police", "sort": "newest"})["results"]} == {
        None
    }
    assert {r["score"] for r in get_json(URL)["results"]} == {None}


def test_sort_orders(get_json, corpus):
    oldest = [r["year"] for r in get_json(URL, {"sort": "oldest"})["results"]]
    newest = [r["year"] for r in get_json(URL, {"sort": "newest"})["results"]]
    assert oldest == sorted(oldest) and oldest[0] == 2020
    assert newest == sorted(newest, reverse=True) and newest[0] == 2023
    assert get_json(URL, {"q": "police", "sort": "oldest"})["query"]["sort"] == "oldest"
    assert get_json(URL, {"q": "police"})["query"]["sort"] == "relevance"


def test_pages_and_page_size(get_json, corpus):
    first = get_json(URL, {"page_size": "2"})
    assert (first["pages"], first["page_size"], len(first["results"])) == (3, 2, 2)
    assert first["links"]["previous"] is None
    assert query_of(first["links"]["next"]) == {"page": ["2"], "page_size": ["2"]}
    third = get_json(URL, {"page_size": "2", "page": "3"})
    assert len(third["results"]) == 2 and third["links"]["next"] is None
    assert query_of(third["links"]["previous"]) == {"page": ["2"], "page_size": ["2"]}
    seen = [
        r["id"]
        for p in ("1", "2", "3")
        for r in get_json(URL, {"page_size": 2, "page": p})["results"]
    ]
    assert sorted(seen) == sorted(article.pk for article in corpus.values())
    past_the_end = get_json(URL, {"page_size": "2", "page": "4"})
    assert past_the_end["results"] == [] and past_the_end["total"] == 6


def test_mentions_count_only_when_asked(get_json, corpus):
    assert get_json(URL, {"country": "LA"})["total"] == 0
    data = get_json(URL, {"country": "LA", "mentions": "1"})
    assert titles(data) == {"Crystal meth seized at the border"}
    assert data["query"]["include_mentions"] is True
    assert get_json(URL, {"country": "LA", "mentions": "false"})["total"] == 0


def test_query_prefixes_act_as_filters(get_json, corpus):
    data = get_json(URL, {"q": "casino country:KH year:2021"})
    assert titles(data) == {"Casino raided in Poipet"}
    assert data["query"]["query"] == "casino"
    assert data["query"]["filters"] == {"country": ["Cambodia"], "year": ["2021"]}
    assert [item["value"] for item in data["facets"]["country"] if item["selected"]] == ["KH"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "police"},
        {"q": "police", "year_from": "2021"},
        {"country": ["KH", "TH"], "crime_type": "gambling"},
        {"country": "LA", "mentions": "1"},
        {"source": "vod-test", "sort": "oldest"},
        {"q": "sihanoukville", "country": "KH", "year_to": "2022"},
    ],
)
def test_totals_and_facet_counts_equal_the_search_page(client, get_json, corpus, params):
    page = client.get(PAGE_URL, params)
    assert page.status_code == 200
    page_response, taxonomy = page.context["response"], Taxonomy.load()
    data = get_json(URL, params)
    assert data["total"] == page_response.total
    assert [r["id"] for r in data["results"]] == [hit.article_id for hit in page_response.hits]
    for facet in ("country", "ministry", "crime_type", "source"):
        expected = {
            taxonomy.by_id[facet][int(pk)][0]: count
            for pk, count in page_response.facet_counts[facet].items()
        }
        listed = {value: count for value, count in counts(data, facet).items() if count}
        assert listed == expected, facet
    assert counts(data, "year") == page_response.facet_counts["year"]


def test_unknown_facet_values_match_nothing_and_say_so(get_json, corpus):
    data = get_json(URL, {"country": "ZZ"})
    assert data["total"] == 0 and data["results"] == []
    assert data["notices"] == ["No country is called 'ZZ'; nothing can match it."]
    # Beside a known value, the unknown one only adds nothing.
    assert get_json(URL, {"country": ["ZZ", "TH"]})["total"] == 1


def test_a_long_query_is_cut_with_a_notice(get_json, corpus):
    data = get_json(URL, {"q": "casino " * 100})
    assert any("cut to its first 300 characters" in notice for notice in data["notices"])
    assert data["total"] == 2


def test_a_sentence_falls_back_to_any_word_with_a_notice(get_json, corpus):
    data = get_json(URL, {"q": "what did police do about the casino in Poipet last spring"})
    assert data["any_words"] is True and data["match"] == "any"
    assert any(
        notice.startswith("No report has all of: what, did, police") for notice in data["notices"]
    )
    assert data["results"][0]["title"] == "Casino raided in Poipet"


def test_did_you_mean(get_json, corpus):
    assert get_json(URL, {"q": "kidnappng"})["suggestion"] == "kidnapping"
    assert get_json(URL, {"q": "kidnapping"})["suggestion"] is None


def test_links_keep_the_search_and_are_absolute(get_json, corpus):
    params = {"q": "police", "country": ["KH", "TH"], "page_size": "1", "page": "2"}
    links = get_json(URL, params)["links"]
    same = {"q": ["police"], "country": ["KH", "TH"]}
    assert links["self"].startswith("http://testserver" + URL + "?")
    assert query_of(links["self"]) == {**same, "page_size": ["1"], "page": ["2"]}
    assert query_of(links["next"]) == {**same, "page_size": ["1"], "page": ["3"]}
    assert query_of(links["previous"]) == {**same, "page_size": ["1"]}  # page 1 is the default
    for key, path in (
        ("html", PAGE_URL),
        ("export_csv", reverse("search:export", args=["csv"])),
        ("feed", reverse("search:feed")),
    ):
        assert urlsplit(links[key]).path == path and links[key].startswith("http://testserver")
        assert query_of(links[key]) == same, key  # their own paging, not the API's
    assert get_json(URL)["links"]["html"] == "http://testserver/"


def test_links_use_the_public_address_when_set(get_json, corpus, settings):
    settings.PUBLIC_URL = "https://archive.example.org"
    data = get_json(URL, {"q": "casino"})
    assert data["links"]["self"] == "https://archive.example.org/api/v1/search?q=casino"
    assert data["results"][0]["url"].startswith("https://archive.example.org/articles/")


def test_the_html_link_shows_the_same_results(client, get_json, corpus):
    data = get_json(URL, {"crime_type": "gambling", "sort": "oldest"})
    page = client.get(data["links"]["html"])
    assert [a.pk for _h, a in page.context["results"]] == [r["id"] for r in data["results"]]
