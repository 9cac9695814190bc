"""One ingest run over files and folders: read, parse, load, count, and explain every skip."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from archive.grouping.store import Grouper
from archive.ingest.loader import LoadResult, Outcome, load_article
from archive.ingest.readers import InputFile, find_input_files, read_records
from archive.ingest.records import IngestError, Problem, RawRecord, unexpected_error
from archive.ingest.resolver import TaxonomyResolver
from archive.ingest.workers import ReadRecord, RecordReader
from archive.models import TAG_KINDS, Article, ImportBatch

logger = logging.getLogger(__name__)

# Below this much input, starting a worker process costs more than it saves (about 500 reports).
PARALLEL_MIN_BYTES = 2 * 2**20
# Beyond this, the single writer is the limit and more workers only wait.
MAX_WORKERS = 3
# SQLite's WAL size, in pages, at which an import copies it back into the database (80 MB).
WAL_CHECKPOINT_PAGES = 20000


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    batch_id: int | None = None
    dry_run: bool = False

    @property
    def records(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.skipped)

    def count(self, result: LoadResult, origin: str) -> None:
        if result.outcome is Outcome.DUPLICATE:
            self.skipped.append(Problem(origin, "duplicate: " + "; ".join(result.notes)))
            return
        setattr(self, result.outcome.value, getattr(self, result.outcome.value) + 1)
        self.warnings += [Problem(origin, note) for note in result.notes]

    def summary(self) -> str:
        verb = "Would ingest" if self.dry_run else "Ingested"
        return (
            f"{verb} {self.records} records from {self.files} files in {self.seconds:.2f}s: "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped."
        )


class _DryRunRollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


def suggested_workers(paths: Iterable[str]) -> int:
    """Return how many parsing processes suit this input on this machine (0: none).

    Parsing and tagging take about as long as writing, so one process beside the writer
    roughly doubles the pace; a small input is not worth starting one.
    """
    cores = os.cpu_count() or 1
    if cores < 2:
        return 0
    size = 0
    for item in find_input_files(paths):
        if isinstance(item, InputFile):
            with contextlib.suppress(OSError):
                file_size = item.path.stat().st_size
                # A file over the limit is refused unread: it gives the workers nothing to do.
                if file_size <= settings.INGEST_MAX_FILE_BYTES:
                    size += file_size
        if size >= PARALLEL_MIN_BYTES:
            return min(cores - 1, MAX_WORKERS)
    return 0


@contextlib.contextmanager
def _commit_settings():
    """Make this session's many small commits cheaper for the length of the import.

    PostgreSQL: commits return before the WAL reaches the disk. Waiting for the flush costs about
    as much as writing a whole article; without it, a crash of the server (not of this process)
    can lose the last fraction of a second of commits, never a part of one: each article is
    still all there or not there, and running the import again adds the lost ones. (SQLite runs
    with synchronous=NORMAL in WAL mode, the same trade, always.)

    SQLite: the WAL is copied back into the database every WAL_CHECKPOINT_PAGES pages instead of
    every 1,000, so pages that every article touches (the ends of the indexes) are copied, and
    the file synced, far less often. The WAL is emptied at the end.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        try:
            yield
        finally:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (default_pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(default_pages)}")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def ingest_paths(
    paths: Iterable[str],
    *,
    dry_run: bool = False,
    label: str = "",
    on_file_done: Callable[[InputFile | Problem], None] | None = None,
    workers: int = 0,
    page_metadata: Mapping[str, Mapping[str, object]] | None = None,
) -> IngestReport:
    """Import every article under `paths` and return what happened to each.

    Each article is written in its own transaction, so a bad record or a crash mid-batch never
    leaves half an article. A dry run does all the same work inside one transaction and rolls it
    back, so its counts are exactly what a real run would report. With `workers`, that many
    processes parse and tag the records while this one writes them (see suggested_workers);
    the outcome is the same, in the same order. `page_metadata` gives explicit metadata to
    the records read from a page captured at a given address (a followed source's name).
    """
    paths = [str(path) for path in paths]
    report = IngestReport(dry_run=dry_run)
    started = time.monotonic()
    try:
        with (
            _commit_settings(),
            transaction.atomic() if dry_run else contextlib.nullcontext(),
        ):
            batch = ImportBatch.objects.create(label=label, paths="\n".join(paths))
            report.batch_id = None if dry_run else batch.pk
            _run(
                paths,
                report=report,
                batch=batch,
                on_file_done=on_file_done,
                workers=workers,
                page_metadata=page_metadata or {},
            )
            report.seconds = time.monotonic() - started
            _record_outcome(batch, report)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    if report.created + report.updated >= REFRESH_STATISTICS_AFTER:
        refresh_statistics()
    return report


# Articles written by one import past which the database's planner statistics are refreshed.
REFRESH_STATISTICS_AFTER = 1000


