"""WhooshBackend, the Whoosh search engine behind the SearchBackend contract, and the only name
the rest of the project uses; the other modules of this package hold the index's parts. Each
process re-opens the index when a rebuild swaps in a new generation (see storage) and refreshes
its searcher when a commit lands. Index files changed in place (restored, truncated, overwritten)
are read afresh; an index that cannot be read answers SearchUnavailable, and nothing replaces it
but a rebuild.
"""

from __future__ import annotations

import html
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from whoosh.index import LockError
from whoosh.query import NullQuery

from search.backends.base import (
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
)
from search.backends.whoosh import docsets
from search.backends.whoosh.facets import facet_counts, facet_filters, narrowed
from search.backends.whoosh.highlight import marked, matching_spans, passages
from search.backends.whoosh.query import Matched, match_text, positive_terms, weighted_words
from search.backends.whoosh.schema import STOP_WORDS, build_schema, is_indexed
from search.backends.whoosh.snapshot import Segment, Snapshot
from search.backends.whoosh.storage import (
    ABANDONED_TOC_NAME,
    CURRENT,
    SEGMENT_FILES_COMPOUND,
    ClosingStorage,
    WhooshWriter,
    file_signature,
    file_signatures,
    has_toc,
    new_generation,
    stored_cursor,
    swap_in,
    write_new_generation,
)
from search.query.omissions import find_omissions
from search.query.spelling import corrected_query, corrections
from search.query.typed_query import searched_parts

logger = logging.getLogger(__name__)

# What SearchUnavailable says (pages show it): the operator's part is in the log and the README.
MISSING = "The search index is missing; it is being rebuilt."
EARLIER_VERSION = (
    "The search index was built by an earlier version of the archive; "
    "run `python manage.py rebuild_index`."
)
DAMAGED = "The search index cannot be read; it is being rebuilt."
# How many of an article's most telling words make its more-like-this query.
LIKE_TERMS = 20
# Readings of the latest commit before one is kept whole though commits keep landing.
OPEN_ATTEMPTS = 3


