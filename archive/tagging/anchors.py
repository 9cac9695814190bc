"""A year for a report that states none, from the anchor events it mentions.

"The 14th anniversary of the World Day of Remembrance for Road Traffic Victims" (first observed
2005) dates a report to 2019; "the 14th ASEAN Ministerial Meeting on Transnational Crime" to
2020; "the past six months of the seventh-mandate government" (from August 2023) to 2024. The
calendar of such events is plain data (anchor_calendar.py) that curators extend in admin
(archive.models.AnchorEvent).

The year is a proposal, with the rule and the sentence as evidence. It never contradicts an
explicit date: a report is not older than any year it writes as past or present, so a proposal
earlier than one of `explicit_years` is dropped. Of several anchors, the latest year is
proposed: a report is no older than any event it mentions as having happened.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

# The date reader's own rules for what a year is and when it is a time to come; shared so the
# two never disagree about which years a report writes as past.
from archive.tagging.dates import BARE_YEAR, looked_forward_to
from archive.tagging.lexicon import fold
from archive.text import sentence_span_at

ANNIVERSARY, NUMBERED, PERIOD = "anniversary", "numbered", "period"
ANNIVERSARY_CONFIDENCE = 0.6  # an anniversary is usually marked in its year, not always
NUMBERED_CONFIDENCE = 0.7  # a numbered meeting is held in one known year
PERIOD_CONFIDENCE = 0.6  # "the past six months of ..." is written at about its end
AGREES_WITH_EXPLICIT_BONUS = 0.1  # a written year equal to the proposal supports it
# How far before an anchor's name its ordinal or count may stand: "the 50th founding anniversary
# of the establishment of diplomatic ties" is about 60 characters; the longest ordinal is 15.
MENTION_REACH = 160

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNIT_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
)  # fmt: skip
_TEEN_ORDINALS = (
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
)  # fmt: skip
_TENS_ORDINALS = (
    "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
    "ninetieth",
)  # fmt: skip


def _number_words() -> tuple[dict[str, int], dict[str, int]]:
    cardinals = {word: n for n, word in enumerate(_UNITS + _TEENS, 1)}
    ordinals = {word: n for n, word in enumerate(_UNIT_ORDINALS + _TEEN_ORDINALS, 1)}
    for tens, (cardinal, ordinal) in enumerate(zip(_TENS, _TENS_ORDINALS, strict=True), 2):
        cardinals[cardinal], ordinals[ordinal] = tens * 10, tens * 10
        for unit, (unit_cardinal, unit_ordinal) in enumerate(
            zip(_UNITS, _UNIT_ORDINALS, strict=True), 1
        ):
            for joiner in ("-", " "):
                cardinals[f"{cardinal}{joiner}{unit_cardinal}"] = tens * 10 + unit
                ordinals[f"{cardinal}{joiner}{unit_ordinal}"] = tens * 10 + unit
    return cardinals, ordinals


CARDINALS, ORDINALS = _number_words()
_ORDINAL = (
    r"(?P<ordinal>\d{1,3}(?:st|nd|rd|th)|"
    + "|".join(sorted(ORDINALS, key=len, reverse=True))
    + r")"
)
_COUNT = r"(?P<count>\d{1,4}|" + "|".join(sorted(CARDINALS, key=len, reverse=True)) + r")"
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}  # a month or year on average


@dataclass(frozen=True)
class AnchorYear:
    """A year an anchor event gives a report: a proposal, with its evidence."""

    year: int
    anchor: str  # the event's name
    as_written: str  # the mention ("the 14th anniversary of the World Day of Remembrance")
    start: int  # the mention's character offsets
    end: int
    evidence: str  # the sentence holding it
    rule: str  # "nth-anniversary", "nth-observance", "numbered-edition" or "period-elapsed"
    confidence: float


@dataclass(frozen=True)
class Anchor:
    name: str
    aliases: tuple[str, ...]  # as reports write it; case, spaces and hyphens do not matter
    kind: str  # ANNIVERSARY, NUMBERED or PERIOD
    first_year: int | None = None  # ANNIVERSARY: the year it happened or was first observed
    editions: tuple[tuple[int, int], ...] = ()  # NUMBERED: (edition, year)
    start: dt.date | None = None  # PERIOD: the day it began
    requires: tuple[str, ...] = ()  # words the report must hold; alternatives split by "|"
    notes: str = ""


def propose_year(
    text: str,
    *,
    anchors: Iterable[Anchor],
    explicit_years: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> AnchorYear | None:
    """Return the year the anchors in `text` give, with its evidence, or None.

    `explicit_years` are the years the report writes as past or present; None reads them with
    explicit_years_in, only when an anchor is mentioned (most reports name none).
    """
    today = today or dt.date.today()
    folded = fold(text)  # lower-cased, every character where it was
    explicit: set[int] | None = None if explicit_years is None else set(explicit_years)
    candidates = []
    for anchor in anchors:
        # A word of each alias, looked up as plain text first: far cheaper than any pattern.
        if not any(word in folded for word in _key_words(anchor)):
            continue
        mentions = _mentions(anchor, text, folded)
        if not mentions or not all(_holds(text, words) for words in anchor.requires):
            continue
        if explicit is None:
            explicit = set(explicit_years_in(text))
        latest_explicit = max(explicit, default=None)
        for match in mentions:
            year, rule, confidence = _year_of(anchor, match)
            if year is None or year > today.year:
                continue
            if latest_explicit is not None and year < latest_explicit:
                continue  # the report writes a later year as past: it is not from this year
            start, end = sentence_span_at(text, match.start())
            sentence = text[start:end]
            # Of two anchors spelled alike ("diplomatic ties"), the one whose countries the
            # sentence itself names is meant.
            named_here = sum(_holds(sentence, words) for words in anchor.requires)
            if year in explicit:
                confidence += AGREES_WITH_EXPLICIT_BONUS
            candidates.append((year, named_here, confidence, match, anchor, rule, sentence))
    if not candidates:
        return None
    best_named = {}
    for candidate in candidates:
        key = (candidate[3].start(), candidate[3].end())
        best_named[key] = max(best_named.get(key, 0), candidate[1])
    candidates = [c for c in candidates if c[1] == best_named[(c[3].start(), c[3].end())]]
    by_span: dict[tuple[int, int], set[int]] = {}
    for candidate in candidates:
        by_span.setdefault((candidate[3].start(), candidate[3].end()), set()).add(candidate[0])
    # A mention two anchors read as different years says nothing sure.
    candidates = [c for c in candidates if len(by_span[(c[3].start(), c[3].end())]) == 1]
    if not candidates:
        return None
    year, _, confidence, match, anchor, rule, sentence = max(candidates, key=lambda c: (c[0], c[2]))
    return AnchorYear(
        year=year,
        anchor=anchor.name,
        as_written=match.group(),
        start=match.start(),
        end=match.end(),
        evidence=sentence.strip(),
        rule=rule,
        confidence=round(min(confidence, 1.0), 2),
    )


def explicit_years_in(text: str) -> list[int]:
    """Return the years `text` writes as past or present ("in 2016", "February 2, 2022"), not
    those it looks forward to ("by 2025", "will ... in 2026")."""
    years = []
    for match in BARE_YEAR.finditer(text):
        start, end = sentence_span_at(text, match.start())
        sentence = text[start:end]
        if not looked_forward_to(sentence, match.start() - start, match.end() - start):
            years.append(int(match.group()))
    return years


def _year_of(anchor: Anchor, match: re.Match) -> tuple[int | None, str, float]:
    """Return the year a mention gives, the rule's name and its confidence."""
    if anchor.kind == PERIOD:
        count = _number(match["count"], CARDINALS)
        unit = match["unit"].lower().rstrip("s")
        end = anchor.start + dt.timedelta(days=count * _UNIT_DAYS[unit])
        return end.year, "period-elapsed", PERIOD_CONFIDENCE
    number = _number(match["ordinal"], ORDINALS)
    if anchor.kind == NUMBERED:
        return dict(anchor.editions).get(number), "numbered-edition", NUMBERED_CONFIDENCE
    if match["anniversary"]:
        return anchor.first_year + number, "nth-anniversary", ANNIVERSARY_CONFIDENCE
    return anchor.first_year + number - 1, "nth-observance", ANNIVERSARY_CONFIDENCE


