""" "Did you mean": a typed word the archive never uses, corrected to a close word it uses often.

Stemming hides misspellings: "trafficing" stems like "traffic" and finds reports about road
traffic. So every typed word is checked against the archive's *unstemmed* vocabulary, and a word
that is not there is corrected to the closest word that is (one or two edits away, a swap of two
letters counting as one), provided that word finds other reports than the typed one (its stem
differs) and many more of them (SUGGEST_RATIO). Nothing here knows an engine: a backend gives
each segment's words (`WordList`) and says how many reports a word finds.

Cost is bounded per query, whatever is typed: at most MAX_CHECKED_WORDS unknown words are
looked up, and a lookup compares the word only with vocabulary words of a similar length whose
letters nearly agree (a bitmask test over numpy arrays), then measures the survivors' edit
distance in C (rapidfuzz): well under a millisecond a word at 30,000 words of vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.query.typed_query import typed_words

# A word the archive never uses is corrected only to a word that finds at least this many times
# as many reports as the typed word does through its stem ("trafficing" finds the reports about
# "traffic"; "trafficking" must find three times as many to be offered).
SUGGEST_RATIO = 3
# At most this many unknown words of one query are looked up (a pasted paragraph of names would
# otherwise cost a lookup each); the rest are left as typed.
MAX_CHECKED_WORDS = 8
# How many of the nearest words have their reports counted (two index look-ups each).
MAX_CANDIDATES = 20
# Short words have many neighbours one edit away: two edits only from this length on.
TWO_EDITS_FROM = 5
SHORTEST_CHECKED = 3
# Letters map to 64 bits; a word within N edits of another differs in at most 2N of them.
_MASK_BITS = 64


def letter_mask(word: str) -> int:
    """Return the set of the word's letters as bits (letters beyond 64 share bits)."""
    mask = 0
    for character in word:
        mask |= 1 << (ord(character) % _MASK_BITS)
    return mask


def letter_masks(words: list[str], length: int) -> np.ndarray:
    """Return letter_mask of each of `words`, all `length` characters long, in a few array
    operations (a Python loop over every letter took 1.5 s for 300,000 words)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    codes = np.array(words, dtype=f"<U{length}").view(np.uint32).reshape(len(words), length)
    bits = np.left_shift(np.uint64(1), (codes % _MASK_BITS).astype(np.uint64))
    return np.bitwise_or.reduce(bits, axis=1)


def written_forms(words: Iterable[str]) -> dict[str, str]:
    """Return {lower-case word: the form to show it in}: lower case when the word is ever
    written so, else capitalised as in running text ("Sihanoukville"), else in capitals ("UNODC",
    or a name only ever seen in a headline in capitals)."""
    words = list(words)
    # Most words are in lower case, the form that always wins: taken as they are.
    forms: dict[str, str] = {word: word for word in words if word.islower()}
    for form in sorted(word for word in words if not word.islower()):  # sorted: always alike
        lowered = form.lower()
        if lowered not in forms or _form_rank(form) < _form_rank(forms[lowered]):
            forms[lowered] = form
    return forms


def _form_rank(form: str) -> int:
    return 0 if form.islower() else 2 if form.isupper() else 1


class WordList:
    """The words of one part of the index (a segment), as written, grouped by length."""

    def __init__(self, written: Iterable[str]):
        # lower-case word -> the form the archive writes it in (see written_forms)
        self.forms = written_forms(written)
        words = np.array(list(self.forms), dtype=object)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        order = np.argsort(lengths, kind="stable")
        words, lengths = words[order], lengths[order]
        starts = np.flatnonzero(np.diff(lengths, prepend=-1)).tolist()
        self._by_length = {}
        for start, end in zip(starts, [*starts[1:], len(words)][: len(starts)], strict=True):
            group = words[start:end]
            length = int(lengths[start])
            self._by_length[length] = (group, letter_masks(group.tolist(), length))

    def __contains__(self, word: str) -> bool:
        return word in self.forms

    def near(self, word: str, distance: int) -> list[tuple[str, int]]:
        """Return (word, edits) of the words within `distance` edits of `word` (itself
        excluded)."""
        mask = np.uint64(letter_mask(word))
        survivors: list[str] = []
        for length in range(len(word) - distance, len(word) + distance + 1):
            if length in self._by_length:
                words, masks = self._by_length[length]
                survivors += words[np.bitwise_count(masks ^ mask) <= 2 * distance].tolist()
        found = process.extract(
            word, survivors, scorer=OSA.distance, score_cutoff=distance, limit=None
        )
        return [(candidate, edits) for candidate, edits, _ in found if candidate != word]


@dataclass(frozen=True)
class Vocabulary:
    """The archive's words (a WordList per part of the index) and how many reports a word finds
    (`reports(word)`, through its stem) and what its stem is (`stem(word)`)."""

    lists: tuple[WordList, ...]
    reports: Callable[[str], int]
    stem: Callable[[str], str]
    stop_words: frozenset[str] = frozenset()  # never corrected: the index leaves them out

    def knows(self, word: str) -> bool:
        return any(word in words for words in self.lists)

    def written(self, word: str) -> str:
        """Return the form the archive writes `word` in (a proper noun keeps its capitals)."""
        forms = [words.forms[word] for words in self.lists if word in words]
        return written_forms(forms).get(word, word)

    def near(self, word: str, distance: int) -> dict[str, int]:
        """Return {word: edits} of the words within `distance` edits of `word`."""
        return {found: edits for words in self.lists for found, edits in words.near(word, distance)}


@dataclass(frozen=True)
class Correction:
    typed: str
    suggested: str


def corrections(text: str, vocabulary: Vocabulary) -> list[Correction]:
    """Return the corrections of `text`'s words, in the order typed (a word once)."""
    found: list[Correction] = []
    seen: set[str] = set()
    looked_up = 0
    for word in typed_words(text):
        lowered = word.text.lower()
        if lowered in seen or lowered in vocabulary.stop_words:
            continue
        if not _checkable(lowered) or vocabulary.knows(lowered):
            continue
        seen.add(lowered)
        if looked_up == MAX_CHECKED_WORDS:
            break
        looked_up += 1
        better = _closest(lowered, vocabulary)
        if better:
            found.append(Correction(word.text, _cased_like(word.text, vocabulary.written(better))))
    return found


