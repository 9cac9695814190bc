"""A new report's matches among the reports near it in time, held in memory.

    finder = MatchFinder()
    finder.add(events)                      # reports already grouped, or loaded from the archive
    finder.matches(new_events)              -> [Proposal(key, "copy", 0.93, (...)), ...]

Copies of one text are published within COPY_DAYS of each other, independent reports of one
raid within DAYS_APART, and the later stages of a case within THREAD_DAYS; so a report is only
compared with those, never with the whole archive. Reports are kept by day: the similarity of
a new report's MinHash to every report of the copy window is one array comparison, and the
events of the few within the incident window are then compared one by one. Threads look
further back, so their candidates are the reports that name the same people or state the same
seizure, found through two small indexes. Reports with no date are compared with undated
reports for copies only. Pure: the caller loads what the archive holds (archive.grouping.store).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy

from archive.grouping.copies import COPY_THRESHOLD, numbers_agree
from archive.grouping.incidents import (
    DAYS_APART,
    THREAD_DAYS,
    ReportEvents,
    same_case,
    same_incident,
)

COPY_DAYS = 7
# Seizures are indexed by amount in steps of this ratio, wider than the tolerance.
SEIZURE_STEP = 1.1
# A suspect's name or a seizure's amount held by more reports than this within reach is too
# common to propose a thread on (reports are still matched on it as one incident).
CASE_KEY_REPORTS = 30
# Tiers, in the order a report's proposals are taken.
COPY, SAME, LATER = "copy", "same", "later"
_TIER_ORDER = {COPY: 0, SAME: 1, LATER: 2}


@dataclass(frozen=True)
class Proposal:
    key: str  # the report matched
    tier: str  # COPY, SAME or LATER
    score: float
    reasons: tuple[str, ...]


class _Day:
    """The reports of one day: their events, and their MinHashes as one matrix."""

    def __init__(self):
        self.reports: list[ReportEvents] = []
        self._matrix: numpy.ndarray | None = None

    def add(self, events: ReportEvents) -> None:
        self.reports.append(events)
        self._matrix = None

    def similarities(self, hashvalues: numpy.ndarray) -> numpy.ndarray:
        if self._matrix is None:
            joined = b"".join(events.text.hashvalues for events in self.reports)
            self._matrix = numpy.frombuffer(joined, dtype=numpy.uint32).reshape(
                len(self.reports), -1
            )
        return (self._matrix == hashvalues).mean(axis=1)


class MatchFinder:
    def __init__(self):
        self._days: dict[dt.date | None, _Day] = defaultdict(_Day)
        self._keys: dict[str, ReportEvents] = {}
        self._by_person: dict[str, list[ReportEvents]] = defaultdict(list)
        self._by_seizure: dict[tuple, list[ReportEvents]] = defaultdict(list)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, key: str) -> ReportEvents | None:
        return self._keys.get(key)

    def add(self, events: ReportEvents) -> None:
        if events.key in self._keys:
            return
        self._keys[events.key] = events
        self._days[events.published].add(events)
        if events.published is None:
            return
        for person in events.suspects:
            self._by_person[person].append(events)
        for key in {_seizure_key(seizure) for seizure in events.seizures}:
            self._by_seizure[key].append(events)

    def forget_before(self, day: dt.date) -> None:
        """Drop the reports published before `day` (a pass through the archive in date order
        keeps only what a later report can still match)."""
        for old in [d for d in self._days if d is not None and d < day]:
            for events in self._days.pop(old).reports:
                self._keys.pop(events.key, None)
        for index in (self._by_person, self._by_seizure):
            for name in list(index):
                kept = [e for e in index[name] if e.published >= day]
                if kept:
                    index[name] = kept
                else:
                    del index[name]

    def matches(self, events: ReportEvents) -> list[Proposal]:
        """Return the reports `events` matches, best first: copies, then reports of the same
        incident, then earlier or later stages of its case; the report itself left out."""
        found: dict[str, Proposal] = {}
        for other, similar in self._copies(events):
            found[other.key] = Proposal(
                other.key, COPY, round(similar, 3), (f"copies of one text ({similar:.2f})",)
            )
        for other, similar in self._near(events, DAYS_APART):
            if other.key not in found and (match := same_incident(events, other, similar)):
                found[other.key] = Proposal(other.key, SAME, match.score, match.reasons)
        for other in self._case_candidates(events):
            if other.key not in found and (match := same_case(events, other)):
                found[other.key] = Proposal(other.key, LATER, match.score, match.reasons)
        found.pop(events.key, None)
        return sorted(found.values(), key=lambda p: (_TIER_ORDER[p.tier], -p.score, p.key))

    def _copies(self, events: ReportEvents):
        if not events.text.shingles:
            return
        hashvalues = events.text.values()
        for day in self._window(events.published, COPY_DAYS):
            bucket = self._days.get(day)
            if not bucket:
                continue
            for index in numpy.flatnonzero(bucket.similarities(hashvalues) >= COPY_THRESHOLD):
                other = bucket.reports[index]
                if other.text.shingles and numbers_agree(events.text, other.text):
                    yield other, float(other.text.minhash.jaccard(events.text.minhash))

    def _near(self, events: ReportEvents, days: int):
        """Yield (report, the share of MinHash values it has in common with `events`) for the
        reports published within `days` days; the shares come a day at a time, as one array."""
        if events.published is None:
            return
        hashvalues = events.text.values()
        for day in self._window(events.published, days):
            if bucket := self._days.get(day):
                shares = bucket.similarities(hashvalues).tolist()
                for other, share in zip(bucket.reports, shares, strict=True):
                    # A text too short for shingles resembles nothing (its values are blank).
                    yield other, share if events.text.shingles and other.text.shingles else 0.0

    def _case_candidates(self, events: ReportEvents):
        if events.published is None:
            return
        seen = set()
        names = [self._by_person.get(person, ()) for person in events.suspects]
        seizures = [
            self._by_seizure.get((drug, unit, step), ())
            for drug, unit, near in {_seizure_key(seizure) for seizure in events.seizures}
            for step in (near - 1, near, near + 1)
        ]
        # A name or an amount that many reports share ("1 kg of heroin") tells no case apart.
        for reports in (r for r in (*names, *seizures) if len(r) <= CASE_KEY_REPORTS):
            for other in reports:
                if other.key not in seen and abs((other.published - events.published).days) <= (
                    THREAD_DAYS
                ):
                    seen.add(other.key)
                    yield other

    @staticmethod
    def _window(day: dt.date | None, reach: int):
        if day is None:
            yield None
            return
        for offset in range(-reach, reach + 1):
            yield day + dt.timedelta(days=offset)


def _seizure_key(seizure: tuple[str, float, str]) -> tuple[str, str, int]:
    """Return (drug, unit, step of the amount on a scale of SEIZURE_STEP ratios): amounts
    within the matching tolerance fall on one step or the next."""
    drug, amount, unit = seizure
    return drug, unit, math.floor(math.log(max(amount, 1e-6)) / math.log(SEIZURE_STEP))
