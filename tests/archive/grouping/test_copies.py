"""Copies of one text: found on the incident fixtures, told apart from template-written raids."""

import json
from pathlib import Path

from archive.grouping.copies import (
    CopyFinder,
    copy_groups,
    fingerprint,
    numbers_agree,
    pairs,
    shingles,
    similarity,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "incidents" / "reports.jsonl"
HASHVALUES = [1174431068, 417918218, 284062864]
STORY = (
    "Police in Poipet arrested eight suspects on Tuesday and seized 12 kilograms of crystal "
    "methamphetamine hidden in a truck carrying vegetables from Thailand, the provincial police "
    "chief said, adding that the driver, 41, had made the same trip every week since March."
)


def test_copies_on_the_fixtures_are_found_and_nothing_else():
    # Acceptance: pairwise precision >= 0.95 and recall >= 0.9 (measured 1.000 / 1.000).
    reports = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
    groups: dict[str, list[str]] = {}
    for report in reports:
        if report["copy_group"]:
            groups.setdefault(report["copy_group"], []).append(report["id"])
    expected = pairs(groups.values())
    found = pairs(copy_groups({report["id"]: fingerprint(report["body"]) for report in reports}))
    right = len(found & expected)
    assert right / len(found) >= 0.95 and right / len(expected) >= 0.9, (
        sorted(found - expected),
        sorted(expected - found),
    )


def test_a_lightly_edited_copy_is_a_copy_and_another_raid_from_the_same_template_is_not():
    edited = STORY.replace("the provincial police chief said", "police said").replace(
        "Tuesday", "Tuesday night"
    )
    other_raid = STORY.replace("eight", "five").replace("12", "30").replace("41", "52")
    finder = CopyFinder()
    finder.add("story", fingerprint(STORY))
    assert [key for key, _ in finder.copies_of(fingerprint(edited))] == ["story"]
    assert similarity(fingerprint(STORY), fingerprint(other_raid)) > 0.3  # same words...
    assert not numbers_agree(fingerprint(STORY), fingerprint(other_raid))  # ...other figures
    assert finder.copies_of(fingerprint(other_raid)) == []


def test_unspaced_scripts_are_read_in_letter_clusters():
    khmer = "ប៉ូលិសបានចាប់ខ្លួនជនសង្ស័យប្រាំបីនាក់"
    assert len(shingles(khmer)) > 1  # no spaces, yet more than one shingle
    assert copy_groups({"a": fingerprint(khmer), "b": fingerprint(khmer + " ។")}) == [["a", "b"]]


def test_fingerprints_do_not_change_between_processes_or_versions():
    # Stored fingerprints are compared with new ones for years: the hashing must stay put.
    assert (
        fingerprint("Police in Poipet seized 12 kilograms of methamphetamine on Tuesday.")
        .values()[:3]
        .tolist()
        == HASHVALUES
    )


def test_a_text_too_short_for_shingles_has_no_copies():
    assert fingerprint("").shingles == 0
    assert CopyFinder().copies_of(fingerprint("")) == []
