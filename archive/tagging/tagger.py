"""Propose countries, ministries and crime types for a report, each with a role, confidence and
the words that support it. Pure: text and a Lexicon in, plain data out.

How a report's tags are decided:
1. Every taxonomy spelling is found in one pass (lexicon automata), keeping the longest match per
   kind where spellings overlap. A crime named inside an agency's name ("Commercial *Gambling*
   Management Commission") is part of the name, not a crime; a country inside one ("*Thai* police")
   counts only as weak evidence.
2. Each mention earns points: more in the title and the opening paragraphs, fewer for a demonym
   than for a name or a place, and few for an item in an enumeration ("sent to Vietnam, Thailand
   or other countries"; "kidnappings, robberies, homicides and torture").
3. An entry whose points pass a threshold is a *subject* of the report; the rest are *mentions*.
   The highest-scoring country is always a subject: every report happens somewhere.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from archive.languages.words import has_unspaced, is_whole_word, is_whole_word_in_any_script
from archive.tagging.anchors import AnchorYear, propose_year
from archive.tagging.dates import DateFinding, find_publication_date
from archive.tagging.lexicon import (
    ACRONYM,
    ALIAS,
    AMBIGUOUS,
    COUNTRY,
    CRIME_TYPE,
    DEMONYM,
    GENERIC_MINISTRY,
    MINISTRY,
    NAME,
    PLACE,
    Lexicon,
    Term,
    fold,
)
from archive.text import sentence_at

SUBJECT, MENTION = "subject", "mention"

# Points for where a mention stands: the title, the lead, the paragraph after it.
TITLE_POINTS = 3.0
POSITION_POINTS = {0: 2.0, 1: 1.0}
LISTED_POSITION_POINTS = {0: 1.5, 1: 0.5}
# Points for one mention by the form of words used.
FORM_POINTS = {NAME: 1.0, ALIAS: 1.0, ACRONYM: 1.0, PLACE: 1.5, DEMONYM: 0.5, AMBIGUOUS: 1.0}
LISTED_POINTS = 0.4
LISTED_COUNTRY_POINTS = 0.25
# Places say where things happen, but a long list of towns should not outweigh everything else.
MAX_PLACE_POINTS = 3.0
# Each agency of a country that the report names is evidence for the country.
AGENCY_POINTS, MAX_AGENCY_POINTS = 0.5, 1.5
GENERIC_REFERENCE_POINTS = 0.5

COUNTRY_SUBJECT_POINTS = 2.5
# A second country is a subject only with evidence comparable to the first's.
COUNTRY_SUBJECT_SHARE = 0.4
# "BANGKOK, June 2 (Xinhua) --": where the desk sits, weak evidence of what the report is about.
DATELINE_POINTS = 0.5
MINISTRY_SUBJECT_POINTS = 2.0
CRIME_SUBJECT_POINTS = 2.0
# Below this, a proposal goes to the review queue.
REVIEW_CONFIDENCE = 0.6

# Words between two items of one enumeration: ", ", " and ", ", or " ...
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*(?:and|or|&))\s*", re.IGNORECASE)
_OPEN_LIST_TAIL = re.compile(r"\s*,?\s*(?:and|or)\s+other\b", re.IGNORECASE)
EVIDENCE_MAX_CHARS = 300
# "PHNOM PENH, March 3, 2023 (Xinhua) --" or "HANOI —" opening the first paragraph.
_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,40}(?:,[^\n]{0,40}?)?(?:\([A-Za-z .]{2,30}\))?\s*(?:--|—|–)\s*"
)


@dataclass(frozen=True)
class Mention:
    kind: str
    term: Term
    start: int
    end: int
    paragraph: int  # -1 for the title
    entry_id: int | None = None  # resolved where the spelling names several entries
    listed: bool = False
    inside_agency: bool = False
    in_dateline: bool = False


@dataclass(frozen=True)
class Proposal:
    kind: str
    entry_id: int
    role: str
    confidence: float
    evidence: str
    score: float


@dataclass
class TagProposals:
    countries: list[Proposal] = field(default_factory=list)
    ministries: list[Proposal] = field(default_factory=list)
    crime_types: list[Proposal] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Proposal]]:
        return {COUNTRY: self.countries, MINISTRY: self.ministries, CRIME_TYPE: self.crime_types}


@dataclass(frozen=True)
class Document:
    """The title and body joined, with where each paragraph and sentence starts."""

    text: str
    title_end: int
    paragraph_starts: tuple[int, ...]
    dateline_end: int  # 0 when the report has no dateline

    @classmethod
    def of(cls, title: str, body: str) -> Document:
        title = title.strip()
        text = f"{title}\n\n{body}" if title else body
        title_end = len(title) if title else 0
        starts = [title_end + 2 if title else 0]
        for match in re.finditer(r"\n\s*\n", text[starts[0] :]):
            starts.append(starts[0] + match.end())
        dateline = _DATELINE.match(text, starts[0])
        return cls(
            text=text,
            title_end=title_end,
            paragraph_starts=tuple(starts),
            dateline_end=dateline.end() if dateline else 0,
        )

    def paragraph_of(self, position: int) -> int:
        if position < self.title_end:
            return -1
        return max(bisect.bisect_right(self.paragraph_starts, position) - 1, 0)

    def sentence_around(self, start: int, end: int) -> str:
        return _shorten(sentence_at(self.text, start, end), self.text[start:end])


@dataclass(frozen=True)
class Reading:
    """Everything the tagger reads in one report: its tags and its publication date."""

    proposals: TagProposals
    date: DateFinding


DATED_ALREADY = "dated by import metadata or a curator: the text was not read for a date"


def read_report(
    *,
    title: str,
    title_derived: bool,
    body: str,
    raw_text: str,
    lexicon: Lexicon,
    today: dt.date | None = None,
    dated: bool = False,
) -> Reading:
    """Return the tags the report supports and the date its text establishes.

    `dated` says the report's date is known already (from import metadata or a curator), which
    a date read in the text never replaces: the text is then not read for one.
    """
    # A derived title is the lead's first sentence: reading it as a title would count it twice.
    proposals = propose_tags("" if title_derived else title, body, lexicon)
    if dated:
        return Reading(proposals, DateFinding(None, None, None, 0.0, DATED_ALREADY))
    finding = find_publication_date(raw_text, today=today)
    if finding.year is None and lexicon.anchors:
        finding = dated_by_anchor(
            finding, propose_year(raw_text, anchors=lexicon.anchors, today=today)
        )
    return Reading(proposals, finding)


def dated_by_anchor(finding: DateFinding, anchor: AnchorYear | None) -> DateFinding:
    """Return the finding with the year an anchor event gives, when the text states none.

    The anchor's year is a proposal too, never a stated year; it replaces a lower bound ("refers
    to 2016 as past") only when it is no earlier, so it never contradicts what the text says.
    """
    if anchor is None or finding.year is not None:
        return finding
    if finding.proposed_year is not None and anchor.year < finding.proposed_year:
        return finding
    return replace(
        finding,
        proposed_year=anchor.year,
        confidence=anchor.confidence,
        # Said in the evidence itself, which admin shows beside the year: a proposal, not a year
        # the report states.
        evidence=(
            f"year proposed by the machine from the anchor event {anchor.anchor} "
            f"({anchor.rule}): {anchor.as_written}: {anchor.evidence}"
        ),
    )


def propose_tags(title: str, body: str, lexicon: Lexicon) -> TagProposals:
    """Return the tags the report's title and body support, strongest first in each kind."""
    document = Document.of(title, body)
    mentions = find_mentions(document, lexicon)
    by_kind: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_kind[mention.kind].append(mention)
    for kind in (COUNTRY, MINISTRY, CRIME_TYPE):
        by_kind[kind] = _mark_enumerations(by_kind[kind], document.text)

    ministries = _resolve_ministries(by_kind[MINISTRY], by_kind[COUNTRY], lexicon)
    country_scores = _country_scores(by_kind[COUNTRY], ministries, lexicon)
    countries = _country_proposals(country_scores, by_kind[COUNTRY], document)
    subject_countries = {p.entry_id for p in countries if p.role == SUBJECT}
    return TagProposals(
        countries=countries,
        ministries=_ministry_proposals(
            ministries, by_kind[GENERIC_MINISTRY], subject_countries, lexicon, document
        ),
        crime_types=_simple_proposals(
            by_kind[CRIME_TYPE], CRIME_TYPE, CRIME_SUBJECT_POINTS, document
        ),
    )


