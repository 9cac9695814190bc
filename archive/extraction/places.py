"""Where it happened: provinces, districts, towns and border crossings named in a report.

A Gazetteer is compiled once from pycountry's ISO 3166-2 subdivisions of the region and the
spellings the press uses (place_names.py) into one Aho-Corasick automaton, like the tagger's
Lexicon; find_places then reads a report in one pass. Every place resolves to its province's
ISO 3166-2 code ("Poipet" -> KH-1), and a place named several times is one figure.

Ambiguity is handled by rules a reader can check:
- the longest spelling wins ("Oddar Meanchey" over the khan "Meanchey", "Phsar Kandal", a market
  of Phnom Penh, over the province "Kandal");
- names that are also people's names, peoples or words ("Chin", "Mon", "Trang", King
  "Sihanouk", Khmer "កណ្ដាល", middle) count only beside a word for a province or state;
- a name that is both a town and a province ("Siem Reap") is the province unless "town" or
  "city" follows; a name that is a capital and a province ("Vientiane") is the capital unless a
  word for province goes with it;
- Latin-script names count only as whole words written with a capital letter.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick
import pycountry

from archive.extraction import place_names as names
from archive.extraction.figures import Figure, FigureKind
from archive.tagging.lexicon import fold
from archive.text import sentence_at

PLAIN_NAME_CONFIDENCE = 0.8  # a name alone: usually the place, sometimes a namesake
NAME_WITH_WORD_CONFIDENCE = 0.95  # "Kandal province", "ខេត្តកណ្ដាល", "Shan State"
# How far around a name to look for a word like "province" (the longest such phrase, padded).
QUALIFIER_WINDOW = 32


@dataclass(frozen=True)
class Place:
    iso: str  # the province's ISO 3166-2 code, for a town or crossing too
    name: str  # as the press writes it
    country: str  # ISO 3166-1 alpha-2
    level: str  # place_names.PROVINCE, DISTRICT, TOWN or CROSSING
    province: str  # the province's name (its own for a province)


@dataclass(frozen=True)
class Spelling:
    place: Place | None  # None: a spelling that holds a place's name but means something else
    qualified_only: bool = False
    with_province_word: Place | None = None  # the place it names beside a word for province


@dataclass(frozen=True)
class Gazetteer:
    automaton: ahocorasick.Automaton  # folded spelling -> (its length, Spelling)

    @classmethod
    def build(
        cls,
        *,
        provinces: Mapping[str, tuple[str, tuple[str, ...]]] = names.PROVINCES,
        places: Iterable[tuple[str, str, str, tuple[str, ...]]] = names.PLACES,
        countries: Iterable[str] = names.COUNTRIES,
        qualified_only: Iterable[str] = names.QUALIFIED_ONLY,
        not_places: Iterable[str] = names.NOT_PLACES,
        with_province_word: Mapping[str, str] = names.WITH_PROVINCE_WORD,
    ) -> Gazetteer:
        """Return the gazetteer of the curated spellings and pycountry's subdivisions."""
        qualified = {fold(spelling) for spelling in qualified_only}
        spellings: dict[str, Spelling] = {}
        province_places: dict[str, Place] = {}

        def add(spelling: str, place: Place | None) -> None:
            key = fold(" ".join(spelling.split()))
            if len(key) < 2 or key in spellings:  # the first table to spell a name wins
                return
            spellings[key] = Spelling(place, qualified_only=key in qualified)

        for iso, (name, others) in provinces.items():
            place = Place(iso, name, iso.split("-")[0], names.PROVINCE, name)
            province_places[iso] = place
            for spelling in (name, *others):
                add(spelling, place)
        for name, level, iso, others in places:
            province = province_places.get(iso) or _iso_place(iso)
            place = Place(iso, name, province.country, level, province.name)
            for spelling in (name, *others):
                add(spelling, place)
        for country in countries:
            for subdivision in pycountry.subdivisions.get(country_code=country) or ():
                place = province_places.get(subdivision.code) or _iso_place(subdivision.code)
                add(subdivision.name, place)
                add(_without_marks(subdivision.name), place)
        for spelling in not_places:
            spellings[fold(spelling)] = Spelling(None)
        for spelling, iso in with_province_word.items():
            key = fold(spelling)
            if key in spellings:
                other = province_places.get(iso) or _iso_place(iso)
                spellings[key] = Spelling(
                    spellings[key].place, spellings[key].qualified_only, with_province_word=other
                )

        automaton = ahocorasick.Automaton()
        for key, spelling in spellings.items():
            automaton.add_word(key, (len(key), spelling))
        automaton.make_automaton()
        return cls(automaton)


