"""Text from pictures of pages, read by Tesseract (Debian's tesseract-ocr and its language data).

Tesseract runs as a program, one page at a time, with a time limit, writing the page's text as
it lays it out (with spaces between words only in the scripts that use them) and a TSV table of
each word's box and confidence, from which the page's mean confidence is taken:

    level page_num block_num par_num line_num word_num left top width height conf  text
    5     1        3         1       2        1        207  592 467   74     91.77 នៅក្បែរ...

Which language data to pass was measured on 300 dpi scans of our own press releases, an A4 page
each (bench/pdf.py; 2 cores, one thread each). Data for the wrong script reads nothing (English
data on Khmer: no word right, confidence 0.14). All four sets at once ("khm+tha+vie+eng") read
Khmer and English as well as their own data does, at some cost on Khmer (4.3 s a page against
3.2 s with "khm+eng"; English 3.3 s either way), but break Thai apart, a space between a letter
and its vowel signs (96% of words right against 100% with "tha+eng", 2.2 s against 1.6 s). A
separate first look at a half-resolution image to choose the data cost more than it saved (2.5
to 3.5 s a page). So, unless the caller names the data: the first page is read with all four,
its language (read by the archive's identifier) chooses the data for the next pages, and a Thai
page is read again with Thai data; a page that reads poorly with the chosen data is read with
all four again, for a document whose pages change language.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from archive.ingest.records import IngestError
from archive.languages.identify import identify_language

# The language data the archive's machines install (scripts/install-system-libraries): Tesseract
# codes, which Debian ships as tesseract-ocr-<code>.
ALL_OCR_LANGUAGES = "khm+tha+vie+eng"
# A page's language (as archive.languages reads it) -> the Tesseract data to read it with. English
# rides along everywhere: Khmer, Thai and Vietnamese statements quote English names and numbers.
OCR_LANGUAGES = {"km": "khm+eng", "th": "tha+eng", "vi": "vie+eng", "en": "eng"}
# The languages Tesseract reads wrongly with all four sets of data, rightly with their own.
READ_APART = frozenset({"th"})
# Mean word confidence (0 to 1) under which an OCR'd page should be checked by a curator. Chosen
# on our Khmer and English scans, clean and spoiled (bench/pdf.py: blurred, at 35 to 100 dpi,
# turned 3 degrees, speckled, JPEG at quality 10): every page read at 0.75 or more had at least
# 88% of its words right, every page under it at most 83% (a Khmer page blurred past reading:
# 0.72, 1% right); pages read with the wrong language's data score 0.09 to 0.66.
LOW_OCR_CONFIDENCE = 0.75
# Tesseract's page segmentation "fully automatic, no orientation detection": columns, headings,
# signatures, whatever a statement's layout holds.
PAGE_SEGMENTATION = "3"
# Tesseract is built with OpenMP; on two cores busy with other work its threads wait on each
# other (a Khmer page: 4.1 s with its default threads, 1.4 s with one). Ingest already reads
# files in parallel processes, so one thread each.
_ENVIRONMENT = {**os.environ, "OMP_THREAD_LIMIT": "1"}
_WORD_LEVEL = "5"
# Tesseract's Thai and Lao data write the vowel AM as its two parts (nikhahit, then AA), which
# Unicode keeps apart under NFC: a search for ตำรวจ (police) would miss the ตํารวจ it read.
_VOWEL_AM = (("\u0e4d\u0e32", "\u0e33"), ("\u0ecd\u0eb2", "\u0eb3"))
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Recognition:
    """What Tesseract read on one page."""

    text: str  # lines as Tesseract laid them out; a blank line between paragraphs
    confidence: float | None  # the mean of its words' confidences, 0 to 1; None if no word
    languages: str  # the Tesseract data it read with: "khm+eng"


def recognize(image: Path, *, languages: str, dpi: int, timeout: float) -> Recognition:
    """Return the text Tesseract reads in `image` with `languages`, and how sure it is."""
    tesseract = require_tesseract(languages)
    output = image.with_name(f"{image.stem}-ocr")  # Tesseract adds .txt and .tsv
    command = [tesseract, str(image), str(output), "-l", languages, "--dpi", str(dpi)]
    command += ["--psm", PAGE_SEGMENTATION, "txt", "tsv"]
    try:
        finished = subprocess.run(
            command, capture_output=True, timeout=timeout, env=_ENVIRONMENT, check=False
        )
    except subprocess.TimeoutExpired:
        raise IngestError(
            f"OCR took longer than {timeout:g} s on one page and was stopped: the page may be "
            "unusually large or dense; import it on a less busy machine or raise the OCR time "
            "limit"
        ) from None
    if finished.returncode != 0:
        detail = finished.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise IngestError(f"Tesseract could not read a page ({' '.join(detail) or 'no message'})")
    return Recognition(
        text=_cleaned(output.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")),
        confidence=_mean_confidence(output.with_suffix(".tsv")),
        languages=languages,
    )


def read_image(
    image: Path, *, dpi: int, timeout: float, languages: str | None, likely: str | None = None
) -> tuple[Recognition, str | None]:
    """Return what Tesseract reads in a page's image, and the languages likely for the next page.

    `languages` given are used as they are. Otherwise the page is read with `likely` (what the
    page before turned out to be in) or, where that is unknown or reads poorly, with all four
    sets of data and then, for a language they read badly, with its own.
    """
    if languages is not None:
        return recognize(image, languages=languages, dpi=dpi, timeout=timeout), languages
    tried = []
    if likely is not None:
        tried.append(recognize(image, languages=likely, dpi=dpi, timeout=timeout))
        if _confidence(tried[0]) >= LOW_OCR_CONFIDENCE:
            return tried[0], likely
    wide = recognize(image, languages=ALL_OCR_LANGUAGES, dpi=dpi, timeout=timeout)
    language = identify_language(wide.text).code if wide.text.strip() else ""
    own = OCR_LANGUAGES.get(language)
    if language in READ_APART:
        tried.append(recognize(image, languages=own, dpi=dpi, timeout=timeout))
    else:
        tried.append(wide)
    return max(tried, key=_confidence), own or likely


def _confidence(reading: Recognition) -> float:
    return reading.confidence if reading.confidence is not None else 0.0


def require_tesseract(languages: str) -> str:
    """Return Tesseract's path, or raise IngestError saying what to install to get it."""
    tesseract = shutil.which("tesseract")
    wanted = languages.split("+")
    if tesseract is None:
        packages = " ".join(["tesseract-ocr", *(f"tesseract-ocr-{code}" for code in wanted)])
        raise IngestError(
            "this PDF has pages without text, which need OCR, and Tesseract is not installed: "
            f"install Debian's {packages} (apt-get install {packages}, or run "
            "scripts/install-system-libraries) and import it again"
        )
    missing = [code for code in wanted if code not in _installed_languages(tesseract)]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code}" for code in missing)
        raise IngestError(
            f"Tesseract has no language data for {', '.join(missing)}: install Debian's "
            f"{packages} (apt-get install {packages}) and import it again"
        )
    return tesseract


@functools.cache
def _installed_languages(tesseract: str) -> frozenset[str]:
    listed = subprocess.run(
        [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    # The first line says where the data lives ("List of available languages in ..."):
    return frozenset(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())


def _cleaned(text: str) -> str:
    """Return Tesseract's text in composed characters, without its page break and blank runs."""
    text = unicodedata.normalize("NFC", text)
    for parts, vowel in _VOWEL_AM:
        text = text.replace(parts, vowel)
    return _BLANK_LINES.sub("\n\n", text.replace("\f", "")).strip()


def _mean_confidence(tsv: Path) -> float | None:
    """Return the mean of the words' confidences (0 to 1) in Tesseract's TSV, or None if none."""
    with tsv.open(encoding="utf-8", errors="replace", newline="") as table:
        rows = csv.DictReader(table, delimiter="\t", quoting=csv.QUOTE_NONE)
        confidences = [
            max(0.0, float(row["conf"])) / 100
            for row in rows
            if row.get("level") == _WORD_LEVEL and (row.get("text") or "").strip()
        ]
    return sum(confidences) / len(confidences) if confidences else None