def find_mentions(document: Document, lexicon: Lexicon) -> list[Mention]:
    """Return every whole-word match of a taxonomy spelling, longest first where they overlap."""
    text = document.text
    folded = fold(text)
    whole_word = is_whole_word_in_any_script if has_unspaced(text) else is_whole_word
    raw: list[tuple[int, int, Term]] = []
    for automaton, haystack in ((lexicon.folded, folded), (lexicon.exact, text)):
        if automaton is None or not len(automaton):
            continue
        for end_index, (length, terms) in automaton.iter(haystack):
            start, end = end_index - length + 1, end_index + 1
            if whole_word(text, start, end):
                raw.extend((start, end, term) for term in terms)
    selected: list[Mention] = []
    for kind in (MINISTRY, COUNTRY, CRIME_TYPE, GENERIC_MINISTRY):
        spans = sorted(
            ((s, e, t) for s, e, t in raw if t.kind == kind),
            key=lambda item: (item[0], item[0] - item[1]),
        )
        last_end = -1
        for start, end, term in spans:
            if start >= last_end:
                selected.append(
                    Mention(
                        kind,
                        term,
                        start,
                        end,
                        document.paragraph_of(start),
                        in_dateline=end <= document.dateline_end,
                    )
                )
                last_end = end
    agency_spans = [(m.start, m.end) for m in selected if m.kind == MINISTRY]

    def inside_agency(mention: Mention) -> bool:
        return any(s <= mention.start and mention.end <= e for s, e in agency_spans)

    result = []
    for mention in selected:
        if mention.kind in (CRIME_TYPE, GENERIC_MINISTRY) and inside_agency(mention):
            continue  # part of an agency's name
        if mention.kind == COUNTRY and inside_agency(mention):
            mention = replace(mention, inside_agency=True)
        result.append(mention)
    return sorted(result, key=lambda m: m.start)


