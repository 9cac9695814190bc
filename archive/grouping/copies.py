"""Copies of one text: a wire story republished, lightly edited, shortened or updated.

    fingerprint(body)                       -> Fingerprint (a MinHash of the body's shingles)
    similarity(first, second)               -> 0.62 (estimated Jaccard of their shingles)
    CopyFinder().add("r1", fp1); .copies_of(fp2) -> [("r1", 0.62)]
    copy_groups({"r1": fp1, "r2": fp2, ...}) -> [["r1", "r2"], ...]

A report's words (letter clusters in Khmer, Thai and the other scripts written without spaces,
archive.languages.words) are folded (case and accents) and read as shingles: every run of
SHINGLE_WORDS consecutive words. Two reports are copies when their shingle sets overlap enough
(a Jaccard similarity of at least COPY_THRESHOLD) and they write the same numbers (at least
NUMBERS_AGREE of them). datasketch's MinHash estimates the similarity from NUM_PERM hash values
per report, and its LSH index finds a new report's likely copies among many without comparing
it with each; each candidate is then checked.

Why two tests: police statements are rewritten from one template, so two different raids can
share as much wording as a copy and its heavily edited version (on the incident fixtures,
tests/fixtures/incidents, the least similar copies share 0.35 of their 3-word shingles and a
raid and another raid's report up to 0.44), but a copy states the same figures, dates and ages,
and another raid does not (copies agree on 0.67 or more of their numbers, other pairs on 0.12
at most). bench/grouping_copies.py --sweep prints the data. Pure: no database here; a
fingerprint is plain numbers a caller may store.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy
from datasketch import LeanMinHash, MinHash, MinHashLSH

from archive.languages.words import fold, has_unspaced, split_words

SHINGLE_WORDS = 3
# Letter clusters are shorter than words: as many characters need more of them.
SHINGLE_CLUSTERS = 6
NUM_PERM = 128
# A report is fingerprinted by its opening: copies share it (a shortened copy loses its end, an
# updated one adds to it), and a long report costs no more than a short one. On the fixtures,
# 800 characters lose 2 of the 24 copy pairs and 1,200 none; this leaves a margin.
FINGERPRINT_CHARS = 1500
COPY_THRESHOLD = 0.25
# And they state the same numbers: of the numbers either writes, this share at least both do.
NUMBERS_AGREE = 0.5
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Fixed, both: signatures computed in different processes or years must compare.
SEED = 1
SCHEME = "affine32"  # datasketch's permutation scheme
# Each shingle is hashed to 32 bits by CRC-32 (the affine32 scheme takes 32-bit values): twice
# as fast as datasketch's default SHA-1, and as good at spreading shingles.


@dataclass(frozen=True)
class Fingerprint:
    """A report's MinHash (its NUM_PERM hash values, as unsigned 32-bit integers in bytes: the
    form stored and compared in arrays), how many shingles it had, and the numbers it writes,
    as written."""

    hashvalues: bytes
    shingles: int
    numbers: frozenset[str] = frozenset()

    @functools.cached_property
    def minhash(self) -> LeanMinHash:
        # Built once per fingerprint: a new report is compared with many others.
        hashvalues = self.values().astype(numpy.uint64)
        return LeanMinHash(seed=SEED, hashvalues=hashvalues, scheme=SCHEME)

    def values(self) -> numpy.ndarray:
        return numpy.frombuffer(self.hashvalues, dtype=numpy.uint32)


def shingles(text: str) -> set[str]:
    """Return the text's shingles: runs of consecutive folded words, joined by spaces."""
    words = [fold(word) for word in split_words(text)]
    size = SHINGLE_CLUSTERS if has_unspaced(text) else SHINGLE_WORDS
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[index : index + size]) for index in range(len(words) - size + 1)}


def fingerprint(text: str) -> Fingerprint:
    """Return the MinHash fingerprint of a report's text (the opening of its cleaned body)."""
    text = text[:FINGERPRINT_CHARS]
    found = shingles(text)
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        scheme=SCHEME,
        hashfunc=zlib.crc32,
        permutations=_permutations(),
    )
    minhash.update_batch([shingle.encode("utf-8") for shingle in found])
    hashvalues = minhash.hashvalues.astype(numpy.uint32).tobytes()
    return Fingerprint(hashvalues, len(found), frozenset(_NUMBER.findall(text)))


@functools.cache
def _permutations():
    # datasketch draws them from SEED for every new MinHash: a third of a fingerprint's cost.
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def numbers_agree(first: Fingerprint, second: Fingerprint) -> bool:
    """Return whether two reports write mostly the same numbers (or neither writes any)."""
    either = first.numbers | second.numbers
    return not either or len(first.numbers & second.numbers) >= NUMBERS_AGREE * len(either)


def similarity(first: Fingerprint, second: Fingerprint) -> float:
    """Return the estimated Jaccard similarity of two reports' shingles (0 when one has none)."""
    if not first.shingles or not second.shingles:
        return 0.0
    return float(first.minhash.jaccard(second.minhash))


class CopyFinder:
    """An LSH index of fingerprints: a new report's copies found without comparing it to all."""

    def __init__(self, threshold: float = COPY_THRESHOLD):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._fingerprints: dict[str, Fingerprint] = {}

    def add(self, key: str, print_: Fingerprint) -> None:
        if print_.shingles and key not in self._fingerprints:
            self._lsh.insert(key, print_.minhash)
            self._fingerprints[key] = print_

    def copies_of(self, print_: Fingerprint) -> list[tuple[str, float]]:
        """Return (key, similarity) of the reports `print_` copies, most similar first."""
        if not print_.shingles:
            return []
        found = []
        for key in self._lsh.query(print_.minhash):
            other = self._fingerprints[key]
            score = similarity(print_, other)
            if score >= self.threshold and numbers_agree(print_, other):
                found.append((key, round(score, 3)))
        return sorted(found, key=lambda item: (-item[1], item[0]))


def copy_groups(
    prints: Mapping[str, Fingerprint], *, threshold: float = COPY_THRESHOLD
) -> list[list[str]]:
    """Return the groups of copies among `prints` (keys in order, groups by their first key);
    a copy of a copy joins the group, and a report with no copy is in none."""
    finder = CopyFinder(threshold)
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for key, print_ in prints.items():
        for other, _score in finder.copies_of(print_):
            first, second = sorted((root(key), root(other)))
            parent[second] = first
            parent.setdefault(first, first)
        finder.add(key, print_)
    groups: dict[str, list[str]] = {}
    for key in prints:
        if key in parent:
            groups.setdefault(root(key), []).append(key)
    return sorted((sorted(group) for group in groups.values() if len(group) > 1), key=min)


def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Return every pair of keys that share a group, each pair sorted."""
    found = set()
    for group in groups:
        members = sorted(group)
        found.update(
            (members[i], members[j])
            for i in range(len(members))
            for j in range(i + 1, len(members))
        )
    return found
