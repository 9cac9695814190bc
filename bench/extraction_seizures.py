"""How well and how fast find_seizures reads seizures: precision and recall, microseconds.

    python bench/extraction_seizures.py [--rounds 200]

Precision and recall of seizure figures (drug, quantity and unit as labelled; and with their
scope, single or total, as labelled) on tests/fixtures/events/seizures.jsonl and on the labelled
seeds, with the figures missed or added; then microseconds per article of find_seizures on
English text of about 3,000 characters (each seed, and the English fixtures joined into articles
of that size), the median of `--rounds` runs, as it would run at ingest on every article.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.extraction.seizures import find_seizures  # noqa: E402
from tests.extraction.seizures_evaluation import (  # noqa: E402
    evaluate,
    labelled_fixtures,
    labelled_seeds,
)

ARTICLE_CHARS = 3_000


def english_articles() -> list[str]:
    """Return the seeds and the English fixtures joined into articles of ~3,000 characters."""
    articles = [text for _, text, _ in labelled_seeds()]
    current = ""
    for _, text, _ in labelled_fixtures():
        if not text.isascii():
            continue
        current = f"{current}\n\n{text}" if current else text
        if len(current) >= ARTICLE_CHARS:
            articles.append(current)
            current = ""
    return articles


def microseconds_per_article(articles: list[str], rounds: int) -> float:
    find_seizures(articles[0])  # the drug automaton and pint's factors are built once
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        for article in articles:
            find_seizures(article)
        timings.append((time.perf_counter() - started) / len(articles))
    return statistics.median(timings) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for name, reports in (("fixtures", labelled_fixtures()), ("seeds", labelled_seeds())):
        for kind, score in evaluate(reports).items():
            print(
                f"{name:9} {kind:15} precision {score.precision:.3f}  recall {score.recall:.3f}"
                f"  ({score.true_positives} right of {score.predicted} found, "
                f"{score.expected} labelled)"
            )
            for miss in score.misses:
                print(f"    {miss}")
    articles = english_articles()
    mean_chars = statistics.mean(map(len, articles))
    print(
        f"speed: {microseconds_per_article(articles, args.rounds):.0f} µs per article "
        f"({len(articles)} English articles, {mean_chars:.0f} characters on average)"
    )


if __name__ == "__main__":
    main()
