"""Related reports on the article page: similar wording, and the same story nearby in time."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from archive.models import Article, TagAssignment
from archive.related import same_story
from search.service.results import similar_articles
from tests import factories

pytestmark = pytest.mark.django_db

DRUG_SEEDS = {"000_43a7de631ad1f64c.txt", "001_86d872f4c4ec0b97.txt", "004_5cd7872b10bccfac.txt"}


@pytest.fixture
def seeds(search_index, seeds_copy):
    call_command("ingest", str(seeds_copy), stdout=StringIO())
    return {article.origin.rsplit("/", 1)[-1]: article for article in Article.objects.all()}


def names(articles) -> list[str]:
    return [article.origin.rsplit("/", 1)[-1] for article in articles]


def test_similar_seeds_are_those_on_the_same_subject(seeds):
    for name in ("001_86d872f4c4ec0b97.txt", "004_5cd7872b10bccfac.txt"):
        similar = names(similar_articles(seeds[name], limit=2))
        assert set(similar) == DRUG_SEEDS - {name}, name
    # The call for a crackdown on scams and trafficking is closest to the Sihanoukville crime one.
    assert names(similar_articles(seeds["003_37046637d82e8e2f.txt"], limit=1)) == [
        "002_9319521ce0b1dd67.txt"
    ]


def test_an_article_is_never_related_to_itself(seeds):
    for article in seeds.values():
        similar = similar_articles(article, limit=10)
        assert article not in similar
        assert len(similar) == len(seeds) - 1


def test_same_story_on_the_seeds_shares_a_subject_country_and_crime_type(seeds):
    assert names(same_story(seeds["000_43a7de631ad1f64c.txt"], limit=5)) == [
        "004_5cd7872b10bccfac.txt"  # Cambodia, drug trafficking
    ]
    assert names(same_story(seeds["003_37046637d82e8e2f.txt"], limit=5)) == [
        "002_9319521ce0b1dd67.txt"  # Cambodia, human trafficking
    ]


def test_same_story_prefers_the_nearest_years_and_ignores_mentions_and_rejections(db):
    kh, th = factories.country("KH"), factories.country("TH")
    gambling, kidnap = factories.crime_type("Gambling"), factories.crime_type("Kidnapping")

    def report(year, country, crime, **tag_fields):
        article = factories.make_article(year=year, published_date=dt.date(year, 6, 1))
        factories.tag(article, country)
        factories.tag(article, crime, **tag_fields)
        return article

    this = report(2020, kh, gambling)
    same_year = report(2020, kh, gambling)
    next_year = report(2021, kh, gambling)
    previous_year = report(2019, kh, gambling)
    report(2023, kh, gambling)  # too far
    report(2020, th, gambling)  # another country
    report(2020, kh, kidnap)  # another crime
    report(2020, kh, gambling, role=TagAssignment.Role.MENTION)  # only mentioned
    report(2020, kh, gambling, status=TagAssignment.Status.REJECTED)  # a curator said no
    found = same_story(this, limit=5)
    assert found[0] == same_year
    assert set(found[1:]) == {next_year, previous_year}
    assert set(same_story(this, limit=5, exclude={same_year.pk})) == {next_year, previous_year}


def test_article_page_lists_both_kinds_of_related_report(client, seeds):
    article = seeds["000_43a7de631ad1f64c.txt"]
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    similar = response.context["similar"]
    assert len(similar) == 4
    # A report already listed as similar is not listed twice.
    assert not set(similar) & set(response.context["same_story"])
    html = response.content.decode()
    assert "Related reports" in html and similar[0].get_absolute_url() in html
    # Its one report of the same story is among the similar ones: the page says so.
    assert response.context["same_story"] == [] and response.context["same_story_all_above"]
    assert "are already listed under “Most similar text”" in html
    assert "No other report shares" not in html


def test_article_page_works_without_the_index(client, seeds, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "gone"
    article = seeds["000_43a7de631ad1f64c.txt"]
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.context["similar"] == []
    assert names(response.context["same_story"]) == ["004_5cd7872b10bccfac.txt"]


def test_raw_text_is_served_verbatim(client, seeds, seeds_copy):
    for name, article in seeds.items():
        response = client.get(f"/articles/{article.pk}/raw.txt")
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == (seeds_copy / name).read_text(encoding="utf-8")
