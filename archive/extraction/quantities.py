"""Quantities as the press writes them: "100 kilogrammes", "1.2 tonnes", "30,000 yaba tablets",
"about one tonne", "more than 2 million pills", "ម៉ាទឹកកកជាង ៤០ គីឡូក្រាម".

A quantity is a number (digits of any script, thousands separators, words, "a tonne", a
multiplier such as "million") followed by a unit. Masses are normalised to kilograms with pint;
tablets, plants and containers (packages, bags, blocks, bricks...) are counts. Litres stay as
written: without a density they have no mass. Pure: text in, Quantity values out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import ahocorasick
import pint

from archive.languages.characters import holds_any_of
from archive.languages.identify import VIETNAMESE_LETTERS
from archive.languages.words import is_whole_word
from archive.tagging.lexicon import fold

# Canonical unit -> pint's name for it. "tons" in this region's press are metric tonnes (the
# agencies report in kilograms and tonnes), never US short tons.
MASS_UNITS = {"kg": "kilogram", "g": "gram", "t": "metric_ton", "lb": "pound", "oz": "ounce"}
VOLUME_UNITS = {"litre": "liter", "ml": "milliliter"}
TABLET = "tablet"
PLANT = "plant"
# Counts of the wrapping the drug came in rather than of the drug: a mass stated beside them is
# the better figure.
CONTAINERS = frozenset({"package", "packet", "bag", "block", "brick", "bundle", "box", "bottle"})

# Spellings -> canonical unit. Latin spellings are matched case-insensitively, except the
# one-letter symbols ("4G", "T" are not grams or tonnes).
_SPELLINGS = {
    "kg": "kg kgs kilo kilos kilogram kilograms kilogramme kilogrammes kilo-gram kilo-grams "
    "គីឡូក្រាម គីឡូ กิโลกรัม กก. กิโล ກິໂລກຣາມ ກິໂລ ကီလိုဂရမ် ကီလို",
    "g": "gram grams gramme grammes gam ក្រាម กรัม ກຣາມ ဂရမ်",
    "t": "tonne tonnes ton tons metric-ton metric-tons tấn តោន ตัน ໂຕນ တန်",
    "lb": "lb lbs pound pounds",
    "oz": "oz ounce ounces",
    "litre": "litre litres liter liters lít លីត្រ ลิตร ລິດ",
    "ml": "ml millilitre millilitres milliliter milliliters",
    TABLET: "tablet tablets pill pills capsule capsules viên គ្រាប់ เม็ด ເມັດ ပြား",
    PLANT: "plant plants bush bushes",
    "package": "package packages pack packs parcel parcels កញ្ចប់ ห่อ",
    "packet": "packet packets sachet sachets gói",
    "bag": "bag bags sack sacks bao",
    "block": "block blocks bar bars cake cakes slab slabs bánh",
    "brick": "brick bricks",
    "bundle": "bundle bundles",
    "box": "box boxes carton cartons",
    "bottle": "bottle bottles",
}
_CASE_SENSITIVE = {"g": "g", "t": "t", "l": "litre"}
UNIT_OF = {spelling: unit for unit, words in _SPELLINGS.items() for spelling in words.split()}
COUNT_UNITS = frozenset({TABLET, PLANT, *CONTAINERS})

_SMALL = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {
    **{word: n for n, word in enumerate(_SMALL)},
    **{word: 10 * n for n, word in enumerate(_TENS, 2)},
    "a": 1,
    "an": 1,
    "a dozen": 12,
    "dozen": 12,
    "half a": 0.5,
    "half an": 0.5,
}
MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "nghìn": 1_000,
    "ngàn": 1_000,
    "triệu": 1_000_000,
    "พัน": 1_000,
    "หมื่น": 10_000,
    "แสน": 100_000,
    "ล้าน": 1_000_000,
    "ពាន់": 1_000,
    "ម៉ឺន": 10_000,
    "សែន": 100_000,
    "លាន": 1_000_000,
}
# Words that make a figure approximate: before the number in English and Vietnamese, before it
# (Khmer ជាង "more than", ប្រមាណ "about") or after the drug (Thai กว่า) in the other scripts.
APPROXIMATE_WORDS = (
    "about around approximately approx. roughly some nearly almost over under more than less "
    "than at least up to close to in excess of an estimated estimated just over just under "
    "upwards of as much as as many as hơn gần khoảng trên ជាង ប្រមាណ ជិត กว่า ประมาณ เกือบ"
)
_APPROXIMATE_PHRASES = sorted(
    {"more than", "less than", "at least", "up to", "close to", "in excess of", "an estimated",
     "just over", "just under", "upwards of", "as much as", "as many as"}
    | {w for w in APPROXIMATE_WORDS.split() if w not in {"more", "than", "less", "at", "least",
       "up", "to", "close", "in", "excess", "of", "an", "just", "upwards", "as", "much", "many"}},
    key=len,
    reverse=True,
)  # fmt: skip


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_WORD_NUMBER = (
    rf"(?:half an?|a dozen|(?:{_alternation(_TENS)})(?:[- ](?:{_alternation(_SMALL[1:10])}))?"
    rf"|{_alternation(_SMALL)}|an?)"
)
# Digits of any script (\d is Unicode): 1,200 / 1.2 / 1.200.000 / 2,5 (Vietnamese decimals).
_DIGITS = r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_LATIN_UNITS = [s for s in UNIT_OF if s.isascii() or s in ("tấn", "lít", "viên", "gói", "bánh")]
_LOCAL_UNITS = [s for s in UNIT_OF if s not in _LATIN_UNITS]
# One or two words may stand between a count and its unit: the drug ("30,000 yaba tablets").
_BETWEEN = r"[^\W\d_]+(?:[\s-][^\W\d_]+)?"
_UNIT = (
    rf"(?:{_alternation(_LATIN_UNITS)})(?![^\W_])|(?-i:[gtl])(?![\w'])"
    rf"|{_alternation(_LOCAL_UNITS)}"
)
# Units are rare in a text and numbers common: finding the units first (with an Aho-Corasick
# automaton: a regular expression of 150 spellings tried at every position took 0.7 ms an
# article), then reading back from each for its number, is many times faster.
_ONE_LETTER_UNIT = re.compile(r"\d\s?[gtl](?![\w'])")
LONGEST_QUANTITY_CHARS = 90  # "upwards of twenty-five million methamphetamine tablets"
# Read back from the number: trying these phrases at every position of a window was most of
# the time spent.
_APPROXIMATE_BEFORE = re.compile(
    rf"(?<![A-Za-z])(?:{_alternation(_APPROXIMATE_PHRASES)})\s*$", re.IGNORECASE
)
QUANTITY = re.compile(
    rf"(?P<number>(?<![A-Za-z\d.,])(?:{_DIGITS})(?![\d/:])|\b{_WORD_NUMBER}\b)"
    rf"(?:\s*(?P<multiplier>{_alternation(MULTIPLIERS)}))?"
    r"(?:\s*-\s*|\s*)"
    rf"(?:(?P<between>{_BETWEEN})\s+)??"
    rf"(?P<unit>{_UNIT})",
    re.IGNORECASE,
)
# Khmer, Thai, Lao and Burmese digits (and any other decimal digit) as ours, one for one.
_ASCII_DIGITS = {
    code: str(int(chr(code)))
    for zero in (0x17E0, 0x0E50, 0x0ED0, 0x1040, 0xFF10)
    for code in range(zero, zero + 10)
}
# Vietnamese letters in either case: a text holding one writes decimals with a comma.
_VIETNAMESE = frozenset(VIETNAMESE_LETTERS) | {letter.upper() for letter in VIETNAMESE_LETTERS}


@dataclass(frozen=True)
class Quantity:
    start: int  # offsets of the words as written, the approximating word included
    end: int
    as_written: str
    value: float
    unit: str  # canonical: "kg", "g", "t", "lb", "oz", "litre", "ml", "tablet", "plant", "bag"...
    approximate: bool
    between: tuple[int, int] | None = None  # the words between a count and its unit, if any

    @property
    def mass_kg(self) -> float | None:
        factor = kilograms_per_unit().get(self.unit)
        return None if factor is None else round(self.value * factor, 6)

    @property
    def count(self) -> int | None:
        return round(self.value) if self.unit in COUNT_UNITS else None

    @property
    def is_container(self) -> bool:
        return self.unit in CONTAINERS


@functools.cache
def kilograms_per_unit() -> dict[str, float]:
    """Return kilograms per mass unit, from pint's definitions (built once: a registry is slow)."""
    registry = pint.UnitRegistry()
    return {
        unit: float(registry.Quantity(1, name).to("kilogram").magnitude)
        for unit, name in MASS_UNITS.items()
    }


