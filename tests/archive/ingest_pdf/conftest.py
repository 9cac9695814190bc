"""The PDFs the tests read, made once a session; the programs reading them need, or a skip.

Printed and scanned PDFs need Debian's chromium; reading them needs Poppler (poppler-utils) and,
for scans, Tesseract with its Khmer, Thai, Vietnamese and English data. Without one of these,
the tests needing it are skipped with a message saying what to install, and fail instead when
CI=true. The damaged, encrypted and empty files are made by pypdf alone.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from PIL import Image, ImageFilter
from pypdf import PdfWriter

from tests.archive.ingest_pdf import documents
from tests.browser.chromium import CHROMIUM_ARGS, MISSING_CHROMIUM, find_chromium
from tests.conftest import IN_CI

A4_POINTS = (595, 842)


@dataclass(frozen=True)
class MadePdfs:
    english_text: bytes
    khmer_text: bytes  # with KHMER_METADATA in its information dictionary
    english_scan: bytes
    khmer_scan: bytes
    thai_scan: bytes
    khmer_scan_blurred: bytes  # the Khmer scan out of focus, past easy reading
    khmer_text_then_english_scan: bytes
    two_english_scans_then_a_khmer_one: bytes
    khmer_page_image: bytes  # the Khmer scan's PNG, for OCR without a PDF


def _missing(message: str):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def made_pdfs() -> MadePdfs:
    """Return the press releases printed and scanned by chromium, made once a session."""
    chromium = find_chromium()
    if not chromium:
        _missing(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    # Everything is made before Playwright stops: its event loop is gone before any other test.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            english_text = documents.print_pdf(browser, documents.ENGLISH_RELEASE)
            khmer_text = documents.print_pdf(browser, documents.KHMER_RELEASE)
            english_png = documents.screenshot_page(browser, documents.ENGLISH_RELEASE)
            khmer_png = documents.screenshot_page(browser, documents.KHMER_RELEASE)
            thai_png = documents.screenshot_page(browser, documents.THAI_RELEASE)
        finally:
            browser.close()
    blurred = io.BytesIO()
    Image.open(io.BytesIO(khmer_png)).filter(ImageFilter.GaussianBlur(6)).save(blurred, "PNG")
    english_scan = documents.image_only_pdf(english_png)
    khmer_scan = documents.image_only_pdf(khmer_png)
    return MadePdfs(
        english_text=english_text,
        khmer_text=documents.with_metadata(khmer_text, documents.KHMER_METADATA),
        english_scan=english_scan,
        khmer_scan=khmer_scan,
        thai_scan=documents.image_only_pdf(thai_png),
        khmer_scan_blurred=documents.image_only_pdf(blurred.getvalue()),
        khmer_text_then_english_scan=documents.joined(khmer_text, english_scan),
        two_english_scans_then_a_khmer_one=documents.joined(english_scan, english_scan, khmer_scan),
        khmer_page_image=khmer_png,
    )


@pytest.fixture(scope="session")
def poppler():
    """Skip (fail in CI) unless Poppler's pdftotext and pdftoppm are installed."""
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        _missing("Poppler is not installed: run scripts/install-system-libraries (poppler-utils)")


@pytest.fixture(scope="session")
def tesseract(poppler):
    """Skip (fail in CI) unless Tesseract and its Khmer, Thai, Vietnamese and English data are."""
    path = shutil.which("tesseract")
    if not path:
        _missing("Tesseract is not installed: run scripts/install-system-libraries")
    listed = subprocess.run([path, "--list-langs"], capture_output=True, text=True, check=False)
    missing = {"khm", "tha", "vie", "eng"} - set(listed.stdout.split())
    if missing:
        _missing(f"Tesseract lacks {sorted(missing)}: run scripts/install-system-libraries")
    return path


@pytest.fixture(scope="session")
def blank_pages():
    """Return a function making a PDF of `count` empty A4 pages."""

    def make(count: int = 1) -> bytes:
        writer = PdfWriter()
        for _ in range(count):
            writer.add_blank_page(*A4_POINTS)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()

    return make
