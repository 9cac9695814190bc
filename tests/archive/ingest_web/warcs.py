"""Web archives made with warcio for the tests: a crawl of the fixture pages, record by record."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import REPO_ROOT

PAGES = REPO_ROOT / "tests" / "fixtures" / "pages"
SITE = "https://news.example"


def fixture_page(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


class Crawl:
    """A WARC written in memory, one call a record, in the order a crawler writes them."""

    def __init__(self, *, gzipped: bool = True, warcinfo: bool = True):
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzipped)
        self.offsets: list[int] = []  # where each record written starts
        if warcinfo:
            self._write(self.writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))

    def response(
        self,
        url: str,
        body: bytes,
        *,
        status: str = "200 OK",
        headers: list[tuple[str, str]] | None = None,
        content_type: str | None = "text/html; charset=utf-8",
        date: str = "2024-03-18T02:42:17Z",
        with_request: bool = True,
    ) -> Crawl:
        if with_request:
            request = StatusAndHeaders(
                f"GET {url.removeprefix(SITE) or '/'} HTTP/1.1",
                [("Host", "news.example"), ("User-Agent", "test-crawler")],
                is_http_request=True,
            )
            self._write(
                self.writer.create_warc_record(url, "request", http_headers=request),
            )
        fields = [("Content-Type", content_type)] if content_type else []
        fields += headers or []
        http = StatusAndHeaders(status, fields, protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
            length=len(body),
        )
        self._write(record)
        return self

    def revisit(self, url: str, *, date: str = "2024-03-19T02:00:00Z") -> Crawl:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = self.writer.create_revisit_record(
            url,
            digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            refers_to_uri=url,
            refers_to_date="2024-03-18T02:42:17Z",
            http_headers=http,
        )
        record.rec_headers.replace_header("WARC-Date", date)
        self._write(record)
        return self

    def resource(self, url: str, body: bytes, content_type: str, record_type="resource") -> Crawl:
        """A record of content with no HTTP around it (a file a tool stored, a page's text)."""
        record = self.writer.create_warc_record(
            url,
            record_type,
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
        )
        self._write(record)
        return self

    def metadata(self, url: str) -> Crawl:
        fields = b"outlinks: https://news.example/other\r\n"
        record = self.writer.create_warc_record(
            url,
            "metadata",
            payload=io.BytesIO(fields),
            length=len(fields),  # without it warcio buffers in a temporary file left open
            warc_content_type="application/warc-fields",
        )
        self._write(record)
        return self

    def data(self) -> bytes:
        return self.buffer.getvalue()

    def _write(self, record) -> None:
        self.offsets.append(self.buffer.tell())
        self.writer.write_record(record)


def chunked(body: bytes, size: int = 1000) -> bytes:
    """Return `body` in HTTP/1.1 chunked transfer coding."""
    pieces = [body[start : start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def gzip_bomb(size: int) -> bytes:
    """Return a few kilobytes of gzip that inflate to `size` bytes of a page."""
    return gzip.compress(b"<html><body><p>" + b"a" * size, compresslevel=9)


def wacz(warcs: dict[str, bytes], *, pages: list[str] | None = None) -> bytes:
    """Return a WACZ package holding `warcs` under archive/ and, if given, a page list."""
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        resources = []
        for name, data in warcs.items():
            # WARCs are stored, not compressed again, as the WACZ specification asks.
            archive.writestr(f"archive/{name}", data, compress_type=zipfile.ZIP_STORED)
            resources.append({"name": name, "path": f"archive/{name}", "bytes": len(data)})
        if pages is not None:
            lines = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}]
            lines += [{"id": str(n), "url": url, "ts": "2024-03-18T02:42:17Z"} for n, url in
                      enumerate(pages)]  # fmt: skip
            archive.writestr("pages/pages.jsonl", "\n".join(json.dumps(line) for line in lines))
        archive.writestr(
            "datapackage.json",
            json.dumps(
                {"profile": "data-package", "wacz_version": "1.1.1", "resources": resources}
            ),
        )
    return package.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
