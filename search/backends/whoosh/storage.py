"""The index on disk and writing to it. SEARCH_INDEX_DIR holds generations of the index and a
`current` symbolic link naming the one in use (`current -> gen-20261121T101500-4242/`, each
generation a Whoosh index); a rebuild writes a new generation beside the old and then replaces
the link in one rename, so a search never sees half an index and a failed rebuild leaves the old
one serving. Here too: the writer that applies changes with the change-log cursor, and what
tells a generation's files apart from damaged or altered ones.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage

from search.backends.base import IndexWriter
from search.backends.whoosh.schema import (
    ARTICLE,
    META,
    VOCABULARY,
    build_schema,
    spelling_words,
    vocabulary_forms,
)

CURRENT = "current"
META_ID = "__meta__"
# Whoosh names an index's table of contents _MAIN_<generation>.toc and writes it as
# _MAIN_<generation>.toc.<time> first, renaming it when complete.
TOC_NAME = re.compile(r"_MAIN_[0-9]+\.toc")
ABANDONED_TOC_NAME = re.compile(r"_MAIN_[0-9]+\.toc\..+")
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


def new_generation(root: Path) -> Path:
    """Return the folder of a new, empty generation of the index under `root`, not yet in use."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = root / f"gen-{stamp}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    try:
        index.create_in(path, build_schema())
    except BaseException:  # a full disk, say: leave no empty copy behind
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


def swap_in(root: Path, generation: Path) -> None:
    """Point `current` at `generation` in one rename, then remove older generations."""
    temporary = root / f".{CURRENT}-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(generation.name)
    os.replace(temporary, root / CURRENT)
    for old in root.glob("gen-*"):
        if old != generation:
            shutil.rmtree(old, ignore_errors=True)


def write_new_generation(
    root: Path,
    documents: Iterable[dict],
    *,
    last_change: int,
    in_flight: tuple[int, ...] = (),
    on_document: Callable[[], None] | None = None,
    processes: int = 1,
) -> None:
    """Index `documents` into a new generation under `root`, with the vocabulary and the
    change-log cursor, and swap it in; a failure removes the new generation."""
    generation = new_generation(root)
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
    swap_in(root, generation)


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


class ClosingStorage(FileStorage):
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


def has_toc(folder: Path) -> bool:
    """Return whether `folder` holds an index's table of contents, without reading it."""
    try:
        return any(TOC_NAME.fullmatch(name) for name in os.listdir(folder))
    except OSError:
        return False


def file_signature(path: str) -> tuple[int, int, int] | None:
    """Return what changes when a file is replaced or rewritten: inode, size, modification."""
    try:
        status = os.stat(path)  # not Path.stat: this runs for every file on every search
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def file_signatures(folder: Path, searcher) -> dict[str, tuple[int, int, int] | None]:
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
    return {path: file_signature(path) for path in paths}


def stored_cursor(searcher) -> tuple[int, tuple[int, ...]]:
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
