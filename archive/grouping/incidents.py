"""Reports of the same incident written independently: matched on the events they state.

    events = report_events("r1", published=date(2023, 7, 9), title=..., body=..., figures=...)
    same_incident(events_a, events_b)
    -> Match(score=5.5, reasons=("same province KH-12", "1 day apart",
                                 "both 22.6 kg ketamine", "both name Lin Chih-wei"))

Independent rewrites of one raid share few words (3-word shingles: 0.01 to 0.08), while two
raids written from one police template share many, so words decide little here. What decides
is what both state: where (the provinces their figures happened in), when (published within
DAYS_APART days), and what (the same drug and quantity, within QUANTITY_TOLERANCE; the same
arrest count; a person both name), with the text's own similarity as one more signal. A pair is
proposed when it shares a province, falls within the window, is at the same stage of a case
(a report of a charge, a trial or a sentence is a later stage: a thread, not the same incident)
and its signals reach MATCH_SCORE; a figure both state and disagree on beyond tolerance counts
against. Each proposal carries its reasons, for the curator who confirms it. Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from archive.extraction.figures import Figure, FigureKind, Scope
from archive.extraction.people import CRIMINAL_ROLES
from archive.grouping.copies import Fingerprint, fingerprint, numbers_agree, similarity
from archive.languages.words import fold

DAYS_APART = 3
QUANTITY_TOLERANCE = 0.05  # "22 kilograms" and "22.6 kg" are one seizure, 1.5m and 1.6m pills two
MATCH_SCORE = 2.0
OTHER_PROVINCE_EXTRA = 1.5
# Signal -> weight.
WEIGHTS = {
    "copy": 3.0,
    "seizure": 2.0,
    "amount": 1.0,  # the same amount, the drug named otherwise ("precursors", "ketamine")
    "person": 2.0,
    "arrests": 2.0,  # the same count of DISTINCT_COUNT or more people
    "few arrests": 1.0,  # of fewer, or counts one apart ("16" and "17")
    "words": 1.0,
    "province": 0.5,  # each province both name, up to PROVINCES_COUNTED of them
    "conflict": -2.0,
}
PROVINCES_COUNTED = 3
DISTINCT_COUNT = 5  # "312 arrested" tells a raid; "two arrested" tells little
WORDS_SIMILAR = 0.1  # independent rewrites rarely reach it; template reports often do
# Reports with this many provinces in common are compared further even with no other signal.
PROVINCES_ALONE = 4
# A report whose headline or lead says one of these reports a later stage of a case.
_LATER_STAGE = re.compile(
    r"\b(?:charged|charges?|indicted|court|trial|tried|sentenced|sentences?|convicted|jailed"
    r"|prison|appeal|verdict|prosecutors?|deported|repatriated|handed over)\b"
    r"|truy tố|xét xử|tuyên án|kháng cáo|tiếp nhận|trao trả|ផ្តន្ទាទោស|តុលាការ|ศาล|พิพากษา",
    re.IGNORECASE,
)
LEAD_CHARS = 300
# Story threads: a later stage of the same case (the charge, the trial, the sentence, the
# appeal), months apart, matched on what it repeats of the first reports: the people, the
# seizure, the place. Words are no signal here: a verdict is written unlike a raid.
THREAD_DAYS = 800
THREAD_SCORE = 4.0


@dataclass(frozen=True)
class ReportEvents:
    """What one report states that tells its incident: plain data, built once per report."""

    key: str
    published: dt.date | None
    provinces: frozenset[str]  # ISO 3166-2 codes of where its figures happened and it names
    seizures: tuple[tuple[str, float, str], ...]  # (drug, amount, "kg" or the counted unit)
    arrests: frozenset[int]  # single-event arrest counts
    people: frozenset[str]  # names, folded
    suspects: frozenset[str]  # those of suspects and the accused
    names: tuple[tuple[str, str], ...]  # (folded, as written), for the reasons shown
    later_stage: bool  # a charge, a trial, a sentence
    text: Fingerprint


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...]


def report_events(
    key: str, *, published: dt.date | None, title: str, body: str, figures: Iterable[Figure]
) -> ReportEvents:
    """Return what a report states, from its figures (archive.extraction.report.read_figures)."""
    figures = list(figures)
    located = {
        str(figure.values["place"])
        for figure in figures
        if figure.kind != FigureKind.PLACE and figure.values.get("place")
    }
    named = [str(f.values["iso"]) for f in figures if f.kind == FigureKind.PLACE]
    people = [f.values for f in figures if f.kind == FigureKind.PERSON]
    names = {str(person["name"]) for person in people}
    # Over a thread's months, only the suspects and the accused tell a case: an official (a
    # minister, a police spokesman) is named in many reports of many cases.
    suspects = {fold(str(p["name"])) for p in people if p.get("role") in CRIMINAL_ROLES}
    seizures = tuple(
        sorted(
            {
                (str(f.values["drug"]), float(f.values["mass_kg"]), "kg")
                if f.values.get("mass_kg")
                else (str(f.values["drug"]), float(f.values["quantity"]), str(f.values["unit"]))
                for f in figures
                if f.kind == FigureKind.SEIZURE and f.scope == Scope.SINGLE
            }
        )
    )
    return ReportEvents(
        key=key,
        published=published,
        provinces=frozenset(located | set(named)),
        seizures=seizures,
        arrests=frozenset(
            int(f.values["count"])
            for f in figures
            if f.kind == FigureKind.ARREST and f.scope == Scope.SINGLE and f.values.get("count")
        ),
        people=frozenset(fold(name) for name in names),
        suspects=frozenset(suspects),
        names=tuple(sorted((fold(name), name) for name in names)),
        later_stage=bool(_LATER_STAGE.search(f"{title}\n{body[:LEAD_CHARS]}")),
        text=fingerprint(body),
    )


def same_incident(
    first: ReportEvents, second: ReportEvents, similar: float | None = None
) -> Match | None:
    """Return the match of two reports of one incident, with its reasons, or None. `similar`
    is their text similarity when the caller has it (archive.grouping.finder)."""
    if first.later_stage != second.later_stage:
        return None  # an arrest and its trial: a thread
    days = None
    if first.published and second.published:
        days = abs((first.published - second.published).days)
        if days > DAYS_APART:
            return None
    provinces = first.provinces & second.provinces
    if similar is None:
        similar = similarity(first.text, second.text)
    if len(provinces) < PROVINCES_ALONE and not _may_share_events(first, second, similar):
        # Without a seizure, an arrest count, a person or wording in common, the provinces
        # alone cannot reach MATCH_SCORE: most pairs end here, before any text is compared.
        return None
    countries = _countries(first) & _countries(second)
    if not provinces and not countries:
        return None
    reasons = (
        [f"same province {', '.join(sorted(provinces))}"]
        if provinces
        else [f"same country {', '.join(sorted(countries))}, another province"]
    )
    if days is not None:
        reasons.append(
            "published the same day" if days == 0 else f"{days} day{'s' * (days > 1)} apart"
        )
    score, found = _evidence(first, second, provinces, similar=similar)
    reasons += found
    # Reports of one raid may place it differently (the district, the province, the capital
    # where the ministry spoke): without a province in common, it takes more to match.
    if score < (MATCH_SCORE if provinces else MATCH_SCORE + OTHER_PROVINCE_EXTRA):
        return None
    return Match(round(score, 2), tuple(reasons))


def same_case(first: ReportEvents, second: ReportEvents) -> Match | None:
    """Return the match of two reports of one case at different stages (an arrest and its
    trial, a charge and its sentence), with its reasons, or None."""
    if not first.published or not second.published:
        return None
    days = abs((first.published - second.published).days)
    if days > THREAD_DAYS:
        return None
    if first.later_stage == second.later_stage and (not first.later_stage or days <= DAYS_APART):
        return None  # two first reports, or one stage reported twice: not a thread
    provinces = first.provinces & second.provinces
    if not provinces:
        return None
    score, found = _evidence(first, second, provinces, similar=0.0, officials=False)
    if score < THREAD_SCORE or not (first.suspects & second.suspects or _shares_seizure(found)):
        return None
    return Match(
        round(score, 2),
        (f"same province {', '.join(sorted(provinces))}", f"{days} days apart", *found),
    )


def _shares_seizure(reasons: list[str]) -> bool:
    return any(reason.startswith("both ") and "arrested" not in reason for reason in reasons)


def _evidence(
    first: ReportEvents,
    second: ReportEvents,
    provinces: frozenset[str],
    *,
    similar: float,
    officials: bool = True,
) -> tuple[float, list[str]]:
    """Return the score of what two reports both state, and its reasons."""
    found: list[str] = []
    score = 0.0
    score += WEIGHTS["province"] * min(len(provinces), PROVINCES_COUNTED)
    if similar >= 0.25 and numbers_agree(first.text, second.text):
        score += WEIGHTS["copy"]
        found.append(f"copies of one text ({similar:.2f} of their wording)")
    elif similar >= WORDS_SIMILAR:
        score += WEIGHTS["words"]
        found.append(f"{similar:.2f} of their wording shared")
    for drug, amount, unit in first.seizures:
        same = [other for name, other, its in second.seizures if (name, its) == (drug, unit)]
        if any(_close(amount, other) for other in same):
            score += WEIGHTS["seizure"]
            found.append(f"both {_amount(amount)} {unit} {drug}")
        elif same and not any(_close(a, b) for a, b in _amounts(first, second, drug, unit)):
            score += WEIGHTS["conflict"]
            found.append(f"{drug}: {_amount(amount)} {unit} against {_amount(same[0])} {unit}")
        elif not same and any(
            amount == other and unit == its for _name, other, its in second.seizures
        ):
            score += WEIGHTS["amount"]
            found.append(f"both {_amount(amount)} {unit}")
    if shared_counts := first.arrests & second.arrests:
        count = max(shared_counts)
        score += WEIGHTS["arrests" if count >= DISTINCT_COUNT else "few arrests"]
        found.append(f"both {count} arrested")
    elif near := [
        (a, b)
        for a in first.arrests
        for b in second.arrests
        if abs(a - b) == 1 and min(a, b) >= DISTINCT_COUNT
    ]:
        score += WEIGHTS["few arrests"]
        found.append(f"{near[0][0]} and {near[0][1]} arrested")
    if shared := (first.people & second.people if officials else first.suspects & second.suspects):
        score += WEIGHTS["person"]
        written = dict(first.names)
        found.append(f"both name {', '.join(sorted(written[name] for name in shared))}")
    return score, found


def incident_groups(events: Mapping[str, ReportEvents]) -> list[list[str]]:
    """Return the groups of reports of one incident (pairs matched, joined transitively)."""
    keys = list(events)
    parent = {key: key for key in keys}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for index, key in enumerate(keys):
        for other in keys[index + 1 :]:
            if same_incident(events[key], events[other]):
                first, second = sorted((root(key), root(other)))
                parent[second] = first
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(root(key), []).append(key)
    return sorted((sorted(group) for group in groups.values() if len(group) > 1), key=min)


def _may_share_events(first: ReportEvents, second: ReportEvents, similar: float) -> bool:
    """Return whether two reports may share a signal _evidence scores (a cheap test)."""
    if first.people & second.people or first.arrests & second.arrests:
        return True
    if any(abs(a - b) == 1 for a in first.arrests for b in second.arrests):
        return True
    amounts = {(amount, unit) for _drug, amount, unit in second.seizures}
    drugs = {(drug, unit) for drug, _amount, unit in second.seizures}
    if any((d, u) in drugs or (a, u) in amounts for d, a, u in first.seizures):
        return True
    return similar >= WORDS_SIMILAR


def _countries(events: ReportEvents) -> set[str]:
    return {code.split("-")[0] for code in events.provinces}


def _amount(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,.3g}"


def _close(first: float, second: float) -> bool:
    return abs(first - second) <= QUANTITY_TOLERANCE * max(first, second)


def _amounts(first: ReportEvents, second: ReportEvents, drug: str, unit: str):
    """Every (amount, amount) pair of one drug in one unit the two reports state."""
    return (
        (a, b)
        for name, a, its in first.seizures
        if (name, its) == (drug, unit)
        for other, b, theirs in second.seizures
        if (other, theirs) == (drug, unit)
    )
