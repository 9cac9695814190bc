"""Documents kept byte for byte beside the articles read from them: pages and PDFs."""

import datetime as dt

import pytest

from archive.ingest.loader import Outcome, TaxonomyResolver, load_article
from archive.ingest.pipeline import parse_record
from archive.ingest.records import Document, RawRecord
from archive.models import Article, Capture

pytestmark = pytest.mark.django_db

PAGE_URL = "https://news.example.org/2024/03/raid"
FIRST = (
    "Police raid casino in Poipet\n\nPOIPET, March 5, 2024 -- Police raided an illegal casino in "
    "Poipet on Tuesday and detained 41 people, the provincial police chief said."
)
CHANGED = FIRST.replace("41 people", "43 people") + " Two more were detained at dawn."


def page(text: str, *, ad: str = "Buy now") -> bytes:
    return f"<html><body><div class=ad>{ad}</div><article>{text}</article></body></html>".encode()


def load(text: str, *, data: bytes, origin: str, confidence=None, url=PAGE_URL):
    document = Document(
        data=data,
        media_type="text/html",
        url=url,
        captured_at=dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC),
        reading={"extractor": "test"},
        text_confidence=confidence,
    )
    parsed = parse_record(RawRecord(origin=origin, text=text, document=document))
    return load_article(parsed, resolver=TaxonomyResolver(), batch=None)


def test_the_document_is_kept_byte_for_byte_and_downloadable(client):
    data = page(FIRST) + b"\xff\xfe not even UTF-8"
    result = load(FIRST, data=data, origin="crawl-1.warc.gz#0")
    assert result.outcome == Outcome.CREATED
    (capture,) = Capture.objects.filter(article_id=result.article_id)
    assert capture.data() == data and capture.size == len(data)
    assert capture.url == PAGE_URL and capture.reading == {"extractor": "test"}
    response = client.get(capture.get_absolute_url())
    assert response.content == data
    assert response["Content-Type"] == "text/html"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    article_page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert capture.get_absolute_url() in article_page


def test_reading_the_same_capture_again_changes_nothing():
    load(FIRST, data=page(FIRST), origin="crawl-1.warc.gz#0")
    again = load(FIRST, data=page(FIRST), origin="crawl-1.warc.gz#0")
    assert again.outcome == Outcome.UNCHANGED
    assert Capture.objects.count() == 1


def test_the_same_page_captured_again_with_the_same_text_is_one_article():
    first = load(FIRST, data=page(FIRST), origin="crawl-1.warc.gz#0")
    again = load(FIRST, data=page(FIRST, ad="Other advert"), origin="crawl-2.warc.gz#0")
    assert again.outcome == Outcome.UNCHANGED and again.article_id == first.article_id
    assert Article.objects.count() == 1
    assert Capture.objects.filter(article_id=first.article_id).count() == 2


def test_a_changed_text_at_the_same_address_updates_the_article_and_keeps_its_history():
    first = load(FIRST, data=page(FIRST), origin="crawl-1.warc.gz#0")
    update = load(CHANGED, data=page(CHANGED), origin="crawl-2.warc.gz#7")
    assert update.outcome == Outcome.UPDATED and update.article_id == first.article_id
    assert "text" in update.changed_fields
    article = Article.objects.get()
    assert "43 people" in article.body and article.raw_text == CHANGED
    assert any("41 people" in old.body for old in article.history.all())
    assert article.captures.count() == 2
    # The old text's capture still gives back the old bytes.
    assert {capture.data() for capture in article.captures.all()} == {page(FIRST), page(CHANGED)}


def test_text_read_with_low_ocr_confidence_goes_to_review(client):
    result = load(FIRST, data=b"%PDF-1.7 scanned", origin="release.pdf", confidence=0.41)
    article = Article.objects.get(pk=result.article_id)
    assert article.text_confidence == 0.41
    assert article.review_status == Article.ReviewStatus.NEEDS_REVIEW
    html = client.get(article.get_absolute_url()).content.decode()
    assert "read by OCR" in html and "41%" in html
