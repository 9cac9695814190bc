"""Text from pictures of pages, read by Tesseract (Debian's tesseract-ocr and its language data).

Tesseract runs as a program, one page at a time, with a time limit; its TSV output gives each
word's box and confidence, from which the page's text and mean confidence are built:

    level page_num block_num par_num line_num word_num left top width height conf  text
    5     1        3         1       2        1        207  592 467   74     91.77 នៅក្បែរ...

Which language data to pass was measured on 300 dpi scans of our own press releases (2 cores, one
thread each; tests/archive/ingest_pdf/): a language's data alone or with English reads its page
as well as all four together ("khm+tha+vie+eng") and in half the time (Khmer 1.4 s against 2.0 s
a page, English 0.8 s against 1.5 s), and all four together break Thai apart, a space between a
letter and its vowel signs. Data for the wrong script reads nothing (English data on Khmer: no
word right, confidence 0.15). So the languages are chosen by the page's language, found by a
quick first look: all four at half the resolution (about 1 s), read by the archive's language
identifier.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
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
# Tesseract's page segmentation "fully automatic, no orientation detection": columns, headings,
# signatures, whatever a statement's layout holds.
PAGE_SEGMENTATION = "3"
# Tesseract is built with OpenMP; on two cores busy with other work its threads wait on each
# other (a Khmer page: 4.1 s with its default threads, 1.4 s with one). Ingest already reads
# files in parallel processes, so one thread each.
_ENVIRONMENT = {**os.environ, "OMP_THREAD_LIMIT": "1"}
_WORD_LEVEL = "5"


@dataclass(frozen=True)
class Recognition:
    """What Tesseract read on one page."""

    text: str  # lines as Tesseract found them; a blank line between paragraphs
    confidence: float | None  # the mean of its words' confidences, 0 to 1; None if no word
    languages: str  # the Tesseract data it read with: "khm+eng"


def recognize(image: Path, *, languages: str, dpi: int, timeout: float) -> Recognition:
    """Return the text Tesseract reads in `image` with `languages`, and how sure it is."""
    tesseract = require_tesseract(languages)
    command = [tesseract, str(image), "stdout", "-l", languages, "--dpi", str(dpi)]
    command += ["--psm", PAGE_SEGMENTATION, "tsv"]
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
    return _recognition(finished.stdout.decode("utf-8", "replace"), languages)


def choose_languages(preview: Path, *, dpi: int, timeout: float) -> str:
    """Return the Tesseract languages for a page, from a first reading of a small `preview`."""
    first_look = recognize(preview, languages=ALL_OCR_LANGUAGES, dpi=dpi, timeout=timeout)
    if not first_look.text.strip():
        return ALL_OCR_LANGUAGES
    language = identify_language(first_look.text).code
    return OCR_LANGUAGES.get(language, ALL_OCR_LANGUAGES)


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


def _recognition(tsv: str, languages: str) -> Recognition:
    """Return the page's text and mean word confidence from Tesseract's TSV output."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    paragraphs: dict[tuple[str, str], dict[str, list[str]]] = {}
    confidences: list[float] = []
    for row in rows:
        word = (row.get("text") or "").strip()
        if row.get("level") != _WORD_LEVEL or not word:
            continue
        paragraph = paragraphs.setdefault((row["block_num"], row["par_num"]), {})
        paragraph.setdefault(row["line_num"], []).append(word)
        confidences.append(max(0.0, float(row["conf"])) / 100)
    text = "\n\n".join(
        "\n".join(" ".join(words) for words in lines.values()) for lines in paragraphs.values()
    )
    confidence = sum(confidences) / len(confidences) if confidences else None
    return Recognition(text=text, confidence=confidence, languages=languages)
