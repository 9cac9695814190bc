"""The naive facet counts (one Whoosh groupedby search per facet) equal our backend's, so the
benchmark compares two ways of counting the same thing."""

import datetime as dt
import random
from dataclasses import replace

import pytest
from whoosh import index

from archive.models import Ministry, Source, TagAssignment
from bench.mix import MixEntry
from bench.naive_facets import compare_facets, naive_counts
from search.backends.base import SearchRequest
from search.index.documents import article_document, articles_for_indexing
from tests import factories

WORDS = ("casino", "border", "raid", "gang", "heroin", "ferry", "harbour", "truck", "market")


@pytest.fixture
def archive(search_index, db):
    """Return the backend over thirty reports with several countries and crime types each,
    mentions, a rejected tag, years (some unknown) and sources, indexed."""
    rng = random.Random(11)
    sources = [factories.make_source("VOD Test"), factories.make_source("KT Test"), None]
    countries = [factories.country(code) for code in ("KH", "TH", "VN", "LA", "MM")]
    crimes = [
        factories.crime_type(name)
        for name in ("Gambling", "Online gambling", "Kidnapping", "Methamphetamine trafficking")
    ]
    ministries = list(Ministry.objects.filter(country__code="KH").order_by("pk")[:2])
    for number in range(30):
        year = None if number % 8 == 0 else 2015 + number % 9
        article = factories.make_article(
            title=f"{rng.choice(WORDS).title()} report",
            body=" ".join(rng.sample(WORDS, 4)),
            year=year,
            published_date=dt.date(year, 3, 1 + number) if year and number % 3 else None,
            source=sources[number % 3],
        )
        chosen = rng.sample(countries, 3)
        for target in chosen[: rng.randint(1, 2)]:
            factories.tag(article, target)
        if number % 3 == 0:
            factories.tag(article, chosen[2], role=TagAssignment.Role.MENTION)
        for target in rng.sample(crimes, rng.randint(1, 3)):
            factories.tag(article, target, status=rng.choice(list(TagAssignment.Status)))
        if number % 4 == 0:
            factories.tag(article, rng.choice(ministries))
    search_index.rebuild(
        (article_document(article) for article in articles_for_indexing()), last_change=0
    )
    return search_index


@pytest.fixture
def searcher(archive):
    with index.open_dir(str(archive.root / "current"), readonly=True).searcher() as searcher:
        yield searcher


def requests() -> list[SearchRequest]:
    kh, th, vn, la = (str(factories.country(code).pk) for code in ("KH", "TH", "VN", "LA"))
    sources = tuple(str(s.pk) for s in Source.objects.filter(slug__in=["vod-test", "kt-test"]))
    gambling, online = (
        str(factories.crime_type(name).pk) for name in ("Gambling", "Online gambling")
    )
    return [
        SearchRequest(),
        SearchRequest(query="casino"),
        SearchRequest(query="casino -border"),
        SearchRequest(query="casino zeppelin"),  # no article has both: any word counts
        SearchRequest(selected={"country": (kh,)}),
        SearchRequest(selected={"country": (kh, th)}),
        SearchRequest(query="raid", selected={"country": (kh, vn), "crime_type": (gambling,)}),
        SearchRequest(selected={"crime_type": (gambling, online), "country": (th,)}),
        SearchRequest(year_from=2017, year_to=2020),
        SearchRequest(query="gang", year_to=2018),
        SearchRequest(selected={"year": ("2016", "2022")}, year_from=2018),
        SearchRequest(selected={"country": (la,)}, include_mentions=True),
        SearchRequest(selected={"country": (la, vn), "crime_type": (online,)}, year_from=2016),
        SearchRequest(selected={"source": sources}, query="market"),
        SearchRequest(selected={"country": ("-1",)}),
    ]


def test_naive_counts_equal_the_backends(archive, searcher):
    for request in requests():
        ours = archive.search(replace(request, page_size=0), texts_of=dict)
        assert naive_counts(searcher, request) == ours.facet_counts, request


def test_the_counts_compared_are_not_trivial(archive, searcher):
    counts = naive_counts(searcher, SearchRequest(selected={"country": ("-1",)}))
    assert sum(counts["country"].values()) > 30  # several countries an article, all counted
    assert counts["ministry"] == {}  # nothing matches the unknown country
    everything = naive_counts(searcher, SearchRequest())
    assert len(everything["year"]) == 9 and len(everything["crime_type"]) == 4
    mentions = naive_counts(searcher, SearchRequest(include_mentions=True))
    assert sum(mentions["country"].values()) > sum(everything["country"].values())


def test_compare_facets_times_the_broad_entries_and_checks_they_agree(archive):
    mix = [
        MixEntry(kind, request, f"/?entry={number}")
        for number, (kind, request) in enumerate(
            zip(
                ["browse facets", "common word", "multi-select", "year range", "mid word"],
                [requests()[i] for i in (4, 1, 5, 8, 2)],
                strict=True,
            )
        )
    ]
    report = compare_facets(mix, archive, archive.root, runs=2)
    assert report["entries"] == 4  # the mid-word entry is not broad
    assert report["identical"] == 4 and report["mismatches"] == []
    assert report["ours_median_ms"] > 0 and report["naive_median_ms"] > 0
    assert report["ratio_of_medians"] > 0 and report["ratio_first_run"] > 0
    assert set(report["kinds"]) == {"browse facets", "common word", "multi-select", "year range"}
    assert [row["path"] for row in report["per_entry"]] == [f"/?entry={n}" for n in range(4)]
