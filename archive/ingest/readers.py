"""From paths on disk to raw records: find files, read them safely, split them into articles."""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from archive.ingest.documents import html_record, pdf_record, web_archive_records
from archive.ingest.metadata import canonical_fields, field_for
from archive.ingest.records import IngestError, Problem, RawRecord

# File name ending -> the reader for it (the longest ending that fits: ".warc.gz" before ".gz").
FORMATS = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".warc": "web_archive",
    ".warc.gz": "web_archive",
    ".wacz": "web_archive",
    ".pdf": "pdf",
}
# Keys under which a JSON object may hold its list of records.
JSON_LIST_KEYS = ("articles", "records", "items", "data", "results", "documents", "entries")
# The delimiters a CSV file may use, in the order they are tried when sniffing fails.
CSV_DELIMITERS = ",\t;|"
# Fields a record may have (CSV columns, JSON keys, front matter keys). Every row becomes a dict
# of them and each unknown one a warning: a 9.7 MB CSV of 100,002 columns took 2.15 GB. A
# report has a dozen fields; this many leaves room for any export's extras.
MAX_FIELDS = 200
# Only the head of a file is sniffed for its CSV delimiter.
SNIFF_BYTES = 8192
NOT_A_REGULAR_FILE = "not a regular file (a pipe, socket or device)"
FOLDER_LINK_NOT_FOLLOWED = (
    "symbolic link to a folder, not followed (its files are read where they are)"
)


@dataclass(frozen=True)
class InputFile:
    path: Path
    origin: str  # how the file is named in reports and in Article.origin


def describe_path(path: Path) -> str:
    """Return the path relative to the working directory when inside it, else absolute.

    A name that is not valid UTF-8 (the bytes Linux allows) is shown with U+FFFD for the bytes
    that cannot be read: the name is reported and stored, and a database stores no such bytes.
    """
    absolute = Path(os.path.abspath(path))
    try:
        name = absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        name = absolute.as_posix()
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def find_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[InputFile | Problem]:
    """Yield every importable file under `paths` in a stable order, and a Problem for the rest.

    Folders are walked recursively, skipping hidden entries. Symbolic links are never followed
    out of the folder they were found in (a folder given to ingest should not reach elsewhere),
    nor into folders; broken links, link loops, pipes, devices and folders that cannot be
    listed are reported.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.is_file():
            yield _accept_file(path)
        elif path.is_symlink():
            yield Problem(
                describe_path(path), _link_problem(path, within=None) or NOT_A_REGULAR_FILE
            )
        elif path.exists():
            yield Problem(describe_path(path), NOT_A_REGULAR_FILE)
        else:
            yield Problem(str(given), "no such file or folder")


def _walk_folder(root: Path) -> Iterator[InputFile | Problem]:
    real_root = root.resolve()
    unreadable: list[OSError] = []  # os.walk reports a folder it cannot list here, and goes on
    for folder, subfolders, files in os.walk(root, onerror=unreadable.append, followlinks=False):
        yield from _unreadable_folders(unreadable)
        visible = sorted(name for name in subfolders if not name.startswith("."))
        subfolders[:] = []
        for name in visible:
            path = Path(folder) / name
            if path.is_symlink():  # os.walk lists it but does not enter it
                reason = _link_problem(path, within=real_root) or FOLDER_LINK_NOT_FOLLOWED
                yield Problem(describe_path(path), reason)
            else:
                subfolders.append(name)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.is_symlink() and (problem := _link_problem(path, within=real_root)):
                yield Problem(describe_path(path), problem)
            elif not path.is_file():
                yield Problem(describe_path(path), NOT_A_REGULAR_FILE)
            else:
                yield _accept_file(path)
    yield from _unreadable_folders(unreadable)


def _unreadable_folders(errors: list[OSError]) -> Iterator[Problem]:
    for error in errors:
        reason = error.strerror or type(error).__name__
        folder = describe_path(Path(error.filename)) if error.filename else "a folder"
        yield Problem(folder, f"folder cannot be read: {reason}")
    errors.clear()


def _link_problem(path: Path, *, within: Path | None) -> str:
    """Return why a symbolic link is not read (broken, a loop, leading outside `within`), or ""."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so; later versions raise OSError(ELOOP)
        return "symbolic link loop"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        return "broken symbolic link (its target does not exist)"
    if within is not None and not target.is_relative_to(within):
        return "symbolic link to a place outside the folder"
    return ""


