"""How long grouping one new report takes in a full archive: the time ingest adds per report.

    python bench/grouping_speed.py --database-url sqlite:///path/db.sqlite3 [--reports 200]

Takes an archive already ingested (the benchmark's: bench/ingest_speed.py --workdir keeps it),
and for `reports` of its articles picked at random, each in a transaction rolled back after:
takes the article out of its groups, then times placing it again as ingest places a new
report, cold (a new Grouper, which loads the days around the report from the database, as
one report arriving alone does) and warm (the Grouper of a run that has seen the days around
it, as in a batch). Prints and writes p50, p95 and max in ms to
bench/results/grouping_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "results" / "grouping_speed.json"


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SEARCH_SYNC_ON_COMMIT"] = "0"
    import django

    django.setup()
    from django.db import transaction

    from archive.grouping.signatures import events_from_values
    from archive.grouping.store import Grouper
    from archive.models import Article, GroupMember, ReportSignature

    ids = list(ReportSignature.objects.values_list("article_id", flat=True))
    picked = random.Random(options.seed).sample(ids, min(options.reports, len(ids)))
    timings: dict[str, list[float]] = {"cold": [], "warm": []}
    warm = Grouper()
    matched = 0
    for article_id in picked:
        values = ReportSignature.objects.filter(pk=article_id).values(
            "article_id", "published", "minhash", "shingles", "events"
        )[0]
        events = events_from_values(str(article_id), values)
        for mode in ("cold", "warm"):
            try:
                with transaction.atomic():
                    GroupMember.objects.filter(article_id=article_id).delete()
                    grouper = Grouper(load_days=1) if mode == "cold" else warm
                    if mode == "warm":
                        grouper._load_around(events)  # what the run had loaded already
                    started = time.perf_counter()
                    proposals = grouper.place(events)
                    timings[mode].append((time.perf_counter() - started) * 1000)
                    matched += bool(proposals) and mode == "cold"
                    raise _Rollback
            except _Rollback:
                pass
            warm._groups.clear()
    result = {
        "articles": Article.objects.count(),
        "reports_timed": len(picked),
        "matched_something": matched,
        **{
            mode: {
                "p50_ms": round(statistics.median(values), 2),
                "p95_ms": round(statistics.quantiles(values, n=20)[-1], 2),
                "max_ms": round(max(values), 2),
            }
            for mode, values in timings.items()
        },
        "target_ms": 50,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
