"""The FTS5 comparison: a copy of the archive in SQLite FTS5 answers like our search page where
stemming cannot differ, marks its snippets, and takes hostile query text as plain words."""

import datetime as dt
import random
import re
import sqlite3

import pytest

from archive.models import ArticleCountry, ArticleCrimeType, Ministry, Source, TagAssignment
from bench.fts5 import (
    COMPARED_FACETS,
    answer,
    build_database,
    compare,
    connect,
    match_expressions,
    texts_from_db,
)
from bench.mix import MixEntry
from search.backends.base import SearchRequest
from search.index.documents import article_document, articles_for_indexing
from tests import factories

# Words both Porter stemmers take to the same stem, and no stop word in either engine.
WORDS = (
    "casino",
    "border",
    "raid",
    "gang",
    "heroin",
    "ferry",
    "harbour",
    "truck",
    "market",
    "temple",
    "village",
    "court",
    "ledger",
    "tiger",
    "timber",
    "river",
    "passport",
)
HOSTILE = [
    '"',
    '""',
    "'",
    "casino'; DROP TABLE docs; --",
    'casino" OR "border',
    "(casino",
    "casino)",
    "NEAR(casino border)",
    "title:casino",
    "casino*",
    "^casino",
    "casino + border",
    "-",
    "NOT",
    "AND OR NOT",
    '-"',
    "{title body}: casino",
    "\\",
    "%",
    "_",
    "casino\x00border",
    "casino OR 1=1",
]


@pytest.fixture
def archive(search_index, db, tmp_path):
    """Return (backend, connection) over forty reports with subject, mentioned and rejected
    tags, years (some unknown), dates and sources, indexed and copied into FTS5."""
    rng = random.Random(5)
    sources = [factories.make_source("VOD Test"), factories.make_source("KT Test"), None]
    countries = [factories.country(code) for code in ("KH", "TH", "VN", "LA")]
    crimes = [
        factories.crime_type(name)
        for name in ("Gambling", "Online gambling", "Kidnapping", "Methamphetamine trafficking")
    ]
    ministries = list(Ministry.objects.filter(country__code="KH").order_by("pk")[:3])
    for number in range(40):
        words = rng.sample(WORDS, 6)
        year = None if number % 9 == 0 else 2016 + number % 7
        body = (
            f"Police found the {words[2]} near the {words[3]}. The {words[4]} and the "
            f"{words[5]} were searched."
        )
        if number % 4 == 0:
            body += " Officers closed the harbour bridge."
        if number == 7:
            body += " The casino owner wrote <script>alert(1)</script> in the ledger."
        article = factories.make_article(
            title=f"{words[0].title()} {words[1]} report",
            body=body,
            year=year,
            published_date=dt.date(year, 1 + number % 12, 1 + number % 28)
            if year and number % 2
            else None,
            source=sources[number % 3],
        )
        for target in rng.sample(countries[:3], rng.randint(1, 2)):  # Laos is only mentioned
            factories.tag(article, target)
        factories.tag(article, rng.choice([crimes[0], crimes[1], crimes[3]]))
        if number % 3 == 0:
            factories.tag(article, rng.choice(ministries))
        if number % 5 == 0:
            factories.tag(article, countries[3], role=TagAssignment.Role.MENTION)
        if number % 7 == 0:
            factories.tag(article, crimes[2], status=TagAssignment.Status.REJECTED)  # kidnapping
    search_index.rebuild(
        (article_document(article) for article in articles_for_indexing()), last_change=0
    )
    path = tmp_path / "fts5.sqlite3"
    build_database(path)
    connection = connect(path)
    yield search_index, connection
    connection.close()


def ids(code: str) -> str:
    return str(factories.country(code).pk)


def simple_requests() -> list[SearchRequest]:
    gambling = str(factories.crime_type("Gambling").pk)
    online = str(factories.crime_type("Online gambling").pk)
    return [
        SearchRequest(),
        SearchRequest(query="casino"),
        SearchRequest(query="Casino border"),
        SearchRequest(query='"harbour bridge"'),
        SearchRequest(query="timber -river"),
        SearchRequest(query="zeppelin"),
        SearchRequest(selected={"country": (ids("KH"),)}),
        SearchRequest(selected={"country": (ids("KH"), ids("TH"))}, sort="oldest"),
        SearchRequest(query="police", selected={"crime_type": (gambling, online)}),
        SearchRequest(year_from=2018, year_to=2020),
        SearchRequest(query="court", year_from=2019),
        SearchRequest(selected={"year": ("2019", "2021"), "country": (ids("VN"),)}),
        SearchRequest(selected={"country": (ids("LA"),)}, include_mentions=True),
        SearchRequest(selected={"country": (ids("LA"),)}),
        SearchRequest(selected={"source": (str(Source.objects.get(slug="vod-test").pk),)}),
        SearchRequest(query="raid", selected={"country": ("-1",)}),
    ]


