"""Files that cannot be read say what is wrong and what to do."""

import io
import shutil

import pytest
from PIL import Image

from archive.ingest.pdf import read_pdf, render_dpi
from archive.ingest.records import IngestError
from tests.archive.ingest_pdf import documents


def an_image_only_pdf() -> bytes:
    """Return a one-page PDF holding only a picture (a grey bar on white), no text."""
    image = Image.new("L", (850, 1100), 255)
    image.paste(96, (100, 100, 750, 160))
    output = io.BytesIO()
    image.save(output, "PNG")
    return documents.image_only_pdf(output.getvalue())


@pytest.mark.parametrize(
    "data",
    [b"", b"<!doctype html><title>Press release</title>", b"\x89PNG\r\n\x1a\n" + bytes(64)],
    ids=["empty", "html", "png"],
)
def test_a_file_that_is_not_a_pdf_is_refused(data):
    with pytest.raises(IngestError, match=r"not a PDF \(it does not start with %PDF-\)"):
        read_pdf(data, max_pages=5)


def test_a_pdf_cut_short_is_refused(blank_pages):
    with pytest.raises(IngestError, match=r"cut short .* fetch the file again"):
        read_pdf(documents.truncated(blank_pages(3)), max_pages=5)


def test_a_pdf_whose_structure_is_garbage_is_refused():
    garbage = b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"

    with pytest.raises(IngestError, match=r"damaged and cannot be read .*save a new copy"):
        read_pdf(garbage, max_pages=5)


def test_a_pdf_encrypted_with_a_password_is_refused(blank_pages):
    locked = documents.encrypted(blank_pages(1), password="s3cret")

    with pytest.raises(IngestError, match=r"encrypted with a password: ask its publisher"):
        read_pdf(locked, max_pages=5)


def test_a_pdf_with_no_pages_is_refused():
    with pytest.raises(IngestError, match=r"has no pages"):
        read_pdf(documents.without_pages(), max_pages=5)


def test_a_pdf_with_more_pages_than_allowed_is_refused(blank_pages):
    with pytest.raises(IngestError, match=r"has 3 pages, more than the 2 a document may have"):
        read_pdf(blank_pages(3), max_pages=2)


def test_a_scan_without_tesseract_names_the_debian_packages_to_install(
    poppler, tmp_path, monkeypatch
):
    # A PATH holding Poppler's programs and nothing else.
    for program in ("pdftotext", "pdftoppm"):
        (tmp_path / program).symlink_to(shutil.which(program))
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(IngestError) as raised:
        read_pdf(an_image_only_pdf(), max_pages=5)
    message = str(raised.value)
    assert "Tesseract is not installed" in message
    for package in ("tesseract-ocr", "tesseract-ocr-khm", "tesseract-ocr-tha", "tesseract-ocr-eng"):
        assert package in message


def test_a_scan_asking_for_language_data_not_installed_names_its_package(tesseract):
    with pytest.raises(
        IngestError, match=r"no language data for xyz: install .* tesseract-ocr-xyz"
    ):
        read_pdf(an_image_only_pdf(), max_pages=5, ocr_languages="khm+xyz")


def test_reading_without_poppler_names_the_debian_package(blank_pages, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(IngestError, match=r"install Debian's poppler-utils"):
        read_pdf(blank_pages(1), max_pages=5)


def test_a_page_of_paper_size_renders_at_300_dpi_and_a_poster_at_less():
    assert render_dpi(595, 842) == 300  # A4
    assert render_dpi(7200, 7200) == 60  # a 100-inch square: 36 million pixels, not 900
