"""From paths on disk to raw records: find files, read them safely, split them into articles."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from archive.ingest.metadata import canonical_fields, field_for
from archive.ingest.records import IngestError, Problem, RawRecord

# File suffix -> the reader for it.
FORMATS = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
# Keys under which a JSON object may hold its list of records.
JSON_LIST_KEYS = ("articles", "records", "items", "data", "results", "documents", "entries")
# Only the head of a file is sniffed for binary content and CSV dialect.
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class InputFile:
    path: Path
    origin: str  # how the file is named in reports and in Article.origin


def describe_path(path: Path) -> str:
    """Return the path relative to the working directory when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def find_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[InputFile | Problem]:
    """Yield every importable file under `paths` in a stable order, and a Problem for the rest.

    Folders are walked recursively, skipping hidden entries. A symbolic link that leads outside
    the folder it was found in is refused: a folder given to ingest should not reach elsewhere.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.is_file():
            yield _accept_file(path)
        else:
            yield Problem(str(given), "no such file or folder")


def _walk_folder(root: Path) -> Iterator[InputFile | Problem]:
    real_root = root.resolve()
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                yield Problem(describe_path(path), "symbolic link to a place outside the folder")
                continue
            yield _accept_file(path)


def _accept_file(path: Path) -> InputFile | Problem:
    origin = describe_path(path)
    if path.suffix.lower() not in FORMATS:
        supported = " ".join(sorted(FORMATS))
        return Problem(
            origin, f"unsupported file type {path.suffix or '(none)'!r}; supported: {supported}"
        )
    return InputFile(path=path, origin=origin)


def read_text(path: Path, *, max_bytes: int) -> str:
    """Return the file's text, or raise IngestError saying why it cannot be read as text."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"file is {_human_size(size)}, over the {_human_size(max_bytes)} limit "
            "(raise INGEST_MAX_FILE_MB to import it, or split it)"
        )
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("file is empty")
    if b"\x00" in data[:SNIFF_BYTES]:
        raise IngestError("binary file (it contains NUL bytes); only UTF-8 text is imported")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8 and import it again"
        ) from None


def _human_size(size: int) -> str:
    if size < 2**20:
        return f"{size / 1024:.0f} KB"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"


def read_records(file: InputFile, *, max_bytes: int) -> list[RawRecord | Problem]:
    """Return the file's articles (and a Problem for each record that cannot be read)."""
    text = read_text(file.path, max_bytes=max_bytes)
    kind = FORMATS[file.path.suffix.lower()]
    if kind == "text":
        return [split_front_matter(text, origin=file.origin)]
    if kind == "json":
        return _json_records(text, origin=file.origin)
    if kind == "jsonl":
        return _jsonl_records(text, origin=file.origin)
    return _csv_records(text, origin=file.origin, max_bytes=max_bytes)


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
    if not isinstance(mapping, dict):
        raise IngestError("front matter must be 'key: value' lines")
    return RawRecord(origin=origin, text=body, metadata=mapping)


def record_from_mapping(mapping: object, *, origin: str) -> RawRecord | Problem:
    """Return a record from one JSON object or CSV row; its body field holds the text."""
    if not isinstance(mapping, dict):
        return Problem(origin, f"expected an object with fields, got {type(mapping).__name__}")
    fields, _unknown = canonical_fields(mapping)
    body = fields.get("body")
    if not isinstance(body, str) or not body.strip():
        return Problem(origin, "no article text: expected a 'body', 'content' or 'text' field")
    metadata = {key: value for key, value in mapping.items() if field_for(key) != "body"}
    return RawRecord(origin=origin, text=body, metadata=metadata)


def _json_records(text: str, *, origin: str) -> list[RawRecord | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
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
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        record_origin = f"{origin}#{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            records.append(Problem(record_origin, f"malformed JSON on line {number}: {error.msg}"))
            continue
        records.append(record_from_mapping(item, origin=record_origin))
    return records


def _csv_records(text: str, *, origin: str, max_bytes: int) -> list[RawRecord | Problem]:
    # An article body is one field: the default 128 KiB field limit is too small for long reports.
    csv.field_size_limit(max(max_bytes, csv.field_size_limit()))
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
        raise IngestError(f"malformed CSV near line {reader.line_num}: {error}") from None
    if not records:
        raise IngestError("CSV holds a header but no rows")
    return records


def _csv_reader_with_body_column(text: str) -> csv.DictReader:
    """Return a reader whose header names a text column, trying the sniffed delimiter first."""
    dialects: list[type[csv.Dialect] | csv.Dialect] = []
    # The sniffer gives up on some valid files; the usual dialects are tried after it.
    with contextlib.suppress(csv.Error):
        dialects.append(csv.Sniffer().sniff(text[:SNIFF_BYTES], delimiters=",;\t|"))
    dialects += [csv.excel, csv.excel_tab, _SemicolonDialect]
    for dialect in dialects:
        reader = csv.DictReader(
            io.StringIO(text, newline=""), dialect=dialect, restkey="\0extra", strict=True
        )
        try:
            header = reader.fieldnames or []
        except csv.Error:
            continue
        if any(field_for(name) == "body" for name in header):
            return reader
    raise IngestError("CSV header has no text column (expected 'body', 'content' or 'text')")


class _SemicolonDialect(csv.excel):
    delimiter = ";"
