"""The Whoosh search backend: every Whoosh call of the project lives in this package.

On disk, SEARCH_INDEX_DIR holds generations of the index and a `current` symbolic link naming the
one in use:

    index/current -> gen-20261121T101500-4242/
    index/gen-20261121T101500-4242/  (a Whoosh index)

A rebuild writes a new generation beside the old and then replaces the link in one rename, so a
search never sees half an index and a failed rebuild leaves the old one serving. Each process
re-opens the index when the link changes and refreshes its searcher when a commit lands. Index
files changed in place (restored, truncated, overwritten) are read afresh; an index that cannot
be read answers SearchUnavailable, and nothing replaces it but a rebuild.
"""

from __future__ import annotations

import contextlib
import functools
import html
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from search.backends.base import (
    FACETS,
    Hit,
    IndexWriter,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
)
from search.backends.whoosh import docsets
from search.backends.whoosh.highlight import marked, matching_spans, passages
from search.backends.whoosh.query import Matched, match_text, positive_terms, weighted_words
from search.backends.whoosh.schema import (
    ARTICLE,
    META,
    STOP_WORDS,
    TAG_FACETS,
    VOCABULARY,
    build_schema,
    spelling_words,
    vocabulary_forms,
)
from search.backends.whoosh.snapshot import Segment, Snapshot
from search.query.spelling import corrected_query, corrections
from search.query.typed_query import searched_parts

logger = logging.getLogger(__name__)

CURRENT = "current"
META_ID = "__meta__"
# Whoosh names an index's table of contents _MAIN_<generation>.toc and writes it as
# _MAIN_<generation>.toc.<time> first, renaming it when complete.
TOC_NAME = re.compile(r"_MAIN_[0-9]+\.toc")
ABANDONED_TOC_NAME = re.compile(r"_MAIN_[0-9]+\.toc\..+")
# What SearchUnavailable says (pages show it): the operator's part is in the log and the README.
MISSING = "The search index is missing; it is being rebuilt."
DAMAGED = "The search index cannot be read; it is being rebuilt."
# How many of an article's most telling words make its more-like-this query.
LIKE_TERMS = 20
# A rebuild writes a segment per this many documents and indexing process. Whoosh buffers a
# segment's postings in memory and, past its memory limit, sorts them to disk and merges them
# back, a quarter of indexing time; REBUILD_MEMORY_MB holds one segment's postings (about 600 MB
# of them at 10,000 news articles), so that never happens. Searching ten segments instead of one
# costs next to nothing (see snapshot.Segment).
SEGMENT_DOCUMENTS = 10_000
REBUILD_MEMORY_MB = 1024
# Whoosh's default packs a segment's files into one, and a reader copies each part it opens
# into the process's own memory: every web worker held a private copy of the index (1.1 GB at
# 100,000 articles) and opening a writer to apply one change copied it twice. Separate files
# are read through the operating system's page cache, shared by every process.
SEGMENT_FILES_COMPOUND = False