class WhooshBackend(SearchBackend):
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._index = None
        self._index_dir: Path | None = None
        self._searcher = None
        self._snapshot: Snapshot | None = None
        self._segments: dict[str, Segment] = {}
        # {file path: signature} of the files the searcher reads, to notice them changed in place.
        self._signatures: dict[str, tuple[int, int, int] | None] = {}
        self._reported_damage: Path | None = None  # logged once per damaged generation

    # --- where the index lives -------------------------------------------------------------

    def _current_dir(self) -> Path | None:
        link = self.root / CURRENT
        if not link.exists():
            return None
        return link.resolve()

    def exists(self) -> bool:
        """Return whether an index is there, readable or not: a damaged index must answer
        SearchUnavailable, not be taken for a missing one and replaced by an empty one."""
        current = self._current_dir()
        return current is not None and has_toc(current)

    def outdated(self) -> bool:
        if not self.exists():
            return True
        try:
            self._open_index()
        except SearchUnavailable as error:
            return str(error) == EARLIER_VERSION
        return False

    def _open_index(self):
        """Return the current generation's index, re-opening it after a rebuild swapped it."""
        current = self._current_dir()
        if current is None or not has_toc(current):
            raise SearchUnavailable(MISSING)
        if current != self._index_dir:
            storage = ClosingStorage(current)
            try:
                with storage.attempt():
                    opened = storage.open_index()
                    names = set(opened.schema.names())
            except Exception as error:  # a damaged index reports itself in many ways
                raise self._damaged(current, error) from None
            if names != set(build_schema().names()):
                # Built by an earlier version: its answers would be wrong, not merely slow.
                raise SearchUnavailable(EARLIER_VERSION)
            self._close_searcher()
            self._index, self._index_dir = opened, current
        return self._index

    def _searcher_now(self):
        with self._lock:
            ix = self._open_index()
            try:
                with ix.storage.attempt():
                    self._refresh_searcher(ix)
            except Exception as error:  # the files cannot be read (see _refresh_searcher)
                self._close_searcher()
                raise self._damaged(self._index_dir, error) from None
            self._reported_damage = None
            return self._searcher, self._snapshot

    def _refresh_searcher(self, ix) -> None:
        """Make the searcher and snapshot those of the index's latest commit.

        Commits only add files and remove unused ones; a file that changed in place was
        restored, truncated or overwritten behind the index's back. Then nothing read from it
        can be trusted: everything is read again, and a damaged file shows when it is.
        """
        if self._searcher is not None and self._searcher.up_to_date():
            if self._files_changed_in_place():
                self._close_searcher()
        elif self._searcher is not None:
            # Not Searcher.refresh(): it reuses segment readers with their old deletion
            # lists, so deleted and updated documents would stay visible.
            self._searcher.close()
            self._searcher, self._snapshot = None, None
        if self._searcher is not None and self._snapshot is not None:
            return
        if self._searcher is None:
            self._searcher, self._snapshot = self._open_latest(ix)
            self._signatures = file_signatures(self._index_dir, self._searcher)
        else:
            self._snapshot = Snapshot(self._searcher, self._segments)
        # Forget segments a merge has replaced.
        live = {leaf.segment().segment_id() for leaf, _ in self._searcher.reader().leaf_readers()}
        for key in set(self._segments) - live:
            del self._segments[key]

    def _open_latest(self, ix):
        """Return a searcher of the index's latest commit and its snapshot.

        Another process's commit deletes the files of the segments it merged, and Whoosh opens
        some of a segment's files only when first read: the snapshot reads (or opens) them
        all, and when a commit landed while it did, a file it read may have been gone (Whoosh
        then reads blanks), so all is read again from that commit, up to OPEN_ATTEMPTS times.
        """
        attempt = 1
        while True:
            searcher = None
            try:
                searcher = ix.searcher()
                snapshot = Snapshot(searcher, self._segments)
            except FileNotFoundError:
                if searcher is not None:
                    searcher.close()
                if attempt == OPEN_ATTEMPTS:
                    raise
            else:
                if searcher.up_to_date() or attempt == OPEN_ATTEMPTS:
                    return searcher, snapshot
                searcher.close()
            attempt += 1

    def _files_changed_in_place(self) -> bool:
        changed = any(
            file_signature(path) != signature for path, signature in self._signatures.items()
        )
        # A commit landing meanwhile removes files legitimately: only an up-to-date searcher
        # whose files differ was tampered with.
        return changed and self._searcher.up_to_date()

    def _damaged(self, folder: Path | None, error: Exception) -> SearchUnavailable:
        """Return the SearchUnavailable for an index that cannot be read, logging the first."""
        if folder != self._reported_damage:
            self._reported_damage = folder
            logger.error(
                "The search index in %s cannot be read (%s: %s); searches answer 503 until "
                "`python manage.py rebuild_index` replaces it.",
                folder,
                type(error).__name__,
                error,
            )
        return SearchUnavailable(DAMAGED)

    def close(self) -> None:
        with self._lock:
            self._close_searcher()
            self._index, self._index_dir = None, None

    def __del__(self):
        # A backend dropped without close() (get_backend keeps a few, one per index folder)
        # closes its index files itself rather than leave them to the garbage collector.
        # No module globals here (contextlib.suppress): at interpreter exit they may be gone.
        try:  # noqa: SIM105
            self._close_searcher()
        except Exception:
            pass

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher, self._snapshot = None, None
        self._segments, self._signatures = {}, {}

    # --- writing ---------------------------------------------------------------------------

    def open_writer(self, *, create: bool = False) -> WhooshWriter | None:
        if not self.exists():
            if not create:
                return None
            swap_in(self.root, new_generation(self.root))
        current = self._current_dir()
        storage = ClosingStorage(current)
        try:
            with storage.attempt():
                ix = storage.open_index()
                writer = ix.writer(timeout=0.0, compound=SEGMENT_FILES_COMPOUND)
        except LockError:
            return None
        except Exception as error:
            raise self._damaged(current, error) from None
        try:
            # A writer killed before its commit leaves its lock file (the operating system
            # released the lock itself) and files no table of contents names: the next commit
            # removes those, but not a half-written table of contents under its temporary name.
            for name in os.listdir(current):
                if ABANDONED_TOC_NAME.fullmatch(name):
                    (current / name).unlink(missing_ok=True)
            with storage.attempt(), ix.searcher() as searcher:
                last_change, in_flight = stored_cursor(searcher)
        except Exception as error:
            writer.cancel()
            raise self._damaged(current, error) from None
        return WhooshWriter(writer, last_change, in_flight)

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        last_change: int,
        in_flight: tuple[int, ...] = (),
        on_document: Callable[[], None] | None = None,
        processes: int = 1,
    ) -> None:
        write_new_generation(
            self.root,
            documents,
            last_change=last_change,
            in_flight=in_flight,
            on_document=on_document,
            processes=processes,
        )

    # --- reading ---------------------------------------------------------------------------

    def last_change(self) -> int:
        searcher, _ = self._searcher_now()
        return stored_cursor(searcher)[0]

    def in_flight(self) -> tuple[int, ...]:
        searcher, _ = self._searcher_now()
        return stored_cursor(searcher)[1]

    def stamps(self) -> dict[str, str]:
        searcher, snapshot = self._searcher_now()
        stored = searcher.reader().stored_fields
        return {
            fields["id"]: fields.get("stamp", "")
            for fields in (stored(docnum) for docnum in docsets.members(snapshot.articles).tolist())
        }

    def search(self, request: SearchRequest, *, texts_of) -> SearchResponse:
        searcher, snapshot = self._searcher_now()
        matched = match_text(searcher, snapshot, request.query)
        field, filters = facet_filters(snapshot, request)
        final = narrowed(matched.docs, filters, None)
        by_incident = request.count == "incidents"
        counts = facet_counts(
            snapshot, matched.docs, filters, field, request.rollups, incidents=by_incident
        )
        reports, incidents = final.bit_count(), snapshot.incident_count(final)
        total = incidents if by_incident else reports
        hits = self._page(snapshot, matched, final, request, texts_of)
        suggestion = ""
        if matched.query is not None and request.suggest:
            vocabulary = snapshot.vocabulary()
            found = corrections(request.query, vocabulary)
            suggestion = corrected_query(request.query, found, vocabulary)
        return SearchResponse(
            total=total,
            hits=hits,
            facet_counts=counts,
            any_words=matched.any_words,
            words=tuple(searched_parts(request.query, stop_words=STOP_WORDS))
            if matched.any_words
            else (),
            suggestion=suggestion,
            omissions=find_omissions(request.query, kept=is_indexed, stop_words=STOP_WORDS),
            # The query had words, and the analyzer left none of them (or only excluded ones).
            searched_nothing=matched.query is NullQuery,
            reports=reports,
            incidents=incidents,
        )

    def matching_ids(self, request: SearchRequest, *, limit: int | None = None) -> list[int]:
        searcher, snapshot = self._searcher_now()
        matched = match_text(searcher, snapshot, request.query)
        _, filters = facet_filters(snapshot, request)
        final = narrowed(matched.docs, filters, None)
        if not final:
            return []
        ordered = self._ordered(
            snapshot,
            matched,
            final,
            request.sort,
            limit=limit,
            collapse=request.count == "incidents",
        )
        ids = snapshot.ids()
        return [int(ids[docnum]) for docnum, _ in ordered]

    def more_like(self, article_id: int, text: str, *, limit: int) -> list[int]:
        searcher, snapshot = self._searcher_now()
        terms = searcher.key_terms_from_text("body", text, numterms=LIKE_TERMS)
        if not terms:
            return []
        scores = snapshot.scores({("body", word): weight for word, weight in terms})
        candidates = np.flatnonzero(snapshot.article_mask & (scores > 0))
        ids = snapshot.ids()
        candidates = candidates[ids[candidates] != article_id]
        ranked, _ = docsets.top_ranked(scores, candidates, ids, limit)
        return ids[ranked].tolist()

    def _ordered(self, snapshot, matched: Matched, docs: int, sort: str, *, limit, collapse=False):
        """Return [(document number, score)] of `docs` in page order, the first `limit` of
        them (all when None); with `collapse`, each incident's first report only. Pages and
        matching_ids both read this, so an export lists exactly what the pages show, in the
        same order. Without words there is no relevance: newest first, and no score."""
        if collapse and docs & snapshot.grouped:
            # An incident's reports are not next to each other in the order: the order is
            # taken whole, then each incident's first kept.
            ordered = self._ordered(snapshot, matched, docs, sort, limit=None)
            if not ordered:
                return ordered
            order = np.array([docnum for docnum, _ in ordered], dtype=np.int64)
            kept = set(snapshot.collapsed(order)[:limit].tolist())
            return [item for item in ordered if item[0] in kept][:limit]
        query = matched.query
        if query is None and sort == "relevance":
            sort = "newest"
        mask = docsets.to_mask(docs, snapshot.size)
        if sort in ("newest", "oldest", "added"):
            # The index-wide order is kept per index version: a page is a filter of it.
            order = snapshot.in_order(sort)
            found = order[mask[order]][:limit]
            return [(docnum, 0.0) for docnum in found.tolist()]
        scores = snapshot.scores(weighted_words(query))
        candidates = np.flatnonzero(mask)
        tiers = snapshot.words_matched(matched.clauses) if matched.any_words else None
        ranked, scored = docsets.top_ranked(scores, candidates, snapshot.ids(), limit, tiers=tiers)
        return list(zip(ranked.tolist(), scored.tolist(), strict=True))

    def _page(self, snapshot, matched: Matched, docs: int, request, texts_of) -> list[Hit]:
        if not docs or request.page_size <= 0:
            return []
        start = (request.page - 1) * request.page_size
        limit = start + request.page_size
        ordered = self._ordered(
            snapshot,
            matched,
            docs,
            request.sort,
            limit=limit,
            collapse=request.count == "incidents",
        )
        query = matched.query
        page = ordered[start:limit]
        ids = snapshot.ids()
        texts = texts_of([int(ids[docnum]) for docnum, _ in page])
        title_words = positive_terms(query, "title") if query is not None else frozenset()
        body_words = positive_terms(query, "body") if query is not None else frozenset()
        hits = []
        for docnum, score in page:
            article_id = int(ids[docnum])
            if article_id not in texts:
                continue
            title, body = texts[article_id]
            title_html = marked(title, matching_spans(title, title_words)) or html.escape(title)
            extracts = passages(body, matching_spans(body, body_words))
            incident = int(snapshot.incidents[docnum])
            hits.append(Hit(article_id, score, title_html, extracts, incident))
        return hits