def find_places(text: str, *, gazetteer: Gazetteer) -> list[Figure]:
    """Return one PLACE figure per place named in `text`, in order of first mention."""
    folded = fold(text)
    figures: dict[tuple[str, str], Figure] = {}
    for start, end, spelling in _longest_matches(text, folded, gazetteer):
        if spelling.place is None:
            continue
        before = folded[max(0, start - QUALIFIER_WINDOW) : start].rstrip()
        after = folded[end : end + QUALIFIER_WINDOW].lstrip()
        word_before = _ends_with_word(before, names.PROVINCE_WORDS_BEFORE)
        word_after = _starts_with_word(after, names.PROVINCE_WORDS_AFTER)
        if spelling.qualified_only and not (word_before or word_after):
            continue
        place, rule = spelling.place, f"{spelling.place.level}-name"
        if spelling.with_province_word and (
            _ends_with_word(before, names.PROVINCE_ONLY_WORDS)
            or _starts_with_word(after, names.PROVINCE_ONLY_WORDS)
        ):
            place, rule = spelling.with_province_word, "province-name-with-province-word"
        elif place.level == names.PROVINCE and _starts_with_word(after, names.TOWN_WORDS):
            place, rule = _as_level(place, names.TOWN), "town-of-province-name"
        elif place.level == names.TOWN and _starts_with_word(after, names.CROSSING_WORDS):
            place, rule = _as_level(place, names.CROSSING), "crossing-of-town-name"
        key = (place.iso, place.name)
        if key in figures:
            continue  # a place named again is the same figure
        confidence = (
            NAME_WITH_WORD_CONFIDENCE if word_before or word_after else PLAIN_NAME_CONFIDENCE
        )
        figures[key] = Figure(
            kind=FigureKind.PLACE,
            start=start,
            end=end,
            evidence=sentence_at(text, start, end),
            rule=rule,
            confidence=confidence,
            values={
                "iso": place.iso,
                "name": place.name,
                "country": place.country,
                "level": place.level,
                "province": place.province,
                "as_written": text[start:end],
            },
        )
    return list(figures.values())


def _longest_matches(
    text: str, folded: str, gazetteer: Gazetteer
) -> list[tuple[int, int, Spelling]]:
    """Return (start, end, spelling) of each whole-word match, the longest of overlapping ones."""
    found = []
    for last, (length, spelling) in gazetteer.automaton.iter(folded):
        start, end = last - length + 1, last + 1
        if _is_whole_word(text, start, end) and _is_capitalised(text, start):
            found.append((start, end, spelling))
    found.sort(key=lambda match: (match[0], match[0] - match[1]))
    kept: list[tuple[int, int, Spelling]] = []
    for match in found:
        if kept and match[0] < kept[-1][1]:
            if match[1] - match[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = match  # a longer spelling starting inside the last one wins
            continue
        kept.append(match)
    return kept


def _is_latin_letter_or_digit(char: str) -> bool:
    # Latin letters with Vietnamese marks sit in Latin Extended Additional (U+1E00-U+1EFF).
    return char.isalnum() and (char < "\u0250" or "\u1e00" <= char <= "\u1eff")


def _is_whole_word(text: str, start: int, end: int) -> bool:
    # Scripts written without spaces (Khmer, Thai, Lao, Burmese, Chinese) have no word edges
    # to check: their names are long enough to be matched anywhere.
    if _is_latin_letter_or_digit(text[start]) and start > 0 and text[start - 1].isalnum():
        return False
    return not (
        _is_latin_letter_or_digit(text[end - 1]) and end < len(text) and text[end].isalnum()
    )


def _is_capitalised(text: str, start: int) -> bool:
    return not text[start].islower()


def _starts_with_word(after: str, words: Iterable[str]) -> bool:
    """Return whether `after` begins with one of `words`, as a whole word in Latin script."""
    for word in words:
        if after.startswith(word):
            following = after[len(word) : len(word) + 1]
            if not (_is_latin_letter_or_digit(word[-1]) and following.isalpha()):
                return True
    return False


def _ends_with_word(before: str, words: Iterable[str]) -> bool:
    """Return whether `before` ends with one of `words`, as a whole word in Latin script."""
    for word in words:
        if before.endswith(word):
            preceding = before[-len(word) - 1 : -len(word)]
            if not (_is_latin_letter_or_digit(word[0]) and preceding.isalpha()):
                return True
    return False


def _as_level(place: Place, level: str) -> Place:
    return Place(place.iso, place.name, place.country, level, place.province)


def _iso_place(iso: str) -> Place:
    subdivision = pycountry.subdivisions.get(code=iso)
    name = subdivision.name if subdivision else iso
    return Place(iso, name, iso.split("-")[0], names.PROVINCE, name)


def _without_marks(name: str) -> str:
    """Return `name` without its accents and tone marks ("Tây Ninh" -> "Tay Ninh")."""
    decomposed = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=1024)
def province_name(code: str) -> str:
    """Return the name the press uses for a province's ISO 3166-2 code ("KH-18": "Preah
    Sihanouk"), else ISO's, else the code itself."""
    if code in names.PROVINCES:
        return names.PROVINCES[code][0]
    try:
        subdivision = pycountry.subdivisions.get(code=code) if code else None
    except (KeyError, LookupError):
        subdivision = None
    return subdivision.name if subdivision is not None else code


@functools.lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Return a country's common name for its ISO 3166-1 alpha-2 code ("VN": "Vietnam"), else
    the code itself."""
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name
