"""GET /api/v1/articles/<id>, the taxonomy lists and the index."""

import datetime as dt

import pytest
from django.urls import reverse

from archive.models import Origin, TagAssignment
from tests import factories

pytestmark = pytest.mark.django_db

RAW = "  Phnom Penh Post\n\nPolice seized 12 kg of heroin.\r\nAdvertisement\t \n"


@pytest.fixture
def tagged_article():
    article = factories.make_article(
        title="Heroin seized in Phnom Penh",
        body="Police seized 12 kg of heroin.",
        raw_text=RAW,
        year=2022,
        published_date=dt.date(2022, 3, 4),
        authors="Sok Chea, Jane Doe",
        url="https://news.example.org/heroin",
        source=factories.make_source("Phnom Penh Post"),
    )
    factories.tag(
        article,
        factories.country("KH"),
        origin=Origin.CURATOR,
        status=TagAssignment.Status.CONFIRMED,
        confidence=1.0,
    )
    factories.tag(article, factories.country("TH"), status=TagAssignment.Status.REJECTED)
    factories.tag(article, factories.crime_type("Kidnapping"), status=TagAssignment.Status.REJECTED)
    factories.tag(article, factories.ministry("Ministry of Interior"), confidence=0.6166)
    factories.tag(article, factories.country("LA"), role=TagAssignment.Role.MENTION, confidence=0.4)
    return article


def article_url(article) -> str:
    return reverse("search:api_article", args=[article.pk])


def test_an_article_has_its_tags_with_provenance(get_json, tagged_article):
    data = get_json(article_url(tagged_article))
    assert data["countries"] == [
        {
            "id": factories.country("KH").pk,
            "name": "Cambodia",
            "code": "KH",
            "role": "subject",
            "status": "confirmed",
            "origin": "curator",
            "confidence": 1.0,
        },
        {
            "id": factories.country("LA").pk,
            "name": "Laos",
            "code": "LA",
            "role": "mention",
            "status": "proposed",
            "origin": "tagger",
            "confidence": 0.4,
        },
    ]
    (ministry,) = data["ministries"]
    assert ministry["slug"] == factories.ministry("Ministry of Interior").slug
    assert (ministry["status"], ministry["confidence"]) == ("proposed", 0.617)


def test_rejected_tags_are_left_out(get_json, tagged_article):
    data = get_json(article_url(tagged_article))
    assert "TH" not in {tag["code"] for tag in data["countries"]}
    assert data["crime_types"] == []


def test_an_article_has_both_texts_verbatim(get_json, tagged_article):
    data = get_json(article_url(tagged_article))
    assert data["raw_text"] == RAW
    assert data["body"] == "Police seized 12 kg of heroin."
    assert (data["title"], data["published_date"], data["year"]) == (
        "Heroin seized in Phnom Penh",
        "2022-03-04",
        2022,
    )
    assert data["authors"] == ["Sok Chea", "Jane Doe"]
    assert data["original_url"] == "https://news.example.org/heroin"


def test_an_article_has_its_citations_and_links(get_json, tagged_article):
    data = get_json(article_url(tagged_article))
    permanent = f"http://testserver/articles/{tagged_article.pk}/"
    today = dt.date.today()
    citations = data["citations"]
    assert citations["text"].startswith("Chea, S., & Doe, J. (2022, March 4). Heroin seized in")
    assert f"Archived in Enforcement Reports Archive: {permanent}" in citations["text"]
    assert f"accessed {today.day} " in citations["text"]
    assert citations["bibtex"].startswith("@article{phnompenhpost2022heroin-")
    assert f"urldate = {{{today.isoformat()}}}" in citations["bibtex"]
    assert citations["ris"].startswith("TY  - NEWS\nTI  - Heroin seized in Phnom Penh\n")
    assert "KW  - Cambodia" in citations["ris"] and "KW  - Thailand" not in citations["ris"]
    assert data["links"] == {
        "self": f"http://testserver/api/v1/articles/{tagged_article.pk}",
        "html": permanent,
    }


def test_a_list_has_every_entry_with_its_fields(get_json, db):
    countries = get_json(reverse("search:api_taxonomy", args=["countries"]))
    assert (countries["list"], countries["parameter"]) == ("countries", "country")
    assert countries["count"] == len(countries["results"]) > 5
    kh = next(entry for entry in countries["results"] if entry["code"] == "KH")
    assert kh["name"] == "Cambodia" and "Kingdom of Cambodia" in kh["aliases"]
    assert kh["links"] == {
        "search": "http://testserver/api/v1/search?country=KH",
        "html": "http://testserver/?country=KH",
    }
    police = factories.ministry("General Commissariat of National Police")
    ministries = get_json(reverse("search:api_taxonomy", args=["ministries"]))
    entry = next(e for e in ministries["results"] if e["id"] == police.pk)
    assert (entry["slug"], entry["country"], entry["kind"], entry["parent"]) == (
        police.slug,
        "KH",
        "police",
        factories.ministry("Ministry of Interior").slug,
    )
    assert "National Police" in entry["aliases"]
    crimes = get_json(reverse("search:api_taxonomy", args=["crime-types"]))
    online = next(e for e in crimes["results"] if e["name"] == "Online gambling")
    assert online["parent"] == factories.crime_type("Gambling").slug
    assert crimes["parameter"] == "crime_type"


def test_lists_count_articles_with_a_live_subject_tag(get_json, corpus):
    # A rejected tag does not count, nor does a mention.
    factories.tag(corpus["meth"], factories.country("KH"), status=TagAssignment.Status.REJECTED)
    countries = get_json(reverse("search:api_taxonomy", args=["countries"]))
    count = {entry["code"]: entry["article_count"] for entry in countries["results"]}
    assert (count["KH"], count["TH"], count["VN"], count["LA"], count["MM"]) == (4, 1, 1, 0, 0)
    crimes = get_json(reverse("search:api_taxonomy", args=["crime-types"]))
    count = {entry["name"]: entry["article_count"] for entry in crimes["results"]}
    assert (count["Gambling"], count["Online gambling"], count["Kidnapping"]) == (3, 1, 1)
    sources = get_json(reverse("search:api_taxonomy", args=["sources"]))
    count = {entry["slug"]: entry["article_count"] for entry in sources["results"]}
    assert (count["vod-test"], count["kt-test"]) == (2, 2)
    assert set(count.values()) == {0, 2}  # seeded sources without articles


@pytest.mark.parametrize("name", ["countries", "ministries", "crime-types", "sources"])
def test_a_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries, name, db):
    factories.make_source("Test Weekly", country=factories.country("KH"))
    with django_assert_max_num_queries(1):
        assert client.get(reverse("search:api_taxonomy", args=[name])).status_code == 200


def test_the_index_lists_every_endpoint(client, get_json, corpus):
    data = get_json(reverse("search:api_index"))
    assert data["version"] == "v1"
    assert data["openapi"] == "http://testserver/api/v1/openapi.json"
    paths = [endpoint["path"] for endpoint in data["endpoints"]]
    assert paths == [
        "/api/v1/search",
        "/api/v1/articles/{id}",
        "/api/v1/figures",
        "/api/v1/incidents",
        "/api/v1/incidents/{id}",
        "/api/v1/countries",
        "/api/v1/ministries",
        "/api/v1/crime-types",
        "/api/v1/sources",
        "/api/v1/openapi.json",
    ]
    for endpoint in data["endpoints"]:
        assert endpoint["url"] == "http://testserver" + endpoint["path"]
        if "{" not in endpoint["path"]:
            assert client.get(endpoint["url"]).status_code == 200, endpoint["path"]