def find_quantities(text: str) -> list[Quantity]:
    """Return every number followed by a unit, in order of position."""
    decimal_comma = holds_any_of(text, _VIETNAMESE)
    found = []
    for match in _quantity_matches(text):
        unit = _unit_of(match["unit"])
        if match["between"] and unit not in COUNT_UNITS:
            continue  # "3 men carrying kg" is no quantity; words stand only before count units
        value = parse_number(match["number"], decimal_comma=decimal_comma)
        if value is None:
            continue
        if match["multiplier"]:
            value *= MULTIPLIERS[match["multiplier"].lower()]
        start = match.start()
        approximate = _APPROXIMATE_BEFORE.search(text, max(0, start - 20), start)
        if approximate:
            start = approximate.start()
        found.append(
            Quantity(
                start=start,
                end=match.end(),
                as_written=text[start : match.end()],
                value=value,
                unit=unit,
                approximate=approximate is not None,
                between=match.span("between") if match["between"] else None,
            )
        )
    return found


def _quantity_matches(text: str):
    """Yield the matches of QUANTITY, read back from each unit in the text."""
    last_end = 0
    for start, end in _unit_spans(text):
        window_start = max(last_end, start - LONGEST_QUANTITY_CHARS)
        match = None
        for match in QUANTITY.finditer(text, window_start, end):  # noqa: B007
            pass
        if match is not None and match.end() == end:
            last_end = match.end()
            yield match


