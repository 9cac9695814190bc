"""Everything the extractors read in one report: its figures, each tied to where it happened.

    read_figures(body, rules=rules)
    -> (Figure(SEIZURE, values={"drug": "methamphetamine", "mass_kg": 12.0, ...,
                                "place": "KH-18", "country": "KH", "place_rule": "same-sentence"}),
        Figure(ARREST, ...), Figure(PERSON, values={"name": "Sar Kheng", "role": "minister", ...}),
    Figure(PLACE, values={"iso": "KH-18", ...}), ...)

A seizure, arrest or case count happened in the place its own sentence names (the last one
named before it there, else the first after it); a single event whose sentence names none, in
the first place the report names (a total over a period is often the whole country's, so it
takes no place from elsewhere). `place_rule` says which, so a curator knows how far to trust
it. People named take no place: where an official or a suspect is named says nothing of where
they act. Pure: no database here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from archive.extraction.arrests import find_arrests
from archive.extraction.cases import find_cases
from archive.extraction.figures import Figure, FigureKind, Scope
from archive.extraction.people import find_people
from archive.extraction.places import Gazetteer, find_places
from archive.extraction.seizures import find_seizures
from archive.text import sentence_span_at

# Figure kinds that happened somewhere: they take a place.
LOCATED_KINDS = (FigureKind.SEIZURE, FigureKind.ARREST, FigureKind.CASE)
SAME_SENTENCE, FIRST_IN_REPORT = "same-sentence", "first-place-in-report"


@functools.cache
def default_gazetteer() -> Gazetteer:
    """Return the gazetteer of the curated place tables, compiled once per process."""
    return Gazetteer.build()


@dataclass(frozen=True)
class ExtractionRules:
    """What the extractors need beside the text: plain data, sent once to each ingest worker."""

    demonyms: Mapping[str, str] = field(default_factory=dict)  # "Chinese" -> "CN"
    country_codes: Mapping[int, str] = field(default_factory=dict)  # Country id -> "KH"
    gazetteer: Gazetteer | None = None  # None: the default one


def read_figures(text: str, *, rules: ExtractionRules) -> tuple[Figure, ...]:
    """Return the figures `text` states: counts in order of appearance, people, then places."""
    gazetteer = rules.gazetteer or default_gazetteer()
    places = find_places(text, gazetteer=gazetteer)
    counts = [
        *find_seizures(text),
        *find_arrests(text, demonyms=rules.demonyms),
        *find_cases(text),
    ]
    counts.sort(key=lambda figure: figure.start)
    people = find_people(text, demonyms=rules.demonyms, gazetteer=gazetteer)
    located = tuple(_located(figure, text, places) for figure in counts)
    return located + tuple(people) + tuple(places)


def _located(figure: Figure, text: str, places: list[Figure]) -> Figure:
    if figure.kind not in LOCATED_KINDS or not places:
        return figure
    sentence_start, sentence_end = sentence_span_at(text, figure.start)
    here = _mentions(text, places, sentence_start, sentence_end)
    before = [(start, place) for start, place in here if start < figure.start]
    if before:
        place, rule = max(before, key=lambda item: item[0])[1], SAME_SENTENCE
    elif here:
        place, rule = min(here, key=lambda item: item[0])[1], SAME_SENTENCE
    elif figure.scope == Scope.SINGLE:
        place, rule = places[0], FIRST_IN_REPORT
    else:
        return figure  # a total over a period is not the first place's: often the country's
    values = {
        **figure.values,
        "place": place.values["iso"],
        "place_name": place.values["name"],
        "country": place.values["country"],
        "place_rule": rule,
    }
    return replace(figure, values=values)


def _mentions(text: str, places: list[Figure], start: int, end: int) -> list[tuple[int, Figure]]:
    """Return (offset, place) of each place written between start and end: the extractor gives
    a place's first mention only, and a sentence may name it again."""
    found = []
    for place in places:
        written = str(place.values["as_written"])
        position = text.find(written, start, end)
        if position >= 0:
            found.append((position, place))
    return found
