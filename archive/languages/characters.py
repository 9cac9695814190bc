"""Whether a report holds Khmer, Thai, Vietnamese or another script, asked of its characters.

The tagger and each extractor ask the same report whether it holds a script: does it need the
Khmer patterns, does "2,5" read as a Vietnamese decimal? A pattern searched over the whole text
for each question cost more, all told, than gathering the text's distinct characters once (a
few dozen for a report in English) and asking each question of those.

    holds_range(text, KHMER)                      -> True when one character is Khmer
    holds_any_of(text, frozenset("ăđơư"))         -> True when one of them stands in the text
"""

from __future__ import annotations

import functools

# (first, last) characters of a range, both included.
Range = tuple[str, str]
KHMER: Range = ("\u1780", "\u17ff")
THAI: Range = ("\u0e00", "\u0e7f")
# The Vietnamese letters of Latin Extended Additional (ạ ả ấ ... ỹ).
VIETNAMESE_ADDITIONAL: Range = ("\u1ea0", "\u1ef9")
# Scripts written without spaces between words (as archive.languages.words reads them).
UNSPACED: tuple[Range, ...] = (
    ("\u0e00", "\u0e7f"),  # Thai
    ("\u0e80", "\u0eff"),  # Lao
    ("\u1000", "\u109f"),  # Myanmar
    ("\ua9e0", "\ua9ff"),
    ("\uaa60", "\uaa7f"),
    ("\u1780", "\u17ff"),  # Khmer
    ("\u19e0", "\u19ff"),
    ("\u3040", "\u30ff"),  # Japanese kana
    ("\u31f0", "\u31ff"),
    ("\u3400", "\u4dbf"),  # Han
    ("\u4e00", "\u9fff"),
    ("\uf900", "\ufaff"),
)


def holds_range(text: str, *ranges: Range) -> bool:
    """Return whether a character of `text` lies in one of `ranges`."""
    return any(
        first <= character <= last for character in _beyond_ascii(text) for first, last in ranges
    )


def holds_any_of(text: str, characters: frozenset[str]) -> bool:
    """Return whether one of `characters` stands in `text`."""
    return not characters.isdisjoint(_beyond_ascii(text))


@functools.lru_cache(maxsize=16)  # the questions about one report come one after the other
def _beyond_ascii(text: str) -> frozenset[str]:
    return frozenset(character for character in set(text) if character > "\x7f")
