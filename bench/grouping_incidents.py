"""How well reports of one incident are matched: pairwise precision and recall on the fixtures.

    python bench/grouping_incidents.py [--fixtures tests/fixtures/incidents/reports.jsonl] [--show]

Two reports are a true pair when the fixtures give them the same `incident` (copies of one text
included: they are reports of it too). Each report's figures are read by the extractors
(archive.extraction.report.read_figures), then archive.grouping.incidents matches every pair;
scored are the pairs it matches directly and the pairs its groups (matches joined
transitively) hold. --show prints the wrong and the missed pairs with their reasons. It times
matching one report against the rest. Results go to bench/results/grouping_incidents.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FIXTURES = REPO / "tests" / "fixtures" / "incidents" / "reports.jsonl"
RESULTS = REPO / "bench" / "results" / "grouping_incidents.json"


def read_events(reports: list[dict]) -> dict:
    from archive.extraction.report import ExtractionRules, read_figures
    from archive.grouping.incidents import report_events

    rules = ExtractionRules()
    return {
        report["id"]: report_events(
            report["id"],
            published=dt.date.fromisoformat(report["published_date"]),
            title=report["title"],
            body=report["body"],
            figures=read_figures(report["body"], rules=rules),
        )
        for report in reports
    }


def score(found: set, expected: set) -> dict:
    right = len(found & expected)
    return {
        "precision": round(right / len(found), 3) if found else 1.0,
        "recall": round(right / len(expected), 3) if expected else 1.0,
        "right": right,
        "found": len(found),
        "expected": len(expected),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--show", action="store_true")
    arguments = parser.parse_args()

    from archive.grouping.copies import pairs
    from archive.grouping.incidents import incident_groups, same_incident

    reports = [
        json.loads(line)
        for line in arguments.fixtures.read_text(encoding="utf-8").splitlines()
        if line
    ]
    incidents: dict[str, list[str]] = {}
    for report in reports:
        incidents.setdefault(report["incident"], []).append(report["id"])
    expected = pairs(incidents.values())
    events = read_events(reports)
    matches = {
        (first, second): match
        for first, second in itertools.combinations(sorted(events), 2)
        if (match := same_incident(events[first], events[second]))
    }
    grouped = pairs(incident_groups(events))
    started = time.perf_counter()
    newest = events[reports[-1]["id"]]
    for key, other in events.items():
        if key != newest.key:
            same_incident(newest, other)
    match_ms = (time.perf_counter() - started) * 1000
    result = {
        "fixtures": str(arguments.fixtures.relative_to(REPO)),
        "reports": len(reports),
        "pairs_matched": score(set(matches), expected),
        "pairs_in_groups": score(grouped, expected),
        "match_one_against_all_ms": round(match_ms, 2),
        "wrong": {f"{a} {b}": list(matches[(a, b)].reasons) for a, b in set(matches) - expected},
        "missed": sorted(f"{a} {b}" for a, b in expected - set(matches)),
    }
    for name in ("pairs_matched", "pairs_in_groups"):
        cell = result[name]
        print(
            f"{name:16s} precision {cell['precision']:.3f}  recall {cell['recall']:.3f}  "
            f"({cell['right']} right of {cell['found']} found, {cell['expected']} expected)"
        )
    print(f"one report matched against {len(reports) - 1} others in {match_ms:.1f} ms")
    if arguments.show:
        by_id = {report["id"]: report for report in reports}
        for pair, reasons in sorted(result["wrong"].items()):
            print("WRONG ", pair, reasons)
        for pair in result["missed"]:
            first, second = (events[key] for key in pair.split())
            print(
                "MISSED",
                pair,
                by_id[first.key]["version"],
                by_id[second.key]["version"],
                sorted(first.provinces),
                sorted(second.provinces),
                first.seizures,
                second.seizures,
                sorted(first.arrests),
                sorted(second.arrests),
                first.later_stage,
                second.later_stage,
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
