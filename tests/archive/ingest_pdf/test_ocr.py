"""Scanned pages: read by Tesseract with the data for their language, with a confidence."""

import pytest

from archive.ingest.ocr import ALL_OCR_LANGUAGES, recognize
from archive.ingest.pdf import LOW_OCR_CONFIDENCE, OCR_DPI, read_pdf
from archive.ingest.records import IngestError
from tests.archive.ingest_pdf import documents

pytestmark = pytest.mark.usefixtures("tesseract")

ENGLISH_WORDS = (
    "Battambang",
    "lorry",
    "Kamrieng",
    "checkpoint",
    "forty",
    "kilograms",
    "methamphetamine",
    "rice",
    "detained",
    "provincial",
    "court",
    "Customs",
    "hotline",
    "117",
)
KHMER_WORDS = (
    "កំពត",
    "គ្រឿងញៀន",
    "ចាប់ខ្លួន",
    "ជនសង្ស័យ",
    "រឹបអូស",
    "ម៉ូតូ",
    "ទូរស័ព្ទ",
    "សាលាដំបូង",
    "នីតិវិធី",
    "អំពាវនាវ",
    "ប្រជាពលរដ្ឋ",
    "ព័ត៌មាន",
    "២០២៦",
)
# Share of the Khmer release's distinct words found, letter for letter, in what OCR read. Measured
# on our scan: 0.94 (Tesseract's Khmer data drops a vowel under a subscript consonant in 4 words
# of 69: ក្រង for ក្រុង); the bar leaves room for another Tesseract build.
MIN_KHMER_WORD_ACCURACY = 0.85


def unspaced(text: str) -> str:
    return "".join(text.split())


def word_accuracy(release: documents.PressRelease, text: str) -> float:
    """Return the share of the release's distinct words found in `text`, spaces ignored."""
    words = {word.rstrip("។.,;") for word in release.words}
    return sum(word in unspaced(text) for word in words) / len(words)


def test_an_english_scan_is_read_by_ocr(made_pdfs):
    pdf = read_pdf(made_pdfs.english_scan, max_pages=5)

    [page] = pdf.pages
    assert (page.method, page.ocr_languages) == ("ocr", ALL_OCR_LANGUAGES)
    assert [word for word in ENGLISH_WORDS if word not in page.text] == []
    assert LOW_OCR_CONFIDENCE <= page.confidence <= 1
    assert pdf.low_confidence_pages == ()


def test_a_khmer_scan_is_read_by_ocr(made_pdfs):
    pdf = read_pdf(made_pdfs.khmer_scan, max_pages=5)

    [page] = pdf.pages
    assert page.method == "ocr"
    assert [word for word in KHMER_WORDS if word not in unspaced(page.text)] == []
    assert word_accuracy(documents.KHMER_RELEASE, page.text) >= MIN_KHMER_WORD_ACCURACY
    assert LOW_OCR_CONFIDENCE <= page.confidence <= 1


def test_the_languages_given_are_the_ones_used(made_pdfs):
    pdf = read_pdf(made_pdfs.khmer_scan, max_pages=5, ocr_languages="khm")

    assert pdf.pages[0].ocr_languages == "khm"
    assert "គ្រឿងញៀន" in pdf.text


def test_a_thai_scan_is_read_again_with_thai_data_alone(made_pdfs):
    # All four languages' data at once put a space between a Thai letter and its vowel signs.
    pdf = read_pdf(made_pdfs.thai_scan, max_pages=5)

    assert pdf.pages[0].ocr_languages == "tha+eng"
    for word in ("ตำรวจ", "จับกุม", "ผู้ต้องหา", "ยาเสพติด", "ชายแดน"):
        assert word in pdf.text


def test_the_language_found_on_one_page_reads_the_next_until_it_reads_poorly(made_pdfs):
    pdf = read_pdf(made_pdfs.two_english_scans_then_a_khmer_one, max_pages=5)

    # The first page is read with every language's data and found English; the second is read
    # with English data; the Khmer page reads poorly with it, and is read with all again.
    assert [page.ocr_languages for page in pdf.pages] == [
        ALL_OCR_LANGUAGES,
        "eng",
        ALL_OCR_LANGUAGES,
    ]
    assert "Battambang" in pdf.pages[1].text
    assert "គ្រឿងញៀន" in unspaced(pdf.pages[2].text)
    assert pdf.low_confidence_pages == ()


def test_a_scan_read_with_the_wrong_language_is_sent_to_review(made_pdfs):
    pdf = read_pdf(made_pdfs.khmer_scan, max_pages=5, ocr_languages="eng")

    assert pdf.pages[0].confidence < LOW_OCR_CONFIDENCE
    assert pdf.low_confidence_pages == (1,)


def test_a_blurred_scan_reads_with_low_confidence_and_is_sent_to_review(made_pdfs):
    pdf = read_pdf(made_pdfs.khmer_scan_blurred, max_pages=5)

    assert pdf.pages[0].method == "ocr"
    assert pdf.low_confidence_pages == (1,)
    assert word_accuracy(documents.KHMER_RELEASE, pdf.text) < MIN_KHMER_WORD_ACCURACY


def test_ocr_that_runs_past_its_time_limit_is_stopped_with_an_error(made_pdfs, tmp_path):
    image = tmp_path / "page.png"
    image.write_bytes(made_pdfs.khmer_page_image)

    with pytest.raises(IngestError, match=r"OCR took longer than 0\.01 s"):
        recognize(image, languages="khm+eng", dpi=OCR_DPI, timeout=0.01)


def test_a_page_that_takes_too_long_to_draw_for_ocr_is_stopped_with_an_error(made_pdfs):
    with pytest.raises(IngestError, match=r"drawing page 1 for OCR took longer than 0\.01 s"):
        read_pdf(made_pdfs.khmer_scan, max_pages=5, ocr_timeout=0.01)