def corrected_query(text: str, found: list[Correction], vocabulary: Vocabulary) -> str:
    """Return `text` with each corrected word replaced and, since the query is offered again
    anyway, each name the archive writes with capitals written so ("phnom pehn" gives "Phnom
    Penh"); everything else as typed. Without corrections, ""."""
    if not found:
        return ""
    replacement = {correction.typed.lower(): correction.suggested for correction in found}
    parts, position = [], 0
    for word in typed_words(text):
        lowered = word.text.lower()
        suggested = replacement.get(lowered)
        if suggested is None and word.text == lowered and vocabulary.knows(lowered):
            suggested = vocabulary.written(lowered)
        if suggested is not None and suggested != word.text:
            parts += [text[position : word.start], suggested]
            position = word.end
    parts.append(text[position:])
    return "".join(parts)


def _checkable(word: str) -> bool:
    return len(word) >= SHORTEST_CHECKED and word.isalpha()


def _closest(word: str, vocabulary: Vocabulary) -> str:
    """Return the word to offer for `word`, or "" when no close word is good enough: among the
    nearest words (fewest edits first, at most MAX_CANDIDATES of them), the one that finds the
    most reports, if that is enough."""
    stem = vocabulary.stem(word)
    needed = max(1, SUGGEST_RATIO * vocabulary.reports(word))
    found = vocabulary.near(word, 2 if len(word) >= TWO_EDITS_FROM else 1)
    for edits in sorted(set(found.values())):
        nearest = sorted(candidate for candidate, distance in found.items() if distance == edits)
        ranked = sorted(
            (
                (vocabulary.reports(candidate), candidate)
                for candidate in nearest[:MAX_CANDIDATES]
                if vocabulary.stem(candidate) != stem
            ),
            key=lambda item: (-item[0], item[1]),
        )
        if ranked and ranked[0][0] >= needed:
            return ranked[0][1]
    return ""


def _cased_like(typed: str, suggested: str) -> str:
    """Return the suggestion as the archive writes it, capitalised if the typed word was."""
    if suggested != suggested.lower():
        return suggested
    return suggested.capitalize() if typed[:1].isupper() else suggested
