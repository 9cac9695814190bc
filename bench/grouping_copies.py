"""How well copies of one text are found: pairwise precision and recall on the incident fixtures.

    python bench/grouping_copies.py [--fixtures tests/fixtures/incidents/reports.jsonl] [--sweep]

Two reports are a true pair when the fixtures give them the same `copy_group` (a wire story and
its republication, an edited or updated copy). The groups archive.grouping.copies proposes are
turned into pairs too, and compared. With --sweep it also prints, for shingle sizes of 2 to 5
words, the exact Jaccard similarity of the least similar true pair and of the most similar false
one, and precision and recall at thresholds from 0.15 to 0.6: the data the constants in
archive/grouping/copies.py were chosen from. It times fingerprinting and finding one report's
copies. Results go to bench/results/grouping_copies.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FIXTURES = REPO / "tests" / "fixtures" / "incidents" / "reports.jsonl"
RESULTS = REPO / "bench" / "results" / "grouping_copies.json"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def true_pairs(reports: list[dict]) -> set[tuple[str, str]]:
    from archive.grouping.copies import pairs

    groups: dict[str, list[str]] = {}
    for report in reports:
        if report.get("copy_group"):
            groups.setdefault(report["copy_group"], []).append(report["id"])
    return pairs(groups.values())


def score(found: set, expected: set) -> dict:
    right = len(found & expected)
    return {
        "precision": round(right / len(found), 3) if found else 1.0,
        "recall": round(right / len(expected), 3) if expected else 1.0,
        "right": right,
        "found": len(found),
        "expected": len(expected),
    }


def sweep(reports: list[dict], expected: set) -> list[dict]:
    """Exact Jaccard of every pair, per shingle size: where copies and the rest part."""
    from archive.grouping import copies

    rows = []
    numbers = {report["id"]: copies.fingerprint(report["body"]).numbers for report in reports}

    def agreement(pair: tuple[str, str]) -> float:
        first, second = numbers[pair[0]], numbers[pair[1]]
        either = first | second
        return len(first & second) / len(either) if either else 1.0

    saved = copies.SHINGLE_WORDS, copies.SHINGLE_CLUSTERS
    try:
        for size in (2, 3, 4, 5):
            copies.SHINGLE_WORDS, copies.SHINGLE_CLUSTERS = size, size * 2
            sets = {report["id"]: copies.shingles(report["body"]) for report in reports}
            similar = {}
            for first, second in itertools.combinations(sorted(sets), 2):
                union = sets[first] | sets[second]
                similar[(first, second)] = len(sets[first] & sets[second]) / len(union)
            copy_scores = [similar[pair] for pair in expected]
            other_scores = [value for pair, value in similar.items() if pair not in expected]
            row = {
                "shingle_words": size,
                "least_similar_copy": round(min(copy_scores), 3),
                "most_similar_non_copy": round(max(other_scores), 3),
                # Numbers agreed on, by copies and by the other pairs sharing 0.2 of their words.
                "copies_least_numbers_agreed": round(min(map(agreement, expected)), 3),
                "others_most_numbers_agreed": round(
                    max(
                        agreement(pair)
                        for pair, value in similar.items()
                        if value >= 0.2 and pair not in expected
                    ),
                    3,
                ),
                "thresholds": {},
            }
            for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
                found = {pair for pair, value in similar.items() if value >= threshold}
                row["thresholds"][str(threshold)] = score(found, expected)
            rows.append(row)
    finally:
        copies.SHINGLE_WORDS, copies.SHINGLE_CLUSTERS = saved
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--sweep", action="store_true")
    arguments = parser.parse_args()

    from archive.grouping.copies import (
        COPY_THRESHOLD,
        SHINGLE_WORDS,
        CopyFinder,
        copy_groups,
        fingerprint,
        pairs,
    )

    reports = load(arguments.fixtures)
    expected = true_pairs(reports)
    started = time.perf_counter()
    prints = {report["id"]: fingerprint(report["body"]) for report in reports}
    fingerprint_ms = (time.perf_counter() - started) * 1000 / len(reports)
    found = pairs(copy_groups(prints))
    result = {
        "fixtures": str(arguments.fixtures.relative_to(REPO)),
        "reports": len(reports),
        "shingle_words": SHINGLE_WORDS,
        "threshold": COPY_THRESHOLD,
        "copies": score(found, expected),
        "missed": sorted(expected - found),
        "wrong": sorted(found - expected),
        "fingerprint_ms_per_report": round(fingerprint_ms, 2),
    }
    finder = CopyFinder()
    for key, print_ in prints.items():
        finder.add(key, print_)
    timings = []
    for print_ in prints.values():
        started = time.perf_counter()
        finder.copies_of(print_)
        timings.append((time.perf_counter() - started) * 1000)
    result["copies_of_ms_median"] = round(statistics.median(timings), 3)
    if arguments.sweep:
        result["sweep"] = sweep(reports, expected)
    copies = result["copies"]
    print(
        f"copies  precision {copies['precision']:.3f}  recall {copies['recall']:.3f}  "
        f"({copies['right']} right of {copies['found']} pairs found, {copies['expected']} "
        f"expected; {SHINGLE_WORDS}-word shingles, threshold {COPY_THRESHOLD})"
    )
    print(f"missed {result['missed']}\nwrong  {result['wrong']}")
    print(
        f"fingerprint {result['fingerprint_ms_per_report']} ms a report; a report's copies "
        f"found among {len(reports)} in {result['copies_of_ms_median']} ms (median)"
    )
    for row in result.get("sweep", []):
        cells = "  ".join(
            f"{threshold}: {cell['precision']:.2f}/{cell['recall']:.2f}"
            for threshold, cell in row["thresholds"].items()
        )
        print(
            f"{row['shingle_words']}-word shingles: least similar copy "
            f"{row['least_similar_copy']}, most similar other pair "
            f"{row['most_similar_non_copy']}; numbers agreed by copies at least "
            f"{row['copies_least_numbers_agreed']}, by others at most "
            f"{row['others_most_numbers_agreed']}; text alone P/R at  {cells}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
