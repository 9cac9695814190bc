"""`manage.py follow_sources` against a real local server: new pages become articles through the
same ingest, robots.txt and conditional requests are honoured, and the WARC it writes can be
ingested again to the same articles."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from werkzeug import Response

from archive.ingest.batch import ingest_paths
from archive.models import Article, Capture, FollowedPage, Source
from tests.archive.ingest_web.warcs import fixture_page

pytestmark = pytest.mark.django_db

PAGES = {
    "/news/2026/01/15/bavet-seizure": "en-ledger-sihanoukville-raid",
    "/news/2026/01/14/betting-compound-charges": "en-riverside-scam-trial-cp1252",
    "/news/2026/01/13/pangolin-case": "en-kns-customs-timber",
}
FORBIDDEN = "/news/2026/01/13/pangolin-case"


@pytest.fixture
def following(settings, tmp_path):
    settings.FOLLOW_CONTACT = "archive-team@example.org"
    settings.FOLLOW_WARC_DIR = tmp_path / "captures"
    settings.FOLLOW_HOST_DELAY_SECONDS = 0
    settings.FOLLOW_RETRIES = 0
    return settings


@pytest.fixture
def ledger(site):
    feed = site.fixture("ledger-feed.xml")

    def conditional_feed(request):
        response = Response(feed, content_type="application/rss+xml")
        response.set_etag("feed-v1")
        response.last_modified = datetime(2026, 1, 15, 3, 5, tzinfo=UTC)
        return response.make_conditional(request)

    site.routes["/feed/"] = conditional_feed
    for path, page in PAGES.items():
        site.serve(path, fixture_page(page), content_type="text/html")
    site.robots(f"User-agent: *\nDisallow: {FORBIDDEN}\n")
    return Source.objects.create(
        name="The Mekong Ledger",
        slug="the-mekong-ledger",
        following=True,
        feed_url=site.url("/feed/"),
    )


def run(*args) -> str:
    out = StringIO()
    call_command("follow_sources", *args, stdout=out)
    return out.getvalue()


def test_a_poll_ingests_the_new_pages_robots_txt_allows(following, site, ledger):
    output = run("--once")
    assert "The Mekong Ledger: 2 new page(s)" in output
    assert "2 created" in output
    assert site.hits(FORBIDDEN) == 0
    articles = Article.objects.order_by("title")
    assert articles.count() == 2
    assert {article.source.name for article in articles} == {"The Mekong Ledger"}
    captured = {capture.url for capture in Capture.objects.all()}
    assert captured == {site.url(path) for path in PAGES if path != FORBIDDEN}
    ledger.refresh_from_db()
    assert ledger.last_polled_at is not None and ledger.last_new_count == 2
    assert "robots" in ledger.last_error
    assert FollowedPage.objects.filter(source=ledger).count() >= 3  # the forbidden one too


def test_a_second_poll_fetches_nothing_that_did_not_change(following, site, ledger):
    run("--once")
    hits = {path: site.hits(path) for path in PAGES}
    output = run("--source", "The Mekong Ledger")
    assert "0 new page(s)" in output and "1 listing(s) unchanged" in output
    assert {path: site.hits(path) for path in PAGES} == hits
    (second_feed_request,) = site.requests_to("/feed/")[1:]
    assert second_feed_request.headers["If-None-Match"] == '"feed-v1"'
    assert Article.objects.count() == 2


def test_the_warc_written_ingests_again_to_the_same_articles(following, site, ledger):
    run("--once")
    before = sorted(Article.objects.values_list("title", "body"))
    warcs = sorted(following.FOLLOW_WARC_DIR.glob("*.warc.gz"))
    assert warcs
    Article.objects.all().delete()
    report = ingest_paths([str(path) for path in warcs])
    assert report.created == 2
    assert sorted(Article.objects.values_list("title", "body")) == before


def test_a_source_not_due_is_left_alone(following, site, ledger):
    run("--once")
    feed_requests = site.hits("/feed/")
    run("--once")
    assert site.hits("/feed/") == feed_requests


def test_repeated_failures_pause_a_source(following, site, ledger):
    site.serve("/feed/", "down", status=500)
    Source.objects.filter(pk=ledger.pk).update(consecutive_failures=4)
    output = run("--once")
    assert "paused after repeated failures" in output
    ledger.refresh_from_db()
    assert ledger.paused and ledger.consecutive_failures == 5
    assert run("--once") == ""  # a paused source is not due


def test_following_needs_a_contact_address(following, site, ledger):
    following.FOLLOW_CONTACT = ""
    with pytest.raises(CommandError, match=re.escape("FOLLOW_CONTACT is not set")):
        run("--once")


def test_a_source_named_but_not_followed_is_refused(following, site, ledger):
    with pytest.raises(CommandError, match="not a followed source: Nobody"):
        run("--source", "Nobody")
