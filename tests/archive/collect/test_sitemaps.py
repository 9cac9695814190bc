"""Sitemaps, news sitemaps and sitemap indexes read into entries; hostile files stay harmless."""

import gzip
from datetime import UTC, datetime

import pytest

from archive.collect import sitemaps
from archive.collect.sitemaps import SitemapError, parse_sitemap, parse_w3c_datetime

from .conftest import FIXTURES

BASE = "https://angkor-daily.example"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"{base}", BASE.encode())


def test_a_news_sitemap_gives_urls_dates_languages_and_titles():
    sitemap = parse_sitemap(fixture("news-sitemap.xml"))
    assert not sitemap.is_index
    khmer, english, thai = sitemap.entries
    assert khmer.url == f"{BASE}/km/security/7731"
    assert khmer.lastmod == datetime(2026, 1, 15, 3, 55, tzinfo=UTC)
    assert khmer.published == datetime(2026, 1, 15, 3, 40, tzinfo=UTC)
    assert (khmer.language, english.language, thai.language) == ("km", "en", "th")
    assert english.title == "Police detain two suspects over drug smuggling"
    assert thai.lastmod is None and thai.published == datetime(2026, 1, 14, tzinfo=UTC)


def test_an_unescaped_ampersand_in_a_url_is_kept():
    (_, english, _) = parse_sitemap(fixture("news-sitemap.xml")).entries
    assert english.url == f"{BASE}/en/security/7729?utm_source=sitemap&section=crime"


def test_a_sitemap_index_gives_its_sitemaps():
    index = parse_sitemap(fixture("sitemap-index.xml"))
    assert index.is_index and index.entries == ()
    assert [child.url for child in index.children] == [
        f"{BASE}/sitemaps/2025-12.xml",
        f"{BASE}/sitemaps/news.xml",
    ]
    assert index.children[1].lastmod == datetime(2026, 1, 15, 4, 0, tzinfo=UTC)


def test_a_gzipped_sitemap_is_read():
    assert len(parse_sitemap(gzip.compress(fixture("news-sitemap.xml"))).entries) == 3


def test_a_gzipped_sitemap_that_inflates_past_the_protocols_limit_is_refused(monkeypatch):
    # The protocol's 50 MB, scaled down so that the test need not make 50 MB.
    monkeypatch.setattr(sitemaps, "MAX_SITEMAP_BYTES", 10_000)
    bomb = gzip.compress(b"<urlset>" + b" " * 20_000 + b"</urlset>")
    assert len(bomb) < 200
    with pytest.raises(SitemapError, match="more than 10000 bytes"):
        parse_sitemap(bomb)


def test_entities_are_not_expanded():
    laughs = b"""<?xml version="1.0"?>
    <!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
    <urlset><url><loc>https://angkor-daily.example/&b;</loc></url></urlset>"""
    (entry,) = parse_sitemap(laughs).entries
    assert "aaaa" not in entry.url


def test_a_url_without_a_usable_loc_is_counted_not_kept():
    content = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><lastmod>2026-01-01</lastmod></url><url><loc>javascript:void(0)</loc></url>
      <url><loc>/relative/page</loc></url></urlset>"""
    sitemap = parse_sitemap(content, url=f"{BASE}/sitemap.xml")
    assert [entry.url for entry in sitemap.entries] == [f"{BASE}/relative/page"]
    assert sitemap.skipped == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"<html><body>Not found</body></html>", "not a sitemap"),
        (b"\x00\x01 binary", "not XML"),
        (b"\x1f\x8b\x08broken gzip", "broken gzip"),
    ],
)
def test_what_is_not_a_sitemap_gives_a_clear_reason(content, reason):
    with pytest.raises(SitemapError, match=reason):
        parse_sitemap(content)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15", datetime(2026, 1, 15, tzinfo=UTC)),
        ("2026-01-15T09:30+07:00", datetime(2026, 1, 15, 2, 30, tzinfo=UTC)),
        ("2026-01-15T09:30:00.5Z", datetime(2026, 1, 15, 9, 30, 0, 500000, tzinfo=UTC)),
        ("2026-01-15T09:30:00", datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
        ("last Tuesday", None),
        ("", None),
    ],
)
def test_w3c_datetimes_are_read_in_utc(text, expected):
    assert parse_w3c_datetime(text) == expected
