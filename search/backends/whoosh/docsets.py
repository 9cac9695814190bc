"""Sets of documents and their scores, for an engine that numbers its documents 0..N-1.

Nothing here knows about Whoosh. A set of documents is a Python integer used as a bitset (bit n
for document n): intersecting two sets of 100,000 documents and counting the result are single
C calls on 12.5 KB, where Python sets cost a hash lookup per document. Scores are numpy arrays,
so ranking 100,000 matches is a few vector operations instead of a Python call per posting.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

# BM25's usual constants: how fast repeated words stop adding to a score, and how much a long
# text is discounted.
K1 = 1.2
B = 0.75


def from_docnums(docnums: Iterable[int], size: int) -> int:
    """Return the bitset of `docnums`, all below `size`."""
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(docnums, dtype=np.int64)] = True
    return from_mask(mask)


def from_mask(mask: np.ndarray) -> int:
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def to_mask(bits: int, size: int) -> np.ndarray:
    """Return the bitset as a boolean array of `size` documents."""
    packed = np.frombuffer(bits.to_bytes((size + 7) >> 3, "little"), dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little", count=size).view(bool)


def members(bits: int) -> np.ndarray:
    """Return the document numbers in a bitset, in increasing order."""
    return np.flatnonzero(to_mask(bits, bits.bit_length()))


def bm25(
    weights: np.ndarray, lengths: np.ndarray, *, documents: int, average_length: float
) -> np.ndarray:
    """Return each posting's BM25 score for one word.

    `weights` are the word's (boosted) counts in the documents holding it, `lengths` those
    documents' field lengths, `documents` how many documents there are. The word's rarity
    (inverse document frequency) is `log(N / (df + 1)) + 1`, as in Whoosh's BM25F, so rankings
    stay what they were when Whoosh scored them; it never goes below zero for common words.
    """
    found = len(weights)
    rarity = math.log(documents / (found + 1)) + 1
    norm = K1 * (1 - B + B * lengths / max(average_length, 1.0))
    return (rarity * weights * (K1 + 1) / (weights + norm)).astype(np.float32)


def top_ranked(
    scores: np.ndarray,
    candidates: np.ndarray,
    ids: np.ndarray,
    limit: int | None,
    *,
    tiers: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (document numbers, scores) of the best `limit` candidates (all when None), best
    first; equal scores in increasing `ids` order, so that every page and an export of the
    same search agree, whatever the index's layout. With `tiers` (a whole number per document,
    such as how many of a query's words it holds), a higher tier always ranks first.
    """
    if tiers is not None:
        ranked, _ = top_ranked(_tiered(scores, tiers), candidates, ids, limit)
        return ranked, scores[ranked]
    found = scores[candidates]
    if limit is not None and limit < len(candidates):
        cutoff = np.partition(found, len(found) - limit)[len(found) - limit]
        above = np.flatnonzero(found > cutoff)
        tied = np.flatnonzero(found == cutoff)
        tied = tied[np.argsort(ids[candidates[tied]], kind="stable")[: limit - len(above)]]
        keep = np.concatenate([above, tied])
        candidates, found = candidates[keep], found[keep]
    order = np.lexsort((ids[candidates], -found))
    return candidates[order], found[order]


def _tiered(scores: np.ndarray, tiers: np.ndarray) -> np.ndarray:
    """Return scores that order by tier first, then by score (in float64, exact for both)."""
    return tiers.astype(np.float64) * (float(scores.max(initial=0.0)) + 1.0) + scores
