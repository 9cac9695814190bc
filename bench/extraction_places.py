"""Places and anchor years: precision and recall on the labelled reports, and speed.

    python bench/extraction_places.py [--rounds 200]

Scores come from tests/extraction/places_evaluation.py over tests/fixtures/events/places.jsonl
and the five seeds (labels in tests/fixtures/events/places_seeds.json): ISO 3166-2 codes per
report, named towns/districts/crossings per report, anchor years per report. Misses are listed.

Speed: microseconds per article for find_places, for propose_year (reading explicit years only
when an anchor is mentioned) and for explicit_years_in alone,
on English articles of about 3,000 characters (each seed cut or repeated to that length), the
median of --rounds runs on one core, and the time to build the Gazetteer once.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.extraction.places import Gazetteer, find_places  # noqa: E402
from archive.tagging.anchor_calendar import DEFAULT_ANCHORS  # noqa: E402
from archive.tagging.anchors import explicit_years_in, propose_year  # noqa: E402
from tests.extraction.places_evaluation import evaluate, load_fixtures, load_seeds  # noqa: E402

ARTICLE_CHARS = 3000  # a typical report's length


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    started = time.perf_counter()
    gazetteer = Gazetteer.build()
    print(f"Gazetteer.build: {(time.perf_counter() - started) * 1000:.0f} ms")

    for label, reports in (("fixtures", load_fixtures()), ("seeds", load_seeds())):
        print(f"\n{label} ({len(reports)} reports)")
        for measure, counts in evaluate(reports, gazetteer=gazetteer).items():
            print(
                f"  {measure:12} precision {counts.precision:.3f}  recall {counts.recall:.3f}"
                f"  ({counts.true_positives} right, {counts.predicted} found,"
                f" {counts.expected} labelled)"
            )
            for miss in counts.misses:
                print(f"    {miss}")

    articles = [_to_length(seed.text, ARTICLE_CHARS) for seed in load_seeds()]
    print(f"\nspeed on {len(articles)} English articles of {ARTICLE_CHARS} characters")
    for name, extract in (
        ("find_places", lambda text: find_places(text, gazetteer=gazetteer)),
        # As ingest would call it: explicit years read only when an anchor is mentioned.
        ("propose_year", lambda text: propose_year(text, anchors=DEFAULT_ANCHORS)),
        ("explicit_years_in", explicit_years_in),
    ):
        times = []
        for _ in range(args.rounds):
            for article in articles:
                started = time.perf_counter()
                extract(article)
                times.append(time.perf_counter() - started)
        print(f"  {name:17} median {statistics.median(times) * 1e6:.0f} µs/article")


def _to_length(text: str, length: int) -> str:
    while len(text) < length:
        text = f"{text}\n{text}"
    return text[:length]


if __name__ == "__main__":
    main()
