"""Bad input to `ingest`: every bad file gets a message naming it and its problem, the batch goes
on, and nothing is half-written; odd but valid text is stored verbatim beside its cleaned body."""

import json
import pathlib

import pytest
from django.conf import settings as django_settings

from archive.ingest.batch import suggested_workers
from archive.ingest.readers import InputFile, read_records
from archive.ingest.records import IngestError
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


# --- files that cannot be read, beside files that can ----------------------------------------


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
        "ar",  # most of its letters are Arabic
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