def test_totals_and_facet_counts_equal_ours_where_stemming_cannot_differ(archive):
    backend, connection = archive
    requests, found = simple_requests(), 0
    for request in requests:
        ours = backend.search(request, texts_of=texts_from_db)
        theirs = answer(connection, request)
        assert not ours.any_words, request
        assert theirs.total == ours.total, request
        assert theirs.facet_counts == {
            facet: ours.facet_counts.get(facet) for facet in COMPARED_FACETS
        }, request
        found += theirs.total > 0
    # All but "zeppelin", an unknown country and Laos as a subject (it is only mentioned).
    assert found == len(requests) - 3


def test_a_page_holds_the_same_articles_as_ours(archive):
    backend, connection = archive
    for request in simple_requests():
        ours = backend.search(request, texts_of=texts_from_db)
        theirs = answer(connection, request)
        if ours.total <= request.page_size:
            assert {h.article_id for h in theirs.hits} == {h.article_id for h in ours.hits}
        else:
            assert len(theirs.hits) == request.page_size


def test_pages_go_by_date_and_then_on(archive):
    _, connection = archive
    dates = {int(d["id"]): d["sort_date"] for d in map(article_document, articles_for_indexing())}
    first = answer(connection, SearchRequest(page_size=15))
    second = answer(connection, SearchRequest(page_size=15, page=2))
    newest = [dates[hit.article_id] for hit in first.hits + second.hits]
    assert newest == sorted(newest, reverse=True) and len(newest) == 30
    assert not {h.article_id for h in first.hits} & {h.article_id for h in second.hits}
    oldest = [dates[h.article_id] for h in answer(connection, SearchRequest(sort="oldest")).hits]
    assert oldest == sorted(oldest)
    assert answer(connection, SearchRequest(page_size=0)).hits == []


def test_hits_carry_marked_and_escaped_snippets(archive):
    _, connection = archive
    response = answer(connection, SearchRequest(query="casino"))
    assert response.hits
    for hit in response.hits:
        marked = hit.title_html + " ".join(hit.passages_html)
        assert re.search(r"<mark>casino</mark>", marked, re.IGNORECASE), marked
        assert "<script>" not in marked
    assert any("&lt;script&gt;" in " ".join(hit.passages_html) for hit in response.hits)
    assert response.hits == sorted(response.hits, key=lambda hit: -hit.score)


def test_mentions_and_rejected_tags_are_copied_as_the_index_has_them(archive):
    _, connection = archive
    counts = dict(connection.execute("SELECT facet, count(*) FROM tags GROUP BY facet"))
    countries = ArticleCountry.objects.live()
    assert counts["country_all"] == countries.count()
    assert counts["country"] == countries.filter(role=TagAssignment.Role.SUBJECT).count()
    assert counts["country"] < counts["country_all"]
    assert counts["crime_type"] == ArticleCrimeType.objects.live().count()
    assert counts["crime_type"] < ArticleCrimeType.objects.count()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_query_text_is_only_ever_words(archive, text):
    _, connection = archive
    before = connection.execute("SELECT count(*) FROM docs").fetchone()[0]
    for request in (SearchRequest(query=text), SearchRequest(query=text, sort="newest")):
        response = answer(connection, request)
        assert response.total >= 0
    assert connection.execute("SELECT count(*) FROM docs").fetchone()[0] == before
    for expression in match_expressions(text):
        if expression is not None:
            assert re.fullmatch(
                r'"[^\W_]+( [^\W_]+)*"( (AND|OR) "[^\W_]+( [^\W_]+)*")*', expression
            )


def test_quotes_and_operators_around_a_word_find_what_the_word_finds(archive):
    _, connection = archive
    casino = answer(connection, SearchRequest(query="casino")).total
    assert casino > 0
    for text in ("casino'", '"casino', "(casino)", "casino*", "^casino", "casino;--"):
        assert answer(connection, SearchRequest(query=text)).total == casino, text


def test_building_again_replaces_the_file(archive, tmp_path):
    path = tmp_path / "again.sqlite3"
    first = build_database(path)
    second = build_database(path)  # an existing file is replaced, not appended to
    assert first["articles"] == second["articles"] == 40
    assert sqlite3.connect(path).execute("SELECT count(*) FROM docs").fetchone()[0] == 40


def test_compare_reports_both_sides_per_kind_and_their_agreement(archive):
    backend, connection = archive
    mix = [
        MixEntry(kind, request, "/")
        for kind, request in zip(["browse", "word", "word"], simple_requests()[:3], strict=True)
    ]
    report = compare(mix, backend, connection, texts_of=texts_from_db, runs=2)
    assert report["entries"] == 3 and report["runs"] == 2
    assert set(report["kinds"]) == {"browse", "word"}
    assert report["kinds"]["word"]["entries"] == 2
    for key in ("ours_p50_ms", "ours_p95_ms", "fts5_p50_ms", "fts5_p95_ms", "ratio_p50"):
        assert report["overall"][key] is not None and report["overall"][key] >= 0
    assert report["agreement"]["identical_totals"] == 3
    assert report["agreement"]["identical_facet_counts"] == 3
    assert report["agreement"]["largest_differences"] == []
    assert len(report["per_entry"]) == 3
