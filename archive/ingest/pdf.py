"""PDF press releases and scanned statements: the text layer where a page has one, OCR where not.

Three tools, each for what it does best:
- pypdf (BSD-3-Clause) opens the file: is it a PDF, whole, openable without a password, how many
  pages, and the information dictionary (title, author, creation date).
- Poppler's pdftotext (Debian's poppler-utils) reads the text layer. Khmer needs it: a PDF draws
  a Khmer word with glyphs (a subscript consonant, a vowel drawn before its consonant) that the
  font's ToUnicode map cannot turn back into characters, so writers such as Chromium and Word
  attach the characters to each cluster as marked content (/ActualText). Poppler reads those;
  pypdf and pdfplumber read the glyphs: on a Khmer statement printed by Chromium they gave one
  word in thirteen right, pdftotext all of them.
- Poppler's pdftoppm renders a page without text for Tesseract (archive/ingest/ocr.py).

    read_pdf(data, max_pages=50) -> PdfText(pages=(PdfPage(1, "...", "text", None), ...),
                                            title="...", authors=("...",), created=date(...))
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError

from archive.ingest.ocr import LOW_OCR_CONFIDENCE, read_image
from archive.ingest.records import IngestError

# A page whose text layer holds fewer letters than this is read by OCR. A scan may carry a few
# words of text (a page number, "Scanned with CamScanner": 19 letters); a page of a statement
# holds hundreds. A short last page OCR'd by mistake loses nothing: its text is drawn too.
MIN_TEXT_LAYER_LETTERS = 50
# A Khmer vowel sign belongs after its consonant. A text layer read glyph by glyph puts the vowels
# drawn before a consonant (េ ែ ៃ) first, at the start of a word: when more than this share of
# its Khmer vowel signs stand where no consonant precedes them, the layer is unreadable and the
# page is OCR'd instead. Poppler's reading of our Khmer statement has none.
MAX_MISPLACED_KHMER_VOWELS = 0.1
# Scanners and OCR engines both work at 300 dots per inch for print.
OCR_DPI = 300
# A page drawn larger than this many pixels is rendered at a lower resolution: a poster-sized or
# malicious page size must not take gigabytes (A4 at 300 dpi is 8.7 million, A2 35 million).
MAX_PAGE_PIXELS = 36_000_000
# Tesseract reads a full A4 page in 3 to 5 s here (2 cores; bench/pdf.py), twice that where a
# page is read twice: a page still running after this long is pathological, and the import moves
# on with an error rather than waiting for ever.
OCR_PAGE_TIMEOUT_SECONDS = 120.0
# pdftotext reads a hundred pages in well under a second.
TEXT_LAYER_TIMEOUT_SECONDS = 60.0
# The PDF header may stand anywhere in the first kilobyte, and the end-of-file marker in the last
# (PDF 32000-1, 7.5.2 and 7.5.5): a file without the end marker was cut short.
HEADER_WINDOW = END_WINDOW = 1024
POINTS_PER_INCH = 72
# Authors that word processors write for whoever installed them, not for who wrote the text.
PLACEHOLDER_AUTHORS = frozenset(
    {"admin", "administrator", "user", "owner", "unknown", "microsoft office user", "windows user"}
)
# A title that is a file name ("Microsoft Word - Document1.docx") says nothing of the statement.
_FILE_NAME_TITLE = re.compile(r"^microsoft \w+ - |\.(docx?|odt|rtf|pdf|xlsx?|pptx?)$", re.I)
_KHMER_VOWEL = re.compile("[\u17b6-\u17c5]")
# A Khmer vowel sign with no Khmer letter or sign right before it (start of text, a space...).
_MISPLACED_KHMER_VOWEL = re.compile("(?<![\u1780-\u17d3])[\u17b6-\u17c5]")
POPPLER_MISSING = (
    "reading PDFs needs Poppler's pdftotext and pdftoppm: install Debian's poppler-utils "
    "(apt-get install poppler-utils, or run scripts/install-system-libraries)"
)


@dataclass(frozen=True)
class PdfPage:
    """One page's text and how it was read."""

    number: int  # from 1
    text: str
    method: str  # "text": the PDF's own text layer; "ocr": read from the rendered page
    confidence: float | None = None  # OCR's mean word confidence, 0 to 1; None if not OCR'd
    ocr_languages: str = ""  # the Tesseract data an OCR'd page was read with: "khm+eng"