def _unit_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of the longest unit spelling starting at each place, by position."""
    longest: dict[int, int] = {}
    for end_index, length in _unit_automaton().iter(fold(text)):
        start, end = end_index - length + 1, end_index + 1
        # "kg" in "5kg" stands after a digit; "gram" in "programme" is no unit.
        glued_to_digit = text[start - 1 : start].isdigit() and is_whole_word(text, end - 1, end)
        if text[start].isascii() and not is_whole_word(text, start, end) and not glued_to_digit:
            continue
        longest[start] = max(end, longest.get(start, 0))
    for match in _ONE_LETTER_UNIT.finditer(text):
        longest.setdefault(match.end() - 1, match.end())
    return sorted(longest.items())


@functools.cache
def _unit_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for spelling in UNIT_OF:
        automaton.add_word(fold(spelling), len(spelling))
    automaton.make_automaton()
    return automaton


def parse_number(written: str, *, decimal_comma: bool = False) -> float | None:
    """Return the value of a number as written ("1,200", "1.2", "one", "a", "twenty-five").

    With `decimal_comma` (Vietnamese), "1.200" is twelve hundred and "2,5" two and a half; in
    English "1,200" is twelve hundred and "1.2" one point two.
    """
    written = written.translate(_ASCII_DIGITS)
    word = " ".join(written.lower().replace("-", " ").split())
    if word in WORD_VALUES:
        return float(WORD_VALUES[word])
    parts = word.split()
    if len(parts) == 2 and parts[0] in WORD_VALUES and parts[1] in WORD_VALUES:
        return float(WORD_VALUES[parts[0]] + WORD_VALUES[parts[1]])  # "twenty five"
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    groups = re.fullmatch(r"(\d{1,3})((?:[,.]\d{3})+)([.,]\d+)?", written)
    if groups and (groups[2][0] == thousands or len(groups[2]) > 4):
        digits = groups[1] + re.sub(r"\D", "", groups[2])
        fraction = groups[3][1:] if groups[3] else ""
        return float(f"{digits}.{fraction or 0}")
    try:
        return float(written.replace(thousands, "").replace(decimal, "."))
    except ValueError:
        return None


def _unit_of(written: str) -> str:
    return _CASE_SENSITIVE.get(written) or UNIT_OF[written.lower()]
