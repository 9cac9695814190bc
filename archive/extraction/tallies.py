"""Counts as the press writes them, the verbs that govern them, and the periods totals cover.

Shared by the arrest and case extractors: both read "<number> <words> <noun>" phrases ("41
people", "over 500 illegal gambling sites", "a Chinese man and two Vietnamese women"), join
phrases listed together into one group, decide which verb a group belongs to ("arrested ..." or
"... were rescued"), and say whether the sentence makes it a total over a period ("in 2016",
"in the past six months", "since the start of the year"). Pure: text in, plain data out.

Digits of the region's scripts need no table: Python's `\\d` and `int()` read Khmer, Thai, Lao
and Burmese digits as they read ours.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from archive.text import sentence_spans

_UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = {word: value for value, word in enumerate(_UNITS, 1)}
NUMBER_WORDS.update({word: 10 * value for value, word in enumerate(_TENS, 2)})

_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS[:9])}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))}|a\s+dozen|a\s+hundred)"
)
# 9,933 / 1,125 / 41 / ៩២០ / twenty-three; never part of a larger number, a decimal or an amount.
NUMBER = rf"(?<![\w.,$£€¥-])(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER})(?![\w.,%]\d|%|-year)"
# "more than 1,000", "over 500", "a total of 58": the figure is kept, the words say how exact.
QUALIFIER = (
    r"(?:more\s+than|over|at\s+least|about|around|nearly|almost|some|up\s+to|approximately"
    r"|roughly|an\s+estimated|a\s+total\s+of|fewer\s+than|less\s+than)"
)

# Where a count may start: a digit or a number word ("his" and "her" too: "a man and his son").
# Finding these first, then matching a
# phrase only there, is ten times faster than letting a phrase pattern try every position.
_NUMBER_START = re.compile(
    r"(?<![\w.,$£€¥-])(?:\d|(?:"
    + "|".join(sorted([*NUMBER_WORDS, "a", "an", "his", "her"], key=len, reverse=True))
    + r")(?![a-z]))"
)
# What may stand before a count: "the four people", "more than 1,000 people".
_COUNT_PREFIX = re.compile(
    rf"(?:\b(?P<the>the|these|those|all|both)\s+)?(?:\b(?P<qualifier>{QUALIFIER})\s+)?$",
    re.IGNORECASE,
)
_PREFIX_REACH = 30

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_SPAN_NUMBER = rf"(?:\d+|{_WORD_NUMBER})"
# A sentence holding one of these makes a count in it a total over that period.
PERIODS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:ever\s+)?since\s+(?:the\s+(?:start|beginning)\s+of\s+(?:the|this|last)\s+"
        rf"(?:year|month|campaign)|{MONTH}(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d)\b",
        r"\b(?:in|during|over|for|within|from|throughout)\s+(?:the\s+)?(?:(?:past|last|first|"
        rf"previous|recent|latest|same)\s+)?(?:{_SPAN_NUMBER}\s+)?"
        r"(?:days|weeks|months|years?|quarter|half|period)\b"
        r"(?:\s+of\s+(?:the\s+year|this\s+year|last\s+year|(?:19|20)\d\d))?",
        r"\b(?:in|during|throughout|for)\s+(?:the\s+(?:whole\s+)?(?:year\s+)?|fiscal\s+year\s+)?"
        r"(?:19|20)\d\d\b",
        rf"\b(?:between|from)\s+{MONTH}(?:\s+(?:19|20)\d\d)?\s+(?:and|to|until)\s+{MONTH}",
        r"\b(?:so\s+far(?:\s+this\s+year)?|this\s+year|last\s+year|to\s+date|year[- ]to[- ]date"
        r"|in\s+total|altogether|annual(?:ly)?|each\s+year|every\s+year)\b",
        # Khmer: in (the year) 2023, in a period of N months, since the start of the year.
        r"ក្នុង(?:ឆ្នាំ\s*\d{4}|រយៈពេល\s*\d+\s*ខែ)|ចាប់(?:តាំង)?ពីដើមឆ្នាំ",
        # Thai: since the start of the year, in (the year) 2566, in the round of N months.
        r"ตั้งแต่ต้นปี|ในปี\s*\d{4}|ตั้งแต่ปี\s*\d{4}|ในรอบ\s*\d+\s*เดือน",
        # Vietnamese: from the start of the year (to now), in the year 2023, in N months.
        r"\b[Tt]ừ\s+đầu\s+năm(?:\s+đến\s+nay)?|\b[Tt]rong\s+năm\s+\d{4}|\btrong\s+\d+\s+tháng\b",
    )
]

# Words that end the reach of a verb: a new clause has its own verb ("detained by police after a
# gang fight left one man dead" does not make the man an arrest).
CLAUSE_BREAK = re.compile(
    r"[;:]|\b(?:after|before|when|while|because|who|which|whom|whose|but|although|where|"
    r"whereas|since|until|compared|than|said)\b",
    re.IGNORECASE,
)
# A verb's object comes straight after it, not behind one of these ("held a meeting with 30
# people", "sent them to 12 provinces").
_OBJECT_BREAK = re.compile(r"\b(?:with|to|for|from|against|of|by|per)\b", re.IGNORECASE)
# Between phrases of one list ("a Chinese man and two Vietnamese women").
_LIST_GAP = re.compile(r"^\s*(?:,|and|&|,\s*and|as\s+well\s+as|along\s+with|plus)\s*$", re.I)
# Between a count and its breakdown ("260 foreigners, among them 120 Chinese and ...").
_BREAKDOWN_GAP = re.compile(
    r"^\s*[,(]?\s*(?:including|among\s+them|among\s+whom|of\s+whom|comprising|mostly|"
    r"all\s+of\s+them)\s*:?\s*$",
    re.IGNORECASE,
)
LEFT_REACH = 90  # characters before a count in which its verb is looked for
RIGHT_REACH = 70  # and after it, for a passive ("41 people were arrested")


@dataclass(frozen=True)
class Phrase:
    """One "<number> <words> <noun>" phrase, with offsets in the sentence it was found in."""

    start: int
    end: int
    count: int
    noun: str
    words: str  # the words between number and noun, demonyms among them
    definite: bool = False  # "the four people": a group already spoken of, never a new total
    individual: bool = False  # "a man", "one suspect": a person, so one event
    qualifier: str = ""  # "more than", "a total of"


@dataclass(frozen=True)
class Group:
    """Phrases listed together, counted as one figure; a breakdown only adds its words."""

    phrases: tuple[Phrase, ...]
    breakdown: tuple[Phrase, ...] = ()

    @property
    def start(self) -> int:
        return self.phrases[0].start

    @property
    def end(self) -> int:
        return (self.breakdown or self.phrases)[-1].end

    @property
    def count(self) -> int:
        return sum(phrase.count for phrase in self.phrases)


def parse_number(text: str) -> int | None:
    """Return the integer a number is written as ("9,933", "៩២០", "twenty-three"), or None."""
    text = text.strip().lower()
    digits = text.replace(",", "")
    if digits.isdigit():
        return int(digits)
    text = re.sub(r"\s+", " ", text)
    if text in ("a", "an", "one"):
        return 1
    if text == "a dozen":
        return 12
    if text == "a hundred":
        return 100
    total = 0
    for part in re.split(r"[- ]", text):
        if part not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[part]
    return total


@functools.lru_cache(maxsize=256)  # arrests and cases read the same sentences (short)
def number_starts(text: str) -> tuple[int, ...]:
    """Return the positions in `text` where a count may start."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: keep positions
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
    return tuple(match.start() for match in _NUMBER_START.finditer(lowered))


