"""Precision and recall of the people extractor, and microseconds per report.

    python bench/extraction_people.py [--rounds 200]

Scores on the labelled reports (tests/fixtures/events/people.jsonl) and on the five seeds
(tests/fixtures/events/people_seeds.jsonl), with each report's misses and wrong people; see
tests/extraction/people_evaluation.py for what matches. Speed: microseconds for find_people on
an English report of about 3,000 characters (the fixtures' English reports joined), on the
longest seed, and on a report of the same length naming no one (the seizure fixtures, which the
cheap check lets through or not), the median of `--rounds` runs of the process's CPU time (a
busy machine counts less than in wall-clock time), with find_arrests on the same text for scale.
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
from archive.extraction.people import find_people  # noqa: E402
from archive.extraction.report import default_gazetteer  # noqa: E402
from tests.extraction.arrests_evaluation import default_demonyms  # noqa: E402
from tests.extraction.people_evaluation import evaluate, load_fixtures, load_seeds  # noqa: E402
from tests.extraction.seizures_evaluation import labelled_fixtures  # noqa: E402

REPORT_CHARS = 3000


def joined(texts, chars: int = REPORT_CHARS) -> str:
    """Return texts joined as paragraphs until about `chars` characters."""
    text = ""
    for piece in texts:
        if len(text) < chars:
            text += piece + "\n\n"
    return text.strip()


def microseconds(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    demonyms, gazetteer = default_demonyms(), default_gazetteer()
    for name, reports in (("fixtures", load_fixtures()), ("seeds", load_seeds())):
        scores, errors = evaluate(reports, demonyms, gazetteer)
        print(f"{name} ({len(reports)} reports)")
        for kind, score in scores.items():
            print(
                f"  {kind:13} precision {score.precision:.3f}  recall {score.recall:.3f}"
                f"  ({score.true_positives} right of {score.found} found,"
                f" {score.expected} expected)"
            )
        for report, problems in errors.items():
            for problem in problems:
                print(f"    {report}: {problem}")
    english = joined(r.text for r in load_fixtures() if r.name.startswith("en-"))
    seed = max((r.text for r in load_seeds()), key=len)
    seizures = joined(text for _id, text, _seizures in labelled_fixtures())
    print(f"speed (median of {args.rounds} runs):")
    for label, text in (
        ("English fixtures", english),
        ("longest seed", seed),
        ("seizure reports", seizures),
    ):
        find_people(text, demonyms=demonyms, gazetteer=gazetteer)  # compile once, as ingest would
        took = microseconds(
            lambda text=text: find_people(text, demonyms=demonyms, gazetteer=gazetteer),
            args.rounds,
        )
        arrests = microseconds(lambda text=text: find_arrests(text, demonyms=demonyms), args.rounds)
        print(
            f"  {label:17} {len(text):6,} characters  find_people {took:,.0f} µs"
            f"  (find_arrests {arrests:,.0f} µs)"
        )


if __name__ == "__main__":
    main()
