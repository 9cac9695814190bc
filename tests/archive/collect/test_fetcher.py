"""The polite fetcher against a real local server: robots.txt, delays, conditional GET, limits."""

from __future__ import annotations

import gzip
import socket
import time
from datetime import UTC, datetime

import pytest
from werkzeug import Response

from archive.collect.fetcher import (
    build_user_agent,
    decode_content,
    normalize_url,
    parse_retry_after,
)
from archive.collect.responses import Failure

from .conftest import USER_AGENT

KHMER_PAGE = "<p>នគរបាលចាប់ខ្លួនជនសង្ស័យពីរនាក់</p>".encode()


def test_a_page_comes_back_with_its_status_headers_and_bytes_as_served(site, make_fetcher):
    site.serve("/news/1", b"<p>Raid</p>", content_type="text/html", X_Outlet="Ledger")
    result = make_fetcher().fetch(site.url("/news/1"))
    assert result.ok and result.error is None
    assert (result.status, result.body) == (200, b"<p>Raid</p>")
    assert result.final_url == site.url("/news/1")
    assert result.header("x-outlet") == "Ledger"
    (exchange,) = result.exchanges
    assert exchange.url == site.url("/news/1") and exchange.reason == "OK"
    assert dict(exchange.request_headers)["User-Agent"] == USER_AGENT


def test_the_user_agent_names_the_product_and_a_contact_the_server_sees(site, make_fetcher):
    site.serve("/a", b"ok")
    make_fetcher().fetch(site.url("/a"))
    (request,) = site.requests_to("/a")
    assert request.headers["User-Agent"] == (
        "EnforcementArchive/1.0 (+mailto:archive-team@example.org)"
    )
    assert build_user_agent("Archive", "https://example.org/crawler") == (
        "Archive (+https://example.org/crawler)"
    )


@pytest.mark.parametrize(("product", "contact"), [("Archive/1.0", "  "), ("My Archive", "a@b.org")])
def test_a_user_agent_without_a_contact_or_with_a_spaced_name_is_refused(product, contact):
    with pytest.raises(ValueError, match=r"contact|one word"):
        build_user_agent(product, contact)


def test_a_path_robots_txt_forbids_is_never_asked_for(site, make_fetcher):
    site.robots("User-agent: *\nDisallow: /private/\n")
    site.serve("/private/report", b"secret")
    site.serve("/public/report", b"open")
    fetcher = make_fetcher()
    refused = fetcher.fetch(site.url("/private/report"))
    assert refused.error == Failure.ROBOTS_DISALLOWED and refused.status is None
    assert site.hits("/private/report") == 0
    assert fetcher.fetch(site.url("/public/report")).ok


