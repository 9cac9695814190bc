"""WARC files read back with warcio: records, headers as received, digests, offsets, rotation."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import zlib
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator

from archive.collect.responses import Exchange
from archive.collect.warc_writer import WarcWriter

WHEN = datetime(2026, 1, 15, 3, 30, 12, 345678, tzinfo=UTC)
PAGE = "<html><body><p>នគរបាលចាប់ខ្លួនជនសង្ស័យ</p></body></html>".encode()


def exchange(url="https://news.example/km/7731", body=PAGE, headers=None, **changes) -> Exchange:
    fields = {
        "url": url,
        "method": "GET",
        "request_headers": (("Host", "news.example"), ("User-Agent", "EnforcementArchive/1.0")),
        "protocol": "HTTP/1.1",
        "status": 200,
        "reason": "OK",
        "headers": headers
        or (
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("Content-Length", str(len(body))),
        ),
        "body": body,
        "started_at": WHEN,
    }
    return Exchange(**{**fields, **changes})


def records(path, offset=0):
    with path.open("rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            yield record, record.content_stream().read()


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def test_a_response_and_its_request_are_read_back_with_warcio(tmp_path):
    with WarcWriter(tmp_path, now=lambda: WHEN) as warc:
        location = warc.write(exchange())
    path = tmp_path / location.file
    (info, _), (response, body), (request, _) = list(records(path))
    assert info.rec_type == "warcinfo"
    assert response.rec_type == "response"
    assert response.rec_headers.get_header("WARC-Target-URI") == "https://news.example/km/7731"
    assert response.rec_headers.get_header("WARC-Date") == "2026-01-15T03:30:12.345678Z"
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers.headers == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("Content-Length", str(len(PAGE))),
    ]
    assert body == PAGE
    assert response.rec_headers.get_header("WARC-Payload-Digest") == sha1_digest(PAGE)
    assert request.rec_type == "request"
    assert request.rec_headers.get_header("WARC-Concurrent-To") == (
        response.rec_headers.get_header("WARC-Record-ID")
    )
    assert request.http_headers.protocol == "GET"
    assert request.http_headers.get_header("User-Agent") == "EnforcementArchive/1.0"


def test_the_offset_returned_seeks_to_the_response_record(tmp_path):
    with WarcWriter(tmp_path) as warc:
        first = warc.write(exchange(url="https://news.example/a", body=b"first"))
        second = warc.write(exchange(url="https://news.example/b", body=b"second"))
    assert first.file == second.file and 0 < first.offset < second.offset
    record, body = next(records(tmp_path / second.file, second.offset))
    assert record.rec_headers.get_header("WARC-Target-URI") == "https://news.example/b"
    assert body == b"second"


def test_each_record_is_a_gzip_member_of_its_own(tmp_path):
    with WarcWriter(tmp_path) as warc:
        location = warc.write(exchange())
    data = (tmp_path / location.file).read_bytes()
    # A gzip member starts at the offset; inflating it alone gives exactly the response record,
    # and the request record follows as the next member.
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    member = inflater.decompress(data[location.offset :])
    assert member.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response\r\n" in member
    assert member.count(b"WARC/1.1\r\n") == 1
    assert member.endswith(PAGE + b"\r\n\r\n")
    following = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(inflater.unused_data)
    assert b"WARC-Type: request\r\n" in following


def test_files_rotate_at_the_size_limit_and_each_begins_with_warcinfo(tmp_path):
    with WarcWriter(tmp_path, prefix="ledger", max_file_bytes=1, now=lambda: WHEN) as warc:
        locations = [warc.write(exchange(url=f"https://news.example/{n}")) for n in range(3)]
    names = [location.file for location in locations]
    assert names == [f"ledger-20260115033012-0000{n}.warc.gz" for n in range(3)]
    assert warc.files == names
    for name in names:
        assert next(records(tmp_path / name))[0].rec_type == "warcinfo"
        assert all(re.fullmatch(r"ledger-\d{14}-\d{5}\.warc\.gz", name) for name in names)


def test_a_file_already_there_is_never_overwritten(tmp_path):
    (tmp_path / "follow-20260115033012-00000.warc.gz").write_bytes(b"someone else's")
    with WarcWriter(tmp_path, now=lambda: WHEN) as warc:
        location = warc.write(exchange())
    assert location.file == "follow-20260115033012-00001.warc.gz"
    assert (tmp_path / "follow-20260115033012-00000.warc.gz").read_bytes() == b"someone else's"


def test_a_body_cut_at_the_size_limit_is_marked_truncated(tmp_path):
    with WarcWriter(tmp_path) as warc:
        location = warc.write(exchange(body=b"0" * 100, truncated="length"))
    record, body = next(records(tmp_path / location.file, location.offset))
    assert record.rec_headers.get_header("WARC-Truncated") == "length"
    assert body == b"0" * 100


def test_a_chunked_response_reads_back_whole(tmp_path):
    headers = (("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"))
    body = b"1a\r\nthis line looks like a chunk header"
    with WarcWriter(tmp_path) as warc:
        location = warc.write(exchange(body=body, headers=headers))
    record, read_back = next(records(tmp_path / location.file, location.offset))
    assert record.http_headers.get_header("Transfer-Encoding") == "chunked"
    assert read_back == body


def test_a_gzip_encoded_body_is_stored_as_received_and_read_back_decoded(tmp_path):
    compressed = gzip.compress(PAGE)
    headers = (("Content-Type", "text/html"), ("Content-Encoding", "gzip"))
    with WarcWriter(tmp_path) as warc:
        location = warc.write(exchange(body=compressed, headers=headers))
    with (tmp_path / location.file).open("rb") as stream:
        stream.seek(location.offset)
        record = next(iter(ArchiveIterator(stream)))
        assert record.raw_stream.read() == compressed
    _, decoded = next(records(tmp_path / location.file, location.offset))
    assert decoded == PAGE


def test_a_304_is_archived_with_no_body(tmp_path):
    with WarcWriter(tmp_path) as warc:
        location = warc.write(exchange(status=304, reason="Not Modified", body=b"", headers=()))
    record, body = next(records(tmp_path / location.file, location.offset))
    assert record.http_headers.get_statuscode() == "304" and body == b""
