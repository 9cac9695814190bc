"""A report's events as stored values and back: what ReportSignature rows hold.

    signature_values(events) -> {"published": ..., "countries": " KH ", "people": "|...|",
                                 "minhash": b"...", "shingles": 212, "events": {...}}
    events_from_values(key, values) -> ReportEvents (equal to the one stored)

The MinHash is kept as NUM_PERM unsigned 32-bit integers (datasketch's affine32 scheme makes
none larger), 512 bytes a report. Pure: no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from archive.grouping.copies import Fingerprint
from archive.grouping.incidents import ReportEvents

# Raised when what is stored changes shape: rows of another version are read again from the
# report (group_reports --recompute).
SIGNATURE_VERSION = 1


def signature_values(events: ReportEvents) -> dict[str, object]:
    """Return the ReportSignature fields (but the article) that store `events`."""
    return {
        "published": events.published,
        "countries": countries_text(events.provinces),
        "people": people_text(events.suspects),
        "minhash": events.text.hashvalues,
        "shingles": events.text.shingles,
        "events": {
            "provinces": sorted(events.provinces),
            "seizures": [list(seizure) for seizure in events.seizures],
            "arrests": sorted(events.arrests),
            "names": [list(name) for name in events.names],
            "suspects": sorted(events.suspects),
            "later_stage": events.later_stage,
            "numbers": sorted(events.text.numbers),
        },
        "version": SIGNATURE_VERSION,
    }


def events_from_values(key: str, values: Mapping[str, object]) -> ReportEvents:
    """Return the ReportEvents stored in `values` (ReportSignature fields)."""
    stored = values["events"]
    published = values["published"]
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    names = tuple((folded, written) for folded, written in stored["names"])
    return ReportEvents(
        key=key,
        published=published,
        provinces=frozenset(stored["provinces"]),
        seizures=tuple((drug, float(amount), unit) for drug, amount, unit in stored["seizures"]),
        arrests=frozenset(int(count) for count in stored["arrests"]),
        people=frozenset(folded for folded, _ in names),
        suspects=frozenset(stored.get("suspects", ())),
        names=names,
        later_stage=bool(stored["later_stage"]),
        text=Fingerprint(
            bytes(values["minhash"]),
            int(values["shingles"]),
            frozenset(stored["numbers"]),
        ),
    )


def countries_text(provinces) -> str:
    """Return " KH TH ": the countries of ISO 3166-2 codes, each once, for LIKE " KH "."""
    countries = sorted({code.split("-")[0] for code in provinces})
    return f" {' '.join(countries)} " if countries else ""


def people_text(people) -> str:
    """Return "|a|b|": folded names, for LIKE "%|a|%"."""
    return f"|{'|'.join(sorted(people))}|" if people else ""