@dataclass(frozen=True)
class PdfText:
    """A PDF's pages and what its information dictionary says of it."""

    pages: tuple[PdfPage, ...]
    title: str = ""
    authors: tuple[str, ...] = ()
    created: date | None = None

    @property
    def text(self) -> str:
        """Return the pages' text, a blank line between pages, empty pages left out."""
        return "\n\n".join(page.text for page in self.pages if page.text)

    @property
    def low_confidence_pages(self) -> tuple[int, ...]:
        """Return the numbers of the OCR'd pages read with less than LOW_OCR_CONFIDENCE."""
        return tuple(
            page.number
            for page in self.pages
            if page.confidence is not None and page.confidence < LOW_OCR_CONFIDENCE
        )


def read_pdf(
    data: bytes,
    *,
    max_pages: int,
    ocr_languages: str | None = None,
    ocr_timeout: float = OCR_PAGE_TIMEOUT_SECONDS,
) -> PdfText:
    """Return the text of each page of the PDF in `data`, and its title, authors and date.

    Pages without a usable text layer are OCR'd with `ocr_languages` ("khm+eng", Tesseract's
    codes), or, when None, with the data for the language the pages turn out to be in
    (archive/ingest/ocr.py). Each OCR step may take up to `ocr_timeout` seconds.
    Raise IngestError saying what is wrong and what to do when the file cannot be read.
    """
    reader = _open(data)
    count = _page_count(reader)
    if count == 0:
        raise IngestError("this PDF has no pages: there is nothing to import")
    if count > max_pages:
        raise IngestError(
            f"this PDF has {count} pages, more than the {max_pages} a document may have: split "
            "it into its statements or raise the page limit"
        )
    title, authors, created = _information(reader)
    with tempfile.TemporaryDirectory(prefix="archive-pdf-") as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        layers = _text_layers(path, count)
        pages, likely = [], None
        for number, layer in enumerate(layers, start=1):
            if is_usable_text_layer(layer):
                pages.append(PdfPage(number, layer, "text"))
                continue
            dpi = _page_dpi(reader, number)
            image = _render(path, number, dpi=dpi, timeout=ocr_timeout)
            reading, likely = read_image(
                image, dpi=dpi, timeout=ocr_timeout, languages=ocr_languages, likely=likely
            )
            pages.append(
                PdfPage(number, reading.text, "ocr", reading.confidence, reading.languages)
            )
    return PdfText(pages=tuple(pages), title=title, authors=authors, created=created)


def is_usable_text_layer(text: str) -> bool:
    """Return whether a page's text layer holds enough readable text to stand for the page."""
    letters = sum(1 for char in text if unicodedata.category(char)[0] in "LMN")
    if letters < MIN_TEXT_LAYER_LETTERS:
        return False
    vowels = len(_KHMER_VOWEL.findall(text))
    misplaced = len(_MISPLACED_KHMER_VOWEL.findall(text))
    return not vowels or misplaced / vowels <= MAX_MISPLACED_KHMER_VOWELS


