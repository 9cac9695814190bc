"""Precision and recall of the arrest and case extractors, and microseconds per report.

    python bench/extraction_arrests.py [--rounds 200]

Scores per figure kind on the labelled reports (tests/fixtures/events/arrests.jsonl) and on the
five seeds (tests/fixtures/events/arrests_seeds.jsonl), with each report's misses and wrong
figures; see tests/extraction/arrests_evaluation.py for what matches. Speed: microseconds for
find_arrests and find_cases on an English report of about 3,000 characters (the fixtures'
English reports joined), the median of `--rounds` runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from archive.extraction.arrests import find_arrests  # noqa: E402
from archive.extraction.cases import find_cases  # noqa: E402
from tests.extraction.arrests_evaluation import (  # noqa: E402
    default_demonyms,
    evaluate,
    load_fixtures,
    load_seeds,
)

REPORT_CHARS = 3000


def english_report(chars: int = REPORT_CHARS) -> str:
    """Return the fixtures' English reports joined, cut near `chars` at a paragraph."""
    text = ""
    for report in load_fixtures():
        if report.name.startswith("en-") and len(text) < chars:
            text += report.text + "\n\n"
    return text.strip()


def microseconds(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    demonyms = default_demonyms()
    for name, reports in (("fixtures", load_fixtures()), ("seeds", load_seeds())):
        scores, errors = evaluate(reports, demonyms)
        print(f"{name} ({len(reports)} reports)")
        for kind, score in scores.items():
            print(
                f"  {kind:8} precision {score.precision:.3f}  recall {score.recall:.3f}"
                f"  ({score.true_positives} right of {score.found} found,"
                f" {score.expected} expected)"
            )
        for report, problems in errors.items():
            for problem in problems:
                print(f"    {report}: {problem}")
    text = english_report()
    find_arrests(text, demonyms=demonyms)  # compile the patterns once, as ingest would
    arrests = microseconds(lambda: find_arrests(text, demonyms=demonyms), args.rounds)
    cases = microseconds(lambda: find_cases(text), args.rounds)
    print(f"speed on an English report of {len(text)} characters (median of {args.rounds}):")
    print(f"  find_arrests {arrests:,.0f} µs  find_cases {cases:,.0f} µs")


if __name__ == "__main__":
    main()
