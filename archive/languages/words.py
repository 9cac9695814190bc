"""Words as the index reads them, in every script the archive holds.

Most scripts put spaces between words: there a word is a run of word characters (the pattern
Whoosh's own tokenizer uses, so English reads exactly as before). Khmer, Thai, Lao, Burmese,
Chinese and Japanese do not, and their compounds hold words a reader looks for: "ministry"
(ក្រសួង) inside "Ministry of Environment" (ក្រសួងបរិស្ថាន), "gun" inside "pistol". A dictionary
word breaker (ICU's) keeps such a compound whole, so a search for the part misses it (on our
fixtures, one Khmer word in eight). So a run of these scripts is read as its letter clusters (a
letter with its vowel signs, as ICU's grapheme breaks cut them: one character in Chinese), and a
word is found as the phrase of its clusters, wherever it stands, as search engines index
Chinese by its characters. Latin letters also have a bare form, so that "Ha Noi" finds "Hà Nội".
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

# A word of a script written with spaces: letters, digits, `*` (a prefix query) and inner dots
# (U.N.), as Whoosh's RegexTokenizer reads it.
SPACED_WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
# Runs of the scripts written without spaces between words, vowel signs and digits included.
_UNSPACED_RANGES = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u3040-\u30ff\u31f0-\u31ff"  # Japanese kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
)
UNSPACED_RUN = re.compile(f"[{_UNSPACED_RANGES}]+")
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED_RANGES}]")
# Latin letters with accents (Latin-1 Supplement to Extended-B, Latin Extended Additional, where
# Vietnamese has most of its letters) and combining accents.
_UNSPACED_OR_ACCENTED = re.compile(f"[{_UNSPACED_RANGES}\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")
_local = threading.local()  # a BreakIterator is not safe to share between threads


def has_unspaced(text: str) -> bool:
    """Return whether `text` holds any script written without spaces between words."""
    return _UNSPACED_CHAR.search(text) is not None


def needs_segmenting_or_folding(text: str) -> bool:
    """Return whether `text` holds an unspaced script or a Latin letter with an accent."""
    return _UNSPACED_OR_ACCENTED.search(text) is not None


def is_unspaced_word(word: str) -> bool:
    return bool(word) and _UNSPACED_CHAR.match(word) is not None


def is_whole_word(text: str, start: int, end: int) -> bool:
    """Return whether text[start:end] stands as a word of its own in a script written with
    spaces: no letter or digit touches it on either side."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def is_whole_word_in_any_script(text: str, start: int, end: int) -> bool:
    """is_whole_word, and for a word in a script without spaces between words: standing
    between two letter clusters, not inside one (a vowel sign or a subscript after it, or a
    subscript mark before it, would make it part of another cluster)."""
    if not is_unspaced_word(text[start:end]):
        return is_whole_word(text, start, end)
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (_joins(after) or before in _JOINERS_BEFORE)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every word of `text` in order; in unspaced scripts, of every
    letter cluster."""
    if not has_unspaced(text):
        return [match.span() for match in SPACED_WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    position = 0
    for run in UNSPACED_RUN.finditer(text):
        spans.extend(_offset(SPACED_WORD.finditer(text, position, run.start())))
        spans.extend(_segmented(text, run.start(), run.end()))
        position = run.end()
    spans.extend(_offset(SPACED_WORD.finditer(text, position)))
    return spans


def split_words(text: str) -> list[str]:
    """Return the words (in unspaced scripts, the letter clusters) of `text`, as written."""
    if not has_unspaced(text):
        return SPACED_WORD.findall(text)
    return [text[start:end] for start, end in word_spans(text)]


def fold(word: str) -> str:
    """Return a lowercase word with Latin letters stripped of accents ("Nội" -> "noi")."""
    word = word.lower()
    if word.isascii():
        return word
    return word.translate(_folding_table())


# Signs that attach what follows them to the cluster before: Khmer coeng, Burmese virama and
# asat-stacker, Thai phinthu.
_JOINERS_BEFORE = frozenset("\u17d2\u1039\u0e3a")


def _joins(char: str) -> bool:
    """Return whether `char` belongs to the letter cluster before it (a vowel sign or mark)."""
    return unicodedata.category(char) in ("Mn", "Mc")


def _offset(matches):
    return (match.span() for match in matches)


def _segmented(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the letter clusters of text[start:end] (a run of unspaced scripts), leaving out
    punctuation such as the Khmer full stop; digits stay."""
    breaker = getattr(_local, "breaker", None)
    if breaker is None:
        import icu  # a C extension over the system's ICU: loaded only for these scripts

        breaker = _local.breaker = icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())
    run = text[start:end]
    breaker.setText(run)
    # ICU counts in UTF-16 code units; outside the basic plane (rare Han) a character is two.
    if all(ord(char) < 0x10000 for char in run):
        index_of = None
    else:
        units = [0]
        for char in run:
            units.append(units[-1] + (2 if ord(char) >= 0x10000 else 1))
        index_of = {unit: index for index, unit in enumerate(units)}
    spans, previous = [], 0
    for boundary in breaker:
        first, last = (
            (previous, boundary)
            if index_of is None
            else (
                index_of[previous],
                index_of[boundary],
            )
        )
        kind = unicodedata.category(run[first])[0]
        if kind in "LN":
            spans.append((start + first, start + last))
        elif kind == "M" and spans and spans[-1][1] == start + first:
            # A sign ICU leaves on its own (Burmese း) belongs to the cluster before it.
            spans[-1] = (spans[-1][0], start + last)
        previous = boundary
    return spans


@functools.cache
def _folding_table() -> dict[int, int | None]:
    """Return a table taking each accented Latin letter to its bare letter and dropping
    combining accents; "đ" is "d", as Vietnamese writes it without its stroke."""
    table: dict[int, int | None] = {ord("đ"): ord("d"), ord("ð"): ord("d")}
    blocks = (range(0x00C0, 0x0250), range(0x1E00, 0x1F00))  # Latin-1 to Extended-B; Additional
    for code in (code for block in blocks for code in block):
        bare = unicodedata.normalize("NFD", chr(code))
        if len(bare) > 1 and bare[0].isascii() and bare[0].isalpha():
            table.setdefault(code, ord(bare[0].lower() if chr(code).islower() else bare[0]))
    for mark in range(0x0300, 0x0370):
        table[mark] = None
    return table