class WhooshWriter(IndexWriter):
    def __init__(self, writer, last_change: int, in_flight: tuple[int, ...] = ()):
        self._writer = writer
        self._words: set[str] = set()
        self.last_change = last_change
        self.in_flight = in_flight

    def upsert(self, document: dict) -> None:
        fields = _whoosh_fields(document)
        self._writer.update_document(kind=ARTICLE, **fields)
        self._words |= spelling_words(f"{fields.get('title', '')} {fields.get('body', '')}")

    def delete(self, document_id: str) -> None:
        self._writer.delete_by_term("id", document_id)

    def commit(self, *, last_change: int, in_flight: tuple[int, ...] = ()) -> None:
        # Only words the vocabulary lacks are added. Words of deleted articles stay until the
        # next rebuild: a suggestion then finds nothing, which the page already explains.
        if self._words:
            with self._writer.reader() as reader:
                new = {
                    word
                    for word in vocabulary_forms(self._words)
                    if ("vocabulary", word) not in reader
                }
            _add_vocabulary(self._writer, new)
        self._writer.update_document(
            id=META_ID, kind=META, last_change=_cursor_value(last_change, in_flight)
        )
        self._writer.commit()

    def cancel(self) -> None:
        self._writer.cancel()


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
        return current is not None and _has_toc(current)

    def _open_index(self):
        """Return the current generation's index, re-opening it after a rebuild swapped it."""
        current = self._current_dir()
        if current is None or not _has_toc(current):
            raise SearchUnavailable(MISSING)
        if current != self._index_dir:
            storage = _ClosingStorage(current)
            try:
                with storage.attempt():
                    opened = storage.open_index()
                    names = set(opened.schema.names())
            except Exception as error:  # a damaged index reports itself in many ways
                raise self._damaged(current, error) from None
            if names != set(build_schema().names()):
                # Built by an earlier version: its answers would be wrong, not merely slow.
                raise SearchUnavailable(
                    "The search index was built by an earlier version of the archive; "
                    "run `python manage.py rebuild_index`."
                )
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
        if self._searcher is None:
            self._searcher = ix.searcher()
            self._signatures = _file_signatures(self._index_dir, self._searcher)
        if self._snapshot is None:
            self._snapshot = Snapshot(self._searcher, self._segments)
            # Forget segments a merge has replaced.
            live = {
                leaf.segment().segment_id() for leaf, _ in self._searcher.reader().leaf_readers()
            }
            for key in set(self._segments) - live:
                del self._segments[key]

    def _files_changed_in_place(self) -> bool:
        changed = any(_signature(path) != signature for path, signature in self._signatures.items())
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

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        path = self.root / f"gen-{stamp}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        try:
            index.create_in(path, build_schema())
        except BaseException:  # a full disk, say: leave no empty copy behind
            shutil.rmtree(path, ignore_errors=True)
            raise
        return path

    def _swap_in(self, generation: Path) -> None:
        """Point `current` at `generation` in one rename, then remove older generations."""
        temporary = self.root / f".{CURRENT}-{os.getpid()}"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        temporary.symlink_to(generation.name)
        os.replace(temporary, self.root / CURRENT)
        for old in self.root.glob("gen-*"):
            if old != generation:
                shutil.rmtree(old, ignore_errors=True)

    # --- writing ---------------------------------------------------------------------------

    def open_writer(self, *, create: bool = False) -> WhooshWriter | None:
        if not self.exists():
            if not create:
                return None
            self._swap_in(self._new_generation())
        current = self._current_dir()
        storage = _ClosingStorage(current)
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
                last_change, in_flight = _stored_cursor(searcher)
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
        generation = self._new_generation()
        try:
            ix = index.open_dir(generation)
            writer = _rebuild_writer(ix, processes)
            words: set[str] = set()
            in_round = 0
            try:
                for document in documents:
                    if in_round == SEGMENT_DOCUMENTS * processes:
                        # The generation is not in use yet: committing a round is invisible. A
                        # round ends only when another document comes, so that the vocabulary
                        # below joins a segment of articles: alone, its segment would count as
                        # small, and later commits would merge (rewrite) it again and again.
                        writer.commit(merge=False)
                        writer, in_round = _rebuild_writer(ix, processes), 0
                    fields = _whoosh_fields(document)
                    writer.add_document(kind=ARTICLE, **fields)
                    words |= spelling_words(f"{fields.get('title', '')} {fields.get('body', '')}")
                    if on_document:
                        on_document()
                    in_round += 1
                _add_vocabulary(writer, vocabulary_forms(words))
                writer.add_document(
                    id=META_ID, kind=META, last_change=_cursor_value(last_change, in_flight)
                )
                writer.commit(merge=False)
            except BaseException:
                writer.cancel()
                raise
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        self._swap_in(generation)

    # --- reading ---------------------------------------------------------------------------

    def last_change(self) -> int:
        searcher, _ = self._searcher_now()
        return _stored_cursor(searcher)[0]

    def in_flight(self) -> tuple[int, ...]:
        searcher, _ = self._searcher_now()
        return _stored_cursor(searcher)[1]

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
        field, filters = self._filters(snapshot, request)
        final = _narrowed(matched.docs, filters, None)
        counts = {}
        for facet in FACETS:
            base = _narrowed(matched.docs, filters, facet)
            sets = snapshot.values[field[facet]]
            counts[facet] = {
                value: size for value, docs in sets.items() if (size := (base & docs).bit_count())
            }
            for value, members in request.rollups.get(facet, {}).items():
                docs = 0
                for member in members:
                    docs |= sets.get(member, 0)
                if size := (base & docs).bit_count():
                    counts[facet][value] = size
        total = final.bit_count()
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
        )

    def matching_ids(self, request: SearchRequest, *, limit: int | None = None) -> list[int]:
        searcher, snapshot = self._searcher_now()
        matched = match_text(searcher, snapshot, request.query)
        _, filters = self._filters(snapshot, request)
        final = _narrowed(matched.docs, filters, None)
        if not final:
            return []
        ordered = self._ordered(snapshot, matched, final, request.sort, limit=limit)
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

    def _filters(self, snapshot: Snapshot, request: SearchRequest):
        """Return (facet -> index field, filter name -> allowed documents as a bitset)."""
        field = {
            f: f"{f}_all" if request.include_mentions and f in TAG_FACETS else f for f in FACETS
        }
        filters = {}
        for facet, values in request.selected.items():
            if values and facet in FACETS:
                known = snapshot.values[field[facet]]
                filters[facet] = functools.reduce(int.__or__, (known.get(v, 0) for v in values), 0)
        if request.year_from is not None or request.year_to is not None:
            low, high = request.year_from or 0, request.year_to or 9999
            filters["year_range"] = functools.reduce(
                int.__or__,
                (
                    docs
                    for year, docs in snapshot.values["year"].items()
                    if low <= int(year) <= high
                ),
                0,
            )
        return field, filters

    def _ordered(self, snapshot, matched: Matched, docs: int, sort: str, *, limit):
        """Return [(document number, score)] of `docs` in page order, the first `limit` of
        them (all when None). Pages and matching_ids both read this, so an export lists exactly
        what the pages show, in the same order. Without words there is no relevance: newest
        first, and no score."""
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
        ordered = self._ordered(snapshot, matched, docs, request.sort, limit=limit)
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
            hits.append(Hit(article_id, score, title_html, extracts))
        return hits


