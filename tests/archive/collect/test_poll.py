"""Polling a source against a real local server: new pages archived once, nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

from archive.collect.poll import PollLimits, SourceSettings, SourceState, poll_source
from archive.collect.warc_writer import WarcWriter

LEDGER_PAGES = (
    "/news/2026/01/15/bavet-seizure",
    "/news/2026/01/14/betting-compound-charges",
    "/news/2026/01/13/pangolin-case",
)
NEWS_SITEMAP_PAGES = ("/km/security/7731", "/en/security/7729", "/th/news/5520")


@pytest.fixture
def warc(tmp_path):
    with WarcWriter(tmp_path / "warc", prefix="test") as writer:
        yield writer


@pytest.fixture
def poll(make_fetcher, warc):
    fetcher = make_fetcher(retries=0)

    def run(source, state=None, **limits):
        return poll_source(
            source, state or SourceState(), fetcher=fetcher, warc=warc, limits=PollLimits(**limits)
        )

    return run


def ledger(site, **changes) -> SourceSettings:
    fields = {"name": "The Mekong Ledger", "feed_url": site.url("/feed/"), "country": "KH"}
    return SourceSettings(**{**fields, **changes})


def serve_ledger(site, *, conditional=False):
    feed = site.fixture("ledger-feed.xml")
    if conditional:
        site.routes["/feed/"] = changing_only_when_told(feed, "feed-v1")
    else:
        site.serve("/feed/", feed, content_type="application/rss+xml")
    for path in LEDGER_PAGES:
        site.serve(path, site.fixture("page-en.html"), content_type="text/html; charset=utf-8")


def changing_only_when_told(body: bytes, version: str, content_type="application/rss+xml"):
    def answer(request):
        response = Response(body, content_type=content_type)
        response.set_etag(version)
        response.last_modified = datetime(2026, 1, 15, 3, 5, tzinfo=UTC)
        return response.make_conditional(request)

    return answer


def read_record(warc, location):
    with (warc.folder / location.file).open("rb") as stream:
        stream.seek(location.offset)
        record = next(iter(ArchiveIterator(stream)))
        return record, record.content_stream().read()


def page_hits(site, paths=LEDGER_PAGES):
    return [site.hits(path) for path in paths]


def test_a_first_poll_fetches_every_new_page_and_archives_its_response(site, poll, warc):
    serve_ledger(site)
    report = poll(ledger(site))
    assert report.ran and report.errors == ()
    assert [page.url for page in report.new_pages] == [site.url(path) for path in LEDGER_PAGES]
    first = report.new_pages[0]
    assert (first.guid, first.language_hint, first.country_hint) == ("ledger-48213", "en", "KH")
    assert first.content_type == "text/html; charset=utf-8"
    record, body = read_record(warc, first.warc)
    assert record.rec_type == "response"
    assert record.rec_headers.get_header("WARC-Target-URI") == first.url
    assert body == site.fixture("page-en.html")
    assert report.warc_files == (first.warc.file,)


def test_every_response_is_archived_the_feed_redirects_and_errors_too(site, poll, warc):
    serve_ledger(site)
    site.serve(LEDGER_PAGES[1], b"", status=302, location="/moved")
    site.serve("/moved", b"<p>moved</p>", content_type="text/html")
    del site.routes[LEDGER_PAGES[2]]  # answers 404
    report = poll(ledger(site))
    with (warc.folder / report.warc_files[0]).open("rb") as stream:
        responses = [
            (record.rec_headers.get_header("WARC-Target-URI"), record.http_headers.get_statuscode())
            for record in ArchiveIterator(stream)
            if record.rec_type == "response"
        ]
    assert responses == [
        (site.url("/feed/"), "200"),
        (site.url(LEDGER_PAGES[0]), "200"),
        (site.url(LEDGER_PAGES[1]), "302"),
        (site.url("/moved"), "200"),
        (site.url(LEDGER_PAGES[2]), "404"),
    ]


def test_a_second_poll_of_a_feed_repeating_its_items_adds_nothing(site, poll):
    serve_ledger(site)
    first = poll(ledger(site))
    second = poll(ledger(site), first.state)
    assert second.new_pages == () and second.errors == ()
    assert set(second.known_skipped) == {site.url(path) for path in LEDGER_PAGES}
    assert page_hits(site) == [1, 1, 1]
    assert site.hits("/feed/") == 2


def test_an_entry_known_by_its_guid_is_not_fetched_again_under_a_new_address(site, poll):
    serve_ledger(site)
    state = SourceState(known=frozenset({"ledger-48213", "ledger-48190", "ledger-48122"}))
    report = poll(ledger(site), state)
    assert report.new_pages == () and page_hits(site) == [0, 0, 0]


def test_a_second_poll_gets_304s_and_fetches_nothing_that_did_not_change(site, poll):
    serve_ledger(site, conditional=True)
    site.routes["/sitemap.xml"] = changing_only_when_told(
        site.fixture("news-sitemap.xml"), "sitemap-v1", content_type="application/xml"
    )
    for path in NEWS_SITEMAP_PAGES:
        site.serve(path, site.fixture("page-km.html"), content_type="text/html")
    source = ledger(site, sitemap_url=site.url("/sitemap.xml"))
    first = poll(source)
    assert len(first.new_pages) == 6
    second = poll(source, first.state)
    assert second.new_pages == () and second.known_skipped == () and second.errors == ()
    assert second.unchanged == (site.url("/feed/"), site.url("/sitemap.xml"))
    feed_again = site.requests_to("/feed/")[1]
    assert feed_again.headers["If-None-Match"] == '"feed-v1"'
    assert feed_again.headers["If-Modified-Since"] == "Thu, 15 Jan 2026 03:05:00 GMT"
    assert page_hits(site, LEDGER_PAGES + NEWS_SITEMAP_PAGES) == [1] * 6
    assert second.state.consecutive_failures == 0


def test_a_changed_feed_brings_only_its_new_item(site, poll):
    serve_ledger(site)
    first = poll(ledger(site))
    newer = site.fixture("ledger-feed.xml").replace(
        b"<item>",
        b"<item><title>Police break up a scam call centre</title>"
        b"<link>" + site.url("/news/2026/01/16/call-centre").encode() + b"</link>"
        b"<guid isPermaLink='false'>ledger-48250</guid></item><item>",
        1,
    )
    site.serve("/feed/", newer, content_type="application/rss+xml")
    site.serve("/news/2026/01/16/call-centre", b"<p>Call centre</p>", content_type="text/html")
    second = poll(ledger(site), first.state)
    assert [page.url for page in second.new_pages] == [site.url("/news/2026/01/16/call-centre")]
    assert page_hits(site) == [1, 1, 1]


@pytest.mark.parametrize("status", [404, 500])
def test_a_feed_answering_an_error_is_reported_and_counts_towards_a_pause(site, poll, status):
    site.serve("/feed/", b"down", status=status)
    first = poll(ledger(site), pause_after_failures=2)
    (error,) = first.errors
    assert (error.stage, error.reason, error.url) == ("feed", "http_status", site.url("/feed/"))
    assert error.detail.startswith(str(status))
    assert first.state.consecutive_failures == 1 and not first.should_pause
    second = poll(ledger(site), first.state, pause_after_failures=2)
    assert second.state.consecutive_failures == 2 and second.should_pause


def test_a_poll_that_reads_its_feed_again_clears_the_failures(site, poll):
    serve_ledger(site)
    report = poll(ledger(site), SourceState(consecutive_failures=4))
    assert report.state.consecutive_failures == 0 and not report.should_pause


def test_a_feed_url_serving_a_web_page_is_reported_unreadable(site, poll):
    site.serve("/feed/", site.fixture("page-en.html"), content_type="text/html")
    (error,) = poll(ledger(site)).errors
    assert (error.stage, error.reason) == ("feed", "unreadable")
    assert "web page" in error.detail


def test_a_sitemap_index_is_followed_to_its_newest_sitemaps(site, poll):
    site.serve("/sitemap-index.xml", site.fixture("sitemap-index.xml"))
    site.serve("/sitemaps/news.xml", site.fixture("news-sitemap.xml"))
    site.serve("/sitemaps/2025-12.xml", site.fixture("news-sitemap.xml"))
    for path in NEWS_SITEMAP_PAGES:
        site.serve(path, site.fixture("page-km.html"), content_type="text/html")
    source = SourceSettings(
        name="Angkor Daily", sitemap_url=site.url("/sitemap-index.xml"), language="km"
    )
    report = poll(source, max_child_sitemaps=1)
    assert (site.hits("/sitemaps/news.xml"), site.hits("/sitemaps/2025-12.xml")) == (1, 0)
    hints = {page.listed_url.split("?")[0]: page.language_hint for page in report.new_pages}
    assert hints == {
        site.url("/km/security/7731"): "km",
        site.url("/en/security/7729"): "en",
        site.url("/th/news/5520"): "th",
    }


def test_pages_past_the_limit_wait_for_the_next_poll_newest_first(site, poll):
    serve_ledger(site)
    feed = site.fixture("ledger-feed.xml")
    head, _, rest = feed.partition(b"<item>")
    items, _, tail = (b"<item>" + rest).rpartition(b"</item>")
    oldest_first = b"</item>".join(reversed((items + b"</item>").split(b"</item>")[:-1]))
    site.serve("/feed/", head + oldest_first + b"</item>" + tail)
    first = poll(ledger(site), max_new_pages=1)
    assert [page.url for page in first.new_pages] == [site.url(LEDGER_PAGES[0])]
    assert first.deferred == tuple(site.url(path) for path in LEDGER_PAGES[1:])
    second = poll(ledger(site), first.state, max_new_pages=1)
    assert [page.url for page in second.new_pages] == [site.url(LEDGER_PAGES[1])]


def test_a_page_robots_txt_forbids_is_reported_not_fetched_and_not_asked_again(site, poll):
    serve_ledger(site)
    site.robots("User-agent: *\nDisallow: /news/2026/01/14/\n")
    first = poll(ledger(site))
    (error,) = first.errors
    assert (error.stage, error.reason) == ("page", "robots_disallowed")
    assert len(first.new_pages) == 2 and page_hits(site) == [1, 0, 1]
    second = poll(ledger(site), first.state)
    assert second.errors == () and page_hits(site) == [1, 0, 1]


def test_a_page_that_timed_out_is_tried_again_at_the_next_poll(
    site, poll, make_fetcher, warc, stalled
):
    serve_ledger(site)
    site.routes[LEDGER_PAGES[1]] = stalled
    impatient = make_fetcher(retries=0, read_timeout=0.5)
    first = poll_source(ledger(site), SourceState(), fetcher=impatient, warc=warc)
    assert [error.reason for error in first.errors] == ["timeout"]
    serve_ledger(site)
    second = poll(ledger(site), first.state)
    assert [page.url for page in second.new_pages] == [site.url(LEDGER_PAGES[1])]


def test_a_redirected_page_is_known_by_both_addresses_and_archived_where_it_ended(site, poll, warc):
    serve_ledger(site)
    site.serve(LEDGER_PAGES[0], b"", status=301, location="/news/bavet-seizure")
    site.serve("/news/bavet-seizure", site.fixture("page-en.html"), content_type="text/html")
    report = poll(ledger(site))
    page = report.new_pages[0]
    assert (page.listed_url, page.url) == (
        site.url(LEDGER_PAGES[0]),
        site.url("/news/bavet-seizure"),
    )
    assert {page.listed_url, page.url} <= report.state.known
    record, body = read_record(warc, page.warc)
    assert record.rec_headers.get_header("WARC-Target-URI") == site.url("/news/bavet-seizure")
    assert record.http_headers.get_statuscode() == "200"
    assert body == site.fixture("page-en.html")


def test_a_switched_off_source_is_not_polled(site, poll):
    serve_ledger(site)
    report = poll(ledger(site, enabled=False))
    assert not report.ran and report.new_pages == ()
    assert site.hits("/feed/") == 0 and site.hits("/robots.txt") == 0


def test_a_source_with_no_feed_or_sitemap_says_so(site, poll):
    (error,) = poll(SourceSettings(name="Nothing set")).errors
    assert (error.stage, error.reason) == ("source", "no_listing")
