"""The search page on a small corpus: query language, facets, highlights, state in the URL."""

import pytest
from django.urls import reverse

from archive.models import Article
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def search(client, **params):
    response = client.get(URL, params, follow=True)  # typed filters redirect to ticked ones
    assert response.status_code == 200, response.content[:500]
    return response


def found(response) -> set[str]:
    return {article.title for _hit, article in response.context["results"]}


def test_an_empty_query_browses_everything_newest_first(client, corpus):
    response = search(client)
    titles = [article.title for _h, article in response.context["results"]]
    assert len(titles) == 6
    assert titles[0] in {"Kidnapping gang arrested", "Lottery sellers fined"}
    assert titles[-1].endswith("Casino report")  # 2020


def test_all_words_must_match(client, corpus):
    assert found(search(client, q="police casino")) == {"Casino raided in Poipet"}


def test_stemming_finds_other_word_forms(client, corpus):
    assert "Kidnapping gang arrested" in found(search(client, q="kidnap"))
    assert "Casino raided in Poipet" in found(search(client, q="raid"))


def test_phrases(client, corpus):
    assert found(search(client, q='"crystal meth"')) == {"Crystal meth seized at the border"}
    assert found(search(client, q='"meth crystal"')) == set()


def test_or_and_not(client, corpus):
    assert found(search(client, q="lottery OR kidnapping")) == {
        "Lottery sellers fined",
        "Kidnapping gang arrested",
    }
    without = found(search(client, q="police NOT casino"))
    assert "Casino raided in Poipet" not in without and "Kidnapping gang arrested" in without
    assert found(search(client, q="police -casino")) == without


def test_field_prefixes(client, corpus):
    assert found(search(client, q="title:casino")) == {
        "Casino raided in Poipet",
        "<script>alert('title')</script> Casino report",
    }
    assert found(search(client, q="country:TH")) == {"Crystal meth seized at the border"}
    assert found(search(client, q="crime:kidnapping police")) == {"Kidnapping gang arrested"}
    assert found(search(client, q="year:2023")) == {
        "Kidnapping gang arrested",
        "Lottery sellers fined",
    }


def test_a_pasted_sentence_falls_back_to_any_words_and_says_so(client, corpus):
    response = search(client, q="what did police do about the casino in Poipet last spring")
    assert response.context["response"].any_words
    heading = response.content.decode().split('id="results-heading"')[1].split("</h1>")[0]
    assert "No report has all of: what, did, police, do, about, casino, Poipet, last, spring." in (
        " ".join(heading.split())
    )
    first = response.context["results"][0][1]
    assert first.title == "Casino raided in Poipet"


def test_did_you_mean(client, corpus):
    response = search(client, q="kidnappng")
    assert response.context["response"].suggestion == "kidnapping"
    assert "Did you mean" in response.content.decode()


def test_no_suggestion_when_the_misspelling_finds_what_the_word_would(client, corpus):
    # "kidnaping" stems like "kidnapping": the same report, so nothing better to offer.
    response = search(client, q="kidnaping")
    assert response.context["response"].total == 1
    assert response.context["response"].suggestion == ""


def test_multi_select_widens_within_a_facet_and_narrows_across(client, corpus):
    kh_or_th = found(search(client, country=["KH", "TH"]))
    assert len(kh_or_th) == 5
    both = found(search(client, country=["KH", "TH"], crime_type="gambling"))
    assert both == {
        "Casino raided in Poipet",
        "Online betting ring broken up",
        "<script>alert('title')</script> Casino report",
    }  # gambling includes online


def test_each_facet_is_counted_without_its_own_selection(client, corpus):
    response = search(client, country="KH", crime_type="kidnapping")
    counts = response.context["response"].facet_counts
    kh = str(factories.country("KH").pk)
    th = str(factories.country("TH").pk)
    kidnapping = str(factories.crime_type("Kidnapping").pk)
    gambling = str(factories.crime_type("Gambling").pk)
    # Countries counted within kidnapping reports only; crime types within Cambodia only.
    assert counts["country"] == {kh: 1}
    # Gambling counts the online gambling report too, as ticking it finds it.
    assert counts["crime_type"][gambling] == 3 and counts["crime_type"][kidnapping] == 1
    assert th not in counts["country"]


def test_each_crime_type_count_is_what_ticking_it_finds(client, corpus):
    """A broad type's count covers the types below it, each report once."""
    for params in ({}, {"country": "KH"}, {"q": "police"}):
        response = search(client, **params)
        for option in response.context["facets"][1].options:
            assert response.context["facets"][1].key == "crime_type"
            ticked = search(client, **params, crime_type=option.value)
            assert ticked.context["response"].total == option.count, (params, option.label)