def _narrowed(matched: int, filters: dict[str, int], without: str | None) -> int:
    """Return the matched documents that pass every filter but `without`'s (and the year range
    when `without` is the year: the year facet counts across the range)."""
    docs = matched
    for name, allowed in filters.items():
        if name == without or (without == "year" and name == "year_range"):
            continue
        docs &= allowed
    return docs


def _rebuild_writer(ix, processes: int):
    """Return a writer for one round of a rebuild: with several processes, each indexes its
    share of the round into a segment of its own, and the segments are kept as they are
    (merging them would be one process's work again)."""
    if processes > 1:
        return ix.writer(
            procs=processes,
            limitmb=REBUILD_MEMORY_MB,
            multisegment=True,
            compound=SEGMENT_FILES_COMPOUND,
        )
    return ix.writer(limitmb=REBUILD_MEMORY_MB, compound=SEGMENT_FILES_COMPOUND)


def _add_vocabulary(writer, words: set[str]) -> None:
    if words:
        writer.add_document(
            id=f"__vocabulary__-{uuid.uuid4().hex}",
            kind=VOCABULARY,
            vocabulary=" ".join(sorted(words)),
        )


class _ClosingStorage(FileStorage):
    """A FileStorage that closes the files opened during a failed `attempt()`.

    Reading a damaged index, Whoosh raises with the files it has opened so far still open,
    left to the garbage collector: a descriptor held until then, on every request.
    """

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self._opened: list | None = None

    def open_file(self, name, **kwargs):
        file = super().open_file(name, **kwargs)
        if self._opened is not None:
            self._opened.append(file)
        return file

    @contextlib.contextmanager
    def attempt(self):
        self._opened = []
        try:
            yield
        except BaseException:
            for file in self._opened:
                if not file.is_closed:
                    with contextlib.suppress(Exception):
                        file.close()
            raise
        finally:
            self._opened = None


def _has_toc(folder: Path) -> bool:
    """Return whether `folder` holds an index's table of contents, without reading it."""
    try:
        return any(TOC_NAME.fullmatch(name) for name in os.listdir(folder))
    except OSError:
        return False


def _signature(path: str) -> tuple[int, int, int] | None:
    """Return what changes when a file is replaced or rewritten: inode, size, modification."""
    try:
        status = os.stat(path)  # not Path.stat: this runs for every file on every search
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def _file_signatures(folder: Path, searcher) -> dict[str, tuple[int, int, int] | None]:
    """Return {path: signature} of the table of contents and of every segment file `searcher`
    reads (seven files per segment: some 2 µs each per search)."""
    reader = searcher.reader()
    toc = f"_MAIN_{reader.generation()}.toc"
    segments = tuple(f"{leaf.segment().segment_id()}." for leaf, _ in reader.leaf_readers())
    paths = (
        os.path.join(folder, name)
        for name in os.listdir(folder)
        if name == toc or name.startswith(segments)
    )
    return {path: _signature(path) for path in paths}


def _stored_cursor(searcher) -> tuple[int, tuple[int, ...]]:
    """Return (last change-log id applied, transactions in flight then) from the meta document
    (an index written before in-flight transactions were kept holds the id alone)."""
    docnum = searcher.document_number(id=META_ID)
    if docnum is None:
        return 0, ()
    value = searcher.stored_fields(docnum).get("last_change") or 0
    if isinstance(value, dict):
        return int(value["last"]), tuple(value["in_flight"])
    return int(value), ()


def _cursor_value(last_change: int, in_flight: tuple[int, ...]) -> int | dict:
    return {"last": last_change, "in_flight": list(in_flight)} if in_flight else last_change


def _whoosh_fields(document: dict) -> dict:
    fields = {key: value for key, value in document.items() if value not in (None, "")}
    if "year" in fields:
        fields["year"] = str(fields["year"])
    fields["article_id"] = int(document["id"])
    return fields
