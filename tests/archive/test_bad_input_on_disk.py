"""Bad input to `ingest` on disk: odd file names, links, pipes and unreadable folders, a crash in
the middle of a batch, and limits stated instead of a database error or unbounded memory."""

import json
import os
import pathlib

import pytest

from archive.ingest import batch, workers
from archive.ingest.batch import ingest_paths
from archive.models import Article, ImportBatch
from tests.archive.bad_input import (
    BAD_FILES,
    a_report,
    assert_index_matches_the_database,
    assert_nothing_half_written,
    fails_if_hung,
    run_ingest,
    skipped,
    stored_names,
)

pytestmark = pytest.mark.django_db


# --- file names ------------------------------------------------------------------------------

ODD_NAMES = [
    "$(touch pwned); rm -rf ~ && echo `id` | cat > x.txt",
    'quote\'s "double" name.txt',
    "new\nline.txt",
    "back\\slash.md",
    "tab\tand   spaces .txt",
    "-starts-with-a-dash.txt",
    "ការវាយឆ្មក់.txt",
    "zero\u200bwidth.txt",
    "#hash #1.txt",
]


def test_files_with_shell_characters_quotes_and_line_breaks_in_their_names_are_stored(tmp_path):
    for name in ODD_NAMES:
        (tmp_path / name).write_text(a_report())
    out, err = run_ingest(tmp_path)
    assert f"{len(ODD_NAMES)} created" in out and err == ""
    assert stored_names() == set(ODD_NAMES)
    assert not (tmp_path / "pwned").exists()


def test_a_problem_with_an_oddly_named_file_is_reported_on_one_line(tmp_path):
    (tmp_path / "new\nline\u200b.txt").write_bytes(b"")
    _, err = run_ingest(tmp_path)
    (line,) = err.splitlines()
    assert line.endswith("/new\\nline\\u200b.txt: file is empty")


def test_a_file_name_that_is_not_utf8_is_stored_readably(tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")  # Latin-1 bytes in a name
    with open(name, "wb") as file:
        file.write(a_report().encode())
    out, err = run_ingest(tmp_path)
    assert "1 created" in out and err == ""
    assert stored_names() == {"caf\ufffd.txt"}
    assert ImportBatch.objects.get().problems == []


def test_path_separators_in_a_records_fields_name_nothing_on_disk(tmp_path):
    records = [{"id": "../../etc/passwd", "name": "a/b\\c", "body": a_report()}]
    (tmp_path / "records.json").write_text(json.dumps(records))
    _, err = run_ingest(tmp_path, verbosity=2)
    assert stored_names() == {"records.json#1"}
    assert "unknown field 'id' ignored" in err and "unknown field 'name' ignored" in err


# --- links, pipes and folders that cannot be read --------------------------------------------


def test_links_leading_outside_broken_or_looping_are_reported_and_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("The outside text: " + a_report())
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "sub" / "inside.txt").write_text(a_report())
    (inbox / "to-secret.txt").symlink_to(outside / "secret.txt")
    (inbox / "to-outside-folder").symlink_to(outside)
    (inbox / "to-sub-folder").symlink_to(inbox / "sub")
    (inbox / "to-inside.txt").symlink_to(inbox / "sub" / "inside.txt")
    (inbox / "dangling.txt").symlink_to(inbox / "nowhere.txt")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    (inbox / "ping.txt").symlink_to(inbox / "pong.txt")
    (inbox / "pong.txt").symlink_to(inbox / "ping.txt")
    os.mkfifo(inbox / "pipe.txt")
    with fails_if_hung():
        _, err = run_ingest(inbox)
    assert skipped(err) == {
        "to-secret.txt": "symbolic link to a place outside the folder",
        "to-outside-folder": "symbolic link to a place outside the folder",
        "to-sub-folder": "symbolic link to a folder, not followed (its files are read where "
        "they are)",
        # A link to a file in the folder is read like a file; the first of the two is kept.
        "inside.txt": "duplicate: same text as " + str(inbox / "to-inside.txt"),
        "dangling.txt": "broken symbolic link (its target does not exist)",
        "loop.txt": "symbolic link loop",
        "ping.txt": "symbolic link loop",
        "pong.txt": "symbolic link loop",
        "pipe.txt": "not a regular file (a pipe, socket or device)",
    }
    assert stored_names() == {"to-inside.txt"}
    assert not Article.objects.filter(raw_text__contains="outside text").exists()


