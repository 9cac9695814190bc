"""How much of a text each writing system holds, counting vowel signs with their letters.

Khmer, Thai, Lao and Burmese write most vowels as combining signs (Unicode categories Mn and Mc),
which are not letters to `str.isalpha`: counted as letters only, a Khmer report quoting one
English newspaper name looked mostly English. Here every letter and every combining sign counts
for the script it belongs to.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

# Unicode character-name prefix -> script.
SCRIPT_PREFIXES = (
    ("LATIN", "Latin"),
    ("KHMER", "Khmer"),
    ("THAI", "Thai"),
    ("LAO", "Lao"),
    ("MYANMAR", "Myanmar"),
    ("CJK", "Han"),
    ("HIRAGANA", "Kana"),
    ("KATAKANA", "Kana"),
    ("HANGUL", "Hangul"),
    ("ARABIC", "Arabic"),
    ("CYRILLIC", "Cyrillic"),
    ("DEVANAGARI", "Devanagari"),
    ("GREEK", "Greek"),
    ("HEBREW", "Hebrew"),
)
# Scripts that one language of the region (or near it) writes alone: the script says the language.
SCRIPT_LANGUAGES = {
    "Khmer": "km",
    "Thai": "th",
    "Lao": "lo",
    "Myanmar": "my",
    "Han": "zh",
    "Kana": "ja",
    "Hangul": "ko",
}
# Only the head of a text is read: a report's language shows in its first paragraphs.
SAMPLE_CHARS = 3000
# Every ASCII byte but the letters: deleting them from the text's ASCII leaves its letters.
_NOT_ASCII_LETTERS = bytes(byte for byte in range(128) if not chr(byte).isalpha())
_OTHER = re.compile(r"[^\x00-\x7f]")
_WRITTEN = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc"})


def script_of(char: str) -> str:
    """Return the script a letter or combining sign belongs to, or "" for anything else."""
    if unicodedata.category(char) not in _WRITTEN:
        return ""
    name = unicodedata.name(char, "")
    for prefix, script in SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "Other"


def script_counts(text: str) -> Counter[str]:
    """Return how many letters and signs of `text`'s head each script holds."""
    sample = text[:SAMPLE_CHARS]
    # ASCII letters are counted in bulk; only the other characters are looked up one by one.
    counts: Counter[str] = Counter()
    ascii_letters = len(sample.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    if ascii_letters:
        counts["Latin"] = ascii_letters
    for char in _OTHER.findall(sample):
        if script := script_of(char):
            counts[script] += 1
    return counts


def main_script(text: str) -> tuple[str, float]:
    """Return the script most of `text` is written in and its share, or ("", 0.0) if none."""
    counts = script_counts(text)
    total = sum(counts.values())
    if not total:
        return "", 0.0
    script, count = counts.most_common(1)[0]
    return script, count / total


def unicode_script(char: str) -> str:
    """Return Unicode's name for the script of `char` ("Tibetan", "Tai Tham"; "Common" for
    punctuation and digits, "Inherited" for signs any script uses)."""
    return _script_traits(char)[0]


def breaks_between_letters(char: str) -> bool:
    """Return whether `char`'s script is written without spaces between words (Thai, Tai Tham,
    Han...), so that a line, or a word, may end after any letter."""
    return _script_traits(char)[1]


@functools.cache
def _script_traits(char: str) -> tuple[str, bool]:
    # SCRIPT_PREFIXES names only the scripts the archive counts, and the standard library knows
    # no scripts: ICU (already loaded to cut unspaced scripts into clusters) knows them all.
    import icu

    script = icu.Script.getScript(char)
    return script.getName().replace("_", " "), bool(script.breaksBetweenLetters())
