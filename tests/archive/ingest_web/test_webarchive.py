"""Reading web archives: every HTML page a Capture, everything else a counted reason, damage
reported where it starts. The archives are written here with warcio from the fixture pages."""

import datetime as dt
import gzip
import io
import tracemalloc
import zipfile
import zlib
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.ingest import webarchive
from archive.ingest.html import extract_page
from archive.ingest.records import IngestError
from archive.ingest.webarchive import Capture, Skipped, read_web_archive
from tests.archive.ingest_web.warcs import (
    SITE,
    Crawl,
    chunked,
    fixture_page,
    gzip_bomb,
    wacz,
    write,
)

LEDGER = fixture_page("en-ledger-sihanoukville-raid")
RIVERSIDE = fixture_page("en-riverside-scam-trial-cp1252")
KHMER = fixture_page("km-mekong-today-online-gambling")
THAI = fixture_page("th-muangkrung-mule-accounts-cp874")


def read(data: bytes, **options) -> list[Capture | Skipped]:
    return list(read_web_archive(io.BytesIO(data), name="crawl.warc.gz", **options))


def captures(items) -> list[Capture]:
    return [item for item in items if isinstance(item, Capture)]


def reasons(items) -> Counter:
    return Counter(item.reason for item in items if isinstance(item, Skipped))