def test_a_link_loop_or_a_pipe_given_by_name_is_reported(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    with fails_if_hung():
        _, err = run_ingest(tmp_path / "loop.txt", tmp_path / "pipe.txt")
    assert skipped(err) == {
        "loop.txt": "symbolic link loop",
        "pipe.txt": "not a regular file (a pipe, socket or device)",
    }


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_read(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden-away.txt").write_text(a_report())
    (tmp_path / "open.txt").write_text(a_report())
    real_scandir = os.scandir

    def scandir(path="."):
        # What a folder without read permission does for any user but root.
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    _, err = run_ingest(tmp_path)
    assert skipped(err) == {"locked": "folder cannot be read: Permission denied"}
    assert stored_names() == {"open.txt"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder whatever its mode")
def test_a_folder_without_read_permission_is_reported(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(a_report())
    locked.chmod(0)
    try:
        _, err = run_ingest(tmp_path)
    finally:
        locked.chmod(0o755)
    assert skipped(err) == {"locked": "folder cannot be read: Permission denied"}


# --- a crash in the middle of a batch --------------------------------------------------------


def five_reports(folder: pathlib.Path) -> pathlib.Path:
    folder.mkdir()
    for number in range(1, 6):
        (folder / f"{number:02}.txt").write_text(a_report())
    return folder


def crashing_on_file_3(step, error: BaseException):
    """Return `step` (which takes a file or a record first) made to raise `error` on file 03."""

    def crashing(item, *args, **kwargs):
        if "03.txt" in item.origin:
            raise error
        return step(item, *args, **kwargs)

    return crashing


@pytest.mark.parametrize(
    ("module", "step"),
    [(workers, "parse_record"), (batch, "read_records")],
    ids=["parsing a record", "reading a file"],
)
def test_an_unexpected_error_on_one_file_skips_it_and_the_batch_goes_on(
    tmp_path, search_index, monkeypatch, module, step
):
    folder = five_reports(tmp_path / "reports")
    real_step = getattr(module, step)
    monkeypatch.setattr(module, step, crashing_on_file_3(real_step, ValueError("a bug")))
    out, err = run_ingest(folder)
    assert "4 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert skipped(err) == {"03.txt": "could not be read (ValueError: a bug)"}
    assert ImportBatch.objects.get().finished_at is not None
    assert_nothing_half_written()
    assert_index_matches_the_database()


def test_an_interrupted_batch_keeps_whole_articles_only_and_a_second_run_completes_it(
    tmp_path, search_index, monkeypatch
):
    folder = five_reports(tmp_path / "reports")
    monkeypatch.setattr(workers, "CHUNK_ITEMS", 2)  # each file's record written before the next
    real_parse = workers.parse_record
    monkeypatch.setattr(
        workers, "parse_record", crashing_on_file_3(real_parse, KeyboardInterrupt())
    )
    with pytest.raises(KeyboardInterrupt):
        run_ingest(folder)
    # The articles before the interruption are whole, and in the index; none after it exists.
    assert stored_names() == {"01.txt", "02.txt"}
    assert ImportBatch.objects.get().finished_at is None  # shown in admin as interrupted
    assert_nothing_half_written()
    assert_index_matches_the_database()

    monkeypatch.setattr(workers, "parse_record", real_parse)
    out, _ = run_ingest(folder)
    assert "3 created, 0 updated, 2 unchanged, 0 skipped" in out
    assert stored_names() == {f"{number:02}.txt" for number in range(1, 6)}
    assert_nothing_half_written()
    assert_index_matches_the_database()


def test_the_same_bad_input_gives_the_same_report_with_worker_processes(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("empty.txt", "invalid.txt", "truncated.json", "deep.json"):
        (inbox / name).write_bytes(BAD_FILES[name][0])
    lines = [json.dumps({"body": a_report()}), '{"body": "Police \\ud83d."}', '{"body": ']
    (inbox / "feed.jsonl").write_text("\n".join(lines))
    (inbox / "report.txt").write_text(a_report())
    in_process = ingest_paths([inbox], dry_run=True)
    with_workers = ingest_paths([inbox], dry_run=True, workers=1)
    assert with_workers.skipped == in_process.skipped
    assert (with_workers.created, in_process.created) == (2, 2)
    assert len(in_process.skipped) == 6


# --- Limits stated instead of a database error or unbounded memory ---------------------------


def test_a_csv_with_more_columns_than_a_record_may_have_is_refused_with_the_limit(tmp_path):
    from archive.ingest.readers import MAX_FIELDS

    header = ["body", *(f"extra{number}" for number in range(100_001))]
    row = [a_report(), *("" for _ in range(100_001))]
    (tmp_path / "wide.csv").write_text(",".join(header) + "\n" + ",".join(row) + "\n")
    (tmp_path / "fine.txt").write_text(a_report())
    _out, err = run_ingest(tmp_path)
    reason = skipped(err)["wide.csv"]
    assert "100,002 columns" in reason and f"at most {MAX_FIELDS}" in reason
    assert Article.objects.count() == 1


def test_a_json_record_with_too_many_fields_is_refused_alone(tmp_path):
    wide = {"body": a_report(), **{f"extra{number}": number for number in range(300)}}
    (tmp_path / "feed.json").write_text(json.dumps([wide, {"body": a_report()}]))
    _out, err = run_ingest(tmp_path)
    assert "300" in skipped(err)["feed.json#1"] or "301" in skipped(err)["feed.json#1"]
    assert Article.objects.count() == 1


def test_a_label_longer_than_an_import_batch_holds_is_refused_before_anything(tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "a.txt").write_text(a_report())
    with pytest.raises(CommandError, match=r"--label is 201 characters long; .* at most 200"):
        run_ingest(tmp_path, label="x" * 201)
    assert not ImportBatch.objects.exists() and not Article.objects.exists()


def test_a_file_whose_name_is_longer_than_an_origin_holds_is_skipped_with_the_limit(tmp_path):
    folder = tmp_path
    for _ in range(5):
        folder = folder / ("d" * 220)
    folder.mkdir(parents=True)
    (folder / "report.txt").write_text(a_report())
    (tmp_path / "short.txt").write_text(a_report())
    _out, err = run_ingest(tmp_path)
    assert "at most 1,000: move the file to a shorter path" in err
    assert list(Article.objects.values_list("origin", flat=True)) == [str(tmp_path / "short.txt")]
