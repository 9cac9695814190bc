"""Every response fetched, kept in WARC files (ISO 28500, WARC/1.1), the web archives' format.

Written with warcio (Apache-2.0), the library the ingest reads WARC files with. Each exchange
becomes a response record (the HTTP status line, headers as received, body as received) and a
request record (what was sent) pointing to it; each record is its own gzip member, as warcio
writes them, so a reader can seek to a record's offset and decompress from there: that offset
and the file's name are how an article links to its capture. Files rotate at a size, as crawlers'
do, and a file's first record (warcinfo) says what wrote it.

One WarcWriter per folder at a time: file names are claimed with an exclusive create, but a
file is only ever appended to by the writer that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archive.collect.responses import Exchange, header_value

# The WARC guidelines' and Heritrix's usual size: large enough to keep the file count down,
# small enough to move and re-process one at a time.
DEFAULT_MAX_FILE_BYTES = 1_000_000_000
WARC_VERSION = "1.1"  # dates to the microsecond, which tell two fetches in one second apart


@dataclass(frozen=True)
class WarcLocation:
    """Where a response record starts: a file in the writer's folder, and a byte offset."""

    file: str  # "follow-20260115093000-00000.warc.gz"
    offset: int


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WarcWriter:
    """Appends exchanges to <folder>/<prefix>-<timestamp>-<n>.warc.gz, rotating at a size."""

    def __init__(
        self,
        folder: Path | str,
        *,
        prefix: str = "follow",
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        software: str = "enforcement-archive",
        now: Callable[[], datetime] = _utc_now,
    ):
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_file_bytes = max_file_bytes
        self.software = software
        self.files: list[str] = []  # the names written to, oldest first
        self._now = now
        self._serial = 0
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def write(self, exchange: Exchange) -> WarcLocation:
        """Append the exchange's response and request records; return the response's location."""
        if self._file is None or self._file.tell() >= self.max_file_bytes:
            self._open_next_file()
        writer = self._writer
        response = _response_record(writer, exchange)
        request = _request_record(
            writer, exchange, response.rec_headers.get_header("WARC-Record-ID")
        )
        offset = self._file.tell()
        writer.write_record(response)
        writer.write_record(request)
        return WarcLocation(file=self.files[-1], offset=offset)

    def close(self) -> None:
        """Close the current file; the next write starts a new one."""
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None

    def _open_next_file(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = self._now().astimezone(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            name = f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            self._serial += 1
            try:
                self._file = (self.folder / name).open("xb")
            except FileExistsError:
                continue
            break
        self.files.append(name)
        self._writer = WARCWriter(self._file, gzip=True, warc_version=WARC_VERSION)
        info = {
            "software": f"{self.software} (warcio)",
            "format": f"WARC File Format {WARC_VERSION}",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
        }
        self._writer.write_record(self._writer.create_warcinfo_record(name, info))


def _warc_date(moment: datetime) -> str:
    return datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def _response_record(writer: WARCWriter, exchange: Exchange):
    http_headers = StatusAndHeaders(
        f"{exchange.status} {exchange.reason}".strip(),
        list(exchange.headers),
        protocol=exchange.protocol,
    )
    payload = _payload_as_sent(exchange)
    warc_headers = {"WARC-Date": _warc_date(exchange.started_at)}
    if exchange.truncated:
        warc_headers["WARC-Truncated"] = exchange.truncated
    return writer.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(payload),
        length=len(payload),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def _request_record(writer: WARCWriter, exchange: Exchange, response_id: str):
    parts = urlsplit(exchange.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    http_headers = StatusAndHeaders(
        f"{exchange.method} {target} {exchange.protocol}",
        list(exchange.request_headers),
        is_http_request=True,
    )
    warc_headers = {
        "WARC-Date": _warc_date(exchange.started_at),
        "WARC-Concurrent-To": response_id,
    }
    return writer.create_warc_record(
        exchange.url, "request", http_headers=http_headers, warc_headers_dict=warc_headers
    )


def _payload_as_sent(exchange: Exchange) -> bytes:
    """Return the body framed as the headers say it was: chunked again if it came chunked.

    The HTTP client undoes the chunking; a record whose headers say "chunked" over a plain body
    would be misread by a WARC reader, and the headers are kept as received.
    """
    if "chunked" not in header_value(exchange.headers, "Transfer-Encoding").lower():
        return exchange.body
    body = exchange.body
    chunk = f"{len(body):x}\r\n".encode("ascii") + body + b"\r\n" if body else b""
    return chunk + b"0\r\n\r\n"
