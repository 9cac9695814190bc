"""Every way the taxonomy can be written, compiled once into Aho-Corasick automata.

A Lexicon is built from plain rows (no database here), so a tagging run loads the taxonomy once and
then matches every article in a single pass over its text, whatever the number of aliases.

Two automata: one over case-folded text for ordinary names ("interior ministry"), and one over the
text as written for acronyms ("NACD", "MoI"), so that "us" or "ice" in a sentence never reads as a
name.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick
import pycountry

COUNTRY, MINISTRY, CRIME_TYPE = "country", "ministry", "crime_type"
# A reference to "the ministry" that points back at the last ministry named.
GENERIC_MINISTRY = "generic_ministry"
GENERIC_MINISTRY_WORDS = ("the ministry", "the ministry's")

# Forms of a name, weighed differently when scoring what a report is about.
NAME, ALIAS, DEMONYM, PLACE, ACRONYM = "name", "alias", "demonym", "place", "acronym"
# A country's name that is also an everyday word or a person's name.
AMBIGUOUS = "ambiguous"

# Such names ("Chad" Smith, Michael "Jordan", "Georgia" the US state, a "turkey", to "polish")
# are matched only as written, capitalised, and count only beside other evidence for the same
# country (a demonym, a place, another name, an agency): see the tagger's country scores.
NAMES_ALSO_WORDS = frozenset(
    {"Chad", "Jordan", "Georgia", "Turkey", "Guinea", "Niger", "Jersey", "Polish", "Chile", "Lima"}
)

# Straight quotes and hyphens in place of typographic ones, one character for one so that match
# positions in the folded text are positions in the original.
_TYPOGRAPHY = (("’", "'"), ("‘", "'"), ("–", "-"), ("—", "-"))


@dataclass(frozen=True)
class Term:
    kind: str  # COUNTRY, MINISTRY, CRIME_TYPE or GENERIC_MINISTRY
    entry_ids: tuple[int, ...]  # several when one spelling names entries in several countries
    form: str
    surface: str  # the spelling as the taxonomy has it


@dataclass
class Lexicon:
    """The compiled taxonomy: look-ups for matching, and the facts scoring needs."""

    ministry_country: dict[int, int | None] = field(default_factory=dict)
    ministry_kind: dict[int, str] = field(default_factory=dict)
    crime_parent: dict[int, int | None] = field(default_factory=dict)
    labels: dict[tuple[str, int], str] = field(default_factory=dict)
    folded: ahocorasick.Automaton | None = None
    exact: ahocorasick.Automaton | None = None
    # The calendar of anchor events that dates reports stating no year (anchors.Anchor rows):
    # curated in admin like the taxonomy, so it travels with it to the readers.
    anchors: tuple = ()

    @classmethod
    def build(
        cls,
        *,
        countries: Iterable[CountryRow],
        ministries: Iterable[MinistryRow],
        crime_types: Iterable[CrimeTypeRow],
    ) -> Lexicon:
        lexicon = cls()
        terms: dict[tuple[str, str, bool], list] = {}

        def add(kind: str, entry_id: int, form: str, surface: str) -> None:
            surface = " ".join(surface.split())
            if len(surface) < 2:
                return
            exact = is_acronym(surface)
            if kind == COUNTRY and surface in NAMES_ALSO_WORDS:
                exact, form = True, AMBIGUOUS
            key = (surface if exact else fold(surface), kind, exact)
            entry = terms.setdefault(key, [surface, form, []])
            if entry_id not in entry[2]:
                entry[2].append(entry_id)
            # The strongest form wins when one spelling is listed twice ("Lao" name and demonym),
            # except over a name that is also a word, which stays one.
            if _FORM_RANK[form] > _FORM_RANK[entry[1]] and entry[1] != AMBIGUOUS:
                entry[1] = form

        for row in countries:
            lexicon.labels[(COUNTRY, row.id)] = row.name
            add(COUNTRY, row.id, NAME, row.name)
            for name in (*row.aliases, *iso_names(row.code)):
                add(COUNTRY, row.id, ACRONYM if is_acronym(name) else ALIAS, name)
            for name in row.demonyms:
                add(COUNTRY, row.id, DEMONYM, name)
            for name in row.places:
                add(COUNTRY, row.id, PLACE, name)
        for row in ministries:
            lexicon.labels[(MINISTRY, row.id)] = row.name
            lexicon.ministry_country[row.id] = row.country_id
            lexicon.ministry_kind[row.id] = row.kind
            add(MINISTRY, row.id, NAME, row.name)
            for name in row.aliases:
                add(MINISTRY, row.id, ACRONYM if is_acronym(name) else ALIAS, name)
        for row in crime_types:
            lexicon.labels[(CRIME_TYPE, row.id)] = row.name
            lexicon.crime_parent[row.id] = row.parent_id
            add(CRIME_TYPE, row.id, NAME, row.name)
            for name in row.aliases:
                add(CRIME_TYPE, row.id, ALIAS, name)

        # Each automaton maps a spelling to (its length, the terms spelled so).
        buckets: dict[bool, dict[str, list[Term]]] = {True: {}, False: {}}
        for (key, kind, exact), (surface, form, ids) in terms.items():
            buckets[exact].setdefault(key, []).append(Term(kind, tuple(ids), form, surface))
        for words in GENERIC_MINISTRY_WORDS:
            buckets[False].setdefault(words, []).append(Term(GENERIC_MINISTRY, (), ALIAS, words))
        lexicon.folded, lexicon.exact = ahocorasick.Automaton(), ahocorasick.Automaton()
        for exact, automaton in ((False, lexicon.folded), (True, lexicon.exact)):
            for key, bucket in buckets[exact].items():
                automaton.add_word(key, (len(key), tuple(bucket)))
            if len(automaton):
                automaton.make_automaton()
        return lexicon

    def label(self, kind: str, entry_id: int) -> str:
        return self.labels.get((kind, entry_id), f"#{entry_id}")


@dataclass(frozen=True)
class CountryRow:
    id: int
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class MinistryRow:
    id: int
    name: str
    country_id: int | None = None
    kind: str = "ministry"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CrimeTypeRow:
    id: int
    name: str
    parent_id: int | None = None
    aliases: tuple[str, ...] = ()


_FORM_RANK = {AMBIGUOUS: -1, DEMONYM: 0, ALIAS: 1, ACRONYM: 1, PLACE: 2, NAME: 3}


# The extractors fold the same report several times (units, drugs, places, people, counts):
# the last few texts of this many characters are remembered (a short text costs less to fold
# again than to look up, and would push the reports out).
_REMEMBERED_FOLD_CHARS = range(200, 20_001)


def fold(text: str) -> str:
    """Return text lower-cased with straight quotes, keeping every character's position."""
    if len(text) in _REMEMBERED_FOLD_CHARS:
        return _remembered_fold(text)
    return _fold(text)


@functools.lru_cache(maxsize=16)
def _remembered_fold(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two; keep those as they are
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for typographic, plain in _TYPOGRAPHY:  # str.replace runs in C; translate() is far slower
        lowered = lowered.replace(typographic, plain)
    return lowered


def is_acronym(name: str) -> bool:
    """Return whether a name is matched as written: "NACD", "MoI", "U.S.", "PRC"."""
    letters = [c for c in name if c.isalpha()]
    return 2 <= len(letters) <= 6 and " " not in name and sum(c.isupper() for c in letters) >= 2


def iso_names(code: str) -> list[str]:
    """Return the ISO 3166 names pycountry knows for a code ("Viet Nam", "Lao People's ...")."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return []
    names = [getattr(country, attr, "") for attr in ("name", "official_name", "common_name")]
    # ISO's inverted forms ("Korea, Republic of") are not how reports write them.
    return [name for name in names if name and "," not in name]