def count_prefix(text: str, position: int) -> tuple[int, bool, str]:
    """Return where a count starting at `position` really starts, whether it is definite ("the
    four people") and its qualifier ("more than"), lower-cased."""
    window_start = max(0, position - _PREFIX_REACH)
    match = _COUNT_PREFIX.search(text, window_start, position)
    if match is None or match.start() == match.end():
        return position, False, ""
    qualifier = re.sub(r"\s+", " ", (match["qualifier"] or "").lower())
    return match.start(), bool(match["the"]), qualifier


def group_phrases(sentence: str, phrases: list[Phrase]) -> list[Group]:
    """Return the phrases joined into lists and breakdowns, in order."""
    groups: list[Group] = []
    in_breakdown = False
    for phrase in phrases:
        if groups:
            gap = sentence[groups[-1].end : phrase.start]
            last = groups[-1]
            if _BREAKDOWN_GAP.match(gap) or (in_breakdown and _LIST_GAP.match(gap)):
                groups[-1] = Group(last.phrases, (*last.breakdown, phrase))
                in_breakdown = True
                continue
            if not last.breakdown and _LIST_GAP.match(gap):
                groups[-1] = Group((*last.phrases, phrase))
                continue
        groups.append(Group((phrase,)))
        in_breakdown = False
    return groups


