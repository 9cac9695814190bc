"""How fast and how well PDFs are read: text layers, OCR by language data, confidence against
accuracy on spoiled scans.

    python bench/pdf.py [--repeat 3]

Made from the press releases the tests write (tests/archive/ingest_pdf/documents.py), printed
and screenshot by Debian's chromium, each filling most of an A4 page (the body twice over):

- text layer: seconds per page of read_pdf on a text PDF of 20 copies, each language;
- OCR: seconds per page and word accuracy (share of the release's distinct words found, spaces
  ignored) of an English, a Khmer and a Thai scan at 300 dpi, read with the languages read_pdf
  chooses and with each fixed set of LANGUAGE_SETS;
- confidence: the mean word confidence and word accuracy of the English and Khmer scans spoiled
  (blurred, at lower resolutions, turned, speckled, JPEG-compressed): where LOW_OCR_CONFIDENCE
  comes from.

Needs chromium, Poppler and Tesseract (scripts/install-system-libraries, make browser). Results
go to bench/results/pdf.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
sys.path.insert(0, str(REPO))

from PIL import Image, ImageFilter  # noqa: E402

from archive.ingest.pdf import read_pdf  # noqa: E402
from tests.archive.ingest_pdf import documents  # noqa: E402
from tests.browser.chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402

TEXT_COPIES = 20
MAX_PAGES = 1000
# Each scan is read with the languages read_pdf chooses (None), then with each fixed set.
LANGUAGE_SETS = (None, "eng", "khm", "khm+eng", "tha+eng", "khm+tha+vie+eng")
# The data each language's spoiled scans are read with.
OWN_LANGUAGES = {"en": "eng", "km": "khm+eng", "th": "tha+eng"}


def full_page(release: documents.PressRelease) -> documents.PressRelease:
    return dataclasses.replace(release, paragraphs=release.paragraphs * 2)


def word_accuracy(release: documents.PressRelease, text: str) -> float:
    unspaced = "".join(text.split()).lower()
    words = {word.rstrip("។.,;").lower() for word in release.words}
    return sum(word in unspaced for word in words) / len(words)


def spoiled(png: bytes):
    """Yield (label, PNG) for the scan as it is and spoiled in each way."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    versions = {"clean": image}
    for dpi in (100, 60, 45, 35):
        small = image.resize((width * dpi // 300, height * dpi // 300), Image.BILINEAR)
        versions[f"{dpi} dpi"] = small.resize((width, height), Image.BILINEAR)
    for radius in (2, 5, 7):
        versions[f"blur {radius}"] = image.filter(ImageFilter.GaussianBlur(radius))
    versions["turned 3 degrees"] = image.rotate(3, fillcolor=255)
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=10)
    versions["jpeg quality 10"] = Image.open(jpeg).convert("L")
    speckled, chance = image.copy(), random.Random(1)
    pixels = speckled.load()
    for _ in range(width * height // 200):
        x, y = chance.randrange(width), chance.randrange(height)
        pixels[x, y] = 0 if pixels[x, y] > 128 else 255
    versions["speckled 0.5%"] = speckled
    for label, version in versions.items():
        output = io.BytesIO()
        version.save(output, "PNG")
        yield label, output.getvalue()


def timed(data: bytes, repeat: int, **options) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = read_pdf(data, max_pages=MAX_PAGES, **options)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median kept)")
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    releases = {
        "en": full_page(documents.ENGLISH_RELEASE),
        "km": full_page(documents.KHMER_RELEASE),
        "th": full_page(documents.THAI_RELEASE),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        printed = {code: documents.print_pdf(browser, r) for code, r in releases.items()}
        scanned = {code: documents.screenshot_page(browser, r) for code, r in releases.items()}
        browser.close()
    results: dict[str, object] = {"text_layer": {}, "ocr": {}, "confidence": {}}
    read_pdf(documents.image_only_pdf(scanned["en"]), max_pages=1)  # load the language model
    for code, pdf in printed.items():
        seconds, read = timed(documents.joined(*[pdf] * TEXT_COPIES), arguments.repeat)
        pages = len(read.pages)
        results["text_layer"][code] = {"pages": pages, "seconds_per_page": seconds / pages}
        print(f"text layer {code}: {1000 * seconds / pages:.1f} ms a page ({pages} pages)")
    for code, png in scanned.items():
        scan = documents.image_only_pdf(png)
        for languages in LANGUAGE_SETS:
            seconds, pdf = timed(scan, arguments.repeat, ocr_languages=languages)
            [page] = pdf.pages
            row = {
                "languages": page.ocr_languages,
                "seconds_per_page": seconds,
                "confidence": page.confidence,
                "word_accuracy": word_accuracy(releases[code], page.text),
            }
            results["ocr"][f"{code} {languages or 'chosen'}"] = row
            print(
                f"OCR {code} with {languages or 'chosen: ' + page.ocr_languages}: {seconds:.2f} s,"
                f" confidence {page.confidence or 0:.2f}, words {row['word_accuracy']:.0%}"
            )
        if code not in ("en", "km"):
            continue
        languages = OWN_LANGUAGES[code]
        for label, version in spoiled(png):
            pdf = read_pdf(documents.image_only_pdf(version), max_pages=1, ocr_languages=languages)
            confidence = pdf.pages[0].confidence or 0.0
            accuracy = word_accuracy(releases[code], pdf.text)
            results["confidence"][f"{code} {label}"] = {
                "confidence": confidence,
                "word_accuracy": accuracy,
            }
            print(f"{code} {label}: confidence {confidence:.2f}, words {accuracy:.0%}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pdf.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
