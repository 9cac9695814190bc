"""Properties of the pure half of ingestion, over arbitrary text and bytes.

Whatever arrives, decoding, the readers, the metadata checks, `parse_record` and the cleaner
answer with a result or an IngestError (the reason shown to the user), never another exception;
the raw text comes through verbatim, and the cleaned text holds no control characters.
"""

import csv
import datetime as dt
import io
import json
import re
import unicodedata

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from archive.ingest.cleaning import clean_text, split_paragraphs
from archive.ingest.hashing import content_hash
from archive.ingest.metadata import FIELD_NAMES, check_metadata, parse_published
from archive.ingest.pipeline import MAX_TITLE_CHARS, parse_record
from archive.ingest.readers import decode_text, parse_records, split_front_matter
from archive.ingest.records import IngestError, ParsedArticle, Problem, RawRecord

TODAY = dt.date(2025, 6, 1)
# Pure functions are cheap to call; documents built of many parts are costlier to generate.
PURE = settings(max_examples=200)
DOCUMENTS = settings(max_examples=100)

# Characters that have broken text handling somewhere: the region's scripts, right-to-left and
# zero-width marks, every kind of line break, control characters, and the marks the readers key on.
AWKWARD_CHARACTERS = [
    *"ក្ខមែរ",  # Khmer, with a subscript sign
    *"ภาษาไทย",
    *"Tiếng Việt",
    "e\u0301",  # a letter and a combining accent
    *"العربية",
    "\u200e",
    "\u200f",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",  # zero-width
    "\r",
    "\n",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",  # line breaks
    "\x00",
    "\x01",
    "\x08",
    "\x1b",
    "\x7f",
    "\x9f",
    "\t",  # control characters
    "---",
    "...",
    "#",
    "# ",
    ":",
    "- ",
    '"',
    "'",
    ",",
    ";",
    "|",
    "{",
    "}",
    "[",
    "]",
    "\\",
    " ",
    "  ",
]
# Surrogates cannot come out of decoding a file; JSON escapes are tested for them apart.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
ANY_TEXT = st.lists(
    st.one_of(ANY_CHARACTER, st.sampled_from(AWKWARD_CHARACTERS)), max_size=150
).map("".join)
# Lines a scraped report is made of: story sentences, page furniture, headings, blanks.
REPORT_LINES = st.one_of(
    ANY_TEXT.map(lambda text: text.replace("\n", " ")),
    st.sampled_from(
        [
            "",
            "Police raided a casino in Poipet and detained 40 people.",
            "Casino raid in Poipet",
            "# Casino raid in Poipet",
            "cellcard cellcard cellcard",
            "Khuon Narim / Khmer Times Share:",
            "By Jane Doe | Phnom Penh Post",
            "3 min read",
            "Officers at the scene (R). KT/Siv Channa",
            "Previous Article",
            "Next Article",
            "© 2022 Khmer Times. All rights reserved.",
            "PHNOM PENH, March 3 (Xinhua) -- Police said",
            "ប៉ូលិស\u200bបាន\u200bចាប់ខ្លួន\u200bជនសង្ស័យ។",
            "ตำรวจจับกุมผู้ต้องสงสัยสองคน",
            "Công an đã bắt giữ hai nghi phạm.",
            "\u202eأمن\u202c",
        ]
    ),
)
REPORTS = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(REPORT_LINES, max_size=12),
    st.sampled_from(["\n", "\r\n", "\n\n", "\r"]),
)
# Pieces of YAML that are valid syntax but odd values, or not valid at all.
YAML_PIECES = [
    "title: Raid",
    "published: 2021-06-03",
    "published: 2021-13-45",  # matches YAML's date pattern; not a date
    "published: 0000-01-01",
    "published: [2021, 2022]",
    "published: 2021-06-03 25:61:00",
    "country: 42",
    "country: {name: KH}",
    "title: {en: Raid}",
    "title: " + "9" * 5000,  # longer than Python turns into an int by default
    "title: !!binary aGVsbG8=",
    "title: !!python/object:os.system x",
    "title: &a [*a]",
    "<<: {title: x}",
    "? [a, b]\n: c",
    "tags: " + "[" * 50,
    "- a list",
    "%YAML 1.1",
    "title: '\\x00'",
    'title: "\\ud800"',
    'title: "\\0"',
    "language: 12",
    "url: 5",
    "mood: grim",
    "",
]
FRONT_MATTER = st.builds(
    lambda pieces, body: "---\n" + "\n".join(pieces) + "\n---\n" + body,
    st.lists(st.one_of(st.sampled_from(YAML_PIECES), ANY_TEXT), max_size=5),
    REPORTS,
)
# Values a JSON record, a CSV row or a YAML header can give a field.
FIELD_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        ANY_TEXT,
        st.dates(),
        st.datetimes(),
        st.sampled_from(["2021-06-03", "2021", "June 3, 2021", "soon", "https://example.org/a"]),
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
FIELD_NAMES_USED = st.one_of(
    st.sampled_from([name for names in FIELD_NAMES.values() for name in names]),
    st.text(max_size=10),
)
METADATA = st.dictionaries(FIELD_NAMES_USED, FIELD_VALUES, max_size=6)