def test_robots_txt_rules_for_our_crawler_win_over_the_general_ones(site, make_fetcher):
    site.robots("User-agent: EnforcementArchive\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    site.serve("/a", b"ok")
    assert make_fetcher().fetch(site.url("/a")).error == Failure.ROBOTS_DISALLOWED
    assert site.hits("/a") == 0


def test_robots_txt_wildcards_are_understood(site, make_fetcher):
    site.robots("User-agent: *\nDisallow: /*?print=\n")
    site.serve("/news/7", b"ok")
    fetcher = make_fetcher()
    assert fetcher.fetch(site.url("/news/7?print=1")).error == Failure.ROBOTS_DISALLOWED
    assert fetcher.fetch(site.url("/news/7")).ok


def test_a_robots_txt_answering_500_means_nothing_is_fetched_for_now(site, make_fetcher):
    site.serve("/robots.txt", b"oops", status=500)
    site.serve("/a", b"ok")
    result = make_fetcher(retries=0).fetch(site.url("/a"))
    assert result.error == Failure.ROBOTS_UNREACHABLE
    assert "500" in result.detail
    assert site.hits("/a") == 0


def test_a_missing_robots_txt_allows_everything(site, make_fetcher):
    site.serve("/a", b"ok")  # /robots.txt answers 404
    assert make_fetcher().fetch(site.url("/a")).ok
    assert site.hits("/robots.txt") == 1


def test_robots_txt_is_asked_once_per_host(site, make_fetcher):
    site.robots("User-agent: *\nAllow: /\n")
    site.serve("/a", b"a")
    site.serve("/b", b"b")
    fetcher = make_fetcher()
    fetcher.fetch(site.url("/a"))
    fetcher.fetch(site.url("/b"))
    assert site.hits("/robots.txt") == 1


def test_requests_to_one_host_are_spaced_by_the_host_delay(site, make_fetcher, slept):
    site.serve("/a", b"a")
    site.serve("/b", b"b")
    fetcher = make_fetcher(host_delay=5.0)
    fetcher.fetch(site.url("/a"))  # robots.txt, then /a: one wait between them
    fetcher.fetch(site.url("/b"))
    assert len(slept) == 2
    assert all(4.0 < wait <= 5.0 for wait in slept)


def test_a_crawl_delay_longer_than_ours_is_honoured_up_to_the_cap(site, make_fetcher, slept):
    site.robots("User-agent: *\nCrawl-delay: 30\n")
    site.serve("/a", b"a")
    make_fetcher(host_delay=1.0, max_crawl_delay=20.0).fetch(site.url("/a"))
    assert len(slept) == 1 and 19.0 < slept[0] <= 20.0


def conditional(body: bytes, etag: str, last_modified: datetime):
    def answer(request):
        response = Response(body, content_type="application/rss+xml")
        response.set_etag(etag)
        response.last_modified = last_modified
        return response.make_conditional(request)

    return answer


def test_a_known_etag_is_sent_and_the_304_reported(site, make_fetcher):
    site.routes["/feed"] = conditional(b"<rss/>", "v1", datetime(2026, 1, 15, tzinfo=UTC))
    fetcher = make_fetcher()
    first = fetcher.fetch(site.url("/feed"))
    assert first.ok and first.header("ETag") == '"v1"'
    again = fetcher.fetch(site.url("/feed"), etag=first.header("ETag"))
    assert again.not_modified and not again.ok and again.body == b""
    assert site.requests_to("/feed")[1].headers["If-None-Match"] == '"v1"'


def test_a_known_last_modified_is_sent_and_the_304_reported(site, make_fetcher):
    site.routes["/feed"] = conditional(b"<rss/>", "v1", datetime(2026, 1, 15, tzinfo=UTC))
    fetcher = make_fetcher()
    stamp = fetcher.fetch(site.url("/feed")).header("Last-Modified")
    assert stamp == "Thu, 15 Jan 2026 00:00:00 GMT"
    assert fetcher.fetch(site.url("/feed"), last_modified=stamp).not_modified
    assert site.requests_to("/feed")[1].headers["If-Modified-Since"] == stamp


def test_a_server_that_does_not_answer_in_time_is_a_timeout_tried_again(
    site, make_fetcher, slept, stalled
):
    site.routes["/slow"] = stalled  # answers only once the test is over
    result = make_fetcher(read_timeout=0.15, retries=1, backoff=3.0).fetch(site.url("/slow"))
    assert result.error == Failure.TIMEOUT and result.status is None
    assert site.hits("/slow") == 2
    assert 3.0 in slept  # the backoff before the second try


def test_a_slow_drip_is_cut_at_the_deadline(site, make_fetcher):
    def drip(request):
        def pieces():
            for _ in range(200):
                yield b"x"
                time.sleep(0.02)  # 4 s in all, each piece well within the read timeout

        return Response(pieces(), content_type="text/html")

    site.routes["/drip"] = drip
    result = make_fetcher(read_timeout=5.0, deadline=0.5, retries=0).fetch(site.url("/drip"))
    assert result.error == Failure.DEADLINE and result.status == 200
    (exchange,) = result.exchanges
    assert exchange.truncated == "time"
    assert 0 < len(exchange.body) < 200


class Counter:
    def __init__(self):
        self.sent = 0


def fifty_megabytes(counter: Counter, *, announce: bool):
    size = 50 * 1024 * 1024
    piece = b"0" * (64 * 1024)

    def answer(request):
        def pieces():
            while counter.sent < size:
                counter.sent += len(piece)
                yield piece

        headers = {"Content-Length": str(size)} if announce else {}
        return Response(pieces(), content_type="text/html", headers=headers)

    return answer


@pytest.mark.parametrize("announce", [False, True], ids=["streamed", "announced"])
def test_a_50_mb_page_is_cut_at_the_size_limit_without_being_read_whole(
    site, make_fetcher, announce
):
    counter = Counter()
    site.routes["/huge"] = fifty_megabytes(counter, announce=announce)
    result = make_fetcher(max_body_bytes=1024 * 1024, retries=0).fetch(site.url("/huge"))
    assert result.error == Failure.TOO_LARGE and result.status == 200
    assert "cut at 1048576 bytes" in result.detail
    (exchange,) = result.exchanges
    assert exchange.truncated == "length" and len(exchange.body) == 1024 * 1024
    # The server stops when the connection closes: at most what the sockets' buffers hold.
    assert counter.sent < 20 * 1024 * 1024


def test_a_gzip_bomb_stops_at_the_size_limit(site, make_fetcher):
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # about 20 kB
    site.serve("/bomb", bomb, content_type="text/html", content_encoding="gzip")
    result = make_fetcher(max_body_bytes=1024 * 1024).fetch(site.url("/bomb"))
    assert result.error == Failure.TOO_LARGE and result.body == b""
    assert result.exchanges[0].body == bomb  # kept as received, for the archive


def test_a_gzipped_page_is_kept_compressed_and_given_decoded(site, make_fetcher):
    site.serve("/z", gzip.compress(KHMER_PAGE), content_type="text/html", content_encoding="gzip")
    result = make_fetcher().fetch(site.url("/z"))
    assert result.ok and result.body == KHMER_PAGE
    assert gzip.decompress(result.exchanges[0].body) == KHMER_PAGE
    assert site.requests_to("/z")[0].headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=iso-8859-1", "text/html"], ids=["wrong", "missing"]
)
def test_a_wrong_or_missing_charset_is_carried_through_as_bytes_and_headers(
    site, make_fetcher, content_type
):
    site.serve("/km", KHMER_PAGE, content_type=content_type)
    result = make_fetcher().fetch(site.url("/km"))
    assert result.body == KHMER_PAGE
    assert result.header("Content-Type") == content_type


