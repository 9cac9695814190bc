"""Atom feeds of searches: valid Atom, the search's newest reports, new matches appear."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(client, query=""):
    response = client.get(reverse("search:feed") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content


def assert_valid_atom(content: bytes) -> ET.Element:
    """The rules of RFC 4287 a reader relies on, checked on the XML itself."""
    parsed = feedparser.parse(content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = ET.fromstring(content)
    assert feed.tag == f"{ATOM}feed"

    def one(element, name):
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{element.tag} needs exactly one {name}"
        return found[0]

    for name in ("id", "title", "updated"):
        assert one(feed, name).text
    dt.datetime.fromisoformat(one(feed, "updated").text)
    entries = feed.findall(f"{ATOM}entry")
    if not feed.findall(f"{ATOM}author"):
        assert all(entry.findall(f"{ATOM}author") for entry in entries)
    assert [link.get("rel") for link in feed.findall(f"{ATOM}link")].count("self") == 1
    ids = []
    for entry in entries:
        ids.append(one(entry, "id").text)
        assert one(entry, "title").text
        dt.datetime.fromisoformat(one(entry, "updated").text)
        alternate = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        ]
        assert len(alternate) == 1 and alternate[0].get("href").startswith("http")
    assert len(ids) == len(set(ids))
    return feed


def entry_titles(content: bytes) -> list[str]:
    return [entry.title for entry in feedparser.parse(content).entries]


def test_feed_of_a_search_is_valid_atom_with_its_newest_matches_first(client, corpus):
    content = fetch(client, "country=KH&crime_type=gambling&sort=oldest&page=2")
    feed = assert_valid_atom(content)
    # Sorting and paging are not part of a feed: it is always the newest first. Gambling
    # includes online gambling, as on the page.
    assert entry_titles(content) == [
        "Online betting ring broken up",
        "Casino raided in Poipet",
        "<script>alert('title')</script> Casino report",
    ]
    assert feed.find(f"{ATOM}title").text == (
        "Country: Cambodia · Crime type: Gambling · Enforcement Reports Archive"
    )
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert (
        self_link.get("href")
        == "http://testserver/feeds/search.atom?country=KH&crime_type=gambling"
    )
    entry = feedparser.parse(content).entries[1]
    assert entry.id == f"http://testserver/articles/{corpus['casino'].pk}/"
    assert {tag.term for tag in entry.tags} == {"Cambodia", "Gambling"}


def test_feed_changes_when_a_matching_report_is_added(client, corpus):
    before = fetch(client, "q=casino&country=KH")
    assert_valid_atom(before)
    article = factories.make_article(
        title="Second casino closed in Bavet",
        body="Police closed a casino in Bavet.",
        year=2026,
        published_date=dt.date(2026, 11, 1),
    )
    factories.tag(article, factories.country("KH"))
    unrelated = factories.make_article(title="Casino in Laos", body="A casino in Laos.", year=2026)
    factories.tag(unrelated, factories.country("LA"))
    apply_pending()
    after = fetch(client, "q=casino&country=KH")
    assert_valid_atom(after)
    assert entry_titles(after)[0] == "Second casino closed in Bavet"
    assert "Casino in Laos" not in entry_titles(after)
    assert entry_titles(after)[1:] == entry_titles(before)
    assert feedparser.parse(after).feed.updated != feedparser.parse(before).feed.updated


def test_an_empty_search_feed_is_still_valid(client, corpus):
    content = fetch(client, "q=nothingmatchesthisword")
    assert_valid_atom(content)
    assert entry_titles(content) == []


def test_feed_escapes_untrusted_text(client, corpus):
    content = fetch(client, "q=casino")
    assert b"<script>" not in content
    assert b"&lt;script&gt;" in content


def test_feed_without_an_index_answers_503(client, corpus, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "nowhere"
    response = client.get(reverse("search:feed"))
    assert response.status_code == 503