def visible(text: str) -> str:
    """Return the characters of `text` a reader sees: no white space, no control characters."""
    return "".join(
        char for char in text if not char.isspace() and unicodedata.category(char) != "Cc"
    )


def assert_clean(text: str) -> None:
    """Cleaned text has no control characters but line breaks, and no surrogates."""
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", text), repr(text)
    assert not re.search(r"[\ud800-\udfff]", text), repr(text)


# --- decoding --------------------------------------------------------------------------------


@PURE
@given(st.binary(max_size=300))
@example(b"\xff\xfeP\x00o\x00")  # UTF-16
@example(b"Caf\xe9 raid")  # Latin-1
@example(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
@example(b"Police" + b" " * 9000 + b"\x00")  # a NUL past the head of the file
@example(b"\xef\xbb\xbf")  # only a byte order mark
def test_decoding_any_bytes_gives_their_text_or_a_reason(data):
    try:
        text = decode_text(data)
    except IngestError as error:
        assert str(error)
        return
    assert text.encode("utf-8") == data.removeprefix(b"\xef\xbb\xbf")
    assert text.strip() and "\x00" not in text


@PURE
@given(ANY_TEXT)
def test_decoding_utf8_gives_the_text_back_verbatim(text):
    text = text.lstrip("\ufeff")  # a leading BOM marks the encoding; it is not text
    if not text.strip() or "\x00" in text:
        with pytest.raises(IngestError):
            decode_text(text.encode("utf-8"))
    else:
        assert decode_text(text.encode("utf-8")) == text


# --- readers ---------------------------------------------------------------------------------


@DOCUMENTS
@given(st.one_of(REPORTS, FRONT_MATTER))
@example("---\npublished: 2021-13-45\n---\nPolice raided a bar.")
@example("---\ntitle: " + "9" * 5000 + "\n---\nPolice raided a bar.")
@example("---\ntags: " + "[" * 1000 + "\n---\nPolice raided a bar.")  # too deep for PyYAML
def test_a_text_file_keeps_its_body_verbatim_or_is_refused_with_a_reason(text):
    try:
        (record,) = parse_records(text, kind="text", origin="a.md")
    except IngestError as error:
        assert str(error)
        return
    assert isinstance(record, RawRecord)
    assert text.endswith(record.text)
    if not text.splitlines() or text.splitlines()[0].strip() != "---":
        assert record.text == text and record.metadata == {}


@PURE
@given(ANY_TEXT, st.sampled_from(["json", "jsonl", "csv"]))
@example("[" * 100_000, "json")
@example("[" * 100_000, "jsonl")
@example("[" + "1" * 5000 + "]", "json")
@example('{"body": ' + "1" * 5000 + "}", "jsonl")
@example("body\n" + '"' * 3, "csv")
def test_any_text_read_as_records_gives_records_problems_or_a_reason(text, kind):
    try:
        records = parse_records(text, kind=kind, origin="feed")
    except IngestError as error:
        assert str(error)
        return
    for record in records:
        assert isinstance(record, RawRecord | Problem)
        assert record.origin.startswith("feed#")
        if isinstance(record, Problem):
            assert record.reason


ARTICLE_BODIES = ANY_TEXT.filter(lambda body: body.strip())
JSON_RECORDS = st.lists(
    st.fixed_dictionaries(
        {"body": ARTICLE_BODIES}, optional={"title": ANY_TEXT, "country": ANY_TEXT}
    ),
    min_size=1,
    max_size=4,
)


@DOCUMENTS
@given(JSON_RECORDS, st.booleans(), st.sampled_from(["json", "jsonl"]))
def test_json_records_keep_their_text_verbatim(items, ascii_only, kind):
    if kind == "json":
        text = json.dumps({"articles": items}, ensure_ascii=ascii_only)
    else:
        text = "\n".join(json.dumps(item, ensure_ascii=ascii_only) for item in items)
    records = parse_records(text, kind=kind, origin="feed")
    assert [record.text for record in records] == [item["body"] for item in items]
    assert [record.metadata for record in records] == [
        {key: value for key, value in item.items() if key != "body"} for item in items
    ]


CSV_FIELDS = ANY_TEXT.map(lambda text: text.replace("\x00", ""))  # csv cannot write NUL
CSV_BODIES = CSV_FIELDS.filter(lambda body: body.strip())


@DOCUMENTS
@given(
    st.lists(st.tuples(CSV_FIELDS, CSV_BODIES), min_size=1, max_size=4),
    st.sampled_from([",", ";", "\t", "|"]),
    st.booleans(),
)
def test_csv_rows_keep_their_text_verbatim_whatever_the_delimiter(rows, delimiter, bom):
    bodies = [body for _, body in rows]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["title", "body"])
    writer.writerows(rows)
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    records = parse_records(decode_text(text.encode("utf-8")), kind="csv", origin="feed")
    assert [record.text for record in records] == bodies
    assert [record.metadata["title"] for record in records] == [title for title, _ in rows]


