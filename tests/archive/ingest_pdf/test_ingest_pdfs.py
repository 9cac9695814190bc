"""`manage.py ingest` on PDF press releases: text and scanned, English and Khmer. Each becomes an
article whose PDF is kept byte for byte; scanned Khmer is searchable; OCR confidence is kept,
low confidence goes to review; a PDF without text is refused with the reason."""

import pytest

from archive.ingest.batch import ingest_paths
from archive.models import Article, Capture
from search.backends.base import SearchRequest
from search.index.sync import apply_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def releases(tmp_path, made_pdfs, tesseract):
    folder = tmp_path / "releases"
    folder.mkdir()
    files = {
        "english-text.pdf": made_pdfs.english_text,
        "khmer-text.pdf": made_pdfs.khmer_text,
        "english-scan.pdf": made_pdfs.english_scan,
        "khmer-scan.pdf": made_pdfs.khmer_scan,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder, files


def article_from(name: str) -> Article:
    return Article.objects.get(origin__endswith=name)


def test_text_and_scanned_pdfs_become_articles_with_the_pdf_kept(releases):
    folder, files = releases
    report = ingest_paths([folder])
    assert report.created == 4, report.skipped
    for name, data in files.items():
        capture = Capture.objects.get(article=article_from(name))
        assert capture.data() == data and capture.media_type == "application/pdf"
    assert "forty kilograms" in article_from("english-text.pdf").body
    assert "forty kilograms" in article_from("english-scan.pdf").body
    assert article_from("khmer-scan.pdf").language == "km"
    assert article_from("english-text.pdf").text_confidence is None
    scanned = Capture.objects.get(article=article_from("khmer-scan.pdf"))
    assert scanned.reading["pages"][0]["read_by"] == "ocr"
    assert 0 < article_from("khmer-scan.pdf").text_confidence <= 1
    again = ingest_paths([folder])
    assert (again.created, again.unchanged) == (0, 4)


def test_ocrd_khmer_is_searchable(releases, search_index):
    folder, _ = releases
    ingest_paths([folder])
    apply_pending()
    khmer_scan = article_from("khmer-scan.pdf")
    found = search_index.matching_ids(SearchRequest(query="គ្រឿងញៀន"))
    assert khmer_scan.pk in found


def test_a_blurred_scan_is_stored_and_sent_to_review(tmp_path, made_pdfs, tesseract):
    (tmp_path / "blurred.pdf").write_bytes(made_pdfs.khmer_scan_blurred)
    report = ingest_paths([tmp_path])
    if report.created == 0:  # nothing legible at all: refused, saying so
        (problem,) = report.skipped
        assert "no text" in problem.reason
        return
    article = Article.objects.get()
    assert article.text_confidence < 0.75
    assert article.review_status == Article.ReviewStatus.NEEDS_REVIEW


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"%PDF-1.7\nthis is not really a PDF", "PDF"), (b"GIF89a not a pdf", "not a PDF")],
    ids=["broken", "renamed image"],
)
def test_a_broken_pdf_is_skipped_with_a_reason(tmp_path, content, words, poppler):
    (tmp_path / "release.pdf").write_bytes(content)
    report = ingest_paths([tmp_path])
    (problem,) = report.skipped
    assert words in problem.reason and Article.objects.count() == 0
