"""The benchmark corpus: repeatable for a seed, lengths and metadata as specified, text that
speaks of its metadata, and files the real ingest path imports."""

import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest

from archive.ingest.batch import ingest_paths
from archive.models import Article, ArticleCountry, ArticleCrimeType, Origin, Source
from bench import corpus
from bench.corpus import (
    END_DATE,
    EXTRA_AGENCIES,
    MAX_WORDS,
    MIN_WORDS,
    generate_articles,
    shipped_taxonomy,
    write_corpus,
)
from tests.conftest import REPO_ROOT

SAMPLE = 3000


@pytest.fixture(scope="module")
def sample():
    return list(generate_articles(SAMPLE, seed=11))


def words(article: dict) -> int:
    return len(article["body"].split())


def agencies_of(article: dict) -> set[tuple[str, str | None]]:
    """Return (name, country code) of each agency named, told apart as the loader does."""
    codes = {c.code for c in shipped_taxonomy().countries if c.name in article["countries"]}
    found = set()
    for name in article["ministries"]:
        (agency,) = [
            a
            for a in shipped_taxonomy().agencies
            if a.name == name and (a.country is None or a.country in codes)
        ]
        found.add((agency.name, agency.country))
    return found


def test_the_same_seed_and_size_give_byte_identical_files(tmp_path):
    first = write_corpus(tmp_path / "a", 120, seed=3, per_file=50)
    second = write_corpus(tmp_path / "b", 120, seed=3, per_file=50)
    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert names == ["corpus-0001.jsonl", "corpus-0002.jsonl", "corpus-0003.jsonl"]
    assert names == sorted(path.name for path in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (first["articles"], first["files"]) == (120, 3)
    assert first["mean_words"] == second["mean_words"]


def test_writing_again_replaces_the_shards_of_an_earlier_run(tmp_path):
    write_corpus(tmp_path, 30, per_file=10)
    write_corpus(tmp_path, 15, per_file=10)
    lines = [line for path in tmp_path.glob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(lines) == 15


def test_different_seeds_give_different_articles():
    first = list(generate_articles(20, seed=1))
    second = list(generate_articles(20, seed=2))
    assert all(a["body"] != b["body"] for a, b in zip(first, second, strict=True))


def test_an_article_does_not_depend_on_how_many_are_asked_for():
    assert list(generate_articles(5, seed=4)) == list(generate_articles(12, seed=4))[:5]


def test_lengths_stay_within_bounds_and_are_skewed(sample):
    lengths = sorted(words(article) for article in sample)
    assert lengths[0] >= MIN_WORDS and lengths[-1] <= MAX_WORDS
    median = lengths[len(lengths) // 2]
    assert 350 <= median <= 600
    assert sum(lengths) / len(lengths) > median  # a long tail of long reports
    assert lengths[-1] > 1000
    assert all(article["title"] and "\n\n" in article["body"] for article in sample)


def test_each_article_has_one_to_three_crime_types_and_one_or_two_countries(sample):
    assert {len(article["crime_types"]) for article in sample} == {1, 2, 3}
    assert {len(article["countries"]) for article in sample} == {1, 2}
    assert {len(article["ministries"]) for article in sample} == {0, 1, 2}
    for article in sample:
        assert len(set(article["crime_types"])) == len(article["crime_types"])


def test_metadata_spans_the_specified_numbers_of_names(sample):
    countries = Counter(name for article in sample for name in article["countries"])
    crimes = Counter(name for article in sample for name in article["crime_types"])
    agencies = Counter(agency for article in sample for agency in agencies_of(article))
    sources = Counter(article["source"] for article in sample)
    assert (len(countries), len(crimes), len(agencies), len(sources)) == (12, 30, 40, 50)
    # Skewed: a few names dominate, the last are rare but present.
    for counts in (countries, crimes, sources):
        ranked = [count for _, count in counts.most_common()]
        assert ranked[0] > 8 * ranked[-1]
    assert countries.most_common(1)[0][0] == "Cambodia"


def test_names_come_from_the_shipped_taxonomy_but_four_extra_agencies(sample):
    taxonomy = shipped_taxonomy()
    extra = {name for _, name in EXTRA_AGENCIES}
    known = {agency.name for agency in taxonomy.agencies if agency.in_taxonomy}
    named = {name for article in sample for name in article["ministries"]}
    assert named - known == extra
    assert {name for a in sample for name in a["countries"]} <= {c.name for c in taxonomy.countries}


def test_dates_are_full_dates_from_2000_to_2026_growing_with_the_years(sample):
    published = [date.fromisoformat(article["published"]) for article in sample]
    assert min(published) >= date(2000, 1, 1) and max(published) <= END_DATE
    years = Counter(day.year for day in published)
    assert set(years) == set(range(2000, 2027))
    assert sum(years[y] for y in range(2020, 2026)) > 2 * sum(years[y] for y in range(2000, 2006))


def test_text_speaks_of_the_articles_own_country_and_crime(sample):
    crime_named = sum(article["crime_types"][0].lower() in article["body"] for article in sample)
    country = {c.name: c for c in shipped_taxonomy().countries}
    place_named = sum(
        any(
            place in article["body"]
            for place in (
                country[article["countries"][0]].name,
                *country[article["countries"][0]].places,
            )
        )
        for article in sample
    )
    assert crime_named > 0.95 * SAMPLE
    assert place_named > 0.95 * SAMPLE


@pytest.mark.skipif(
    not corpus.BBC_DIR.is_dir(), reason="the spread comes from the BBC articles, absent here"
)
def test_search_words_are_common_middling_or_rare(sample):
    def share(word: str) -> float:
        pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
        return sum(bool(pattern.search(article["body"])) for article in sample) / SAMPLE

    assert share("police") > 0.6
    assert 0.2 < share("trafficking") < 0.8
    assert 0.05 < share("gambling") < 0.4
    assert 0.01 < share("Korea") < 0.1


def test_without_the_news_folder_the_seeds_alone_train_the_text(tmp_path):
    articles = list(generate_articles(10, seed=5, news_dir=tmp_path / "no-such-folder"))
    assert all(MIN_WORDS <= words(article) <= MAX_WORDS for article in articles)
    model = corpus.text_model(tmp_path / "no-such-folder")
    assert model.source == "Markov order-2 model trained on 5 seeds (no BBC folder)"


def test_the_command_line_writes_a_corpus_and_describes_it(tmp_path):
    completed = subprocess.run(
        [sys.executable, "bench/corpus.py", "--size", "12", "--seed", "2", "--out", tmp_path],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    description = json.loads(completed.stdout)
    assert (description["articles"], description["files"]) == (12, 1)
    assert "Markov order-2 model" in description["text_source"]
    assert len((tmp_path / "corpus-0001.jsonl").read_text().splitlines()) == 12


@pytest.mark.django_db
def test_the_ingest_path_imports_every_article_with_its_metadata(tmp_path):
    write_corpus(tmp_path, 30, seed=9, per_file=20)
    records = [
        json.loads(line)
        for path in sorted(tmp_path.glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    report = ingest_paths([tmp_path])
    assert (report.created, len(report.skipped), report.files) == (30, 0, 2)
    # The only warnings are the agencies the taxonomy lacks.
    assert all(w.reason.startswith("unknown ministry") for w in report.warnings)
    assert Article.objects.count() == 30
    for record in records:
        article = Article.objects.get(title=record["title"], body=record["body"])
        assert article.source.name == record["source"]
        assert article.published_date.isoformat() == record["published"]
        imported = {"origin": Origin.METADATA}
        assert sorted(t.country.name for t in article.country_tags.filter(**imported)) == sorted(
            record["countries"]
        )
        assert sorted(
            t.crime_type.name for t in article.crime_type_tags.filter(**imported)
        ) == sorted(record["crime_types"])
        known = [name for name in record["ministries"] if name not in dict(EXTRA_AGENCIES).values()]
        assert article.ministry_tags.filter(**imported).count() == len(known)
    # The tagger reads the text too: it proposes more than the metadata states.
    assert ArticleCountry.objects.filter(origin=Origin.TAGGER).exists()
    assert ArticleCrimeType.objects.filter(origin=Origin.TAGGER).exists()
    assert Source.objects.filter(name__in={r["source"] for r in records}).count() == len(
        {r["source"] for r in records}
    )
