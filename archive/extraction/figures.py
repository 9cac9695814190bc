"""What a report states, as the extractors propose it: figures with their evidence.

Every extractor (seizures, arrests, cases, places, people) returns Figures: plain,
frozen data that says what was found, where in the text, by which rule and how sure it is. They
are proposals, like the tagger's tags: curated in admin, shown and counted only as what they are.
Pure: no database here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class FigureKind(enum.StrEnum):
    SEIZURE = "seizure"  # a quantity of a drug or other contraband seized
    ARREST = "arrest"  # a number of people arrested or detained
    CASE = "case"  # a number of cases, sites raided, an operation, a court outcome
    PLACE = "place"  # a province, district or border crossing where it happened
    PERSON = "person"  # an official or suspect named, with a role


class Scope(enum.StrEnum):
    """Whether a figure counts one event or sums many: totals are never added to single events."""

    SINGLE = "single"  # this seizure, these arrests
    TOTAL = "total"  # over a period or a campaign ("since 2017", "in six months", "in 2016")
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Figure:
    kind: FigureKind
    start: int  # character offsets of the words that state it, in the text given
    end: int
    evidence: str  # the sentence holding it, as written
    rule: str  # the name of the rule that found it ("quantity-of-drug", "n-suspects-arrested")
    confidence: float  # 0-1
    # What was stated, by kind: {"drug": "methamphetamine", "quantity": 100.0, "unit": "kg",
    # "as_written": "100 kilogrammes", "mass_kg": 100.0, "approximate": False} for a seizure;
    # {"count": 41, "nationalities": ["CN"]} for arrests; {"iso": "KH-18", "name": ...} for a place.
    values: dict[str, object] = field(default_factory=dict)
    scope: Scope = Scope.SINGLE
    period: str = (
        ""  # for a total, the period as written ("since 2017", "in the first half of 2023")
    )
