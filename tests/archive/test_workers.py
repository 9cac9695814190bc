"""Parsing and tagging in worker processes: the same results, in the same order, as in-process."""

import os

import pytest

from archive.ingest.batch import ingest_paths, suggested_workers
from archive.ingest.records import Problem, RawRecord
from archive.ingest.workers import ReadRecord, RecordReader
from archive.models import Article
from archive.tagging.store import load_lexicon
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db


def items():
    seeds = [RawRecord(origin=p.name, text=p.read_text()) for p in sorted(SEEDS_DIR.glob("*"))]
    return [
        *seeds[:2],
        Problem("broken.json", "malformed JSON"),
        RawRecord(origin="empty.txt", text="   "),
        "end of a file",
        *seeds[2:],
    ]


def test_workers_read_what_this_process_reads_in_the_same_order():
    lexicon = load_lexicon()
    with RecordReader(lexicon=lexicon) as reader:
        here = [item for chunk in reader.read(items()) for item in chunk]
    with RecordReader(lexicon=lexicon, workers=2) as reader:
        there = [item for chunk in reader.read(items()) for item in chunk]
    assert there == here
    assert [type(item).__name__ for item in here] == (
        ["ReadRecord"] * 2 + ["Problem", "ReadRecord", "str"] + ["ReadRecord"] * 3
    )
    empty = here[3]
    assert isinstance(empty, ReadRecord) and empty.parsed is None
    assert empty.error == "the article text is empty"
    assert all(item.reading.proposals.countries for item in here[:2])


def test_an_import_with_workers_reports_and_stores_what_one_without_does(seeds_copy):
    (seeds_copy / "empty.txt").write_text("")
    (seeds_copy / "broken.json").write_text("[{")
    (seeds_copy / "copy.txt").write_text(
        (SEEDS_DIR / sorted(p.name for p in SEEDS_DIR.iterdir())[0]).read_text()
    )
    alone = ingest_paths([seeds_copy], dry_run=True)
    done = []
    report = ingest_paths([seeds_copy], workers=1, on_file_done=done.append)
    assert (report.created, report.files) == (alone.created, alone.files) == (5, 8)
    assert report.skipped == alone.skipped and len(report.skipped) == 3
    assert report.warnings == alone.warnings
    assert len(done) == 8
    assert Article.objects.count() == 5


def test_workers_are_suggested_for_large_inputs_on_several_cores(tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    (tmp_path / "small.txt").write_text("Police raided a bar.")
    assert suggested_workers([tmp_path]) == 0
    (tmp_path / "large.jsonl").write_text("x" * (3 * 2**20))
    assert suggested_workers([tmp_path]) == 3
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert suggested_workers([tmp_path]) == 0


def test_a_worker_that_dies_ends_the_import_with_an_error_instead_of_a_wait():
    from concurrent.futures.process import BrokenProcessPool

    record = RawRecord(origin="a.txt", text="Police raided a bar.")
    with (
        pytest.raises(BrokenProcessPool),
        RecordReader(lexicon=load_lexicon(), workers=1) as reader,
    ):
        reader._pool.submit(os._exit, 1).exception()  # killed, as by the out-of-memory killer
        for _chunk in reader.read([record]):
            pass
