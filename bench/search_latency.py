"""Search latency of the backend on a generated corpus (no web server, no database).

    python bench/search_latency.py [--articles 10000] [--runs 7]

Articles come from bench/tagging.py's corpus (BBC text with seed paragraphs spliced in, or seed
paragraphs alone) and get skewed random facet values. They are indexed with the backend's own
rebuild, then each query is run --runs times; the median and the slowest are reported, with facet
counts and highlights included as on the page. Results go to bench/results/search_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")  # no secret key needed: nothing here serves or stores
django.setup()  # for imports only; no database is touched

from tagging import corpus  # noqa: E402

from search.backends.base import SearchRequest  # noqa: E402
from search.backends.whoosh import WhooshBackend  # noqa: E402
from search.documents import document_stamp  # noqa: E402

RESULTS = REPO / "bench" / "results" / "search_latency.json"

QUERIES = [
    ("seed word: kidnapping", SearchRequest(query="kidnapping")),
    ("common word", SearchRequest(query="government")),
    ("two words", SearchRequest(query="drug police")),
    ("phrase", SearchRequest(query='"drug trafficking"')),
    ("browse, no query", SearchRequest(query="", sort="newest")),
    ("facet only, two countries", SearchRequest(selected={"country": ("1", "2")})),
    (
        "word + facets + years",
        SearchRequest(
            query="police",
            selected={"country": ("1",), "crime_type": ("3", "4")},
            year_from=2010,
            year_to=2020,
        ),
    ),
    ("sorted by date, page 5", SearchRequest(query="minister", sort="newest", page=5)),
    ("misspelt (did you mean)", SearchRequest(query="trafficing kidnaping")),
]


def documents(size: int, seed: int):
    rng = random.Random(seed)
    texts = {}
    docs = []
    articles, _source = corpus(size, seed)
    countries = list(range(1, 13))
    country_weights = [30, 12, 10, 8, 6, 5, 4, 3, 2, 2, 1, 1]
    for number, (title, body) in enumerate(articles, start=1):
        year = rng.randint(2000, 2026)
        tags = {
            "country": rng.choices(countries, country_weights, k=rng.randint(1, 2)),
            "ministry": rng.sample(range(1, 41), k=rng.randint(0, 2)),
            "crime_type": rng.sample(range(1, 31), k=rng.randint(1, 3)),
        }
        document = {
            "id": str(number),
            "title": title,
            "body": body,
            "source": str(rng.randint(1, 50)),
            "year": year,
            "sort_date": year * 10000 + rng.randint(101, 1228),
        }
        for key, values in tags.items():
            document[key] = " ".join(map(str, sorted(set(values))))
            document[f"{key}_all"] = document[key]
        document["stamp"] = document_stamp(document)
        docs.append(document)
        texts[number] = (title, body)
    return docs, texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    docs, texts = documents(args.articles, seed=11)
    with tempfile.TemporaryDirectory() as folder:
        backend = WhooshBackend(folder)
        started = time.perf_counter()
        backend.rebuild(iter(docs), last_change=0)
        build_seconds = time.perf_counter() - started

        def texts_of(ids):
            return {pk: texts[pk] for pk in ids}

        started = time.perf_counter()
        backend.search(SearchRequest(), texts_of=texts_of)  # opens the index, fills the cache
        first_seconds = time.perf_counter() - started
        report = {
            "articles": args.articles,
            "index_build_seconds": round(build_seconds, 1),
            "first_search_ms": round(first_seconds * 1000, 1),
            "queries": {},
        }
        for label, request in QUERIES:
            timings, total = [], 0
            for _ in range(args.runs):
                started = time.perf_counter()
                total = backend.search(request, texts_of=texts_of).total
                timings.append((time.perf_counter() - started) * 1000)
            report["queries"][label] = {
                "median_ms": round(statistics.median(timings), 1),
                "max_ms": round(max(timings), 1),
                "hits": total,
            }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"{args.articles} articles indexed in {report['index_build_seconds']}s; first search "
        f"(opening the index and caching facet sets) {report['first_search_ms']} ms."
    )
    for label, figures in report["queries"].items():
        print(
            f"  {label:28} median {figures['median_ms']:7.1f} ms   max {figures['max_ms']:7.1f}"
            f" ms   {figures['hits']} hits"
        )


if __name__ == "__main__":
    main()