def refresh_statistics() -> None:
    """Let the database re-measure the tables an import filled.

    Until it does, PostgreSQL plans queries from what the tables held before, so a page reading
    20 articles' tags chose a parallel scan of the whole tag table (20 ms instead of 1 ms at
    100,000 articles) until autovacuum came by. On SQLite, `PRAGMA optimize` does the same
    where it judges it worthwhile.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = [Article._meta.db_table] + [
                kind.model._meta.db_table for kind in TAG_KINDS.values()
            ]
            cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, tables))}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


@dataclass(frozen=True)
class _FileDone:
    """Marks, in the stream of records, where a file's records end."""

    item: InputFile | Problem


def _run(
    paths, *, report: IngestReport, batch: ImportBatch, on_file_done, workers: int, page_metadata
) -> None:
    resolver = TaxonomyResolver()
    seen_hashes: dict[str, str] = {}
    items = _items(paths, report=report, max_bytes=settings.INGEST_MAX_FILE_BYTES)
    if page_metadata:
        items = (_with_page_metadata(item, page_metadata) for item in items)
    grouper = Grouper()
    with RecordReader(lexicon=resolver.lexicon, rules=resolver.rules, workers=workers) as reader:
        for chunk in reader.read(items):
            stored = _stored_hashes(item.parsed for item in chunk if isinstance(item, ReadRecord))
            for item in chunk:
                if isinstance(item, ReadRecord):
                    _ingest_record(
                        item,
                        report=report,
                        batch=batch,
                        resolver=resolver,
                        seen_hashes=seen_hashes,
                        stored=stored,
                        grouper=grouper,
                    )
                elif isinstance(item, Problem):
                    report.skipped.append(item)
                elif on_file_done:
                    on_file_done(item.item)
            grouper.announce()


def _items(paths, *, report: IngestReport, max_bytes: int) -> Iterator[object]:
    """Yield every record under `paths`, a Problem for what cannot be read, and file ends."""
    for item in find_input_files(paths):
        if isinstance(item, InputFile):
            report.files += 1
            try:
                yield from read_records(
                    item, max_bytes=max_bytes, max_archive_bytes=settings.INGEST_MAX_ARCHIVE_BYTES
                )
            except IngestError as error:
                yield Problem(item.origin, str(error))
            except Exception as error:  # a reader's bug on one file must not end the batch
                logger.exception("Could not read %s", item.origin)
                yield Problem(item.origin, unexpected_error("could not be read", error))
        else:
            yield item
        yield _FileDone(item)


def _with_page_metadata(item: object, page_metadata: Mapping[str, Mapping[str, object]]):
    """Return the record with the metadata given for the page it was read from, if any."""
    if not isinstance(item, RawRecord) or item.document is None:
        return item
    extra = page_metadata.get(item.document.url)
    return replace(item, metadata={**item.metadata, **extra}) if extra else item


def _stored_hashes(parsed_articles) -> set[str]:
    """Return which of these texts the archive already holds, in one query.

    Only a hint that spares a new article its own look-up: a text stored by another process
    after this query fails the insert on the unique hash, and the loader then looks it up.
    """
    hashes = [parsed.content_hash for parsed in parsed_articles if parsed is not None]
    if not hashes:
        return set()
    return set(
        Article.objects.filter(content_hash__in=hashes).values_list("content_hash", flat=True)
    )


def _ingest_record(
    item: ReadRecord, *, report, batch, resolver, seen_hashes, stored, grouper
) -> None:
    record, parsed = item.record, item.parsed
    if parsed is None:
        report.skipped.append(Problem(record.origin, item.error))
        return
    report.warnings += [Problem(record.origin, warning) for warning in parsed.warnings]
    if parsed.content_hash in seen_hashes:
        first = seen_hashes[parsed.content_hash]
        report.skipped.append(Problem(record.origin, f"duplicate: same text as {first}"))
        return
    seen_hashes[parsed.content_hash] = record.origin
    try:
        result = load_article(
            parsed,
            resolver=resolver,
            batch=batch,
            reading=item.reading,
            figures=item.figures,
            events=item.events,
            known_new=parsed.content_hash not in stored,
            grouper=grouper,
        )
    except Exception as error:  # one record's failure must not end the batch
        logger.exception("Could not store %s", record.origin)
        report.skipped.append(
            Problem(record.origin, unexpected_error("could not be stored", error))
        )
        return
    report.count(result, record.origin)


def _record_outcome(batch: ImportBatch, report: IngestReport) -> None:
    batch.finished_at = timezone.now()
    batch.created_count = report.created
    batch.updated_count = report.updated
    batch.unchanged_count = report.unchanged
    batch.skipped_count = len(report.skipped)
    batch.problems = [{"origin": p.origin, "reason": p.reason} for p in report.skipped]
    batch.save()