@PURE
@given(
    st.lists(st.sampled_from(["\\ud800", "\\udfff", "\\u0000", "a", " "]), min_size=1).map("".join)
)
def test_json_escapes_for_characters_no_database_stores_are_refused_with_a_reason(escaped):
    # A body long enough to be a report, so that only the escape decides.
    text = '[{"title": "' + escaped + '", "body": "Police raided a casino. ' + escaped + '"}]'
    (record,) = parse_records(text, kind="json", origin="feed")
    try:
        parsed = parse_record(record, today=TODAY)
    except IngestError as error:
        assert "\\u0000" in escaped or "\\ud" in escaped
        assert str(error)
        return
    assert parsed.raw_text == record.text
    assert parsed.raw_text.encode("utf-8")  # no surrogates left to fail the database
    assert "\x00" not in parsed.raw_text


# --- metadata --------------------------------------------------------------------------------


@PURE
@given(FIELD_VALUES)
@example("2021-13-45")
@example(dt.datetime(1, 1, 1))
@example(10**400)
def test_any_published_value_gives_a_date_or_a_reason(value):
    try:
        published, year = parse_published(value, today=TODAY)
    except IngestError as error:
        assert "'published'" in str(error)
        return
    assert published is None or published <= TODAY
    assert year is None or 1900 <= year <= TODAY.year


@DOCUMENTS
@given(st.dictionaries(st.sampled_from(list(FIELD_NAMES)), FIELD_VALUES, max_size=6))
def test_any_field_values_give_checked_metadata_or_a_reason_naming_the_field(fields):
    try:
        metadata = check_metadata(fields, today=TODAY)
    except IngestError as error:
        assert re.search(r"field '\w+'", str(error)), str(error)
        return
    for value in (metadata.title, metadata.source, metadata.url, *metadata.countries):
        assert_clean(value)
        assert "\n" not in value


# --- parse_record and the cleaner ------------------------------------------------------------


@DOCUMENTS
@given(REPORTS, METADATA)
@example("Police raided a bar.\x00", {})
@example("Police raided a bar.", {"title": "A\x00B"})
@example("Police raided a bar.", {"source": "S" * 300})
@example("\x01\x02\x7f", {})
def test_a_record_becomes_an_article_keeping_its_raw_text_or_is_refused(text, metadata):
    try:
        parsed = parse_record(RawRecord(origin="a.txt", text=text, metadata=metadata), today=TODAY)
    except IngestError as error:
        assert str(error)
        return
    assert isinstance(parsed, ParsedArticle)
    assert parsed.raw_text == text
    assert parsed.content_hash == content_hash(text)
    assert parsed.body.strip()
    assert_clean(parsed.body)
    assert_clean(parsed.title)
    assert len(parsed.title) <= MAX_TITLE_CHARS
    assert "\x00" not in text  # text holding NUL is refused: no database column stores it


@DOCUMENTS
@given(REPORTS)
def test_the_cleaner_never_raises_and_accounts_for_every_paragraph(text):
    cleaned = clean_text(text)
    kept = cleaned.body.split("\n\n") if cleaned.body else []
    removed = [removal.text for removal in cleaned.removals]
    assert sorted(kept + removed) == sorted(split_paragraphs(text))
    assert_clean(cleaned.body)
    assert_clean(cleaned.title)
    assert "\n" not in cleaned.title


@DOCUMENTS
@given(REPORTS)
def test_splitting_into_paragraphs_loses_no_visible_character(text):
    paragraphs = split_paragraphs(text)
    assert "".join(visible(paragraph) for paragraph in paragraphs) == visible(text)
    for paragraph in paragraphs:
        assert paragraph == paragraph.strip() and paragraph
        assert "\n" not in paragraph
        assert_clean(paragraph)


@DOCUMENTS
@given(FRONT_MATTER)
def test_front_matter_gives_metadata_the_checks_accept_or_refuse_with_a_reason(text):
    try:
        record = split_front_matter(text, origin="a.md")
        parse_record(record, today=TODAY)
    except IngestError as error:
        assert str(error)


def test_yaml_values_the_reader_cannot_build_are_refused_as_front_matter_problems():
    # PyYAML raises ValueError, not YAMLError, for a date-shaped value that is no date.
    with pytest.raises(ValueError):
        yaml.safe_load("published: 2021-13-45")
    with pytest.raises(IngestError, match="front matter"):
        split_front_matter("---\npublished: 2021-13-45\n---\nBody", origin="a.md")
