"""Bitsets and arrays read from the index once per version and shared by every query: a Segment
holds what one segment's documents hold (kept until a merge replaces it, since a segment never
changes once written), a Snapshot joins a searcher's segments. Facet counts do not use Whoosh's
`groupedby` (which walks every hit): each facet value's documents are read once from the
postings, and a query's counts are then set intersections.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict

import numpy as np
from whoosh.codec import whoosh3
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Not, NullQuery, Or, Phrase, Query, Term
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from search.backends.base import INCIDENT, MAX_KG
from search.backends.whoosh import docsets
from search.backends.whoosh.query import QUERY_FIELDS
from search.backends.whoosh.schema import ARTICLE, FACET_FIELDS, STOP_WORDS, stem
from search.query.spelling import Vocabulary, WordList

# Whoosh stores a field's length per document in one byte; this decodes every code at once.
_LENGTH_OF_CODE = np.array([byte_to_length(code) for code in range(256)], dtype=np.float32)


class Segment:
    """One segment's articles, facet values, dates, ids, field lengths and recently used
    postings, over its own document numbers.

    A segment's documents never change once written (only its deletions grow, and those are
    applied by the snapshot), so all this is read once and reused by every searcher until a
    merge replaces the segment: after a commit only the commit's small new segment is read.
    Whoosh opens a segment's column files only when first read, and another process's commit
    deletes the files of the segments it merges: what is read per document (ids, dates, field
    lengths) is read here, at once, where the backend checks that no commit came between its
    opening the index and the reading (WhooshBackend._open_latest). Lazy parts (postings,
    words) read the files Whoosh opened with the segment, and take the current searcher's
    reader for it, since the reader that built this object may since have been closed.
    """

    # Postings kept for recently used words, per document of the segment (12 bytes each): at
    # 100,000 articles, 3 million postings (36 MB), some 60 common words' worth.
    POSTINGS_PER_DOCUMENT = 30

    def __init__(self, leaf):
        self.size = leaf.doc_count_all()
        self.articles = _posting_bits(leaf, "kind", ARTICLE, self.size)
        self.values: dict[str, dict[str, int]] = {
            field: {
                value: _posting_bits(leaf, field, value, self.size)
                for value in leaf.field_terms(field)
            }
            for field in FACET_FIELDS
        }
        self.dates = np.fromiter(leaf.column_reader("sort_date"), dtype=np.int64, count=self.size)
        self.max_kg = np.fromiter(leaf.column_reader(MAX_KG), dtype=np.float64, count=self.size)
        self.incidents = np.fromiter(leaf.column_reader(INCIDENT), dtype=np.int64, count=self.size)
        self._ids = np.fromiter(leaf.column_reader("article_id"), dtype=np.int64, count=self.size)
        self._lengths: dict[str, np.ndarray] = {}
        for field in QUERY_FIELDS:
            self.lengths(leaf, field)
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._held = 0
        self._words: WordList | None = None

    def words(self, leaf) -> WordList:
        """Return the segment's vocabulary for "did you mean" (read on first use)."""
        if self._words is None:
            self._words = WordList(leaf.field_terms("vocabulary"))
        return self._words

    def ids(self) -> np.ndarray:
        """Return the article id of every document number (0 for other documents)."""
        return self._ids

    def lengths(self, leaf, field: str) -> np.ndarray:
        """Return every document's length in `field` (in words, as Whoosh rounds it)."""
        if field not in self._lengths:
            column = leaf._perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
            if column is None:
                self._lengths[field] = np.zeros(self.size, dtype=np.float32)
            else:
                codes = np.frombuffer(column, dtype=np.uint8, count=self.size)
                self._lengths[field] = _LENGTH_OF_CODE[codes]
        return self._lengths[field]

    def postings(self, leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (document numbers, weights) of the documents holding `text` in `field`,
        deleted ones included."""
        key = (field, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        found = _read_postings(leaf, field, text)
        self._postings[key] = found
        self._held += len(found[0])
        while self._held > self.POSTINGS_PER_DOCUMENT * self.size and len(self._postings) > 1:
            _, (dropped, _) = self._postings.popitem(last=False)
            self._held -= len(dropped)
        return found


class Snapshot:
    """What every query against one searcher shares, computed once per index version: the
    live articles and each facet value's documents as bitsets (see docsets), dates, ids and
    lengths as arrays over the searcher's document numbers."""

    # Matching documents of recently used words and phrases, per searcher.
    MATCH_CACHE = 512

    def __init__(self, searcher, segments: dict[str, Segment]):
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.articles = 0
        self.values: dict[str, dict[str, int]] = {field: {} for field in FACET_FIELDS}
        self._parts: list[tuple[Segment, int, object]] = []
        for leaf, offset in reader.leaf_readers():
            key = leaf.segment().segment_id()
            segment = segments.get(key) or Segment(leaf)
            segments[key] = segment
            hold_stored_fields(leaf)
            live = segment.articles & ~docsets.from_docnums(leaf.deleted_docs_set, segment.size)
            self.articles |= live << offset
            for field, values in segment.values.items():
                merged = self.values[field]
                for value, docs in values.items():
                    if docs := docs & live:
                        merged[value] = merged.get(value, 0) | docs << offset
            self._parts.append((segment, offset, leaf))
        self.article_mask = docsets.to_mask(self.articles, self.size)
        self.article_count = self.articles.bit_count()
        self.dates = self._joined(lambda segment, leaf: segment.dates)
        self.max_kg = self._joined(lambda segment, leaf: segment.max_kg)
        self.incidents = self._joined(lambda segment, leaf: segment.incidents)
        # The articles in an incident with others; the rest count one each.
        self.grouped = docsets.from_mask(self.incidents > 0) & self.articles
        self._searcher = searcher
        self._ids: np.ndarray | None = None
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        self._orders: dict[str, np.ndarray] = {}
        self._matches: OrderedDict[object, int] = OrderedDict()
        self._vocabulary: Vocabulary | None = None

    def _joined(self, part_of) -> np.ndarray:
        return np.concatenate([part_of(segment, leaf) for segment, _, leaf in self._parts])

    def vocabulary(self) -> Vocabulary:
        """Return the archive's words for "did you mean", and how many reports each finds."""
        if self._vocabulary is None:
            reader = self._searcher.reader()
            self._vocabulary = Vocabulary(
                lists=tuple(segment.words(leaf) for segment, _, leaf in self._parts),
                # A word in titles only counts too; the larger of the two is near the number
                # of reports holding it (counting both exactly would read both postings).
                reports=lambda word: max(
                    reader.doc_frequency(field, stem(word)) for field in QUERY_FIELDS
                ),
                stem=stem,
                stop_words=STOP_WORDS,
            )
        return self._vocabulary

    def seized_at_least(self, kg: float) -> int:
        """Return the articles whose largest single-event seizure is at least `kg`, a bitset."""
        return docsets.from_mask(self.max_kg >= kg) & self.articles

    def incident_count(self, docs: int) -> int:
        """Return how many incidents the documents `docs` report, each counted once (a report
        in no incident is one of its own)."""
        grouped = docs & self.grouped
        if not grouped:
            return docs.bit_count()
        alone = (docs & ~self.grouped).bit_count()
        return alone + len(np.unique(self.incidents[docsets.members(grouped)]))

    def collapsed(self, order: np.ndarray) -> np.ndarray:
        """Return the document numbers of `order` with each incident's first one only."""
        keys = np.where(self.incidents[order] > 0, self.incidents[order], -1 - order)
        _, first = np.unique(keys, return_index=True)
        return order[np.sort(first)]

    def ids(self) -> np.ndarray:
        """Return the article id of every document number."""
        if self._ids is None:
            self._ids = self._joined(lambda segment, leaf: segment.ids())
        return self._ids

    def in_order(self, sort: str) -> np.ndarray:
        """Return the articles' document numbers by date ("newest", "oldest"; ties by article
        id, so the order does not depend on how the index is laid out) or by when they were
        added ("added": article ids only grow), built on first use."""
        if sort not in self._orders:
            articles = np.flatnonzero(self.article_mask)
            ids = self.ids()[articles]
            if sort == "added":
                order = np.argsort(-ids, kind="stable")
            else:
                dates = self.dates[articles]
                order = np.lexsort((ids, -dates if sort == "newest" else dates))
            self._orders[sort] = articles[order]
        return self._orders[sort]

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (document numbers, weights) of the live articles holding `text` in `field`."""
        docnums, weights = [], []
        for segment, offset, leaf in self._parts:
            local, local_weights = segment.postings(leaf, field, text)
            docnums.append(local + offset)
            weights.append(local_weights)
        docnums, weights = np.concatenate(docnums), np.concatenate(weights)
        live = self.article_mask[docnums]
        return docnums[live], weights[live]

    def lengths(self, field: str) -> tuple[np.ndarray, float]:
        """Return every document's length in `field` and the articles' average length."""
        if field not in self._lengths:
            lengths = self._joined(lambda segment, leaf: segment.lengths(leaf, field))
            average = float(lengths[self.article_mask].mean()) if self.article_count else 0.0
            self._lengths[field] = (lengths, average)
        return self._lengths[field]

    def scores(self, words: dict[tuple[str, str], float]) -> np.ndarray:
        """Return every document's BM25 score for `words`, {(field, word): boost}."""
        total = np.zeros(self.size, dtype=np.float32)
        for (field, word), boost in words.items():
            docnums, weights = self.postings(field, word)
            if not len(docnums):
                continue
            lengths, average = self.lengths(field)
            total[docnums] += boost * docsets.bm25(
                weights,
                lengths[docnums],
                documents=self.article_count,
                average_length=average,
            )
        return total

    def matching(self, query: Query) -> int:
        """Return the articles that match `query`, as a bitset.

        Words and the boolean operators between them are set operations on cached word sets;
        phrases are checked on the documents holding all their words; anything else is left
        to Whoosh.
        """
        # Exact types: subclasses (FuzzyTerm, Ordered...) mean more than the set operation.
        kind = type(query)
        if kind is And:
            docs = self.articles
            for part in query.subqueries:
                docs &= self.matching(part)
            return docs
        if kind is Or:
            docs = 0
            for part in query.subqueries:
                docs |= self.matching(part)
            return docs
        if kind is AndNot:
            return self.matching(query.a) & ~self.matching(query.b)
        if kind is AndMaybe:
            return self.matching(query.a)
        if kind is Not:
            return self.articles & ~self.matching(query.query)
        if query is NullQuery:
            return 0
        key = (kind.__name__, repr(query))
        docs = self._matches.get(key)
        if docs is None:
            docs = self._leaf_matching(query)
            self._matches[key] = docs
            if len(self._matches) > self.MATCH_CACHE:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(key)
        return docs

    def words_matched(self, clauses: tuple[Query, ...]) -> np.ndarray:
        """Return how many of `clauses` (a query's typed words) each document matches."""
        counts = np.zeros(self.size, dtype=np.int16)
        for clause in clauses:
            counts += docsets.to_mask(self.matching(clause), self.size)
        return counts

    def _leaf_matching(self, query: Query) -> int:
        if type(query) is Term:
            docnums, _ = self.postings(query.fieldname, query.text)
            return docsets.from_docnums(docnums, self.size)
        if type(query) is Phrase and query.slop == 1 and query.words:
            return self._phrase(query)
        docs = docsets.from_docnums(self._searcher.docs_for_query(query), self.size)
        return docs & self.articles

    def _phrase(self, phrase: Phrase) -> int:
        """Return the articles holding the phrase's words one after the other."""
        field, words = phrase.fieldname, list(phrase.words)
        candidates = self.articles
        for word in words:
            candidates &= self.matching(Term(field, word))
        found = []
        for segment, offset, leaf in self._parts:
            local = docsets.members(candidates >> offset)
            local = local[local < segment.size]
            if not len(local):
                continue
            matchers = [leaf.postings(field, word) for word in words]
            for docnum in local.tolist():
                starts = None
                for shift, matcher in enumerate(matchers):
                    matcher.skip_to(docnum)
                    positions = {p - shift for p in matcher.value_as("positions")}
                    starts = positions if starts is None else starts & positions
                    if not starts:
                        break
                if starts:
                    found.append(docnum + offset)
        return docsets.from_docnums(found, self.size)


def _posting_bits(leaf, field: str, text: str, size: int) -> int:
    """Return the documents of one segment holding `text` in `field`, as a bitset."""
    return docsets.from_docnums(_read_postings(leaf, field, text)[0], size)


def _read_postings(leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (document numbers, weights) of one segment's postings of a word, deleted
    documents included."""
    try:
        matcher = leaf.postings(field, text)
    except TermNotFound:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if isinstance(matcher, FilterMatcher):  # the segment's deletions: applied by the caller
        matcher = matcher.child
    docnums, weights = array("q"), array("f")
    if isinstance(matcher, whoosh3.W3LeafMatcher):
        # A block (up to 128 postings) at a time: a third faster than a call per posting,
        # which matters for common words. Relies on Whoosh 2.7's block reader.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            docnums.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            docnums.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.frombuffer(docnums, dtype=np.int64), np.frombuffer(weights, dtype=np.float32)


def hold_stored_fields(leaf) -> None:
    """Open a segment reader's stored fields now (Whoosh opens them on first read), so that a
    later read needs no file another process's commit may have deleted since. Raises
    FileNotFoundError when the file is gone already."""
    if leaf._perdoc._cached_reader("_stored", whoosh3.STORED_COLUMN) is None:
        raise FileNotFoundError(f"the stored fields of segment {leaf.segment().segment_id()}")
