"""`manage.py ingest` on saved pages and web archives: articles with clean bodies, each page
kept byte for byte as the article's capture, idempotent, and bad input reported."""

import json
import shutil

import pytest

from archive.ingest.batch import ingest_paths
from archive.models import Article, Capture
from tests.archive.ingest_web.warcs import PAGES, SITE, Crawl, fixture_page, gzip_bomb, wacz, write

pytestmark = pytest.mark.django_db

ENGLISH = "en-ledger-sihanoukville-raid"
KHMER = "km-mekong-today-online-gambling"
THAI = "th-muangkrung-mule-accounts-cp874"
VIETNAMESE = "vi-tinmoi-an-giang-drug-ring"


def expected(name: str) -> dict:
    return json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def collection(tmp_path):
    """A folder as a researcher collects it: saved pages, a WARC and a WACZ."""
    folder = tmp_path / "collected"
    folder.mkdir()
    shutil.copy(PAGES / f"{ENGLISH}.html", folder / "ledger.html")
    shutil.copy(PAGES / f"{KHMER}.html", folder / "mekong.htm")
    crawl = Crawl()
    crawl.response(f"{SITE}/thai", fixture_page(THAI), content_type="text/html; charset=TIS-620")
    crawl.response(f"{SITE}/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    crawl.response(f"{SITE}/gone", b"<html><body>Not found</body></html>", status="404 Not Found")
    write(folder / "crawl.warc.gz", crawl.data())
    packaged = Crawl()
    packaged.response(f"{SITE}/vietnam", fixture_page(VIETNAMESE))
    write(
        folder / "package.wacz", wacz({"data.warc.gz": packaged.data()}, pages=[f"{SITE}/vietnam"])
    )
    return folder


def test_pages_and_web_archives_become_articles_with_clean_bodies(collection):
    report = ingest_paths([collection])
    assert report.created == 4, report.skipped
    for name in (ENGLISH, KHMER, THAI, VIETNAMESE):
        facts = expected(name)
        article = Article.objects.get(title=facts["title"])
        assert article.language == facts["language"]
        for paragraph in facts["body"]:
            assert paragraph in article.body, (name, paragraph)
        for furniture in facts["boilerplate"]:
            assert furniture not in article.body, (name, furniture)
    ledger = Article.objects.get(title=expected(ENGLISH)["title"])
    assert ledger.source.name == "The Mekong Ledger"
    assert str(ledger.published_date) == "2024-03-18"


def test_each_page_is_kept_byte_for_byte_with_where_and_when_it_was_captured(collection):
    ingest_paths([collection])
    saved = Capture.objects.get(article__title=expected(ENGLISH)["title"])
    assert saved.data() == fixture_page(ENGLISH)
    assert saved.url == expected(ENGLISH)["canonical_url"] and saved.captured_at is None
    captured = Capture.objects.get(url=f"{SITE}/thai")
    assert captured.data() == fixture_page(THAI)
    assert captured.captured_at is not None
    assert captured.reading["charset_from"] == "http-header"
    assert "crawl.warc.gz#offset=" in captured.origin


def test_ingesting_the_collection_again_changes_nothing(collection):
    ingest_paths([collection])
    again = ingest_paths([collection])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert Capture.objects.count() == 4


def test_records_that_hold_no_page_are_counted_once_per_reason(collection):
    reasons = [problem.reason for problem in ingest_paths([collection]).skipped]
    assert any(reason.startswith("1 record skipped: neither HTML nor PDF") for reason in reasons)
    assert any(reason.startswith("1 record skipped: client error (4xx)") for reason in reasons)


def test_a_page_captured_again_with_a_changed_text_updates_its_article(tmp_path):
    page = fixture_page(ENGLISH)
    first = Crawl()
    first.response(f"{SITE}/ledger", page, date="2024-03-18T02:42:17Z")
    write(tmp_path / "monday.warc.gz", first.data())
    later = Crawl()
    changed = page.replace(b"detained five people", b"detained six people")
    later.response(f"{SITE}/ledger", changed, date="2024-03-19T02:42:17Z")
    write(tmp_path / "tuesday.warc.gz", later.data())
    ingest_paths([tmp_path / "monday.warc.gz"])
    report = ingest_paths([tmp_path / "tuesday.warc.gz"])
    assert (report.created, report.updated) == (0, 1)
    article = Article.objects.get()
    assert "detained six people" in article.body
    assert any("detained five people" in old.body for old in article.history.all())
    assert sorted(c.data() for c in article.captures.all()) == sorted([page, changed])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the page is empty (0 bytes)"),
        (b"<html><head><script>var a = 1;</script></head><body></body></html>", "script"),
        (b"<html><body><div><p>Share</p></div></body></html>", ""),
        (b"<<<>>><html<body", ""),
    ],
    ids=["zero bytes", "only a script", "furniture only", "broken markup"],
)
def test_a_page_without_a_report_is_skipped_with_a_reason(tmp_path, content, reason):
    write(tmp_path / "page.html", content)
    report = ingest_paths([tmp_path])
    assert report.created == 0 and Article.objects.count() == 0
    (problem,) = report.skipped
    assert problem.reason and reason in problem.reason


def test_a_gzip_bomb_in_a_web_archive_is_cut_at_the_limit(tmp_path, settings):
    settings.INGEST_MAX_FILE_BYTES = 2 * 2**20
    crawl = Crawl()
    crawl.response(
        f"{SITE}/bomb",
        gzip_bomb(64 * 2**20),
        headers=[("Content-Encoding", "gzip")],
    )
    crawl.response(f"{SITE}/ledger", fixture_page(ENGLISH))
    write(tmp_path / "bomb.warc.gz", crawl.data())
    report = ingest_paths([tmp_path])
    assert report.created == 1
    assert any("over the size limit" in problem.reason for problem in report.skipped)


def test_a_truncated_web_archive_keeps_the_pages_before_the_cut(tmp_path):
    crawl = Crawl()
    crawl.response(f"{SITE}/ledger", fixture_page(ENGLISH))
    crawl.response(f"{SITE}/khmer", fixture_page(KHMER))
    data = crawl.data()
    write(tmp_path / "cut.warc.gz", data[: crawl.offsets[-1] + 200])
    report = ingest_paths([tmp_path])
    assert report.created == 1
    assert any("truncated" in problem.reason for problem in report.skipped), report.skipped


def test_a_web_archive_over_its_limit_is_refused_naming_the_setting(tmp_path, settings):
    settings.INGEST_MAX_ARCHIVE_BYTES = 1024
    crawl = Crawl()
    crawl.response(f"{SITE}/ledger", fixture_page(ENGLISH))
    write(tmp_path / "big.warc.gz", crawl.data())
    (problem,) = ingest_paths([tmp_path]).skipped
    assert "INGEST_MAX_ARCHIVE_MB" in problem.reason