def governing_verb(
    sentence: str,
    group: Group,
    *,
    verbs: re.Pattern,
    passive: re.Pattern,
    after: re.Pattern | None = None,
    next_start: int | None = None,
) -> tuple[re.Match, bool] | None:
    """Return the verb a group is the object or subject of, and whether it comes after, if any.

    `verbs` names every verb that matters, with a group "good" set when it is the kind wanted
    (arrested) and not when it is another (rescued); the caller reads that group. A passive
    after the group ("... were arrested") wins over a verb before it ("rescued 56 workers from
    a boat, and 14 men were arrested").
    """
    tail_end = min(len(sentence), group.end + RIGHT_REACH)
    if next_start is not None:
        tail_end = min(tail_end, next_start)
    tail = sentence[group.end : tail_end]
    for pattern in (passive, after):
        if pattern is not None and (match := pattern.match(tail)):
            return match, True
    head_start = max(0, group.start - LEFT_REACH)
    head = sentence[head_start : group.start]
    breaks = list(CLAUSE_BREAK.finditer(head))
    if breaks:
        head = head[breaks[-1].end() :]
    found = list(verbs.finditer(head))
    if not found:
        return None
    verb = found[-1]
    between = head[verb.end() :]
    if _OBJECT_BREAK.search(between):
        return None
    return verb, False


def find_period(sentence: str) -> str:
    """Return the period a sentence states a total over ("in the past six months"), or ""."""
    for pattern in PERIODS:
        if match := pattern.search(sentence):
            return match.group().strip()
    return ""


# Khmer ends a sentence with ។, which the shared splitter does not know.
_KHMER_SENTENCE_END = re.compile("។")


@functools.lru_cache(maxsize=8)  # arrests and cases read the same report
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Return (start, end) of each sentence, Khmer ones ended by ។ too."""
    spans = []
    for start, end in sentence_spans(text):
        piece_start = start
        for mark in _KHMER_SENTENCE_END.finditer(text, start, end):
            spans.append((piece_start, mark.end()))
            piece_start = mark.end()
        if text[piece_start:end].strip():
            spans.append((piece_start, end))
    return tuple(spans)


def stem_positions(folded: str, stems: tuple[str, ...]) -> list[int]:
    """Return, sorted, where any of `stems` starts in `folded` (the report lower-cased).

    A cheap test a sentence must pass before the costly patterns are tried on it: plain
    substring search runs in C, while a pattern of many alternatives tried at every character of
    every sentence cost more than all the rest of the reading.
    """
    positions = []
    for stem in stems:
        position = folded.find(stem)
        while position >= 0:
            positions.append(position)
            position = folded.find(stem, position + 1)
    positions.sort()
    return positions


def has_hit(positions: list[int], start: int, end: int) -> bool:
    """Return whether one of the sorted `positions` lies in [start, end)."""
    index = bisect.bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


_DEFINITE = re.compile(r"^(?:the|these|those|all|both)\s", re.IGNORECASE)


def is_repeat(as_written: str, scope: object, earlier_scopes: set) -> bool:
    """Return whether a count already stated is stated again: in the same scope, or as a group
    already spoken of ("... 390 cases this year. The 390 cases involved drugs")."""
    return scope in earlier_scopes or (bool(earlier_scopes) and bool(_DEFINITE.match(as_written)))
