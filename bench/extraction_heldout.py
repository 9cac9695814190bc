"""Seizures and arrests on reports written without sight of the rules: a held-out measure.

    python bench/extraction_heldout.py [--spellings]

tests/fixtures/events/heldout.jsonl holds 30 short reports written after the extractors, by a
writer who did not read them, labelled as a human coder would (drug, quantity, unit and scope
of each seizure; count and scope of each arrest). No test asserts these scores: they measure
how the rules carry to reports they were not tuned on. Measured first: seizures precision 0.891
and recall 0.911 (with --spellings), arrests 0.864 and 0.760. One change followed, prompted by
it: a total's period may be named by reference ("over the period", "during the year"); and a
second: a relative after "his" or "her" is one more person ("a man and his son": 2). Since
then the set is no longer unseen, and its scores read accordingly.

Figures are compared as multisets per report: a seizure by (drug, quantity, unit, scope), and
also without its scope; an arrest by (count, scope). The labels name drugs in lower case,
"precursor" for precursor chemicals and "tonne" for tonnes, where the extractors write "MDMA",
"precursor chemicals" and "t"; `--spellings` maps the extractors' spellings onto the labels'
(never the labels), so that a spelling is not counted as an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.extraction.arrests import find_arrests  # noqa: E402
from archive.extraction.seizures import find_seizures  # noqa: E402
from tests.extraction.arrests_evaluation import default_demonyms  # noqa: E402

HELDOUT = REPO / "tests" / "fixtures" / "events" / "heldout.jsonl"
UNIT_SPELLINGS = {"t": "tonne"}


def seizure_key(drug, quantity, unit, scope, *, with_scope: bool, spellings: bool) -> tuple:
    drug, unit = str(drug), str(unit)
    if spellings:
        drug = "precursor" if drug.lower().startswith("precursor") else drug.lower()
        unit = UNIT_SPELLINGS.get(unit, unit)
    key = (drug, float(quantity), unit)
    return (*key, str(scope)) if with_scope else key


def measure(reports: list[dict], *, spellings: bool) -> dict[str, dict]:
    """Return per measure the counts right, found and labelled, and what went wrong."""
    demonyms = default_demonyms()
    scores = {name: Counter() for name in ("seizures", "seizures_without_scope", "arrests")}
    problems: list[tuple[str, str, str, tuple]] = []
    for report in reports:
        seizures = find_seizures(report["text"])
        arrests = find_arrests(report["text"], demonyms=demonyms)
        for name, with_scope in (("seizures", True), ("seizures_without_scope", False)):
            found = Counter(
                seizure_key(
                    f.values["drug"],
                    f.values["quantity"],
                    f.values["unit"],
                    f.scope,
                    with_scope=with_scope,
                    spellings=spellings,
                )
                for f in seizures
            )
            labelled = Counter(
                seizure_key(
                    s["drug"], s["quantity"], s["unit"], s["scope"], with_scope=with_scope,
                    spellings=False,
                )
                for s in report.get("seizures", [])
            )  # fmt: skip
            _score(scores[name], found, labelled, report["id"], name, problems)
        found = Counter((f.values["count"], str(f.scope)) for f in arrests)
        labelled = Counter((a["count"], a["scope"]) for a in report.get("arrests", []))
        _score(scores["arrests"], found, labelled, report["id"], "arrests", problems)
    return {"scores": scores, "problems": problems}


def _score(score: Counter, found: Counter, labelled: Counter, report_id, name, problems) -> None:
    right = found & labelled
    score.update(right=sum(right.values()), found=sum(found.values()))
    score.update(labelled=sum(labelled.values()))
    problems += [(report_id, name, "missed", key) for key in (labelled - found).elements()]
    problems += [(report_id, name, "wrong", key) for key in (found - labelled).elements()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--spellings", action="store_true", help="map the extractors' spellings onto the labels'"
    )
    options = parser.parse_args()
    reports = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    result = measure(reports, spellings=options.spellings)
    print(f"held-out reports: {len(reports)}")
    for name, score in result["scores"].items():
        precision = score["right"] / score["found"] if score["found"] else 1.0
        recall = score["right"] / score["labelled"] if score["labelled"] else 1.0
        print(
            f"  {name:24} precision {precision:.3f}  recall {recall:.3f}  "
            f"({score['right']} right of {score['found']} found, {score['labelled']} labelled)"
        )
    for report_id, name, what, key in result["problems"]:
        if name != "seizures_without_scope":
            print(f"    {report_id}: {name} {what} {key}")


if __name__ == "__main__":
    main()
