"""Highlighting: a hit's title and the passages of its body around the query's words, as escaped
HTML. The index stores no text (the database supplies it), so the words are found again here by
the index's own analysis steps (see schema), on only the words that may match.
"""

from __future__ import annotations

import functools
import html
import re

from archive.languages.words import needs_segmenting_or_folding, word_spans
from search.backends.whoosh.schema import MIN_WORD_CHARS, STOP_WORDS, index_terms, stem

PASSAGES = 2
PASSAGE_CHARS = 220


def matching_spans(text: str, words: frozenset[str | tuple[str, ...]]) -> list[tuple[int, int]]:
    """Return the (start, end) of every word of `text` whose stem is one of `words`, and of every
    run of letter clusters of an unspaced script that is one of its tuples.

    The index analyzer's own steps (lowercase, skip stop words, Porter2), but only on the words
    a C-level regex scan finds starting like one of the stems: re-running the analyzer's token
    chain on every word of every hit was most of a page's time.
    """
    if not words:
        return []
    if needs_segmenting_or_folding(text):
        return _spans_by_analysis(text, words)
    words = frozenset(word for word in words if isinstance(word, str))
    if not words:
        return []
    found = []
    for match in _candidates(words).finditer(text):
        word = match.group().lower()
        if len(word) >= MIN_WORD_CHARS and word not in STOP_WORDS and stem(word) in words:
            found.append(match.span())
    return found


def _spans_by_analysis(text: str, words: frozenset[str | tuple[str, ...]]) -> list[tuple[int, int]]:
    """matching_spans for text with unspaced scripts or accented letters ("Nội" is also "noi"):
    the analyzer's steps on every word, which English reports rarely need."""
    units = [(start, end, index_terms(text[start:end])) for start, end in word_spans(text)]
    singles = frozenset(word for word in words if isinstance(word, str))
    found = [(start, end) for start, end, terms in units if not singles.isdisjoint(terms)]
    for sequence in (word for word in words if isinstance(word, tuple)):
        size = len(sequence)
        for first in range(len(units) - size + 1):
            if all(sequence[k] in units[first + k][2] for k in range(size)):
                found.append((units[first][0], units[first + size - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:  # touching clusters are one mark
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=256)
def _candidates(stems: frozenset[str]) -> re.Pattern:
    """Return a pattern for whole words that may stem to one of `stems`.

    Porter2 rewrites only a word's ending, so a word and its stem share their first three
    letters; a stem shorter than four letters may come from an irregular form ("dying" gives
    "die"), so for those only the first letter is required. A word begins where no word
    character or dot precedes it, as the index's tokenizer has it.
    """
    prefixes = sorted({known[:3] if len(known) >= 4 else known[:1] for known in stems})
    alternatives = "|".join(map(re.escape, prefixes))
    return re.compile(rf"(?<![\w*.])(?:{alternatives})[\w*]*(?:\.?[\w*]+)*", re.IGNORECASE)


def marked(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """Return text[start:end] escaped, with each span wrapped in <mark>."""
    end = len(text) if end is None else end
    parts, position = [], start
    for span_start, span_end in spans:
        parts.append(html.escape(text[position:span_start]))
        parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(html.escape(text[position:end]))
    return "".join(parts) if spans else ""


def passages(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """Return up to PASSAGES extracts of `text` around its matches, the ones holding the most
    matches, in text order; each at most PASSAGE_CHARS long, cut at spaces."""
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= PASSAGE_CHARS:
            groups[-1].append(span)
        else:
            groups.append([span])
    best = sorted(sorted(groups, key=len, reverse=True)[:PASSAGES], key=lambda group: group[0])
    extracts = []
    for group in best:
        first, last = group[0][0], group[-1][1]
        room = max(PASSAGE_CHARS - (last - first), 0) // 2
        start, end = max(first - room, 0), min(last + room, len(text))
        if start > 0:  # begin at a word
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else first
        if end < len(text):  # end at a word
            space = text.rfind(" ", last, end)
            end = space if space != -1 else last
        extracts.append(marked(text, group, start, end).strip())
    return tuple(extracts)
