"""The public list and article pages: filters in the URL, pagination, escaping.

The list is the search page; it answers from the database only while the search index cannot
be read, so the list's own tests run without an index (`no_index`)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from archive.models import TagAssignment
from search.pages.articles import ARTICLES_PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("archive:article_list")


def titles(response):
    return [article.title for article in response.context["object_list"]]


@pytest.fixture(autouse=True)
def no_index(settings, tmp_path):
    """No search index: the list answers from the database."""
    settings.SEARCH_INDEX_DIR = tmp_path / "no-index"


@pytest.fixture
def corpus():
    """Three articles: a Cambodian drug report, a Thai gambling one, and one mentioning Laos."""
    meth = factories.make_article(title="Meth haul", year=2019, source=factories.make_source("A"))
    casino = factories.make_article(
        title="Casino raid", year=2022, source=factories.make_source("B")
    )
    mention = factories.make_article(title="Border talks", year=2021)
    factories.tag(meth, factories.country("KH"))
    factories.tag(meth, factories.crime_type("Methamphetamine trafficking"))
    factories.tag(meth, factories.ministry("National Authority for Combating Drugs"))
    factories.tag(casino, factories.country("TH"))
    factories.tag(casino, factories.crime_type("Online gambling"))
    factories.tag(mention, factories.country("LA"), role=TagAssignment.Role.MENTION)
    return {"meth": meth, "casino": casino, "mention": mention}


def test_list_shows_everything_newest_first(client, corpus):
    assert titles(client.get(LIST)) == ["Casino raid", "Border talks", "Meth haul"]


def test_several_countries_widen_the_list(client, corpus):
    response = client.get(LIST, {"country": ["KH", "TH"]})
    assert sorted(titles(response)) == ["Casino raid", "Meth haul"]


def test_different_filters_narrow_it(client, corpus):
    assert titles(client.get(LIST, {"country": "KH", "crime_type": "online-gambling"})) == []


def test_a_parent_crime_type_includes_the_ones_below_it(client, corpus):
    assert titles(client.get(LIST, {"crime_type": "drug-offences"})) == ["Meth haul"]


def test_ministry_source_and_year_range_filters(client, corpus):
    ministry = factories.ministry("National Authority for Combating Drugs")
    assert titles(client.get(LIST, {"ministry": ministry.slug})) == ["Meth haul"]
    assert titles(client.get(LIST, {"source": "b"})) == ["Casino raid"]
    assert titles(client.get(LIST, {"year_from": 2020, "year_to": 2021})) == ["Border talks"]


def test_mentions_count_only_when_asked(client, corpus):
    assert titles(client.get(LIST, {"country": "LA"})) == []
    assert titles(client.get(LIST, {"country": "LA", "mentions": "true"})) == ["Border talks"]


def test_rejected_tags_do_not_match(client, corpus):
    corpus["meth"].country_tags.update(status=TagAssignment.Status.REJECTED)
    assert titles(client.get(LIST, {"country": "KH"})) == []


def test_sort_orders(client, corpus):
    assert titles(client.get(LIST, {"sort": "oldest"})) == [
        "Meth haul",
        "Border talks",
        "Casino raid",
    ]


def test_unknown_filter_values_give_an_empty_list_with_an_explanation(client, corpus):
    response = client.get(LIST, {"country": "ZZ", "year_from": "soon"})
    assert response.status_code == 200
    assert titles(response) == []
    assert "Some filters could not be used" in response.content.decode()


def test_the_fallback_takes_the_search_page_s_years_and_says_words_wait(client, corpus):
    response = client.get(LIST, {"year": ["2019", "2022"], "q": "meth"})
    assert sorted(titles(response)) == ["Casino raid", "Meth haul"]
    assert "The words “meth” cannot be searched until the rebuild ends" in (
        response.content.decode()
    )


def test_the_fallback_says_why_and_shows_removable_filters_without_counts(client, corpus):
    response = client.get(LIST, {"country": ["KH", "TH"], "year_from": "2019"})
    page = response.content.decode()
    assert "Search is being rebuilt, so this list comes straight from the database" in page
    labels = [active.label for active in response.context["active_filters"]]
    assert labels == ["Country: Cambodia", "Country: Thailand", "From year: 2019"]
    assert response.context["active_filters"][0].remove_url == "?country=TH&year_from=2019"
    assert 'type="checkbox"' not in page  # no panel of counted options to disagree with


def test_with_an_index_the_list_is_the_search_page(client, corpus, search_index):
    from search.index.sync import apply_pending

    apply_pending()
    response = client.get(LIST, {"crime_type": "drug-offences", "sort": "oldest", "page": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/?crime_type=drug-offences&sort=oldest&page=1"
    followed = client.get(response["Location"])
    assert [article.title for _h, article in followed.context["results"]] == ["Meth haul"]
    exported = client.get(reverse("search:export_list", args=["csv"]), {"country": "KH"})
    assert exported.status_code == 302 and exported["Location"] == "/export.csv?country=KH"


def test_pagination_keeps_the_filters(client):
    for _ in range(ARTICLES_PER_PAGE + 1):
        factories.make_article(year=2020)
    response = client.get(LIST, {"year_from": 2020})
    content = response.content.decode()
    assert len(response.context["object_list"]) == ARTICLES_PER_PAGE
    assert 'href="?year_from=2020&amp;page=2"' in content
    assert len(client.get(LIST, {"year_from": 2020, "page": 2}).context["object_list"]) == 1


def test_article_page_shows_metadata_tags_and_text(client, corpus):
    article = corpus["meth"]
    article.url = "https://example.org/meth"
    article.save()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Meth haul" in content
    assert "Methamphetamine trafficking" in content
    assert "National Authority for Combating Drugs" in content
    assert 'href="https://example.org/meth"' in content
    assert "Show the text exactly as received" in content


def test_article_text_is_escaped(client):
    article = factories.make_article(
        title="<script>alert(1)</script>", body='<img src=x onerror="alert(2)">'
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;" in content


def test_missing_article_is_a_404(client):
    response = client.get(reverse("archive:article_detail", args=[999999]))
    assert response.status_code == 404


def test_the_list_shows_subject_tags_and_the_article_page_all(client, corpus):
    list_page = client.get(LIST).content.decode()
    assert ">Cambodia</a>" in list_page
    assert ">Laos</a>" not in list_page  # only mentioned
    assert ">Laos</a>" in client.get(corpus["mention"].get_absolute_url()).content.decode()


def test_a_paragraph_in_another_language_than_the_report_s_carries_its_own_lang(client):
    khmer = "ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យបីនាក់ នៅខេត្តកំពត កាលពីយប់មិញ។"
    english = "The district police chief said the three men sold drugs near a school."
    article = factories.make_article(
        body=f"{khmer}\n\n{english}\n\n{khmer}",
        language="km",
        paragraph_languages=[{"paragraph": 1, "language": "en"}],
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<div class="body" dir="auto" lang="km">' in content
    assert f'<p lang="en" dir="auto">{english}</p>' in content
    assert content.count(f"<p>{khmer}</p>") == 2


def test_the_article_page_lists_the_people_named_with_their_other_forms_and_a_search(client):
    article = factories.make_article(
        title="ស ខេង ជំរុញការបង្ក្រាបគ្រឿងញៀន",
        body="ឧបនាយករដ្ឋមន្ត្រី ស ខេង បានថ្លែងថា ... The statement quoted Hun Sen.",
        language="km",
    )
    response = client.get(article.get_absolute_url())
    people = [(person.name.text, link) for person, link in response.context["people"]]
    search = reverse("search:search")
    assert people == [
        ("ស ខេង", search + "?" + urlencode({"q": "ស ខេង"})),
        ("Hun Sen", search + "?" + urlencode({"q": "Hun Sen"})),
    ]
    content = response.content.decode()
    link = escape(search + "?" + urlencode({"q": "ស ខេង"}))
    assert f'<a class="chip" href="{link}" lang="km"' in content
    assert (
        'also written <span lang="en">Sar Kheng</span>, <span lang="en">Sor Kheng</span>' in content
    )
    assert '<span lang="zh">洪森</span>' in content
    unnamed = factories.make_article(title="Casino raid", body="Police raided a casino.")
    assert "People named" not in client.get(unnamed.get_absolute_url()).content.decode()
