"""Reading files: each format, and each kind of bad input reported with its reason."""

import json

import pytest

from archive.ingest.readers import InputFile, find_input_files, read_records, read_text
from archive.ingest.records import IngestError, Problem, RawRecord

MAX = 1024 * 1024


def records_of(path):
    return read_records(InputFile(path=path, origin=path.name), max_bytes=MAX)


def test_plain_text_is_one_record_with_no_metadata(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Police raided a casino.\n", encoding="utf-8")
    assert records_of(path) == [RawRecord(origin="a.txt", text="Police raided a casino.\n")]


def test_front_matter_becomes_metadata_and_is_cut_from_the_text(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Raid\ncountry: [Cambodia, Thailand]\n---\nBody text.\n")
    (record,) = records_of(path)
    assert record.metadata == {"title": "Raid", "country": ["Cambodia", "Thailand"]}
    assert record.text == "Body text.\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("---\ntitle: [unclosed\n---\nBody", "front matter is not valid YAML"),
        ("---\n- a list\n---\nBody", "front matter must be 'key: value' lines"),
        ("---\ntitle: no end\nBody", "no closing '---'"),
    ],
)
def test_broken_front_matter_is_refused_with_the_reason(tmp_path, content, reason):
    path = tmp_path / "a.txt"
    path.write_text(content)
    with pytest.raises(IngestError, match=reason.replace("[", r"\[")):
        records_of(path)


def test_json_list_and_object_holding_a_list_are_both_read(tmp_path):
    items = [{"title": "One", "content": "First text."}, {"headline": "Two", "text": "Second."}]
    (tmp_path / "list.json").write_text(json.dumps(items))
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": items}))
    for name in ("list.json", "wrapped.json"):
        records = records_of(tmp_path / name)
        assert [r.text for r in records] == ["First text.", "Second."]
        assert records[0].metadata == {"title": "One"}
        assert records[1].origin == f"{name}#2"


def test_malformed_json_is_refused_with_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"title": "x", "body": "y"},\n {"title": }]')
    with pytest.raises(IngestError, match=r"malformed JSON at line 2, column"):
        records_of(path)


def test_jsonl_skips_only_the_broken_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"body": "Good one."}\n{"body": \n{"body": "Good two.", "url": "https://x.org/a"}\n'
    )
    records = records_of(path)
    assert isinstance(records[0], RawRecord) and records[0].text == "Good one."
    assert records[1] == Problem("feed.jsonl#2", records[1].reason)
    assert "malformed JSON on line 2" in records[1].reason
    assert records[2].metadata == {"url": "https://x.org/a"}


def test_record_without_text_is_a_problem(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"title": "No body"}, "just a string"]))
    first, second = records_of(path)
    assert "no article text" in first.reason
    assert "expected an object" in second.reason


def test_csv_with_bom_and_semicolons_is_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("\ufefftitle;body;published\nRaid;Police raided a club;2021-03-04\n".encode())
    (record,) = records_of(path)
    assert record.text == "Police raided a club"
    assert record.metadata == {"title": "Raid", "published": "2021-03-04"}


def test_csv_with_quoted_multiline_body_is_one_record(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('title,content\nRaid,"Line one.\n\nLine two, with comma."\n')
    (record,) = records_of(path)
    assert record.text == "Line one.\n\nLine two, with comma."


def test_csv_rows_with_the_wrong_number_of_fields_are_problems(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,body\nA,text a,extra\nB\nC,text c\n")
    records = records_of(path)
    assert "more fields" in records[0].reason
    assert "fewer fields" in records[1].reason
    assert records[2].text == "text c"


def test_csv_without_a_text_column_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,url\nA,https://x.org\n")
    with pytest.raises(IngestError, match="no text column"):
        records_of(path)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b"  \n\t\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Caf\u00e9 raid".encode("latin-1"), r"not valid UTF-8 \(byte 0xe9 at offset 3\)"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(tmp_path, data, reason):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=reason):
        read_text(path, max_bytes=MAX)


def test_oversized_file_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 500_000)
    with pytest.raises(
        IngestError, match=r"2\.4 MB, over the 1 MB limit \(raise INGEST_MAX_FILE_MB"
    ):
        read_text(path, max_bytes=MAX)


def test_folders_are_walked_in_order_and_odd_entries_reported(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.json").write_text("[]")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / "notes.docx").write_text("p")
    outside = tmp_path.parent / "outside.txt"
    outside.write_text("secret")
    (tmp_path / "link.txt").symlink_to(outside)
    found = list(find_input_files([tmp_path, tmp_path / "missing.txt"]))
    files = [item.path.name for item in found if isinstance(item, InputFile)]
    problems = {
        item.origin.rsplit("/", 1)[-1]: item.reason for item in found if isinstance(item, Problem)
    }
    assert files == ["b.txt", "a.json"]
    assert "unsupported file type '.docx'" in problems["notes.docx"]
    assert problems["link.txt"] == "symbolic link to a place outside the folder"
    assert problems["missing.txt"] == "no such file or folder"