def test_facet_counts_agree_with_the_database(client, corpus):
    response = search(client, q="police", year_from=2021)
    counts = response.context["response"].facet_counts
    matched = Article.objects.filter(pk__in=[a.pk for _h, a in response.context["results"]])
    for country in factories.country("KH"), factories.country("TH"):
        expected = matched.tagged("country", [country.pk]).count()
        assert counts["country"].get(str(country.pk), 0) == expected
    for year in (2021, 2022, 2023):
        assert counts["year"].get(str(year), 0) == matched.filter(year=year).count()


def test_mentions_count_only_when_asked(client, corpus):
    assert found(search(client, country="LA")) == set()
    assert found(search(client, country="LA", mentions="1")) == {
        "Crystal meth seized at the border"
    }


def test_year_range_and_histogram(client, corpus):
    response = search(client, year_from=2022, year_to=2022)
    assert found(response) == {"Online betting ring broken up", "Crystal meth seized at the border"}
    bars = {bar.year: bar.count for bar in response.context["years"]}
    assert bars == {2020: 1, 2021: 1, 2022: 2, 2023: 2}  # the year facet ignores its own range
    assert any(bar.selected for bar in response.context["years"] if bar.year == 2022)


def test_highlights_mark_words_and_escape_hostile_text(client, corpus):
    content = search(client, q="casino owner").content.decode()
    assert "<mark>casino</mark>" in content.lower()
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in content


def test_sorting(client, corpus):
    oldest = [a.year for _h, a in search(client, sort="oldest").context["results"]]
    newest = [a.year for _h, a in search(client, sort="newest").context["results"]]
    assert oldest == sorted(oldest) and newest == sorted(newest, reverse=True)


def test_pagination_and_its_cap(client, corpus, settings):
    from search.service import url_state

    settings_page_size = url_state.PAGE_SIZE
    try:
        url_state.PAGE_SIZE = 2
        first = search(client)
        assert len(first.context["results"]) == 2 and first.context["pages"] == 3
        assert "page=2" in first.context["next_url"]
        third = search(client, page=3)
        assert len(third.context["results"]) == 2 and not third.context["next_url"]
        deep = search(client, page=10_000)
        assert "Results stop at page" in deep.content.decode()
    finally:
        url_state.PAGE_SIZE = settings_page_size


def test_every_piece_of_state_is_in_the_links(client, corpus):
    response = search(client, q="police", country="KH", sort="newest")
    groups = {group.key: group for group in response.context["facets"]}
    kh = next(o for o in groups["country"].options if o.value == "KH")
    assert kh.selected and "country=KH" not in kh.toggle_url and "q=police" in kh.toggle_url
    crime = groups["crime_type"].options[0]
    assert "country=KH" in crime.toggle_url and "sort=newest" in crime.toggle_url
    chip = response.context["chips"][0]
    assert chip.label == "Country: Cambodia" and "country" not in chip.remove_url


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "AND OR NOT",
        "(((",
        ")",
        "casino AND",
        "*asino",
        "title:",
        ":::",
        "country:",
        "NOT",
        "-",
        '""',
        "a" * 5000,
        "<script>alert(1)</script>",
        "year:abc",
        "casino^5",
        "title:(casino OR",
        "\x00null",
        "🙂 casino",
    ],
)
def test_malformed_and_odd_queries_never_fail(client, corpus, query):
    response = client.get(URL, {"q": query}, follow=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_unknown_facet_values_give_empty_results_with_an_explanation(client, corpus):
    response = search(client, country="ZZ", year_from="soon")
    assert found(response) == set()
    content = response.content.decode()
    assert "No country is called" in content and "is not a year" in content


def test_a_missing_index_answers_503_with_an_explanation(client, settings, tmp_path, db):
    factories.make_article()
    settings.SEARCH_INDEX_DIR = tmp_path / "broken"
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "current").symlink_to("gen-missing")
    response = client.get(URL)
    assert response.status_code == 503
    assert "Search is being rebuilt" in response.content.decode()


def test_a_taxonomy_change_in_any_process_reaches_the_next_search(corpus, client):
    """The taxonomy is kept between requests; an edit, an addition or a deletion is seen by the
    very next page, since the stamp compared on each request changes with each of them."""
    from archive.models import Country
    from search.service.taxonomy_names import Taxonomy

    assert Taxonomy.current() is Taxonomy.current()  # kept, not loaded again
    cambodia = Country.objects.get(code="KH")
    cambodia.name = "Kampuchea"
    cambodia.save()  # as the admin saves it
    assert Taxonomy.current().by_id["country"][cambodia.pk] == ("KH", "Kampuchea")
    facets = client.get("/", {"q": "casino"}).context["facets"]
    countries = next(group for group in facets if group.key == "country")
    assert "Kampuchea" in [option.label for option in countries.options]
    Country.objects.create(code="ZZ", name="Zedland")
    assert Taxonomy.current().by_value["country"]["ZZ"]
    Country.objects.filter(code="ZZ").delete()
    assert "ZZ" not in Taxonomy.current().by_value["country"]
