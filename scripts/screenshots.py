"""Screenshots of the archive's pages in the region's languages, saved to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py      (or: make screenshots)

The written reports in every language (tests/fixtures/languages/reports.jsonl) go into a
throwaway SQLite database and index, served by gunicorn on 127.0.0.1 with production settings
(bench/http_load.serve); Debian's chromium saves a Khmer report's page, a Khmer search and one
search whose results are in six languages. Needs chromium and the fonts: `make browser`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
# Drugs (គ្រឿងញៀន) in Khmer: two reports and their highlighted passages.
KHMER_QUERY = "គ្រឿងញៀន"
# Yaba (methamphetamine pills) in Thai, Lao and Burmese, crystal meth in Khmer and Chinese, and
# the English word: results in six languages and five scripts.
MIXED_QUERY = "ยาบ้า OR ຢາບ້າ OR စိတ်ကြွဆေးပြား OR ម៉ាទឹកកក OR 冰毒 OR methamphetamine"
# A screenshot's colours, at most: pages are text on white, so a palette of 256 keeps the
# letters' edges and makes a file two fifths of the size.
PALETTE_COLOURS = 256


def archive_environment(workdir: Path) -> dict[str, str]:
    """Return the settings of the throwaway archive: its database and index inside `workdir`."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{workdir / 'archive.sqlite3'}",
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "VAR_DIR": str(workdir / "var"),
        # Permanent links and citations name `make run`'s address, not this run's free port, so
        # a page looks the same each time.
        "PUBLIC_URL": "http://127.0.0.1:8000",
        # One client on the loopback over plain HTTP: no rate limits, no redirect to HTTPS.
        "RATE_LIMIT_ENABLED": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def load_reports(fixtures: Path) -> str:
    """Migrate the database, ingest and index the reports; return the first Khmer one's path."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connections

    from archive.models import Article
    from bench.languages import read_reports

    call_command("migrate", verbosity=0)
    call_command("ingest", str(fixtures), no_progress=True, stdout=StringIO(), stderr=StringIO())
    call_command("rebuild_index", verbosity=0, stdout=StringIO())
    khmer = next(report for report in read_reports(fixtures) if report["language"] == "km")
    path = Article.objects.get(title=khmer["title"]).get_absolute_url()
    connections.close_all()  # gunicorn's workers read the file from here on
    return path


def save_screenshot(page, path: Path) -> None:
    """Save the whole page as a PNG of at most PALETTE_COLOURS colours."""
    from PIL import Image

    page.screenshot(path=str(path), full_page=True)
    with Image.open(path) as shot:
        reduced = shot.convert("RGB").quantize(colors=PALETTE_COLOURS)
    reduced.save(path, optimize=True)


def take_screenshots(base_url: str, article_path: str, output: Path) -> list[Path]:
    """Save the three pages of the archive at `base_url` into `output`; return their paths."""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import CHROMIUM_ARGS, MISSING_CHROMIUM, find_chromium

    chromium = find_chromium()
    if not chromium:
        raise SystemExit(MISSING_CHROMIUM)
    pages = {
        "khmer-article.png": article_path,
        "khmer-search.png": "/?" + urlencode({"q": KHMER_QUERY}),
        "mixed-results.png": "/?" + urlencode({"q": MIXED_QUERY}),
    }
    output.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            for name, path in pages.items():
                page.goto(base_url + path)
                save_screenshot(page, output / name)
                saved.append(output / name)
        finally:
            browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="folder for the PNGs")
    options = parser.parse_args()
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    from bench.http_load import serve
    from bench.languages import FIXTURES

    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        workdir = Path(folder)
        environment = archive_environment(workdir)
        os.environ.update(environment)
        article_path = load_reports(FIXTURES)
        with serve(
            database_url=environment["DATABASE_URL"],
            index_dir=Path(environment["SEARCH_INDEX_DIR"]),
            workers=1,
            env=environment,
            workdir=workdir / "server",
        ) as server:
            saved = take_screenshots(server.base_url, article_path, options.output)
    for path in saved:
        print(
            f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
            f"{path.stat().st_size // 1024} KB"
        )


if __name__ == "__main__":
    main()
