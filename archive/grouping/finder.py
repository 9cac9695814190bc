"""A new report's matches among the reports near it in time, held in memory.

    finder = MatchFinder()
    finder.add(events)                      # reports already grouped, or loaded from the archive
    finder.matches(new_events)              -> [Proposal(key, "copy", 0.93, (...)), ...]

Copies of one text are published within COPY_DAYS of each other, independent reports of one
raid within DAYS_APART, and the later stages of a case within THREAD_DAYS; so a report is only
compared with those, never with the whole archive. Reports are kept in blocks of BLOCK_DAYS
days, each holding its reports' MinHashes, days and first-test flags as arrays: a new report's
similarity to every report of the copy window is one array comparison per block (two blocks
at most), and the same shares serve the incident window. There, only the reports that may
share a signal with the new one (a person, an arrest count, a seizure, wording, many
provinces: incidents.same_incident's first test) are compared one by one; they are found
through each block's index of signals, not by visiting every report of the days around.
Threads look further back, so their candidates are the reports that name the same people or
state the same seizure, found through two small indexes. Reports with no date are compared
with undated reports for copies only. Pure: the caller loads what the archive holds
(archive.grouping.store).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy

from archive.grouping.copies import COPY_THRESHOLD, NUM_PERM, numbers_agree
from archive.grouping.incidents import (
    DAYS_APART,
    PROVINCES_ALONE,
    THREAD_DAYS,
    WORDS_SIMILAR,
    ReportEvents,
    same_case,
    same_incident,
)

COPY_DAYS = 7
# Days per block: the copy window (2 * COPY_DAYS + 1 days) spans two blocks at most.
BLOCK_DAYS = 16
# Seizures are indexed by amount in steps of this ratio, wider than the tolerance.
SEIZURE_STEP = 1.1
# A suspect's name or a seizure's amount held by more reports than this within reach is too
# common to propose a thread on (reports are still matched on it as one incident).
CASE_KEY_REPORTS = 30
# Tiers, in the order a report's proposals are taken.
COPY, SAME, LATER = "copy", "same", "later"
_TIER_ORDER = {COPY: 0, SAME: 1, LATER: 2}
_UNDATED = None  # the block of reports with no date


@dataclass(frozen=True)
class Proposal:
    key: str  # the report matched
    tier: str  # COPY, SAME or LATER
    score: float
    reasons: tuple[str, ...]


class _Block:
    """The reports of BLOCK_DAYS days (or every undated report): their events, and as arrays
    (grown by doubling, so adding a report seldom copies them) their MinHashes, days and the flags
    the first tests read; and which reports hold each signal."""

    def __init__(self):
        self.reports: list[ReportEvents] = []
        self.hashes = numpy.zeros((8, NUM_PERM), dtype=numpy.uint32)
        self.days = numpy.zeros(8, dtype=numpy.int64)
        self.has_text = numpy.zeros(8, dtype=bool)
        self.later = numpy.zeros(8, dtype=bool)
        self.wide = numpy.zeros(8, dtype=bool)
        self.live = numpy.zeros(8, dtype=bool)  # not forgotten
        self.signals: dict[tuple, list[int]] = defaultdict(list)

    def add(self, events: ReportEvents) -> None:
        row = len(self.reports)
        if row == len(self.days):
            for name in ("hashes", "days", "has_text", "later", "wide", "live"):
                array = getattr(self, name)
                grown = numpy.zeros((2 * len(array), *array.shape[1:]), dtype=array.dtype)
                grown[:row] = array
                setattr(self, name, grown)
        self.reports.append(events)
        self.hashes[row] = events.text.values()
        self.days[row] = events.published.toordinal() if events.published else 0
        self.has_text[row] = bool(events.text.shingles)
        self.later[row] = events.later_stage
        self.wide[row] = len(events.provinces) >= PROVINCES_ALONE
        self.live[row] = True
        for signal in _signals(events):
            self.signals[signal].append(row)

    def forget_before(self, day: dt.date) -> list[ReportEvents]:
        """Leave out the reports published before `day` from now on; return them."""
        count = len(self.reports)
        old = self.live[:count] & (self.days[:count] < day.toordinal())
        self.live[:count] &= ~old
        return [self.reports[row] for row in numpy.flatnonzero(old)]

    def shares(self, events: ReportEvents, apart: numpy.ndarray) -> numpy.ndarray:
        """Return each report's share of MinHash values in common with `events`, for those
        within COPY_DAYS of it (`apart`: each report's days from it; farther ones get 0, and
        so do texts too short for shingles: their values are blank and resemble nothing)."""
        count = len(self.reports)
        shares = numpy.zeros(count)
        if not events.text.shingles:
            return shares
        rows = numpy.flatnonzero((apart <= COPY_DAYS) & self.has_text[:count] & self.live[:count])
        same = numpy.count_nonzero(self.hashes[rows] == events.text.values(), axis=1)
        shares[rows] = same / NUM_PERM
        return shares


class MatchFinder:
    def __init__(self):
        self._blocks: dict[int | None, _Block] = defaultdict(_Block)
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
        self._blocks[_block_of(events.published)].add(events)
        if events.published is None:
            return
        for person in events.suspects:
            self._by_person[person].append(events)
        for key in {_seizure_key(seizure) for seizure in events.seizures}:
            self._by_seizure[key].append(events)

    def forget_before(self, day: dt.date) -> None:
        """Drop the reports published before `day` (a pass through the archive in date order
        keeps only what a later report can still match)."""
        first_kept = _block_of(day)
        for old in [b for b in self._blocks if b is not _UNDATED and b < first_kept]:
            for events in self._blocks.pop(old).reports:
                self._keys.pop(events.key, None)
        if block := self._blocks.get(first_kept):
            for events in block.forget_before(day):
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
        for block in self._blocks_around(events.published):
            # A report is in one block: its copy test comes before its incident test.
            apart = self._days_apart(block, events.published)
            shares = block.shares(events, apart)
            for other, similar in self._copies(events, block, shares, apart):
                found[other.key] = Proposal(
                    other.key, COPY, round(similar, 3), (f"copies of one text ({similar:.2f})",)
                )
            for other, similar in self._near(events, block, shares, apart):
                if other.key not in found and (match := same_incident(events, other, similar)):
                    found[other.key] = Proposal(other.key, SAME, match.score, match.reasons)
        for other in self._case_candidates(events):
            if other.key not in found and (match := same_case(events, other)):
                found[other.key] = Proposal(other.key, LATER, match.score, match.reasons)
        found.pop(events.key, None)
        return sorted(found.values(), key=lambda p: (_TIER_ORDER[p.tier], -p.score, p.key))

    def _blocks_around(self, day: dt.date | None) -> Iterator[_Block]:
        if day is None:
            keys = [_UNDATED]
        else:
            reach = dt.timedelta(days=COPY_DAYS)
            keys = range(_block_of(day - reach), _block_of(day + reach) + 1)
        for key in keys:
            if (block := self._blocks.get(key)) and block.reports:
                yield block

    @staticmethod
    def _days_apart(block: _Block, day: dt.date | None) -> numpy.ndarray:
        count = len(block.reports)
        if day is None:
            return numpy.zeros(count, dtype=numpy.int64)
        return numpy.abs(block.days[:count] - day.toordinal())

    @staticmethod
    def _copies(events: ReportEvents, block: _Block, shares, apart):
        """Yield (report, similarity) for the copies of `events` in `block`."""
        if not events.text.shingles:
            return
        for row in numpy.flatnonzero((shares >= COPY_THRESHOLD) & (apart <= COPY_DAYS)):
            other = block.reports[row]
            if numbers_agree(events.text, other.text):
                yield other, float(other.text.minhash.jaccard(events.text.minhash))

    @staticmethod
    def _near(events: ReportEvents, block: _Block, shares, apart):
        """Yield (report, share of MinHash values) for the reports of `block` within
        DAYS_APART of `events` that may share a signal with it, in the order added."""
        if events.published is None:
            return
        count = len(block.reports)
        near = (
            (apart <= DAYS_APART) & (block.later[:count] == events.later_stage) & block.live[:count]
        )
        candidates = shares >= WORDS_SIMILAR
        if len(events.provinces) >= PROVINCES_ALONE:
            candidates |= block.wide[:count]
        rows = set(numpy.flatnonzero(near & candidates).tolist())
        for signal in _signals(events, reach=True):
            rows.update(row for row in block.signals.get(signal, ()) if near[row])
        for row in sorted(rows):
            yield block.reports[row], float(shares[row])

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


def _block_of(day: dt.date | None) -> int | None:
    return _UNDATED if day is None else day.toordinal() // BLOCK_DAYS


def _signals(events: ReportEvents, *, reach: bool = False) -> set[tuple]:
    """Return what two reports of one incident may have in common besides their wording (see
    incidents._may_share_events): people, arrest counts, seizures' drugs and amounts. With
    `reach`, the counts one apart too ("12 arrested" and "13 arrested" may be one raid)."""
    signals = {("person", name) for name in events.people}
    for count in events.arrests:
        signals.update(
            ("arrests", near) for near in ((count - 1, count, count + 1) if reach else (count,))
        )
    for drug, amount, unit in events.seizures:
        signals.add(("drug", drug, unit))
        signals.add(("amount", amount, unit))
    return signals


def _seizure_key(seizure: tuple[str, float, str]) -> tuple[str, str, int]:
    """Return (drug, unit, step of the amount on a scale of SEIZURE_STEP ratios): amounts
    within the matching tolerance fall on one step or the next."""
    drug, amount, unit = seizure
    return drug, unit, math.floor(math.log(max(amount, 1e-6)) / math.log(SEIZURE_STEP))
