"""Documents -> records: a saved HTML page, the pages and PDFs a web archive captured, a PDF.

Each is read into text (html.py, pdf.py) and becomes a RawRecord whose Document holds the bytes
exactly as received, stored as the article's capture. Pure: bytes or a file in, records out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterator

import trafilatura

from archive.ingest.html import ExtractedPage, extract_page
from archive.ingest.records import Document, IngestError, Problem, RawRecord
from archive.ingest.webarchive import PDF_TYPE, TRUNCATED, UNREADABLE, Capture, read_web_archive

HTML_TYPE = "text/html"
# Damage is reported where it is; every other reason a record holds no page is counted, once per
# reason and archive, with an example (a crawl holds thousands of images and scripts).
_REPORTED_ONE_BY_ONE = frozenset({TRUNCATED, UNREADABLE})


def html_record(
    data: bytes,
    *,
    origin: str,
    url: str = "",
    captured_at: dt.datetime | None = None,
    charset_hint: str = "",
) -> RawRecord:
    """Return the report an HTML page holds; raise IngestError when it holds none."""
    page = extract_page(data, url=url, charset_hint=charset_hint)
    return RawRecord(
        origin=origin,
        text=page.text,
        metadata=page.metadata(),
        document=Document(
            data=data,
            media_type=HTML_TYPE,
            url=url or page.canonical_url,
            captured_at=captured_at,
            reading=_page_reading(page),
        ),
    )


def web_archive_records(
    path: str | os.PathLike, *, origin: str, max_body_bytes: int
) -> Iterator[RawRecord | Problem]:
    """Yield a record for each page or PDF a WARC or WACZ file captured, in file order, a
    Problem for each that cannot be read, and one per reason for the records holding none."""
    skipped: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for item in read_web_archive(path, name=origin, max_body_bytes=max_body_bytes):
        if not isinstance(item, Capture):
            if item.reason in _REPORTED_ONE_BY_ONE:
                yield Problem(item.origin, f"{item.reason}: {item.detail}".rstrip(": "))
            else:
                skipped[item.reason] += 1
                examples.setdefault(item.reason, item.detail)
            continue
        try:
            yield capture_record(item)
        except IngestError as error:
            yield Problem(item.origin, str(error))
    for reason, count in skipped.items():
        example = f" (for example {examples[reason]})" if examples[reason] else ""
        yield Problem(origin, f"{count:,} record{'s' * (count != 1)} skipped: {reason}{example}")


def capture_record(capture: Capture) -> RawRecord:
    """Return the record a web archive's capture holds (its page's report, or its PDF's)."""
    if capture.content_type == PDF_TYPE:
        raise IngestError("a PDF captured in a web archive is not read yet")
    return html_record(
        capture.body,
        origin=capture.origin,
        url=capture.url,
        captured_at=capture.captured_at,
        charset_hint=capture.charset,
    )


def _page_reading(page: ExtractedPage) -> dict[str, object]:
    reading: dict[str, object] = {
        "extractor": f"trafilatura {trafilatura.__version__}",
        "charset": page.charset,
        "charset_from": page.charset_source,
    }
    if page.language:
        reading["declared_language"] = page.language
    if page.replaced_characters:
        reading["undecodable_bytes"] = page.replaced_characters
    return reading
