"""Bad input to `ingest`: every bad file gets a message naming it and its problem, the batch goes
on, and nothing is half-written; odd but valid text is stored verbatim beside its cleaned body."""

import json
import os
import pathlib
import signal
from contextlib import contextmanager
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from archive.ingest import batch, workers
from archive.ingest.batch import ingest_paths, suggested_workers
from archive.ingest.hashing import content_hash
from archive.ingest.readers import InputFile, read_records
from archive.ingest.records import IngestError
from archive.models import TAG_KINDS, Article, ImportBatch
from search.management.commands.check_index import find_drift
from search.models import ArticleChange

pytestmark = pytest.mark.django_db

REPORT = "Police raided an illegal casino in Poipet and detained 40 people on {day}.\n"
DAYS = iter(f"day {number}" for number in range(1, 10_000))


def a_report() -> str:
    """Return a short report unlike any other this module writes (so none is a duplicate)."""
    return REPORT.format(day=next(DAYS))


def run_ingest(*paths, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    options.setdefault("workers", 0)
    call_command("ingest", *[str(path) for path in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def skipped(err: str) -> dict[str, str]:
    """Return {file name (and record): reason} from the command's "skipped ..." lines."""
    reasons = {}
    for line in err.splitlines():
        if line.startswith("skipped "):
            origin, _, reason = line.removeprefix("skipped ").partition(": ")
            reasons[origin.rsplit("/", 1)[-1]] = reason
    return reasons


def stored_names() -> set[str]:
    return {
        origin.rsplit("/", 1)[-1] for origin in Article.objects.values_list("origin", flat=True)
    }


def assert_nothing_half_written() -> None:
    """Every article is whole (text, hash, history, batch), and no row outlives a rollback."""
    articles = list(Article.objects.all())
    ids = {article.pk for article in articles}
    for article in articles:
        assert article.raw_text.strip() and article.body.strip() and article.title
        assert article.content_hash == content_hash(article.raw_text)
        assert article.import_batch_id is not None
        assert [entry.history_type for entry in article.history.all()] == ["+"]
    assert set(Article.history.values_list("id", flat=True)) == ids
    for kind in TAG_KINDS.values():
        assert set(kind.model.objects.values_list("article_id", flat=True)) <= ids
        assert set(kind.model.history.values_list("article_id", flat=True)) <= ids
    # The search index's change log names exactly the articles written, none rolled back.
    assert set(ArticleChange.objects.values_list("article_id", flat=True)) == ids
    for import_batch in ImportBatch.objects.exclude(finished_at=None):
        assert import_batch.skipped_count == len(import_batch.problems)


def assert_index_matches_the_database() -> None:
    assert find_drift() == {"missing": set(), "orphaned": set(), "stale": set()}


@contextmanager
def fails_if_hung(seconds: int = 60):
    """Stop a test that hangs (reading a pipe waits for a writer for ever) instead of the run."""

    def hung(signum, frame):
        raise TimeoutError(f"still running after {seconds}s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- files that cannot be read, beside files that can ----------------------------------------

BAD_FILES = {
    # name: (content, the reason the report gives)
    "empty.txt": (b"", "file is empty"),
    "blank.md": (b"\xef\xbb\xbf \n\t\n", "file is empty"),
    "image.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
    "late-nul.txt": (b"Police raided a bar. " * 500 + b"\x00", "binary file"),
    "invalid.txt": (b"Police \xc3\x28 raided a bar.", "not valid UTF-8 (byte 0xc3 at offset 7)"),
    "latin1.txt": ("Café raid in Poipet.".encode("latin-1"), "not valid UTF-8 (byte 0xe9"),
    "utf16.txt": ("Police raided a bar.".encode("utf-16"), "UTF-16 or UTF-32 text"),
    "truncated.json": (b'[{"title": "Raid", "body": "Police raided', "malformed JSON at line 1"),
    "malformed.json": (b'{"articles": [{"body": "x",}]}', "malformed JSON at line 1, column 28"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "JSON is nested too deeply to read"),
    "huge-number.json": (b'[{"body": "Police.", "id": ' + b"9" * 5000 + b"}]", "cannot be read"),
    "empty-list.json": (b"[]", "JSON holds no records"),
    "truncated.csv": (
        b'title,body\nRaid,"Police raided a bar',
        "malformed CSV: a quoted field after line 1 is never closed",
    ),
    "header-only.csv": (b"\xef\xbb\xbftitle,body\n", "CSV holds a header but no rows"),
    "no-text.csv": (b"title,url\nRaid,https://example.org\n", "CSV header has no text column"),
}


def test_each_bad_file_is_named_with_its_problem_and_the_good_files_are_stored(
    tmp_path, search_index
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, (content, _reason) in BAD_FILES.items():
        (inbox / name).write_bytes(content)
    (inbox / "report.txt").write_text(a_report())
    (inbox / "records.json").write_text(
        json.dumps({"articles": [{"title": "One", "body": a_report()}, {"body": a_report()}]})
    )
    # JSON Lines: the line cut short is skipped; the others are read.
    good_line = json.dumps({"body": a_report()})
    (inbox / "feed.jsonl").write_text(f'{good_line}\n{{"body": "Police raided\n')
    (inbox / "bom.csv").write_bytes(f"\ufefftitle,body\nRaid,{a_report().strip()}\n".encode())
    (inbox / "semicolon.csv").write_text(f"title;body\nRaid; {a_report().strip()}\n")
    (inbox / "tab.csv").write_text(f"body\ttitle\n{a_report().strip()}\tRaid\n")

    out, err = run_ingest(inbox)

    reasons = skipped(err)
    for name, (_content, reason) in BAD_FILES.items():
        assert reason in reasons.pop(name), name
    assert "malformed JSON on line 2" in reasons.pop("feed.jsonl#2")
    assert reasons == {}
    assert stored_names() == {
        "report.txt",
        "records.json#1",
        "records.json#2",
        "feed.jsonl#1",
        "bom.csv#2",
        "semicolon.csv#2",
        "tab.csv#2",
    }
    assert f"7 created, 0 updated, 0 unchanged, {len(BAD_FILES) + 1} skipped" in out
    import_batch = ImportBatch.objects.get()
    assert import_batch.finished_at is not None
    assert {problem["origin"].rsplit("/", 1)[-1] for problem in import_batch.problems} == {
        *BAD_FILES,
        "feed.jsonl#2",
    }
    # The CSV's text is the field as written: the space after ';' is part of it.
    assert Article.objects.get(origin__endswith="semicolon.csv#2").raw_text.startswith(" Police")
    assert_nothing_half_written()
    assert_index_matches_the_database()


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(settings, tmp_path):
    settings.INGEST_MAX_FILE_BYTES = 2048
    (tmp_path / "small.txt").write_text(a_report())
    (tmp_path / "large.txt").write_text(a_report() * 40)
    _, err = run_ingest(tmp_path)
    assert skipped(err) == {
        "large.txt": "file is 3 KB, over the 2 KB limit (raise INGEST_MAX_FILE_MB to import "
        "it, or split it)"
    }
    assert stored_names() == {"small.txt"}


def test_a_50_mb_file_is_refused_by_the_default_limit_without_being_read(tmp_path, monkeypatch):
    limit_mb = django_settings.INGEST_MAX_FILE_BYTES // 2**20
    assert limit_mb < 50, "this test needs the default limit (INGEST_MAX_FILE_MB unset)"
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(50 * 2**20)  # sparse: 50 MB long, no disk blocks written
    (tmp_path / "small.txt").write_text(a_report())
    opened = []
    real_open = pathlib.Path.open

    def spy_open(path, *args, **kwargs):
        opened.append(path.name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", spy_open)
    # Nothing over the limit is worth starting worker processes for.
    assert suggested_workers([str(tmp_path)]) == 0
    _, err = run_ingest(tmp_path, workers=None)
    assert skipped(err)["huge.txt"].startswith(f"file is 50 MB, over the {limit_mb} MB limit")
    assert "huge.txt" not in opened and "small.txt" in opened
    assert stored_names() == {"small.txt"}


def test_a_file_that_vanishes_before_it_is_read_is_refused_with_the_reason(tmp_path):
    gone = InputFile(path=tmp_path / "gone.txt", origin="gone.txt")
    with pytest.raises(IngestError, match="file cannot be read: No such file or directory"):
        read_records(gone, max_bytes=2**20)


# --- odd but valid text ----------------------------------------------------------------------

ODD_TEXTS = {
    # name: (text, what the cleaned body holds, the language guessed)
    "khmer.txt": (
        "ប៉ូលិស\u200bបាន\u200bចាប់ខ្លួន\u200bជនសង្ស័យ\u200bពីរ\u200bនាក់\u200bនៅ\u200bភ្នំពេញ។\n",
        "ប៉ូលិស\u200bបាន\u200bចាប់ខ្លួន",
        "km",
    ),
    "thai.md": ("ตำรวจจับกุมผู้ต้องสงสัยสองคนในข้อหาค้ายาเสพติดที่กรุงเทพฯ\n", "ตำรวจจับกุม", "th"),
    "vietnamese.txt": (
        "Công an đã bắt giữ hai nghi phạm buôn bán ma túy tại Thành phố Hồ Chí Minh.\n",
        "Công an đã bắt giữ",
        "vi",
    ),
    # The same letters written with combining accents (NFD), as macOS file names have them.
    "vietnamese-nfd.txt": (
        "Cảnh sát biển đã thu giữ một tàu chở dầu lậu ở Kiên Giang.\n".replace("ả", "a\u0309"),
        "Ca\u0309nh sát biển",
        "vi",
    ),
    "right-to-left.txt": (
        "\u202bألقت الشرطة القبض على مشتبه بهما في بنوم بنه\u202c and seized \u202efake\u202c "
        "\u200fpassports.\n",
        "ألقت الشرطة",
        "en",
    ),
    "zero-width.txt": (
        "Police\u200b raided a\u200d casino\u200c in\u2060 Poipet\ufeff and detained 40 people.\n",
        "Police\u200b raided a\u200d casino",
        "en",
    ),
    "control-characters.txt": (
        "Police\x07 raided\x1b[0m a\x7f bar in Poipet\x0b and detained 3 men.\r\n"
        "The raid\u2028followed a tip.\x0c\n",
        "Police  raided [0m a  bar",
        "en",
    ),
}


def test_text_in_any_script_is_stored_verbatim_beside_its_cleaned_body(tmp_path):
    for name, (text, _in_body, _language) in ODD_TEXTS.items():
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    out, err = run_ingest(tmp_path)
    assert err == ""
    assert f"{len(ODD_TEXTS)} created" in out
    for name, (_text, in_body, language) in ODD_TEXTS.items():
        article = Article.objects.get(origin__endswith=name)
        assert article.raw_text.encode("utf-8") == (tmp_path / name).read_bytes(), name
        assert in_body in article.body, name
        assert article.language == language, name
    # Control characters and every kind of line break are gone from the cleaned body only.
    cleaned = Article.objects.get(origin__endswith="control-characters.txt").body
    assert cleaned == (
        "Police  raided [0m a  bar in Poipet and detained 3 men.\n\nThe raid followed a tip."
    )
    assert_nothing_half_written()


def test_a_leading_byte_order_mark_is_the_only_thing_not_kept(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + a_report().encode())
    run_ingest(tmp_path)
    assert Article.objects.get().raw_text.encode() == (tmp_path / "bom.txt").read_bytes()[3:]


def test_a_very_long_single_line_is_stored_whole(tmp_path):
    sentence = "Police raided a casino in Poipet and detained forty people after a tip. "
    line = sentence * (2 * 2**20 // len(sentence))  # 2 MB, one line, under the limit
    (tmp_path / "one-line.txt").write_text(line)
    out, err = run_ingest(tmp_path)
    assert "1 created" in out and err == ""
    article = Article.objects.get()
    assert article.raw_text == line
    assert article.body == line.strip()
    assert len(article.title) < 200


def test_a_line_shaped_to_make_the_byline_pattern_backtrack_is_read_at_once(tmp_path):
    # Each "and" inside "AandAand..." could once end a name or not: 2**40 ways to try.
    (tmp_path / "crafted.txt").write_text("By " + "Aand" * 40 + " x!\n" + a_report())
    with fails_if_hung():
        out, _ = run_ingest(tmp_path)
    assert "1 created" in out
    assert Article.objects.get().body.startswith("By AandAand")


# --- duplicates ------------------------------------------------------------------------------


def test_the_same_text_under_two_names_is_stored_once(tmp_path):
    text = a_report()
    (tmp_path / "original.txt").write_text(text)
    (tmp_path / "renamed copy.md").write_text(text.upper().replace("\n", "\r\n"))
    out, err = run_ingest(tmp_path)
    assert "1 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert skipped(err)["renamed copy.md"].startswith("duplicate: same text as ")
    assert skipped(err)["renamed copy.md"].endswith("/original.txt")
    assert stored_names() == {"original.txt"}


def test_a_copy_named_like_a_record_is_still_a_duplicate_in_a_later_run(tmp_path):
    # "report#1.txt" is a file, not record 1 of "report": its copy is another file's text.
    text = a_report()
    (tmp_path / "report#1.txt").write_text(text)
    run_ingest(tmp_path / "report#1.txt")
    (tmp_path / "report#2.txt").write_text(text)
    out, err = run_ingest(tmp_path / "report#2.txt")
    assert "0 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert "same text as article #" in skipped(err)["report#2.txt"]
    assert stored_names() == {"report#1.txt"}


# --- metadata headers ------------------------------------------------------------------------

CANNOT_BE_READ = "front matter holds a value that cannot be read"
HEADERS = {
    # name: (header lines, the reason the file is refused, or "" when it is stored)
    "date-as-list.md": (
        "published: [2021-06-03, 2021-06-04]",
        "field 'published' should be a date, got a list",
    ),
    "title-as-mapping.md": (
        "title: {en: Raid, km: ការវាយឆ្មក់}",
        "field 'title' should be text, got a mapping",
    ),
    "url-as-number.md": ("url: 5", "field 'url': '5' is not an http(s) address"),
    "impossible-date.md": (
        "published: 2021-13-45",
        f"{CANNOT_BE_READ} (month must be in 1..12); put it in quotes to keep it as text",
    ),
    "huge-number.md": ("title: " + "9" * 5000, f"{CANNOT_BE_READ} (Exceeds the limit"),
    "nested-too-deep.md": ("tags: " + "[" * 1000, "front matter is nested too deeply to read"),
    "not-yaml.md": ("title: [unclosed", "front matter is not valid YAML (line 3)"),
    "nul-escape.md": ('title: "Raid\\0"', ""),
    "tags-as-numbers.md": ("country: 42\ncrime_type: [3.5]", ""),
    "tags-as-booleans.md": (
        "crime_type: [gambling, true]",
        "field 'crime_type' should be a name or a list of names, got true/false inside it",
    ),
    "unknown-keys.md": ("mood: grim\nx-internal: {a: 1}\ncountry: 116", ""),
}


def test_front_matter_with_wrong_types_or_unknown_keys_is_refused_or_warned_about(tmp_path):
    for name, (header, _reason) in HEADERS.items():
        (tmp_path / name).write_text(f"---\n{header}\n---\n{a_report()}")
    _, err = run_ingest(tmp_path, verbosity=2)
    reasons = skipped(err)
    for name, (_header, reason) in HEADERS.items():
        if reason:
            assert reasons.pop(name).startswith(reason), name
    assert reasons == {}
    assert stored_names() == {name for name, (_header, reason) in HEADERS.items() if not reason}
    for name, warning in [
        ("unknown-keys.md", "unknown field 'mood' ignored"),
        ("unknown-keys.md", "unknown field 'x-internal' ignored"),
        ("unknown-keys.md", "unknown country '116' not tagged"),
        ("tags-as-numbers.md", "unknown country '42' not tagged"),
        ("tags-as-numbers.md", "unknown crime type '3.5' not tagged"),
    ]:
        assert f"/{name}: {warning}" in err
    assert Article.objects.get(origin__endswith="nul-escape.md").title == "Raid"
    assert_nothing_half_written()


# --- records whose text no database stores ---------------------------------------------------


def test_records_holding_nul_or_half_a_surrogate_pair_are_refused_and_the_rest_stored(tmp_path):
    lines = [
        json.dumps({"body": a_report()}),
        '{"body": "Police raided a bar.\\u0000"}',
        '{"body": "Police raided a bar \\ud83d."}',
        '{"body": "Police raided a bar \\ud83d\\ude94."}',  # a whole pair: a police car
        '{"title": "Raid \\udc00", "body": "Police raided a club."}',
        json.dumps({"title": "Raid\u2028in Poipet", "body": f"{a_report()}\u2028\x85more"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    _, err = run_ingest(tmp_path)
    reasons = skipped(err)
    assert reasons == {
        "feed.jsonl#2": "the article text holds '\\x00' at character 20, which cannot be "
        "stored; remove it (or fix the escape that produced it)",
        "feed.jsonl#3": "the article text holds '\\ud83d' at character 20, which cannot be "
        "stored; remove it (or fix the escape that produced it)",
        "feed.jsonl#5": "field 'title' holds '\\udc00', half of a UTF-16 character escape; "
        "write the character itself, or its full escape pair",
    }
    assert stored_names() == {"feed.jsonl#1", "feed.jsonl#4", "feed.jsonl#6"}
    assert "🚔" in Article.objects.get(origin__endswith="#4").raw_text
    # U+2028 inside a JSON string does not end a JSON line.
    assert Article.objects.get(origin__endswith="#6").title == "Raid in Poipet"
    assert_nothing_half_written()


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
