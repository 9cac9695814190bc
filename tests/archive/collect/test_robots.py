"""What a robots.txt response means for us (RFC 9309), without a server."""

import pytest

from archive.collect.robots import robots_url, rules_from_response

AGENT = "EnforcementArchive/1.0 (+mailto:archive-team@example.org)"


@pytest.mark.parametrize(
    ("status", "verdict"),
    [(404, "allow_all"), (403, "allow_all"), (429, "disallow_all"), (503, "disallow_all")],
)
def test_a_robots_txt_error_means_allow_for_4xx_and_forbid_for_5xx_and_429(status, verdict):
    rules = rules_from_response(status, b"")
    assert rules.verdict == verdict
    assert rules.allows("https://news.example/a", AGENT) is (verdict == "allow_all")


def test_no_answer_at_all_forbids_everything():
    assert not rules_from_response(None, b"").allows("https://news.example/a", AGENT)


def test_the_longest_matching_rule_wins():
    rules = rules_from_response(200, b"User-agent: *\nDisallow: /news/\nAllow: /news/public/\n")
    assert rules.allows("https://news.example/news/public/1", AGENT)
    assert not rules.allows("https://news.example/news/private/1", AGENT)


def test_a_byte_order_mark_does_not_hide_the_first_line():
    rules = rules_from_response(200, "\ufeffUser-agent: *\nDisallow: /\n".encode())
    assert not rules.allows("https://news.example/a", AGENT)


def test_the_crawl_delay_for_our_agent_is_read():
    rules = rules_from_response(200, b"User-agent: EnforcementArchive\nCrawl-delay: 12\n")
    assert rules.crawl_delay(AGENT) == 12.0


def test_robots_txt_lives_at_the_root_of_the_same_scheme_host_and_port():
    assert robots_url("https://news.example:8443/km/a?x=1#y") == (
        "https://news.example:8443/robots.txt"
    )
