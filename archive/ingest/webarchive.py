"""Web archives -> the HTML pages (and PDFs) they captured. Pure: a file or stream in, captures
out.

A WARC file (ISO 28500; `.warc`, or `.warc.gz` with one gzip member a record) holds records of
several types; a WACZ package is a ZIP holding WARC files under archive/ with an index and a
page list beside them. warcio reads the records; the HTTP body of each response is decoded here
(chunked transfer, gzip or deflate) in a stream with a size limit, so a gzip bomb never grows
past it.

Every HTML page (or PDF: a press release a feed links to) a server answered with success becomes
a Capture, in file order. Everything else
that could have been a page becomes a Skipped with a short reason that can be counted (the
module's constants below) and a detail for a person. Records that never hold a page (warcinfo,
request, metadata) are passed over in silence: every crawl writes one of each beside each page,
and counting them would only bury the reasons that matter.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import chain
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from archive.ingest.charsets import charset_from_content_type
from archive.ingest.records import IngestError

# A news page weighs 50-150 KB; 20 MiB leaves room for any page with inline images while a
# decompression bomb (a few kilobytes that inflate to gigabytes) stops there.
MAX_BODY_BYTES = 20 * 1024 * 1024
# pages.jsonl lists a crawl's pages, a line of about 200 bytes each; past this it is not read.
MAX_PAGE_LIST_BYTES = 64 * 1024 * 1024
READ_BLOCK = 64 * 1024
# A chunk-size line ("1f40;ext=x\r\n") is short; a longer one means the body is not chunked.
MAX_CHUNK_LINE = 1024

# Why a record is not a page: short and fixed, so they can be counted.
REVISIT = "revisit record (a capture of unchanged content)"
NOT_HTTP = "not an HTTP response"
NOT_HTML = "neither HTML nor PDF"
REDIRECT = "redirect (3xx)"
NOT_MODIFIED = "not modified (304)"
CLIENT_ERROR = "client error (4xx)"
SERVER_ERROR = "server error (5xx)"
NO_PAGE_STATUS = "no page in the response"
EMPTY_BODY = "empty response body"
TOO_LARGE = "response body over the size limit"
UNSUPPORTED_ENCODING = "unsupported content encoding"
UNDECODABLE = "response body could not be decompressed"
UNREADABLE = "unreadable record"
TRUNCATED = "truncated file"
UNSUPPORTED_RECORD = "unsupported record type"

_SILENT_RECORD_TYPES = {"warcinfo", "request", "metadata"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPE = "application/pdf"
_DOCUMENT_TYPES = _HTML_TYPES | {PDF_TYPE}
_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_WACZ_WARCS = "archive/"
_WACZ_PAGE_LISTS = ("pages/pages.jsonl", "pages/extraPages.jsonl")


@dataclass(frozen=True)
class Capture:
    """One HTML page as a crawler received it."""

    url: str  # WARC-Target-URI
    captured_at: dt.datetime  # WARC-Date, timezone-aware (UTC)
    status: int | None  # the HTTP status; None for a resource record, which has no HTTP
    content_type: str  # the media type alone, lower case: "text/html"; "" when none was sent
    charset: str  # the charset the HTTP Content-Type named, as written; "" when none
    body: bytes  # the page's bytes, transfer and content encodings undone
    record_id: str  # WARC-Record-ID: "<urn:uuid:...>"
    offset: int  # where the record starts in its WARC file (in compressed bytes for .warc.gz)
    file_name: str  # the WARC's name; in a WACZ, "crawl.wacz/archive/data.warc.gz"
    listed_as_page: bool | None = None  # in the WACZ's page list; None when there is no list

    @property
    def origin(self) -> str:
        return record_origin(self.file_name, self.offset)


@dataclass(frozen=True)
class Skipped:
    """A record that holds no page, and why."""

    origin: str  # "crawl.warc.gz#offset=1234"
    reason: str  # one of the module's reasons, to count
    detail: str = ""  # for a person: the status, the media type, the limit...


def record_origin(file_name: str, offset: int) -> str:
    """Return how a record is named in reports: its file and byte offset (as CDX indexes do)."""
    return f"{file_name}#offset={offset}"


def read_web_archive(
    source: str | os.PathLike | BinaryIO,
    *,
    name: str = "",
    max_body_bytes: int = MAX_BODY_BYTES,
    max_page_list_bytes: int = MAX_PAGE_LIST_BYTES,
) -> Iterator[Capture | Skipped]:
    """Yield a Capture for each HTML page or PDF in a WARC, WARC.gz or WACZ file, a Skipped for
    the rest.

    `source` is a path or a binary stream (a WACZ needs a seekable one); `name` names the file in
    origins (by default the path as given). The kind of file is told by its first bytes, not its
    name. Raises IngestError when the file is no web archive at all; damage after a first good
    record (a cut-off download) ends the stream with a Skipped naming the offset.
    """
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            yield from read_web_archive(
                stream,
                name=name or os.fspath(source),
                max_body_bytes=max_body_bytes,
                max_page_list_bytes=max_page_list_bytes,
            )
        return
    name = name or getattr(source, "name", "") or "web archive"
    start = _peek(source, 8)
    if start.startswith(_ZIP_MAGIC):
        yield from _read_wacz(source, name, max_body_bytes, max_page_list_bytes)
    elif start.startswith(_GZIP_MAGIC) or start.lstrip().startswith(b"WARC/"):
        yield from read_warc(source, name=name, max_body_bytes=max_body_bytes)
    else:
        raise IngestError(
            "not a web archive: the file starts neither with a WARC record nor as a gzip or ZIP "
            "file; export the crawl as .warc, .warc.gz or .wacz"
        )


def read_warc(
    stream: BinaryIO,
    *,
    name: str,
    max_body_bytes: int = MAX_BODY_BYTES,
    listed_pages: frozenset[str] | None = None,
) -> Iterator[Capture | Skipped]:
    """Yield the captures and skipped records of one WARC stream (plain or gzipped), in order."""
    # Offsets in a .warc.gz count compressed bytes, which cannot be set against record lengths.
    compressed = _peek(stream, 2) == _GZIP_MAGIC
    counted = _CountingReader(stream)
    records = ArchiveIterator(counted)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as error:
            # warcio's parser raises whatever it meets: ArchiveLoadFailed, EOFError, and an
            # AttributeError for a header block cut off before its WARC-Target-URI.
            yield from _unreadable_from(records.offset, name, error, cut=counted.exhausted)
            return
        offset = records.offset
        origin = record_origin(name, offset)
        declared_length = _integer(record.rec_headers.get_header("Content-Length"))
        if declared_length is None:
            # Without its length the record's end, and so the next record, cannot be found.
            reason = TRUNCATED if counted.exhausted else UNREADABLE
            yield Skipped(origin, reason, f"the record at {offset} has no Content-Length")
            return
        found = _page_or_reason(record, origin, max_body_bytes)
        if not isinstance(found, Capture):
            _drain(record.raw_stream)
        # Cut inside the block: the stream ran dry before its length; cut inside the HTTP
        # headers (warcio then makes the block empty): the file ends before the length could.
        if _cut_short(record.raw_stream) or (
            not compressed and counted.exhausted and offset + declared_length > counted.total
        ):
            yield Skipped(origin, TRUNCATED, f"the file ends inside the record at {offset}")
            return
        if isinstance(found, Capture):
            listed = None if listed_pages is None else found.url in listed_pages
            yield replace(found, offset=offset, file_name=name, listed_as_page=listed)
        elif found is not None:
            yield found
    if counted.total > records.offset and counted.tail_has_data:
        end = records.offset
        yield Skipped(
            record_origin(name, end), TRUNCATED, f"the file ends inside a record at {end}"
        )


def _unreadable_from(offset: int, name: str, error: Exception, *, cut: bool) -> Iterator[Skipped]:
    if offset == 0:
        raise IngestError(
            f"not a readable WARC file ({_first_line(error)}); check it is a whole .warc or "
            ".warc.gz file"
        ) from error
    if cut:  # the parser failed where the file ran out: a download or copy cut short
        yield Skipped(
            record_origin(name, offset), TRUNCATED, f"the file ends inside the record at {offset}"
        )
        return
    yield Skipped(record_origin(name, offset), UNREADABLE, f"{_first_line(error)}; reading stopped")


def _page_or_reason(record, origin: str, max_body_bytes: int) -> Capture | Skipped | None:
    """Return the page a record holds (its place in the file left for the caller to fill in),
    why it holds none, or None for a record that is never a page."""
    record_type = record.rec_type
    if record_type in _SILENT_RECORD_TYPES:
        return None
    if record_type == "revisit":
        return Skipped(origin, REVISIT, _target(record))
    if record_type not in ("response", "resource"):
        return Skipped(origin, UNSUPPORTED_RECORD, record_type or "no WARC-Type")
    url = _target(record)
    captured_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
    if not url or captured_at is None:
        return Skipped(origin, UNREADABLE, "no WARC-Target-URI or WARC-Date")
    status: int | None = None
    if record_type == "response":
        if record.http_headers is None or record.http_headers.protocol.upper().startswith("WARC"):
            return Skipped(origin, NOT_HTTP, url)
        status = _integer(record.http_headers.get_statuscode())
        if reason := _status_reason(status):
            return Skipped(origin, reason, f"{status} {url}")
        content_type_header = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type_header = record.rec_headers.get_header("Content-Type") or ""
    media_type = content_type_header.split(";")[0].strip().lower()
    if media_type and media_type not in _DOCUMENT_TYPES:
        return Skipped(origin, NOT_HTML, f"{media_type} {url}")
    try:
        body = _read_body(record, max_body_bytes)
    except _BodyProblem as problem:
        return Skipped(origin, problem.reason, f"{problem.detail} {url}")
    if not body.strip():
        return Skipped(origin, EMPTY_BODY, url)
    if not media_type and not _looks_like_html(body):
        return Skipped(origin, NOT_HTML, f"no Content-Type, and the body is not HTML: {url}")
    return Capture(
        url=url,
        captured_at=captured_at,
        status=status,
        content_type=media_type,
        charset=charset_from_content_type(content_type_header),
        body=body,
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
        offset=0,
        file_name="",
    )


def _status_reason(status: int | None) -> str:
    if status is None:
        return NO_PAGE_STATUS
    if status == 304:
        return NOT_MODIFIED
    if 300 <= status < 400:
        return REDIRECT
    if 400 <= status < 500:
        return CLIENT_ERROR
    if status >= 500:
        return SERVER_ERROR
    # 1xx, 204 No Content and 206 Partial Content hold no whole page.
    if status < 200 or status in (204, 205, 206):
        return NO_PAGE_STATUS
    return ""


class _BodyProblem(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def _read_body(record, limit: int) -> bytes:
    """Return the record's HTTP body with chunking and compression undone, at most `limit` bytes.

    Raises _BodyProblem past the limit, for an encoding we cannot undo, or for a broken stream.
    As browsers and warcio do, a body whose headers say chunked or gzip but that is not (many
    crawlers store the body decoded and keep the headers) is taken as it is.
    """
    headers = record.http_headers
    stream = record.raw_stream
    if headers is None:  # a resource record: the block is the body
        return _limited(_blocks(stream), limit)
    encoding = (headers.get_header("Content-Encoding") or "identity").strip().lower()
    chunked = "chunked" in (headers.get_header("Transfer-Encoding") or "").lower()
    pieces = _dechunked(stream) if chunked else _blocks(stream)
    if encoding in ("identity", ""):
        return _limited(pieces, limit)
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _decompressed(pieces, limit, raw_deflate_allowed=encoding == "deflate")
    raise _BodyProblem(UNSUPPORTED_ENCODING, encoding)


def _blocks(stream) -> Iterator[bytes]:
    while block := stream.read(READ_BLOCK):
        yield block


def _dechunked(stream) -> Iterator[bytes]:
    """Yield the data of a chunked body; a body that does not start as chunks is yielded whole."""
    first = True
    while True:
        line = stream.readline(MAX_CHUNK_LINE)
        size = _chunk_size(line)
        if size is None:
            if first:  # not chunked after all
                yield line
                yield from _blocks(stream)
            return  # a damaged chunk header later on: what came before is the body
        first = False
        if size == 0:
            return
        while size > 0:
            block = stream.read(min(size, READ_BLOCK))
            if not block:
                return
            size -= len(block)
            yield block
        stream.readline(MAX_CHUNK_LINE)  # the CRLF after the chunk's data


def _chunk_size(line: bytes) -> int | None:
    if not line.endswith(b"\n"):
        return None
    try:
        size = int(line.split(b";")[0].strip(), 16)
    except ValueError:
        return None
    return size if size >= 0 else None


def _limited(pieces: Iterator[bytes], limit: int) -> bytes:
    body = bytearray()
    for piece in pieces:
        body += piece
        if len(body) > limit:
            raise _BodyProblem(TOO_LARGE, f"more than {limit:,} bytes")
    return bytes(body)


def _decompressed(pieces: Iterator[bytes], limit: int, *, raw_deflate_allowed: bool) -> bytes:
    """Inflate gzip or zlib (or raw deflate) data, never producing more than limit + 1 bytes."""
    # wbits 47 reads a gzip or a zlib header, whichever is there.
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 32)
    body = bytearray()
    started = False
    for piece in pieces:
        data = piece
        while data and not decompressor.eof:
            try:
                body += decompressor.decompress(data, limit + 1 - len(body))
            except zlib.error as error:
                if started:
                    raise _BodyProblem(UNDECODABLE, str(error)) from error
                if raw_deflate_allowed:
                    # "deflate" sent as bare deflate data, without zlib's header, happens.
                    raw_deflate_allowed = False
                    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                return _limited(chain([piece], pieces), limit)  # stored already decoded
            started = True
            if len(body) > limit:
                raise _BodyProblem(TOO_LARGE, f"more than {limit:,} bytes once decompressed")
            data = decompressor.unconsumed_tail
        if decompressor.eof:
            break
    return bytes(body)


def _drain(stream) -> None:
    while stream.read(READ_BLOCK):
        pass


def _cut_short(stream) -> bool:
    """Whether the record's stream ended before its Content-Length (warcio's LimitReader)."""
    return getattr(stream, "limit", 0) > 0 and not stream.read(1)


def _read_wacz(
    stream: BinaryIO, name: str, max_body_bytes: int, max_page_list_bytes: int
) -> Iterator[Capture | Skipped]:
    try:
        package = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as error:
        raise IngestError(
            f"not a readable WACZ file ({error}); check the download is whole"
        ) from error
    with package:
        warcs = [
            member
            for member in package.infolist()
            if member.filename.startswith(_WACZ_WARCS)
            and member.filename.endswith((".warc", ".warc.gz"))
            and not member.is_dir()
        ]
        if not warcs:
            raise IngestError(
                "not a WACZ package: it holds no archive/*.warc or archive/*.warc.gz file"
            )
        listed = _listed_pages(package, max_page_list_bytes)
        for member in warcs:
            with package.open(member) as warc:
                yield from read_warc(
                    warc,
                    name=f"{name}/{member.filename}",
                    max_body_bytes=max_body_bytes,
                    listed_pages=listed,
                )


def _listed_pages(package: zipfile.ZipFile, max_bytes: int) -> frozenset[str] | None:
    """Return the URLs the WACZ lists as its pages (pages/pages.jsonl), or None without a list.

    The rest of the package (datapackage.json's sizes and hashes, the CDX index) adds nothing to
    reading its WARCs in order, so it is not read.
    """
    names = set(package.namelist())
    lists = [name for name in _WACZ_PAGE_LISTS if name in names]
    if not lists:
        return None
    urls: set[str] = set()
    for page_list in lists:
        if package.getinfo(page_list).file_size > max_bytes:
            return None
        with package.open(page_list) as lines:
            for line in io.TextIOWrapper(lines, encoding="utf-8", errors="replace"):
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                    urls.add(entry["url"])
    return frozenset(urls)


class _CountingReader:
    """A read-only stream that counts what it gives out and keeps the last bytes it read."""

    TAIL_BYTES = 64

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.total = 0
        self.last = b""
        self.exhausted = False

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.exhausted = self.exhausted or (not data and size != 0)
        self.total += len(data)
        if data:
            self.last = (self.last + data)[-self.TAIL_BYTES :]
        return data

    def tell(self) -> int:
        return self.total

    @property
    def tail_has_data(self) -> bool:
        """Whether the file ends with more than the blank lines that close a WARC record."""
        return bool(self.last.strip(b"\r\n"))


def _peek(stream: BinaryIO, size: int) -> bytes:
    if hasattr(stream, "peek"):
        return stream.peek(size)[:size]
    position = stream.tell()
    start = stream.read(size)
    stream.seek(position)
    return start


def _target(record) -> str:
    return (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")


def _warc_date(value: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _integer(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


def _looks_like_html(body: bytes) -> bool:
    start = body[:1024].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<!--")) or b"<body" in start


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0].strip() if text else type(error).__name__