def _open(data: bytes) -> PdfReader:
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise IngestError(
            "this is not a PDF (it does not start with %PDF-): check the file's type, or save "
            "it again as PDF"
        )
    if b"%%EOF" not in data[-END_WINDOW:]:
        raise IngestError(
            "this PDF is cut short (no end-of-file marker): the download or copy was probably "
            "interrupted; fetch the file again"
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise IngestError(
                "this PDF is encrypted with a password: ask its publisher for an open copy, or "
                "open it with the password and save it again without one"
            )
    except (PyPdfError, ValueError, LookupError, TypeError, AttributeError) as error:
        raise _broken(error) from error
    return reader


def _page_count(reader: PdfReader) -> int:
    try:
        return len(reader.pages)
    except (PyPdfError, ValueError, LookupError, TypeError, AttributeError) as error:
        raise _broken(error) from error


def _broken(error: Exception) -> IngestError:
    return IngestError(
        f"this PDF is damaged and cannot be read ({type(error).__name__}: {error}): fetch it "
        "again, or open it in a PDF reader and save a new copy"
    )


def _information(reader: PdfReader) -> tuple[str, tuple[str, ...], date | None]:
    """Return the title, authors and creation date the PDF states, where it states them well."""
    try:
        information = reader.metadata
    except (PyPdfError, ValueError, LookupError, TypeError, AttributeError):
        return "", (), None
    if information is None:
        return "", (), None
    title = " ".join(str(information.title or "").split())
    if _FILE_NAME_TITLE.search(title) or title.lower() == "untitled":
        title = ""
    authors = tuple(
        name
        for name in (" ".join(part.split()) for part in str(information.author or "").split(";"))
        if name and name.lower() not in PLACEHOLDER_AUTHORS
    )
    try:
        created = information.creation_date
    except (ValueError, TypeError):  # a malformed "D:..." string
        created = None
    return title, authors, created.date() if created else None


def _text_layers(path: Path, count: int) -> list[str]:
    """Return each page's text layer as Poppler reads it ("" for a page without one)."""
    output = _poppler(
        ["pdftotext", "-enc", "UTF-8", "-eol", "unix", str(path), "-"],
        timeout=TEXT_LAYER_TIMEOUT_SECONDS,
        doing="reading the text layer",
    )
    # pdftotext ends every page with a form feed.
    layers = output.decode("utf-8", "replace").split("\f")[:count]
    layers += [""] * (count - len(layers))
    return [unicodedata.normalize("NFC", layer).strip() for layer in layers]


def render_dpi(width: float, height: float) -> int:
    """Return the resolution to draw a page of `width` x `height` points at for OCR: OCR_DPI, or
    less where the image would pass MAX_PAGE_PIXELS."""
    square_inches = abs(width * height) / POINTS_PER_INCH**2
    if square_inches * OCR_DPI**2 <= MAX_PAGE_PIXELS:
        return OCR_DPI
    return max(1, int(math.sqrt(MAX_PAGE_PIXELS / square_inches)))


def _page_dpi(reader: PdfReader, number: int) -> int:
    try:
        box = reader.pages[number - 1].cropbox  # what pdftoppm draws
        return render_dpi(float(box.width), float(box.height))
    except (PyPdfError, ValueError, LookupError, TypeError, AttributeError):
        return OCR_DPI


def _render(path: Path, number: int, *, dpi: int, timeout: float) -> Path:
    """Return a greyscale PNG of page `number` at `dpi`, drawn by Poppler's pdftoppm."""
    stem = path.with_name(f"page-{number}")
    page = str(number)
    options = ["-r", str(dpi), "-gray", "-png", "-singlefile", "-f", page, "-l", page]
    _poppler(
        ["pdftoppm", *options, str(path), str(stem)],
        timeout=timeout,
        doing=f"drawing page {number} for OCR",
    )
    return stem.with_suffix(".png")


def _poppler(command: list[str], *, timeout: float, doing: str) -> bytes:
    if shutil.which(command[0]) is None:
        raise IngestError(POPPLER_MISSING)
    try:
        finished = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise IngestError(
            f"{doing} took longer than {timeout:g} s and was stopped: the PDF may be damaged or "
            "unusually heavy; open it in a PDF reader and save a new copy, or raise the limit"
        ) from None
    if finished.returncode != 0:
        detail = " ".join(finished.stderr.decode("utf-8", "replace").split())[:300]
        raise IngestError(
            f"this PDF is damaged: {doing} failed ({detail or 'no message'}); fetch it again, "
            "or open it in a PDF reader and save a new copy"
        )
    return finished.stdout
