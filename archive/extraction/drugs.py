"""The drugs a seizure names: every alias the press uses, in each of the region's languages,
mapped to one canonical name, and found in one pass with an Aho-Corasick automaton.

Only drugs and their precursors: timber, wildlife, weapons and fuel are contraband too, but
their figures (cubic metres, heads, rifles) are other kinds with other units, left to their own
extractor rather than guessed at here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ahocorasick

from archive.languages.characters import UNSPACED, holds_range
from archive.languages.words import is_whole_word, is_whole_word_in_any_script
from archive.tagging.lexicon import fold

UNSPECIFIED = "unspecified drugs"

# Canonical name -> aliases. A longer alias wins where two overlap ("ma túy đá" over "ma túy").
DRUG_ALIASES: dict[str, tuple[str, ...]] = {
    "methamphetamine": (
        "methamphetamine", "methamphetamines", "crystal methamphetamine", "meth", "crystal meth",
        "ice", "yaba", "ya ba", "ya-ba", "WY", "methamphetamine tablets",
        "methamphetamine pills", "meth pills", "yama", "shabu", "ma túy đá", "hồng phiến",
        "ម៉ាទឹកកក", "ថ្នាំគ្រាប់យ៉ាម៉ា", "យ៉ាម៉ា", "ยาบ้า", "ยาไอซ์", "ไอซ์", "ยาเสพติดประเภทยาบ้า",
        "ຢາບ້າ", "ຢາໄອສ໌", "ယာဘ", "စိတ်ကြွဆေးပြား", "ice methamphetamine",
    ),
    "heroin": ("heroin", "heroine", "ហេរ៉ូអ៊ីន", "เฮโรอีน", "ເຮໂຣອິນ", "ဘိန်းဖြူ"),
    "ketamine": ("ketamine", "k powder", "កេតាមីន", "เคตามีน", "ເຄຕາມີນ"),
    "cannabis": (
        "cannabis", "marijuana", "marihuana", "ganja", "weed", "hashish", "cần sa", "កញ្ឆា",
        "กัญชา", "ກັນຊາ",
    ),
    "cocaine": ("cocaine", "côcain", "cocain", "កូកាអ៊ីន", "โคเคน", "ໂຄເຄນ"),
    "MDMA": ("MDMA", "ecstasy", "thuốc lắc", "ថ្នាំអ៊ិចស្តាស៊ី", "ยาอี", "ຢາອີ"),
    "opium": ("opium", "thuốc phiện", "អាភៀន", "ฝิ่น", "ຝິ່ນ", "ဘိန်း"),
    "precursor chemicals": (
        "precursor chemicals", "precursor chemical", "precursors", "liquid precursors",
        "chemical precursors", "safrole", "safrole oil", "sassafras oil", "ephedrine",
        "pseudoephedrine", "P2P", "tiền chất", "សារធាតុគីមី", "สารตั้งต้น",
    ),
    "kratom": ("kratom", "กระท่อม", "ใบกระท่อม"),
    "fentanyl": ("fentanyl",),
    UNSPECIFIED: (
        "drugs", "drug", "illegal drugs", "illicit drugs", "narcotics", "synthetic drugs",
        "ma túy", "ma túy tổng hợp", "គ្រឿងញៀន", "ยาเสพติด", "ຢາເສບຕິດ", "မူးယစ်ဆေးဝါး",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class DrugMention:
    start: int
    end: int
    drug: str  # canonical name

    @property
    def unspecified(self) -> bool:
        return self.drug == UNSPECIFIED


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    """Return the aliases by folded spelling: [(length, drug, the spelling it must have as
    written, or None)], so that one pass over the folded text finds them all."""
    entries: dict[str, list[tuple[int, str, str | None]]] = {}
    for drug, aliases in DRUG_ALIASES.items():
        for alias in aliases:
            # Upper-case aliases ("WY", "MDMA", "P2P") are matched as written: "wy" is no drug.
            key = fold(alias)
            entries.setdefault(key, []).append((len(key), drug, alias if alias.isupper() else None))
    automaton = ahocorasick.Automaton()
    for key, found in entries.items():
        automaton.add_word(key, tuple(found))
    automaton.make_automaton()
    return automaton


def find_drugs(text: str) -> list[DrugMention]:
    """Return the whole-word drug names in `text`, longest where they overlap, by position."""
    folded = fold(text)
    whole_word = is_whole_word_in_any_script if holds_range(text, *UNSPACED) else is_whole_word
    candidates = []
    for end_index, entries in _automaton().iter(folded):
        for length, drug, as_written in entries:
            start, end = end_index - length + 1, end_index + 1
            if as_written is not None and text[start:end] != as_written:
                continue
            if whole_word(text, start, end):
                candidates.append((start, end, drug))
    mentions: list[DrugMention] = []
    for start, end, drug in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
        if mentions and start < mentions[-1].end:
            continue
        mentions.append(DrugMention(start, end, drug))
    return mentions
