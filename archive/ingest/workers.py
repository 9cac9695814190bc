"""The pure half of ingestion, in this process or spread over several: parse and tag, no database.

`RecordReader.read` takes a batch's items in order (records to read, and problems and markers to
pass along untouched) and yields them in chunks, in the same order, each record replaced by a
`ReadRecord`: the parsed article and what the tagger read in it, or why it cannot be imported.

With workers, each chunk of records goes to a pool of processes, at most a few chunks ahead of
the caller, so that the database writes of one chunk overlap the parsing of the next and memory
stays flat whatever the size of the import. Nothing here imports models: worker processes start
without Django, receive the compiled taxonomy once, and never touch a database.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from archive.extraction.figures import Figure
from archive.extraction.report import ExtractionRules, read_figures
from archive.grouping.incidents import ReportEvents, report_events
from archive.ingest.pipeline import parse_record
from archive.ingest.records import IngestError, ParsedArticle, RawRecord, unexpected_error
from archive.tagging.lexicon import Lexicon
from archive.tagging.tagger import Reading, read_report

# Items per chunk: enough that dispatching and pickling are small beside the parsing, few enough
# that the first articles are written soon.
CHUNK_ITEMS = 64
# Chunks each worker may hold ahead of the caller.
CHUNKS_AHEAD_PER_WORKER = 3

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadRecord:
    record: RawRecord
    parsed: ParsedArticle | None = None  # None when the record cannot be imported
    reading: Reading | None = None
    error: str = ""  # why, shown to the user
    figures: tuple[Figure, ...] | None = None  # None: not read (no rules were given)
    events: ReportEvents | None = None  # what grouping reads (archive.grouping), with figures


def read_record(
    record: RawRecord, *, lexicon: Lexicon, rules: ExtractionRules | None = None
) -> ReadRecord:
    """Return the record parsed and read by the tagger and, with `rules`, the extractors; or
    the reason it cannot be imported."""
    try:
        parsed = parse_record(record)
        reading = read_report(
            title=parsed.title,
            title_derived=parsed.title_derived,
            body=parsed.body,
            raw_text=parsed.raw_text,
            lexicon=lexicon,
            dated=parsed.year is not None,  # the loader keeps a date the metadata gives
        )
        figures = None if rules is None else read_figures(parsed.body, rules=rules)
        events = None
        if figures is not None:
            events = report_events(
                "",  # named after its article once stored
                published=parsed.published_date,
                title=parsed.title,
                body=parsed.body,
                figures=figures,
            )
    except IngestError as error:
        return ReadRecord(record, error=str(error))
    except Exception as error:  # a bug met on one record must not end the batch
        logger.exception("Could not read %s", record.origin)
        return ReadRecord(record, error=unexpected_error("could not be read", error))
    return ReadRecord(record, parsed, reading, figures=figures, events=events)


class RecordReader:
    """Reads records in this process (workers=0) or in a pool of `workers` processes."""

    def __init__(self, *, lexicon: Lexicon, rules: ExtractionRules | None = None, workers: int = 0):
        self.lexicon = lexicon
        self.rules = rules
        self.workers = workers
        self._pool = None

    def __enter__(self) -> RecordReader:
        if self.workers > 0:
            # "spawn": a fresh interpreter holds none of this process's database connections.
            # An executor, not a Pool: a worker that dies breaks it with an error (a Pool would
            # wait for that worker's results for ever).
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.lexicon, self.rules),
            )
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=error is not None)
            self._pool = None

    def read(self, items: Iterable[object]) -> Iterator[list[object]]:
        """Yield `items` in chunks and in order, each RawRecord replaced by its ReadRecord."""
        chunks = _chunks(items, CHUNK_ITEMS)
        if self._pool is None:
            for chunk in chunks:
                yield [
                    read_record(item, lexicon=self.lexicon, rules=self.rules)
                    if isinstance(item, RawRecord)
                    else item
                    for item in chunk
                ]
            return
        ahead = self.workers * CHUNKS_AHEAD_PER_WORKER
        pending: deque = deque()
        for chunk in chunks:
            records = [item for item in chunk if isinstance(item, RawRecord)]
            pending.append((chunk, self._pool.submit(_read_chunk, records)))
            if len(pending) > ahead:
                yield _merge(*pending.popleft())
        while pending:
            yield _merge(*pending.popleft())


def _chunks(items: Iterable[object], size: int) -> Iterator[list[object]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _merge(chunk: list[object], future: Future) -> list[object]:
    # Workers send back (parsed, reading, error, figures, events) only: the record is here.
    read = iter(future.result())
    merged = []
    for item in chunk:
        if isinstance(item, RawRecord):
            parsed, reading, error, figures, events = next(read)
            item = ReadRecord(item, parsed, reading, error, figures, events)
        merged.append(item)
    return merged


_lexicon: Lexicon | None = None  # a worker process's copy of the taxonomy
_rules: ExtractionRules | None = None  # and of the extractors' rules


def _start_worker(lexicon: Lexicon, rules: ExtractionRules | None) -> None:
    global _lexicon, _rules
    _lexicon, _rules = lexicon, rules


def _read_chunk(records: list[RawRecord]) -> list[tuple]:
    results = []
    for record in records:
        read = read_record(record, lexicon=_lexicon, rules=_rules)
        results.append((read.parsed, read.reading, read.error, read.figures, read.events))
    return results
