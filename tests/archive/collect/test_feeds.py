"""RSS and Atom read into entries; what is not a feed says what it is instead."""

from datetime import UTC, datetime

import pytest

from archive.collect.feeds import FeedError, parse_feed

from .conftest import FIXTURES

BASE = "https://ledger.example"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"{base}", BASE.encode())


def test_an_rss_feed_gives_each_item_with_its_link_title_time_and_guid():
    feed = parse_feed(fixture("ledger-feed.xml"), url=f"{BASE}/feed/")
    assert feed.title == "The Mekong Ledger: Crime" and feed.language == "en"
    first = feed.entries[0]
    assert first.url == f"{BASE}/news/2026/01/15/bavet-seizure"
    assert first.title.startswith("Customs officers seize 40 kilograms")
    assert first.published == datetime(2026, 1, 15, 2, 30, tzinfo=UTC)
    assert [entry.guid for entry in feed.entries] == [
        "ledger-48213",
        "ledger-48190",
        "ledger-48122",
    ]


def test_a_relative_link_is_resolved_against_the_feeds_address():
    feed = parse_feed(fixture("ledger-feed.xml"), url=f"{BASE}/feed/")
    assert feed.entries[1].url == f"{BASE}/news/2026/01/14/betting-compound-charges"


def test_an_atom_feed_in_khmer_gives_its_entries_and_language():
    feed = parse_feed(fixture("khmer-feed.xml"), url=f"{BASE}/km/feed.atom")
    assert feed.language == "km"
    assert [entry.url for entry in feed.entries] == [
        f"{BASE}/km/security/7731",
        f"{BASE}/km/security/7702",
    ]
    assert feed.entries[0].title.startswith("នគរបាលចាប់ខ្លួន")
    assert feed.entries[0].published == datetime(2026, 1, 15, 3, 40, tzinfo=UTC)
    # No <published>: the <updated> time stands in.
    assert feed.entries[1].published == datetime(2026, 1, 14, 8, 20, tzinfo=UTC)
    assert feed.entries[0].guid == "tag:angkor-daily.example,2026:7731"


def test_a_feed_cut_off_halfway_keeps_the_items_before_the_cut():
    whole = fixture("ledger-feed.xml")
    cut = whole[: whole.index(b"<item>", whole.index(b"</item>"))] + b"<item><title>Thr"
    feed = parse_feed(cut, url=f"{BASE}/feed/")
    assert [entry.guid for entry in feed.entries] == ["ledger-48213"]
    assert feed.warning.startswith("read in part")


def test_items_without_a_link_are_counted_not_kept():
    content = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>No link</title><guid isPermaLink="false">x1</guid></item>
      <item><title>Mail</title><link>mailto:desk@ledger.example</link></item>
      <item><title>Good</title><link>https://ledger.example/a</link></item>
    </channel></rss>"""
    feed = parse_feed(content)
    assert [entry.url for entry in feed.entries] == ["https://ledger.example/a"]
    assert feed.skipped == 2


def test_a_guid_that_is_a_permalink_serves_as_the_link():
    content = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>A</title><guid>https://ledger.example/story/9</guid></item>
    </channel></rss>"""
    assert parse_feed(content).entries[0].url == "https://ledger.example/story/9"


def test_a_guid_is_kept_as_the_feed_wrote_it_even_when_it_could_pass_for_a_path():
    content = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>A</title><link>https://ledger.example/a</link><guid>48213</guid></item>
    </channel></rss>"""
    assert parse_feed(content, url=f"{BASE}/feed/").entries[0].guid == "48213"


def test_an_item_listed_twice_is_kept_once():
    item = b"<item><title>A</title><link>https://ledger.example/a</link></item>"
    content = b"<rss version='2.0'><channel><title>T</title>" + item * 2 + b"</channel></rss>"
    assert len(parse_feed(content).entries) == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"<!DOCTYPE html><html><body><p>Subscribe!</p></body></html>", "web page"),
        (b'{"items": []}', "not an RSS or Atom feed"),
    ],
)
def test_what_is_not_a_feed_gives_a_clear_reason(content, reason):
    with pytest.raises(FeedError, match=reason):
        parse_feed(content)