def _mark_enumerations(mentions: list[Mention], text: str) -> list[Mention]:
    """Mark mentions that are items of an enumeration of three or more (or "X, Y or other")."""
    if len(mentions) < 2:
        return mentions
    chains: list[list[int]] = [[0]]
    for index in range(1, len(mentions)):
        gap = text[mentions[index - 1].end : mentions[index].start]
        if _LIST_GAP.fullmatch(gap):
            chains[-1].append(index)
        else:
            chains.append([index])
    listed: set[int] = set()
    for chain in chains:
        tail = text[mentions[chain[-1]].end : mentions[chain[-1]].end + 30]
        if len(chain) >= 3 or (len(chain) >= 2 and _OPEN_LIST_TAIL.match(tail)):
            listed.update(chain)
    return [replace(m, listed=True) if i in listed else m for i, m in enumerate(mentions)]


def _resolve_ministries(
    ministries: list[Mention], countries: list[Mention], lexicon: Lexicon
) -> list[Mention]:
    """Pick, for a spelling several countries' agencies share, the one of the report's country."""
    weight: dict[int, float] = defaultdict(float)
    for mention in countries:
        for entry_id in mention.term.entry_ids:
            weight[entry_id] += FORM_POINTS[mention.term.form]
    resolved = []
    for mention in ministries:
        candidates = mention.term.entry_ids
        if len(candidates) == 1:
            resolved.append(replace(mention, entry_id=candidates[0]))
            continue
        ranked = sorted(
            candidates, key=lambda m: weight.get(lexicon.ministry_country[m], 0.0), reverse=True
        )
        best, runner_up = ranked[0], ranked[1]
        best_weight = weight.get(lexicon.ministry_country[best], 0.0)
        if best_weight > weight.get(lexicon.ministry_country[runner_up], 0.0):
            resolved.append(replace(mention, entry_id=best))
        # Otherwise the text does not say which country's agency it is: no guess.
    return resolved


def _position_points(mentions: list[Mention]) -> float:
    points = 0.0
    if any(m.paragraph == -1 for m in mentions):
        points += TITLE_POINTS
    for paragraph in (0, 1):
        here = [m for m in mentions if m.paragraph == paragraph]
        if here:
            table = POSITION_POINTS if any(not m.listed for m in here) else LISTED_POSITION_POINTS
            points += table[paragraph]
    return points