def format_of(path: Path) -> str:
    """Return the reader for a file by the end of its name ("" when none reads it)."""
    name = path.name.lower()
    endings = [ending for ending in FORMATS if name.endswith(ending)]
    return FORMATS[max(endings, key=len)] if endings else ""


def _accept_file(path: Path) -> InputFile | Problem:
    origin = describe_path(path)
    if not format_of(path):
        supported = " ".join(sorted(FORMATS))
        return Problem(
            origin, f"unsupported file type {path.suffix or '(none)'!r}; supported: {supported}"
        )
    return InputFile(path=path, origin=origin)


def read_text(path: Path, *, max_bytes: int) -> str:
    """Return the file's text, or raise IngestError saying why it cannot be read as text."""
    return decode_text(read_file_bytes(path, max_bytes=max_bytes))


def check_size(path: Path, *, max_bytes: int, setting: str = "INGEST_MAX_FILE_MB") -> None:
    """Raise IngestError when the file is not a regular file or is over `max_bytes` (which
    the environment variable `setting` raises)."""
    try:
        status = path.stat()
    except OSError as error:
        raise IngestError(f"file cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise IngestError(NOT_A_REGULAR_FILE)  # opening a pipe would wait for a writer
    if status.st_size > max_bytes:
        raise IngestError(
            _too_large(f"file is {_human_size(status.st_size)}", max_bytes, setting=setting)
        )


def read_file_bytes(path: Path, *, max_bytes: int) -> bytes:
    """Return the file's bytes, or raise IngestError when it is too large or cannot be read.

    The size is checked before anything is read, so a huge file costs nothing to refuse.
    """
    check_size(path, max_bytes=max_bytes)
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # a file that grew since stat() is not read to its end
    except OSError as error:
        raise IngestError(f"file cannot be read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise IngestError(_too_large("file grew while being read", max_bytes))
    return data


def _too_large(what: str, max_bytes: int, *, setting: str = "INGEST_MAX_FILE_MB") -> str:
    return (
        f"{what}, over the {_human_size(max_bytes)} limit "
        f"(raise {setting} to import it, or split it)"
    )


# Byte order marks of the encodings, other than UTF-8, that Windows tools save text in.
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_text(data: bytes) -> str:
    """Return the text these bytes hold, or raise IngestError saying why they are not UTF-8 text.

    The text is the bytes decoded, nothing changed: a leading UTF-8 byte order mark is the only
    thing dropped.
    """
    if data.startswith(_WIDE_BOMS):
        raise IngestError("UTF-16 or UTF-32 text; save the file as UTF-8 and import it again")
    if b"\x00" in data:
        raise IngestError("binary file (it contains NUL bytes); only UTF-8 text is imported")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8 and import it again"
        ) from None
    if not text.strip():
        raise IngestError("file is empty")
    return text


def _human_size(size: int) -> str:
    if size < 2**20:
        return f"{size / 1024:.0f} KB"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"


def read_records(
    file: InputFile, *, max_bytes: int, max_archive_bytes: int | None = None
) -> Iterable[RawRecord | Problem]:
    """Return the file's articles (and a Problem for each record that cannot be read).

    A web archive is read record by record as the result is iterated, up to
    `max_archive_bytes` in all; each page or document in it, like every other file, is held to
    `max_bytes`.
    """
    kind = format_of(file.path)
    if kind == "web_archive":
        check_size(
            file.path, max_bytes=max_archive_bytes or max_bytes, setting="INGEST_MAX_ARCHIVE_MB"
        )
        return web_archive_records(file.path, origin=file.origin, max_body_bytes=max_bytes)
    if kind == "html":
        return [html_record(read_file_bytes(file.path, max_bytes=max_bytes), origin=file.origin)]
    if kind == "pdf":
        return [pdf_record(read_file_bytes(file.path, max_bytes=max_bytes), origin=file.origin)]
    text = read_text(file.path, max_bytes=max_bytes)
    return parse_records(text, kind=kind, origin=file.origin)


def parse_records(text: str, *, kind: str, origin: str) -> list[RawRecord | Problem]:
    """Return the articles a file's text holds, read as `kind` (a value of FORMATS)."""
    if kind == "text":
        return [split_front_matter(text, origin=origin)]
    if kind == "json":
        return _json_records(text, origin=origin)
    if kind == "jsonl":
        return _jsonl_records(text, origin=origin)
    return _csv_records(text, origin=origin)


def split_front_matter(text: str, *, origin: str) -> RawRecord:
    """Return a record from a text file, taking a leading '---' YAML block as metadata."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return RawRecord(origin=origin, text=text)
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            header = "".join(lines[1:number])
            body = "".join(lines[number + 1 :])
            break
    else:
        raise IngestError("front matter starts with '---' but has no closing '---' line")
    try:
        mapping = yaml.safe_load(header) if header.strip() else {}
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line_note = f" (line {where.line + 2})" if where else ""
        raise IngestError(f"front matter is not valid YAML{line_note}") from None
    except (ValueError, OverflowError) as error:
        # Valid YAML whose value PyYAML cannot build: a date-shaped "2021-13-45", an integer of
        # thousands of digits.
        raise IngestError(
            f"front matter holds a value that cannot be read ({error}); "
            "put it in quotes to keep it as text"
        ) from None
    except RecursionError:
        raise IngestError("front matter is nested too deeply to read") from None
    if not isinstance(mapping, dict):
        raise IngestError("front matter must be 'key: value' lines")
    if len(mapping) > MAX_FIELDS:
        raise IngestError(_too_many_fields(f"the front matter has {len(mapping):,} fields"))
    return RawRecord(origin=origin, text=body, metadata=mapping)


def record_from_mapping(mapping: object, *, origin: str) -> RawRecord | Problem:
    """Return a record from one JSON object or CSV row; its body field holds the text."""
    if not isinstance(mapping, dict):
        return Problem(origin, f"expected an object with fields, got {type(mapping).__name__}")
    if len(mapping) > MAX_FIELDS:
        return Problem(origin, _too_many_fields(f"the record has {len(mapping):,} fields"))
    fields, _unknown = canonical_fields(mapping)
    body = fields.get("body")
    if not isinstance(body, str) or not body.strip():
        return Problem(origin, "no article text: expected a 'body', 'content' or 'text' field")
    metadata = {key: value for key, value in mapping.items() if field_for(key) != "body"}
    return RawRecord(origin=origin, text=body, metadata=metadata)


def _too_many_fields(found: str) -> str:
    return (
        f"{found}; a record is read with at most {MAX_FIELDS} (each becomes a metadata value "
        "held in memory for every row): keep the article's own fields and split the rest off"
    )


def _parse_json(text: str, *, line: int | None = None) -> object:
    """Return the value JSON text holds, or raise IngestError saying what is wrong with it."""
    where = f" on line {line}" if line else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = where or f" at line {error.lineno}, column {error.colno}"
        raise IngestError(f"malformed JSON{where}: {error.msg}") from None
    except RecursionError:
        raise IngestError(f"JSON{where} is nested too deeply to read") from None
    except ValueError as error:  # a number of thousands of digits
        raise IngestError(f"JSON{where} holds a value that cannot be read: {error}") from None


def _json_records(text: str, *, origin: str) -> list[RawRecord | Problem]:
    data = _parse_json(text)
    if isinstance(data, dict):
        lists = [key for key in JSON_LIST_KEYS if isinstance(data.get(key), list)]
        if lists:
            data = data[lists[0]]
        elif "body" in canonical_fields(data)[0]:
            data = [data]
        else:
            raise IngestError(
                "JSON object holds no list of records (expected a list, or a "
                f"list under one of: {', '.join(JSON_LIST_KEYS)})"
            )
    if not isinstance(data, list):
        raise IngestError("JSON must be a list of records or an object holding one")
    if not data:
        raise IngestError("JSON holds no records")
    return [
        record_from_mapping(item, origin=f"{origin}#{number}")
        for number, item in enumerate(data, start=1)
    ]


def _jsonl_records(text: str, *, origin: str) -> list[RawRecord | Problem]:
    records: list[RawRecord | Problem] = []
    # Only "\n" ends a line: str.splitlines() would also split at U+2028 or U+0085, which JSON
    # strings may hold as they are.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        record_origin = f"{origin}#{number}"
        try:
            item = _parse_json(line, line=number)
        except IngestError as error:
            records.append(Problem(record_origin, str(error)))
            continue
        records.append(record_from_mapping(item, origin=record_origin))
    return records


def _csv_records(text: str, *, origin: str) -> list[RawRecord | Problem]:
    # An article body is one field: the default 128 KiB field limit is too small for long reports.
    # No field is longer than the text that holds it.
    csv.field_size_limit(max(len(text), csv.field_size_limit()))
    reader = _csv_reader_with_body_column(text)
    records: list[RawRecord | Problem] = []
    try:
        for row in reader:
            # reader.line_num counts physical lines, so a record spanning lines is named by its end.
            record_origin = f"{origin}#{reader.line_num}"
            if "\0extra" in row:
                records.append(Problem(record_origin, "row has more fields than the header"))
                continue
            if None in row.values():
                records.append(Problem(record_origin, "row has fewer fields than the header"))
                continue
            records.append(record_from_mapping(row, origin=record_origin))
    except csv.Error as error:
        if str(error) == "unexpected end of data":
            # The reader counts no line of the unclosed field, so its line is not known.
            raise IngestError(
                f"malformed CSV: a quoted field after line {reader.line_num} is never closed "
                "(is the file cut short?)"
            ) from None
        raise IngestError(f"malformed CSV near line {reader.line_num}: {error}") from None
    if not records:
        raise IngestError("CSV holds a header but no rows")
    return records


def _csv_reader_with_body_column(text: str) -> csv.DictReader:
    """Return a reader whose header names a text column, trying the sniffed delimiter first.

    Only the delimiter is taken from the sniffer. Its guesses at quoting (another quote
    character, quotes not doubled, spaces skipped after a delimiter) misread ordinary files
    and change the text: a body '"' came back as '""'. Quoting is always the standard kind,
    which spreadsheets and every CSV library write.
    """
    delimiters = list(CSV_DELIMITERS)
    # The sniffer gives up on some valid files; the usual delimiters are tried after it.
    with contextlib.suppress(csv.Error):
        sniffed = csv.Sniffer().sniff(text[:SNIFF_BYTES], delimiters=CSV_DELIMITERS)
        delimiters.insert(0, sniffed.delimiter)
    for delimiter in dict.fromkeys(delimiters):
        reader = csv.DictReader(
            io.StringIO(text, newline=""), delimiter=delimiter, restkey="\0extra", strict=True
        )
        try:
            header = reader.fieldnames or []
        except csv.Error:
            continue
        if len(header) > MAX_FIELDS:
            raise IngestError(_too_many_fields(f"the CSV header has {len(header):,} columns"))
        if any(field_for(name) == "body" for name in header):
            return reader
    raise IngestError("CSV header has no text column (expected 'body', 'content' or 'text')")