def a_crawl(*, gzipped: bool = True) -> Crawl:
    """A crawl of four pages and the other things a crawler meets."""
    crawl = Crawl(gzipped=gzipped)
    crawl.response(f"{SITE}/ledger", LEDGER)
    crawl.metadata(f"{SITE}/ledger")
    crawl.response(f"{SITE}/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    crawl.response(f"{SITE}/release.pdf", b"%PDF-1.7\n%%EOF", content_type="application/pdf")
    crawl.response(f"{SITE}/gone", b"<html><body>Not found</body></html>", status="404 Not Found")
    crawl.response(f"{SITE}/busy", b"<html><body>Error</body></html>", status="503 Unavailable")
    crawl.response(
        f"{SITE}/old", b"", status="301 Moved Permanently", headers=[("Location", f"{SITE}/new")]
    )
    crawl.response(f"{SITE}/khmer", KHMER)
    crawl.revisit(f"{SITE}/ledger")
    crawl.response(f"{SITE}/empty", b"")
    crawl.response(f"{SITE}/riverside", RIVERSIDE, content_type="text/html; charset=windows-1252")
    crawl.response(f"{SITE}/thai", THAI, content_type="text/html; charset=TIS-620")
    return crawl


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_every_html_page_is_a_capture_in_file_order(gzipped):
    items = read(a_crawl(gzipped=gzipped).data())
    assert [capture.url for capture in captures(items)] == [
        f"{SITE}/ledger",
        f"{SITE}/release.pdf",
        f"{SITE}/khmer",
        f"{SITE}/riverside",
        f"{SITE}/thai",
    ]
    assert [capture.body for capture in captures(items)] == [
        LEDGER,
        b"%PDF-1.7\n%%EOF",
        KHMER,
        RIVERSIDE,
        THAI,
    ]
    assert captures(items)[1].content_type == "application/pdf"


def test_everything_else_is_skipped_with_a_countable_reason():
    items = read(a_crawl().data())
    assert reasons(items) == {
        webarchive.NOT_HTML: 1,
        webarchive.CLIENT_ERROR: 1,
        webarchive.SERVER_ERROR: 1,
        webarchive.REDIRECT: 1,
        webarchive.REVISIT: 1,
        webarchive.EMPTY_BODY: 1,
    }
    details = [item.detail for item in items if isinstance(item, Skipped)]
    assert details[:2] == [f"image/png {SITE}/logo.png", f"404 {SITE}/gone"]


def test_warcinfo_request_and_metadata_records_are_passed_over_in_silence():
    crawl = a_crawl()
    items = read(crawl.data())
    # 1 warcinfo, 10 requests, 10 responses, 1 metadata and 1 revisit were written.
    assert len(crawl.offsets) == 23
    assert len(items) == 4 + 7


def test_a_capture_says_where_and_when_it_was_taken():
    crawl = a_crawl()
    items = read(crawl.data())
    ledger, _, _, riverside, thai = captures(items)
    assert ledger.captured_at == dt.datetime(2024, 3, 18, 2, 42, 17, tzinfo=dt.UTC)
    assert ledger.status == 200
    assert (ledger.content_type, ledger.charset) == ("text/html", "utf-8")
    assert (riverside.charset, thai.charset) == ("windows-1252", "TIS-620")
    assert ledger.record_id.startswith("<urn:uuid:")
    assert ledger.file_name == "crawl.warc.gz"
    assert ledger.listed_as_page is None
    # The offset is where warcio itself finds the record.
    for capture in (ledger, riverside):
        stream = io.BytesIO(crawl.data())
        stream.seek(capture.offset)
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_headers.get_header("WARC-Record-ID") == capture.record_id
    assert ledger.origin == f"crawl.warc.gz#offset={ledger.offset}"


def test_captured_pages_extract_with_the_charset_their_header_gave():
    riverside, thai = captures(read(a_crawl().data()))[3:]
    for capture in (riverside, thai):
        page = extract_page(capture.body, url=capture.url, charset_hint=capture.charset)
        assert page.charset_source == "http-header"
    assert "Bavet" in extract_page(riverside.body, charset_hint=riverside.charset).text


def test_the_same_url_captured_twice_is_two_captures_in_order():
    crawl = Crawl()
    crawl.response(f"{SITE}/ledger", LEDGER, date="2024-03-18T02:42:17Z")
    changed = LEDGER.replace(b"five people", b"six people")
    crawl.response(f"{SITE}/ledger", changed, date="2024-03-19T07:00:00Z")
    first, second = captures(read(crawl.data()))
    assert (first.url, first.body) == (second.url, LEDGER)
    assert second.body == changed
    assert first.captured_at < second.captured_at
    assert first.record_id != second.record_id


def test_a_resource_record_of_html_is_a_capture_without_a_status():
    crawl = Crawl()
    crawl.resource(f"{SITE}/saved", KHMER, "text/html; charset=utf-8")
    crawl.resource("urn:text:https://news.example/saved", b"the page's text", "text/plain")
    crawl.resource(f"{SITE}/saved", b"converted", "text/plain", record_type="conversion")
    items = read(crawl.data())
    (capture,) = captures(items)
    assert (capture.status, capture.content_type, capture.body) == (None, "text/html", KHMER)
    assert reasons(items) == {webarchive.NOT_HTML: 1, webarchive.UNSUPPORTED_RECORD: 1}


def test_a_304_not_modified_is_skipped_as_such():
    crawl = Crawl().response(f"{SITE}/ledger", b"", status="304 Not Modified")
    assert reasons(read(crawl.data())) == {webarchive.NOT_MODIFIED: 1}


def test_partial_content_holds_no_page():
    crawl = Crawl().response(f"{SITE}/ledger", LEDGER[:500], status="206 Partial Content")
    assert reasons(read(crawl.data())) == {webarchive.NO_PAGE_STATUS: 1}


def test_a_chunked_gzipped_body_is_decoded():
    body = chunked(gzip.compress(LEDGER), size=777)
    crawl = Crawl().response(
        f"{SITE}/ledger",
        body,
        headers=[("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
    )
    (capture,) = captures(read(crawl.data()))
    assert capture.body == LEDGER


def test_a_deflate_body_is_decoded_with_or_without_its_zlib_header():
    for compressed in (zlib.compress(KHMER), zlib.compress(KHMER)[2:-4]):
        crawl = Crawl().response(
            f"{SITE}/khmer", compressed, headers=[("Content-Encoding", "deflate")]
        )
        assert [capture.body for capture in captures(read(crawl.data()))] == [KHMER]


def test_a_body_stored_decoded_under_its_original_headers_is_taken_as_it_is():
    # Crawlers often keep "Content-Encoding: gzip" and "chunked" over a body they decoded.
    crawl = Crawl().response(
        f"{SITE}/ledger",
        LEDGER,
        headers=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
    )
    assert [capture.body for capture in captures(read(crawl.data()))] == [LEDGER]


def test_an_encoding_that_cannot_be_undone_is_skipped():
    crawl = Crawl().response(
        f"{SITE}/ledger", b"\x1b\x00\x00compressed", headers=[("Content-Encoding", "br")]
    )
    items = read(crawl.data())
    assert reasons(items) == {webarchive.UNSUPPORTED_ENCODING: 1}
    assert items[0].detail.startswith("br ")


def test_a_response_without_a_content_type_is_kept_when_it_is_html():
    crawl = Crawl()
    crawl.response(f"{SITE}/ledger", LEDGER, content_type=None)
    crawl.response(f"{SITE}/data", b"\x00\x01\x02 binary", content_type=None)
    items = read(crawl.data())
    assert [capture.url for capture in captures(items)] == [f"{SITE}/ledger"]
    assert captures(items)[0].content_type == ""
    assert reasons(items) == {webarchive.NOT_HTML: 1}


def test_a_gzip_bomb_is_skipped_without_inflating_it_past_the_limit():
    bomb = gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    crawl = Crawl()
    crawl.response(f"{SITE}/bomb", bomb, headers=[("Content-Encoding", "gzip")])
    crawl.response(f"{SITE}/ledger", LEDGER)
    data = crawl.data()
    tracemalloc.start()
    try:
        items = read(data, max_body_bytes=1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reasons(items) == {webarchive.TOO_LARGE: 1}
    assert [capture.url for capture in captures(items)] == [f"{SITE}/ledger"]
    assert peak < 8 * 1024 * 1024  # 64 MiB had it been inflated whole


def test_a_plain_body_over_the_limit_is_skipped():
    crawl = Crawl().response(f"{SITE}/ledger", LEDGER)
    items = read(crawl.data(), max_body_bytes=len(LEDGER) - 1)
    assert reasons(items) == {webarchive.TOO_LARGE: 1}
    assert read(crawl.data(), max_body_bytes=len(LEDGER))[0].body == LEDGER


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_file_gives_the_records_before_the_cut_then_says_where(gzipped):
    crawl = Crawl(gzipped=gzipped, warcinfo=False)
    for name in ("ledger", "khmer", "riverside"):
        crawl.response(f"{SITE}/{name}", {"ledger": LEDGER, "khmer": KHMER}.get(name, RIVERSIDE))
    third = crawl.offsets[-1]  # the riverside response
    data = crawl.data()
    for cut in (third + 40, third + 400, third + (len(data) - third) // 2, len(data) - 30):
        items = read(data[:cut])
        assert [capture.url for capture in captures(items)] == [f"{SITE}/ledger", f"{SITE}/khmer"]
        assert isinstance(items[-1], Skipped), cut
        assert items[-1].reason == webarchive.TRUNCATED, cut
        assert items[-1].origin == f"crawl.warc.gz#offset={third}"


def test_a_file_that_is_no_web_archive_is_refused():
    for data in (b"<html><body>a page</body></html>", b"", b"\x00" * 64):
        with pytest.raises(IngestError, match="not a web archive"):
            read(data)


def test_a_gzip_file_that_holds_no_warc_is_refused():
    with pytest.raises(IngestError, match="not a readable WARC file"):
        read(gzip.compress(b"just some text\n" * 20))


def test_a_wacz_yields_the_captures_of_its_warcs_and_marks_the_listed_pages(tmp_path):
    first = Crawl().response(f"{SITE}/ledger", LEDGER).response(f"{SITE}/ad-frame", LEDGER)
    second = Crawl().response(f"{SITE}/khmer", KHMER).revisit(f"{SITE}/ledger")
    package = wacz(
        {"data-1.warc.gz": first.data(), "data-2.warc.gz": second.data()},
        pages=[f"{SITE}/ledger", f"{SITE}/khmer"],
    )
    path = write(tmp_path / "crawl.wacz", package)
    items = list(read_web_archive(path))
    assert [(c.url, c.listed_as_page) for c in captures(items)] == [
        (f"{SITE}/ledger", True),
        (f"{SITE}/ad-frame", False),
        (f"{SITE}/khmer", True),
    ]
    assert captures(items)[2].file_name == f"{path}/archive/data-2.warc.gz"
    assert reasons(items) == {webarchive.REVISIT: 1}
    assert items[-1].origin.startswith(f"{path}/archive/data-2.warc.gz#offset=")


def test_a_wacz_without_a_page_list_marks_nothing():
    package = wacz({"data.warc": Crawl(gzipped=False).response(f"{SITE}/k", KHMER).data()})
    (capture,) = captures(read(package))
    assert capture.listed_as_page is None


def test_a_zip_without_warcs_is_not_a_wacz():
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("pages/pages.jsonl", "{}")
    with pytest.raises(IngestError, match="holds no archive/"):
        read(package.getvalue())


def test_a_path_is_read_and_named_as_given(tmp_path):
    path = write(tmp_path / "crawl.warc", Crawl(gzipped=False).response(SITE, LEDGER).data())
    (capture,) = captures(read_web_archive(path))
    assert capture.file_name == str(path)
    (renamed,) = captures(read_web_archive(path, name="crawls/site.warc"))
    assert renamed.origin.startswith("crawls/site.warc#offset=")