def test_a_redirect_is_followed_and_each_hop_kept(site, make_fetcher):
    site.serve("/old", b"", status=301, location="/new")
    site.serve("/new", b"moved here")
    result = make_fetcher().fetch(site.url("/old"))
    assert result.ok and result.final_url == site.url("/new") and result.body == b"moved here"
    assert [exchange.status for exchange in result.exchanges] == [301, 200]


def test_a_redirect_loop_is_reported(site, make_fetcher):
    site.serve("/a", b"", status=302, location="/b")
    site.serve("/b", b"", status=302, location=site.url("/a"))
    result = make_fetcher().fetch(site.url("/a"))
    assert result.error == Failure.REDIRECT_LOOP
    assert (site.hits("/a"), site.hits("/b")) == (1, 1)
    assert result.detail.endswith("/b -> " + site.url("/a"))


def test_redirects_past_the_limit_are_reported(site, make_fetcher):
    for step in range(10):
        site.serve(f"/r/{step}", b"", status=307, location=f"/r/{step + 1}")
    result = make_fetcher(max_redirects=3).fetch(site.url("/r/0"))
    assert result.error == Failure.TOO_MANY_REDIRECTS
    assert [site.hits(f"/r/{step}") for step in range(5)] == [1, 1, 1, 1, 0]


