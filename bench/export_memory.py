"""Memory and time of streamed exports on a generated corpus (default 20,000 articles).

    python bench/export_memory.py [--articles 20000] [--database postgres://...]

Builds a throwaway archive (a SQLite file in a temporary folder unless --database is given, and
a Whoosh index beside it), fills it through a bulk path that writes the same rows ingestion
writes (articles with raw and cleaned text, content hashes, and country, ministry and crime-type
tags with status and confidence), builds the index with `rebuild_index`, then streams exports of
result sets of growing size (a quarter, half and all of the corpus) in every format, reading each
response to the end as a client would. For each it reports the rows, bytes, seconds and the peak
of Python memory allocated while streaming (tracemalloc) beside the process's resident memory.
Constant-memory streaming shows as a peak that does not grow with the number of rows.
Results go to bench/results/export_memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
RESULTS = REPO / "bench" / "results" / "export_memory.json"


def configure(database: str | None, workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # DEBUG stays off: with it on, Django keeps every query in memory and the figures lie.
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DATABASE_URL"] = database or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    import django

    django.setup()


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def fill(size: int, seed: int) -> None:
    """Write `size` articles with tags, in bulk, as ingestion would store them."""
    from tagging import corpus

    from archive.ingest.hashing import content_hash
    from archive.models import (
        Article,
        ArticleCountry,
        ArticleCrimeType,
        ArticleMinistry,
        Country,
        CrimeType,
        Ministry,
        Origin,
        Source,
        TagAssignment,
    )

    rng = random.Random(seed)
    countries = list(Country.objects.values_list("pk", flat=True))
    weights = [max(1, 40 // (rank + 1)) for rank in range(len(countries))]  # a few dominate
    ministries = list(Ministry.objects.values_list("pk", flat=True))
    crimes = list(CrimeType.objects.values_list("pk", flat=True))
    sources = list(Source.objects.values_list("pk", flat=True))
    texts, _ = corpus(size, seed)
    statuses = [TagAssignment.Status.PROPOSED, TagAssignment.Status.CONFIRMED]
    batch = 1000
    for start in range(0, size, batch):
        articles = []
        for number in range(start, min(size, start + batch)):
            title, body = texts[number]
            year = rng.randint(2000, 2026)
            raw = f"{title}\n\n{body}"
            articles.append(
                Article(
                    title=title[:500],
                    body=body,
                    raw_text=raw,
                    content_hash=content_hash(f"{raw} {number}"),
                    origin=f"bench/{number}.txt",
                    source_id=rng.choice(sources),
                    year=year,
                    published_date=None if rng.random() < 0.3 else _date(rng, year),
                    date_origin=Origin.METADATA,
                )
            )
        Article.objects.bulk_create(articles)
        tags = {ArticleCountry: [], ArticleMinistry: [], ArticleCrimeType: []}
        for article in articles:
            chosen = {
                ArticleCountry: ("country", set(rng.choices(countries, weights, k=2))),
                ArticleMinistry: ("ministry", set(rng.sample(ministries, rng.randint(0, 2)))),
                ArticleCrimeType: ("crime_type", set(rng.sample(crimes, rng.randint(1, 3)))),
            }
            for model, (field, ids) in chosen.items():
                for target in ids:
                    tags[model].append(
                        model(
                            article=article,
                            **{f"{field}_id": target},
                            origin=Origin.TAGGER,
                            status=rng.choice(statuses),
                            confidence=round(rng.uniform(0.5, 1.0), 2),
                        )
                    )
        for model, rows in tags.items():
            model.objects.bulk_create(rows)


def _date(rng: random.Random, year: int):
    import datetime as dt

    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def measure(fmt: str, params: dict) -> dict:
    from django.test import RequestFactory

    from search.exports.downloads import export

    request = RequestFactory().get(f"/export.{fmt}", params)
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = export(request, fmt)
    size = 0
    for part in response.streaming_content:
        size += len(part)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "format": fmt,
        "params": params,
        "rows": int(response["X-Result-Count"]),
        "megabytes_written": round(size / 2**20, 1),
        "seconds": round(elapsed, 2),
        "rows_per_second": round(int(response["X-Result-Count"]) / elapsed),
        "peak_python_mb": round(peak / 2**20, 1),
        "resident_mb_after": round(resident_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", help="a DATABASE_URL; default: a temporary SQLite file")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="export-bench-") as workdir:
        configure(options.database, Path(workdir))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        fill(options.articles, options.seed)
        print(f"filled {options.articles} articles in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        call_command("rebuild_index", verbosity=0)
        print(f"indexed in {time.perf_counter() - started:.1f}s")

        # Open the index once first, so the first figure is not the index's opening.
        measure("csv", {"q": "nothingmatchesthisword"})
        # Result sets of growing size: years are uniform, so year ranges cut the corpus.
        cuts = {"quarter": {"year_to": "2006"}, "half": {"year_to": "2012"}, "all": {}}
        runs = []
        for fmt in ("csv", "json", "jsonl", "bib", "ris"):
            for label, params in cuts.items():
                result = measure(fmt, params) | {"set": label}
                runs.append(result)
                print(
                    f"{fmt:5} {label:7} {result['rows']:>6} rows  "
                    f"{result['megabytes_written']:>7} MB  {result['seconds']:>6}s  "
                    f"peak {result['peak_python_mb']:>5} MB (python)  "
                    f"RSS {result['resident_mb_after']} MB"
                )
        if options.database is None:
            from django.db import connection

            connection.close()

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "articles": options.articles,
                "database": "postgresql" if options.database else "sqlite",
                "machine": f"{platform.node()} {platform.processor() or platform.machine()}",
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "runs": runs,
            },
            indent=2,
        )
    )
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
