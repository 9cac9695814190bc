"""Tagging throughput: how many articles a second the tagger reads on one core.

    python bench/tagging.py [--articles 5000] [--seed 7]

The corpus is news-like text: each article is a real news article from ../shared/datasets/bbc
(read at run time, never stored) with paragraphs of the seed reports spliced in, so it has both
ordinary vocabulary and the names, places and crimes the tagger looks for. Without the BBC folder
the seeds' paragraphs are shuffled into articles instead. The taxonomy is the one the migrations
ship, compiled without a database. Results go to bench/results/tagging.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.ingest.cleaning import clean_text  # noqa: E402
from archive.tagging.dates import find_publication_date  # noqa: E402
from archive.tagging.lexicon import CountryRow, CrimeTypeRow, Lexicon, MinistryRow  # noqa: E402
from archive.tagging.tagger import propose_tags  # noqa: E402
from archive.taxonomy import parse_aliases  # noqa: E402

BBC_DIR = REPO.parent / "shared" / "datasets" / "bbc" / "bbc"
RESULTS_DIR = REPO / "bench" / "results"


def shipped_lexicon() -> Lexicon:
    """Return the taxonomy of migrations 0002-0003 compiled, without a database."""
    taxonomy = importlib.import_module("archive.migrations.0002_initial_taxonomy")
    demonyms = importlib.import_module(
        "archive.migrations.0003_country_demonyms_article_proposed_year"
    ).DEMONYMS
    countries, ids = [], {}
    for number, (code, name, aliases, places) in enumerate(taxonomy.COUNTRIES, start=1):
        ids[code] = number
        own = demonyms.get(code, [])
        countries.append(
            CountryRow(
                number,
                code,
                name,
                tuple(a for a in parse_aliases(aliases) if a not in own),
                tuple(own),
                tuple(parse_aliases(places)),
            )
        )
    ministries = [
        MinistryRow(number, name, ids.get(code), kind, tuple(parse_aliases(aliases)))
        for number, (code, name, kind, _parent, aliases) in enumerate(taxonomy.MINISTRIES, 1)
    ]
    crime_types = [
        CrimeTypeRow(number, name, None, tuple(parse_aliases(aliases)))
        for number, (name, _parent, aliases) in enumerate(taxonomy.CRIME_TYPES, start=1)
    ]
    return Lexicon.build(countries=countries, ministries=ministries, crime_types=crime_types)


def corpus(size: int, seed: int) -> tuple[list[tuple[str, str]], str]:
    """Return (title, body) pairs and a description of where the text came from."""
    rng = random.Random(seed)
    seed_paragraphs = [
        paragraph
        for path in sorted((REPO / "seeds").glob("*.txt"))
        for paragraph in clean_text(path.read_text(encoding="utf-8")).body.split("\n\n")
    ]
    news = []
    if BBC_DIR.is_dir():
        for path in sorted(BBC_DIR.glob("*/*.txt")):
            lines = path.read_text(encoding="latin-1").strip().split("\n")
            news.append((lines[0], [p for p in "\n".join(lines[1:]).split("\n") if p.strip()]))
    articles = []
    for _ in range(size):
        if news:
            title, paragraphs = rng.choice(news)
            paragraphs = list(paragraphs)
            for _ in range(rng.randint(2, 4)):
                paragraphs.insert(rng.randrange(len(paragraphs) + 1), rng.choice(seed_paragraphs))
        else:
            title = rng.choice(seed_paragraphs)[:80]
            paragraphs = rng.sample(seed_paragraphs, k=min(12, len(seed_paragraphs)))
        articles.append((title, "\n\n".join(paragraphs)))
    source = (
        f"{len(news)} BBC articles with seed paragraphs spliced in"
        if news
        else "seed paragraphs only (no BBC folder)"
    )
    return articles, source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    lexicon = shipped_lexicon()
    build_seconds = time.perf_counter() - started
    articles, source = corpus(args.articles, args.seed)
    words = sum(len(body.split()) for _, body in articles)

    tags = 0
    started = time.perf_counter()
    for title, body in articles:
        proposals = propose_tags(title, body, lexicon)
        find_publication_date(body)
        tags += sum(len(found) for found in proposals.by_kind().values())
    seconds = time.perf_counter() - started

    result = {
        "articles": len(articles),
        "mean_words": round(words / len(articles)),
        "corpus": source,
        "lexicon_build_seconds": round(build_seconds, 3),
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(articles) / seconds, 1),
        "words_per_second": round(words / seconds),
        "tags_per_article": round(tags / len(articles), 1),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, one core",
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "tagging.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"Tagged {result['articles']} articles ({result['mean_words']} words on average; "
        f"{source}) in {result['seconds']}s: {result['articles_per_second']} articles/s, "
        f"{result['words_per_second']} words/s, {result['tags_per_article']} tags per article. "
        f"Lexicon built in {result['lexicon_build_seconds']}s."
    )


if __name__ == "__main__":
    main()
