"""One ingest run over files and folders: read, parse, load, count, and explain every skip."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from archive.ingest.loader import LoadResult, Outcome, TaxonomyResolver, load_article
from archive.ingest.pipeline import parse_record
from archive.ingest.readers import InputFile, find_input_files, read_records
from archive.ingest.records import IngestError, Problem
from archive.models import ImportBatch

logger = logging.getLogger(__name__)


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


def ingest_paths(
    paths: Iterable[str],
    *,
    dry_run: bool = False,
    label: str = "",
    on_file_done: Callable[[InputFile | Problem], None] | None = None,
) -> IngestReport:
    """Import every article under `paths` and return what happened to each.

    Each article is written in its own transaction, so a bad record or a crash mid-batch never
    leaves half an article. A dry run does all the same work inside one transaction and rolls it
    back, so its counts are exactly what a real run would report.
    """
    paths = [str(path) for path in paths]
    report = IngestReport(dry_run=dry_run)
    started = time.monotonic()
    try:
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            batch = ImportBatch.objects.create(label=label, paths="\n".join(paths))
            report.batch_id = None if dry_run else batch.pk
            _run(paths, report=report, batch=batch, on_file_done=on_file_done)
            report.seconds = time.monotonic() - started
            _record_outcome(batch, report)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def _run(paths, *, report: IngestReport, batch: ImportBatch, on_file_done) -> None:
    resolver = TaxonomyResolver()
    seen_hashes: dict[str, str] = {}
    max_bytes = settings.INGEST_MAX_FILE_BYTES
    for item in find_input_files(paths):
        if isinstance(item, Problem):
            report.skipped.append(item)
        else:
            report.files += 1
            try:
                records = read_records(item, max_bytes=max_bytes)
            except IngestError as error:
                report.skipped.append(Problem(item.origin, str(error)))
                records = []
            for record in records:
                _ingest_record(
                    record, report=report, batch=batch, resolver=resolver, seen_hashes=seen_hashes
                )
        if on_file_done:
            on_file_done(item)


def _ingest_record(record, *, report, batch, resolver, seen_hashes) -> None:
    if isinstance(record, Problem):
        report.skipped.append(record)
        return
    try:
        parsed = parse_record(record)
    except IngestError as error:
        report.skipped.append(Problem(record.origin, str(error)))
        return
    report.warnings += [Problem(record.origin, warning) for warning in parsed.warnings]
    if parsed.content_hash in seen_hashes:
        first = seen_hashes[parsed.content_hash]
        report.skipped.append(Problem(record.origin, f"duplicate: same text as {first}"))
        return
    seen_hashes[parsed.content_hash] = record.origin
    try:
        result = load_article(parsed, resolver=resolver, batch=batch)
    except Exception as error:  # one record's failure must not end the batch
        logger.exception("Could not store %s", record.origin)
        report.skipped.append(
            Problem(record.origin, f"could not be stored ({type(error).__name__}: {error})")
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