def _mentions(anchor: Anchor, text: str, folded: str) -> list[re.Match]:
    """Return the matches of an anchor's pattern in `text`.

    The pattern starts with an ordinal or a count of many spellings, slow to try at every word
    of a report; the alias is plain words, fast to find, and most reports name no anchor. So the
    alias is found first and the pattern is tried only on the words just before it.
    """
    matches = []
    for alias in _alias_regex(anchor).finditer(folded):
        window_start = max(0, alias.start() - MENTION_REACH)
        match = _pattern(anchor).search(text, window_start, alias.end())
        if (
            match
            and match.end() == alias.end()
            and (not matches or match.start() >= matches[-1].end())
        ):
            matches.append(match)
    return matches


@functools.cache
def _key_words(anchor: Anchor) -> tuple[str, ...]:
    """Return the longest word of each alias, lower-cased: a report without any of them cannot
    mention the anchor."""
    return tuple(max(re.split(r"[\s-]+", alias.lower()), key=len) for alias in anchor.aliases)


@functools.cache
def _alias_regex(anchor: Anchor) -> re.Pattern:
    return re.compile(_aliases(anchor, fold))


def _aliases(anchor: Anchor, spell=str) -> str:
    return (
        "(?:"
        + "|".join(_alias_pattern(spell(a)) for a in sorted(anchor.aliases, key=len, reverse=True))
        + r")s?(?![\w-])"
    )


@functools.cache
def _pattern(anchor: Anchor) -> re.Pattern:
    """Return the regular expression of an anchor's mentions, compiled once per anchor."""
    alias = _aliases(anchor)
    if anchor.kind == PERIOD:
        return re.compile(
            rf"\b(?:past|first|last|initial)\s+{_COUNT}\s+(?P<unit>days?|weeks?|months?|years?)\s+"
            rf"(?:of|under|since the start of|into)\s+(?:the\s+)?(?:[\w'-]+\s+){{0,3}}?{alias}",
            re.IGNORECASE,
        )
    if anchor.kind == NUMBERED:
        # "the 14th ASEAN ...", "the 44th and 45th ASEAN Summits": the first edition named.
        return re.compile(rf"\b{_ORDINAL}(?:\s*(?:,|and|&)\s*\w+)?\s+{alias}", re.IGNORECASE)
    return re.compile(
        rf"\b{_ORDINAL}\s+(?:(?P<anniversary>(?:[\w-]+\s+)?anniversary\s+of\s+(?:the\s+)?"
        rf"(?:[\w'-]+\s+){{0,6}}?)|(?:annual\s+)?)(?:the\s+)?{alias}",
        re.IGNORECASE,
    )


def _alias_pattern(alias: str) -> str:
    words = re.split(r"[\s-]+", alias.strip())
    return r"[\s-]+".join(re.escape(word) for word in words)


def _holds(text: str, words: str) -> bool:
    return _words_pattern(words).search(text) is not None


@functools.cache
def _words_pattern(words: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words.split("|")) + r")\b")


def _number(written: str, words: dict[str, int]) -> int:
    digits = re.match(r"\d+", written)
    if digits:
        return int(digits.group())
    return words[" ".join(written.lower().split())]