def test_a_redirect_into_a_forbidden_path_is_not_followed(site, make_fetcher):
    site.robots("User-agent: *\nDisallow: /private/\n")
    site.serve("/go", b"", status=302, location="/private/x")
    result = make_fetcher().fetch(site.url("/go"))
    assert result.error == Failure.ROBOTS_DISALLOWED
    assert site.hits("/private/x") == 0
    assert [exchange.status for exchange in result.exchanges] == [302]


def test_a_503_with_retry_after_is_asked_again_after_the_time_it_asks(site, make_fetcher, slept):
    answers = iter([Response("busy", status=503, headers={"Retry-After": "7"}), Response("ok")])
    site.routes["/busy"] = lambda request: next(answers)
    result = make_fetcher(backoff=1.0).fetch(site.url("/busy"))
    assert result.ok and result.body == b"ok"
    assert 7.0 in slept
    assert [exchange.status for exchange in result.exchanges] == [503, 200]


def test_a_retry_after_beyond_the_cap_ends_the_fetch_as_rate_limited(site, make_fetcher):
    site.serve("/busy", b"later", status=429, retry_after="3600")
    result = make_fetcher(max_retry_after=60.0).fetch(site.url("/busy"))
    assert result.error == Failure.RATE_LIMITED and "3600" in result.detail
    assert site.hits("/busy") == 1


def test_a_5xx_is_retried_with_exponential_backoff(site, make_fetcher, slept):
    site.serve("/down", b"down", status=502)
    result = make_fetcher(retries=3, backoff=2.0, host_delay=0.0).fetch(site.url("/down"))
    assert result.error == Failure.HTTP_STATUS and result.status == 502
    assert site.hits("/down") == 4
    assert slept == [2.0, 4.0, 8.0]


def test_a_404_is_not_retried(site, make_fetcher):
    result = make_fetcher().fetch(site.url("/gone"))
    assert result.error == Failure.HTTP_STATUS and result.status == 404
    assert result.detail == "404 NOT FOUND"
    assert site.hits("/gone") == 1


def test_a_host_that_cannot_be_reached_is_not_fetched(make_fetcher):
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = make_fetcher(retries=0).fetch(f"http://127.0.0.1:{port}/a")
    assert result.error == Failure.ROBOTS_UNREACHABLE and result.status is None


def test_a_khmer_path_is_percent_encoded_on_the_wire(site, make_fetcher):
    site.serve("/km/សន្តិសុខ/7731", KHMER_PAGE)
    result = make_fetcher().fetch(site.url("/km/សន្តិសុខ/7731"))
    assert result.ok and result.body == KHMER_PAGE
    assert "%E1%9E%9F" in result.final_url


def test_a_url_that_is_not_http_is_refused_without_a_request(make_fetcher):
    result = make_fetcher().fetch("ftp://example.org/feed")
    assert result.error == Failure.BAD_URL and result.exchanges == ()


def test_urls_are_normalised_for_the_wire():
    punycode = "xn--" + "ខ្មែរ".encode("punycode").decode("ascii")
    assert normalize_url("https://ខ្មែរ.example/a b?q=ក#top") == (
        f"https://{punycode}.example/a%20b?q=%E1%9E%80"
    )
    assert normalize_url("HTTP://Example.org:8080/%E1%9E%80") == "http://example.org:8080/%E1%9E%80"
    with pytest.raises(ValueError):
        normalize_url("/relative/path")


def test_retry_after_is_read_as_seconds_or_as_a_date():
    now = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    assert parse_retry_after("120", now=now) == 120.0
    assert parse_retry_after("Thu, 15 Jan 2026 08:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("soon", now=now) is None


def test_deflate_is_undone_wrapped_or_raw():
    import zlib

    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw_body = raw.compress(b"text") + raw.flush()
    assert decode_content(zlib.compress(b"text"), "deflate", max_bytes=100) == b"text"
    assert decode_content(raw_body, "deflate", max_bytes=100) == b"text"
    with pytest.raises(ValueError, match="br"):
        decode_content(b"...", "br", max_bytes=100)
