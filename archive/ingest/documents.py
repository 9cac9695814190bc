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
from archive.ingest.pdf import PdfText, read_pdf
from archive.ingest.records import Document, IngestError, Problem, RawRecord
from archive.ingest.webarchive import PDF_TYPE, TRUNCATED, UNREADABLE, Capture, read_web_archive

HTML_TYPE = "text/html"
# A press release runs to a few pages; a scanned 500-page report would hold an import for an
# hour of OCR, so longer PDFs are refused with the limit named.
MAX_PDF_PAGES = 100
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


def pdf_record(
    data: bytes, *, origin: str, url: str = "", captured_at: dt.datetime | None = None
) -> RawRecord:
    """Return the report a PDF holds, read from its text layer or, for scanned pages, by OCR;
    raise IngestError when it holds no text."""
    document = read_pdf(data, max_pages=MAX_PDF_PAGES)
    if not document.text.strip():
        raise IngestError(
            "the PDF holds no text, and OCR found none on its pages (blank or pictures only)"
        )
    metadata: dict[str, object] = {}
    if document.title:
        metadata["title"] = document.title
    if document.authors:
        metadata["authors"] = list(document.authors)
    ocr_confidences = [page.confidence for page in document.pages if page.confidence is not None]
    return RawRecord(
        origin=origin,
        text=document.text,
        metadata=metadata,
        document=Document(
            data=data,
            media_type=PDF_TYPE,
            url=url,
            captured_at=captured_at,
            reading=_pdf_reading(document),
            # A scan is as trustworthy as its worst page.
            text_confidence=min(ocr_confidences) if ocr_confidences else None,
        ),
    )


def capture_record(capture: Capture) -> RawRecord:
    """Return the record a web archive's capture holds (its page's report, or its PDF's)."""
    if capture.content_type == PDF_TYPE:
        return pdf_record(
            capture.body, origin=capture.origin, url=capture.url, captured_at=capture.captured_at
        )
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


def _pdf_reading(document: PdfText) -> dict[str, object]:
    reading: dict[str, object] = {
        "pages": [
            {
                "number": page.number,
                "read_by": page.method,
                **(
                    {"confidence": round(page.confidence, 3)} if page.confidence is not None else {}
                ),
                **({"ocr_languages": page.ocr_languages} if page.ocr_languages else {}),
            }
            for page in document.pages
        ]
    }
    if document.created:
        # The file's own creation date: often the release's, but not stated as its date.
        reading["created"] = document.created.isoformat()
    return reading
