"""The article admin: public names in filters, counts that say what they count, index search."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.admin.filters import DistinctValuesFilter, public_counts
from archive.models import CrimeType, TagAssignment
from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:archive_article_changelist")


def listed(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {article.title for article in response.context["cl"].result_list}


@pytest.fixture
def tagged(search_index):
    """A casino report (Cambodia, online gambling), a Thai report only mentioning gambling, an
    environmental one tagged with a narrower type."""
    casino = factories.make_article(title="Casino raided", body="Police raided a casino.")
    factories.tag(casino, factories.country("KH"))
    factories.tag(casino, factories.crime_type("Online gambling"))
    mention = factories.make_article(title="Thai report", body="Gambling was mentioned.")
    factories.tag(mention, factories.country("TH"))
    factories.tag(mention, factories.crime_type("Gambling"), role=TagAssignment.Role.MENTION)
    environment = CrimeType.objects.get(name="Environmental crime")
    narrower = environment.children.first()
    logging = factories.make_article(title="Logging crackdown", body="Rosewood was seized.")
    factories.tag(logging, narrower)
    apply_pending()
    return {"casino": casino, "mention": mention, "logging": logging, "narrower": narrower}


def test_filters_take_the_public_codes_slugs_and_names(admin_client, tagged):
    assert listed(admin_client.get(CHANGELIST, {"country": "KH"})) == {"Casino raided"}
    assert listed(admin_client.get(CHANGELIST, {"country": "Cambodia"})) == {"Casino raided"}
    # A broad crime type includes the types below it, as the public search does; the admin
    # counts mentions too, so the Thai report is there.
    assert listed(admin_client.get(CHANGELIST, {"crime_type": "gambling"})) == {
        "Casino raided",
        "Thai report",
    }
    assert listed(admin_client.get(CHANGELIST, {"crime_type": "environmental-crime"})) == {
        "Logging crackdown"
    }


def test_an_unknown_filter_value_lists_nothing_and_says_why(admin_client, tagged):
    response = admin_client.get(CHANGELIST, {"country": "ZZ"})
    assert listed(response) == set()
    assert response.content.decode().count("No country is called &#x27;ZZ&#x27;") == 1


def test_each_count_says_what_it_counts_beside_the_public_count(admin_client, tagged):
    page = admin_client.get(CHANGELIST).content.decode()
    assert "crime type, with the types below it (count: any tag · public: subject tags)" in page
    # Gambling: two articles hold a live tag on it or below it; one is about it.
    assert "Gambling · 1 public (2)" in page
    environment = CrimeType.objects.get(name="Environmental crime")
    assert public_counts("crime_type")[environment.pk] == 1
    assert "Environmental crime · 1 public (1)" in page


def test_the_taxonomy_lists_label_their_counts(admin_client, tagged):
    response = admin_client.get(reverse("admin:archive_crimetype_changelist"))
    page = response.content.decode()
    assert "rticles (any live tag)" in page and "ublic count (subject tags)" in page
    environment = CrimeType.objects.get(name="Environmental crime")
    model_admin = response.context["cl"].model_admin
    # The broad type counts the narrower type's article, in both columns.
    assert model_admin.article_count(environment) == model_admin.public_count(environment) == 1


def test_the_search_box_asks_the_search_index(admin_client, tagged):
    # "raids" finds "raided" through the index's stemming, which a text scan would not.
    assert listed(admin_client.get(CHANGELIST, {"q": "raids casino"})) == {"Casino raided"}
    assert listed(admin_client.get(CHANGELIST, {"q": '"police raided"'})) == {"Casino raided"}
    assert listed(admin_client.get(CHANGELIST, {"q": "rosewood", "country": "KH"})) == set()


def test_a_search_with_many_matches_lists_the_best_and_says_how_many(
    admin_client, search_index, monkeypatch
):
    monkeypatch.setattr("archive.admin.filters.ADMIN_SEARCH_LIMIT", 3)
    for number in range(5):
        factories.make_article(title=f"Raid {number}", body="casino " * (number + 1))
    apply_pending()
    response = admin_client.get(CHANGELIST, {"q": "casino"})
    assert listed(response) == {"Raid 4", "Raid 3", "Raid 2"}
    assert "5 articles match &#x27;casino&#x27;; the 3 that match it best are listed" in (
        response.content.decode()
    )


def test_a_search_counts_beside_the_filters_only_when_asked(admin_client, tagged):
    """The counts would be of the best matches listed, and cost as much as the search: a
    search shows them under Show counts; the list without a search always does."""
    searched = admin_client.get(CHANGELIST, {"q": "casino"}).content.decode()
    assert "Gambling · 1 public (" not in searched and "Show counts" in searched
    asked = admin_client.get(CHANGELIST, {"q": "casino", "_facets": "True"}).content.decode()
    assert "Gambling · 1 public (1)" in asked and "Hide counts" in asked
    assert "Gambling · 1 public (2)" in admin_client.get(CHANGELIST).content.decode()


def test_the_year_and_language_filters_list_each_value_once(admin_client, tagged):
    factories.make_article(title="Undated", body="Police raided a bar.", year=None)
    factories.make_article(title="Khmer", body="ប៉ូលិស", language="km", year=2019)
    response = admin_client.get(CHANGELIST)
    specs = {
        spec.field_path: spec
        for spec in response.context["cl"].filter_specs
        if isinstance(spec, DistinctValuesFilter)
    }
    years = list(specs["year"].lookup_choices)
    assert years == [*sorted({*years} - {None}), None] and 2019 in years
    assert list(specs["language"].lookup_choices) == ["en", "km"]
    assert listed(admin_client.get(CHANGELIST, {"language": "km"})) == {"Khmer"}
    undated = listed(admin_client.get(CHANGELIST, {"year__isnull": "True"}))
    assert "Undated" in undated and "Khmer" not in undated


def test_without_an_index_the_search_falls_back_to_titles_and_says_so(
    admin_client, settings, tmp_path
):
    settings.SEARCH_INDEX_DIR = tmp_path / "none"
    factories.make_article(title="Casino raided")
    response = admin_client.get(CHANGELIST, {"q": "casino"})
    assert listed(response) == {"Casino raided"}
    assert "only titles were searched" in response.content.decode()


KEYS = [
    "country",
    "ministry",
    "crime_type",
    "proposed",
    "year",
    "source",
    "review_status",
    "language",
    "import_batch",
    "title_derived",
    "q",
    "o",
    "p",
    "e",
    "published_date__year",
    "published_date__month",
    "all",
    "_facets",
]
VALUES = st.one_of(
    st.sampled_from(["KH", "gambling", "1", "0", "-1", "", "abc", "9" * 30, "null", "yes"]),
    st.text(max_size=12),
)


# One admin session for every example: the list only reads.
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=4))
def test_no_query_string_makes_the_article_lists_fail(admin_client, tagged, pairs):
    for page in (CHANGELIST, reverse("admin:archive_reviewitem_changelist")):
        response = admin_client.get(f"{page}?{urlencode(pairs)}")
        assert response.status_code in (200, 302), (page, pairs, response.status_code)