def _country_scores(
    countries: list[Mention], ministries: list[Mention], lexicon: Lexicon
) -> dict[int, tuple[float, bool]]:
    """Return {country id: (points, whether it has a strong mention)}."""
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for mention in countries:
        for entry_id in mention.term.entry_ids:
            grouped[entry_id].append(mention)
    agencies: dict[int, set[int]] = defaultdict(set)
    for mention in ministries:
        country = lexicon.ministry_country.get(mention.entry_id)
        if country is not None:
            agencies[country].add(mention.entry_id)
    scores = {}
    for country in set(grouped) | set(agencies):
        mentions = grouped.get(country, [])
        if not agencies.get(country) and all(m.term.form == AMBIGUOUS for m in mentions):
            continue  # "Chad" or "Jordan" alone may be a person: nothing else names the country
        place_points = 0.0
        points = 0.0
        for mention in mentions:
            form = mention.term.form
            value = LISTED_COUNTRY_POINTS if mention.listed else FORM_POINTS[form]
            if mention.inside_agency:
                value = min(value, FORM_POINTS[DEMONYM])
            if mention.in_dateline:
                value = DATELINE_POINTS
            if form == PLACE and not mention.listed:
                place_points += value
            else:
                points += value
        points += min(place_points, MAX_PLACE_POINTS)
        telling = [m for m in mentions if not m.in_dateline]
        strong = [
            m for m in telling if m.term.form != DEMONYM and not m.listed and not m.inside_agency
        ]
        points += _position_points(
            [m for m in telling if m.term.form != DEMONYM or m.paragraph == -1]
        )
        points += min(AGENCY_POINTS * len(agencies.get(country, ())), MAX_AGENCY_POINTS)
        scores[country] = (points, bool(strong))
    return scores


def _country_proposals(scores, mentions: list[Mention], document: Document) -> list[Proposal]:
    if not scores:
        return []
    top = max(points for points, _ in scores.values())
    proposals = []
    for country, (points, strong) in scores.items():
        is_subject = points == top or (
            points >= COUNTRY_SUBJECT_POINTS and strong and points >= COUNTRY_SUBJECT_SHARE * top
        )
        own = [m for m in mentions if country in m.term.entry_ids]
        proposals.append(
            _proposal(COUNTRY, country, points, is_subject, own, document, COUNTRY_SUBJECT_POINTS)
        )
    return _ranked(proposals)


def _ministry_proposals(ministries, generic, subject_countries, lexicon, document):
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for mention in ministries:
        grouped[mention.entry_id].append(mention)
    # "the ministry" points back at the last ministry (not agency) named before it.
    generic_points: dict[int, float] = defaultdict(float)
    named = [m for m in ministries if lexicon.ministry_kind.get(m.entry_id) == "ministry"]
    for reference in generic:
        before = [m for m in named if m.end <= reference.start]
        if before:
            generic_points[before[-1].entry_id] += GENERIC_REFERENCE_POINTS
    proposals = []
    for ministry, mentions in grouped.items():
        points = sum(LISTED_POINTS if m.listed else 1.0 for m in mentions)
        points += _position_points(mentions) + generic_points[ministry]
        country = lexicon.ministry_country.get(ministry)
        foreign_aside = (
            country is not None
            and country not in subject_countries
            and all(m.paragraph > 0 for m in mentions)
        )
        is_subject = points >= MINISTRY_SUBJECT_POINTS and not foreign_aside
        proposals.append(
            _proposal(
                MINISTRY, ministry, points, is_subject, mentions, document, MINISTRY_SUBJECT_POINTS
            )
        )
    return _ranked(proposals)


def _simple_proposals(mentions, kind, threshold, document) -> list[Proposal]:
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        for entry_id in mention.term.entry_ids:
            grouped[entry_id].append(mention)
    proposals = []
    for entry_id, own in grouped.items():
        points = sum(LISTED_POINTS if m.listed else 1.0 for m in own) + _position_points(own)
        proposals.append(
            _proposal(kind, entry_id, points, points >= threshold, own, document, threshold)
        )
    return _ranked(proposals)


def _proposal(kind, entry_id, points, is_subject, mentions, document, threshold) -> Proposal:
    # Confidence that the tag *with its role* is right grows with the distance from the
    # subject/mention boundary: a call near the threshold is the one a curator should look at.
    distance = min(1.0, abs(points - threshold) / threshold)
    confidence = 0.5 + 0.45 * distance
    # The best evidence is the first unlisted mention, else the first of all.
    best = next((m for m in mentions if not m.listed), mentions[0]) if mentions else None
    evidence = document.sentence_around(best.start, best.end) if best else ""
    return Proposal(
        kind,
        entry_id,
        SUBJECT if is_subject else MENTION,
        round(confidence, 2),
        evidence,
        round(points, 2),
    )


def _ranked(proposals: list[Proposal]) -> list[Proposal]:
    return sorted(proposals, key=lambda p: (p.role != SUBJECT, -p.score, p.entry_id))


def _shorten(sentence: str, surface: str) -> str:
    quoted = f"«{surface}» "
    if len(sentence) <= EVIDENCE_MAX_CHARS:
        return quoted + sentence
    at = max(sentence.find(surface), 0)
    start = max(0, at - EVIDENCE_MAX_CHARS // 2)
    return quoted + "…" + sentence[start : start + EVIDENCE_MAX_CHARS].strip() + "…"
