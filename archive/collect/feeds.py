"""RSS and Atom feeds read into entries: bytes in, plain data out, nothing fetched.

Read with feedparser (BSD-2-Clause), which takes RSS 0.9x to 2.0, RSS 1.0 and Atom, undoes
their date formats and survives a feed cut off halfway (the entries before the cut are kept).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser

# The head of a response looked at to tell a web page that is not a feed.
_SNIFF_BYTES = 1024


class FeedError(ValueError):
    """The bytes are not a feed that can be read; the message says what they are instead."""


@dataclass(frozen=True)
class FeedEntry:
    url: str  # absolute http(s), resolved against the feed's URL
    title: str
    published: datetime | None  # UTC; the entry's published time, else its updated time
    guid: str  # the feed's own id for the entry, as written; "" when it has none


@dataclass(frozen=True)
class Feed:
    title: str
    language: str  # as the feed declares it ("km", "en-US"), or ""
    entries: tuple[FeedEntry, ...]
    skipped: int = 0  # entries with no http(s) link
    warning: str = ""  # what was wrong with a feed that could still be read


def parse_feed(content: bytes, *, url: str = "", content_type: str = "") -> Feed:
    """Return the feed's entries; FeedError when content is not a readable RSS or Atom feed.

    url is where the feed came from (relative links are resolved against it); content_type
    the response's Content-Type, whose charset feedparser weighs against the XML's own.
    """
    if not content.strip():
        raise FeedError("the response is empty, not a feed")
    # Only the Content-Type is passed: given the feed's URL as well, feedparser would also turn
    # guids into URLs, and a guid is kept as the feed wrote it.
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(content, response_headers=headers)
    problem = parsed.get("bozo_exception")
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(_not_a_feed(content, problem))
    entries = []
    seen = set()
    skipped = 0
    for item in parsed.entries:
        link = _entry_link(item, url)
        if not link:
            skipped += 1
            continue
        if link in seen:
            continue
        seen.add(link)
        entries.append(
            FeedEntry(
                url=link,
                title=(item.get("title") or "").strip(),
                published=_entry_time(item),
                guid=(item.get("id") or "").strip(),
            )
        )
    return Feed(
        title=(parsed.feed.get("title") or "").strip(),
        language=(parsed.feed.get("language") or "").strip(),
        entries=tuple(entries),
        skipped=skipped,
        warning=f"read in part: {problem}" if parsed.get("bozo") and problem else "",
    )


def _not_a_feed(content: bytes, problem: Exception | None) -> str:
    head = content[:_SNIFF_BYTES].lower()
    if b"<html" in head or b"<!doctype html" in head:
        return "not an RSS or Atom feed: the response is a web page (HTML)"
    if problem is not None:
        return f"not an RSS or Atom feed: {problem}"
    return "not an RSS or Atom feed: no channel or entries found"


def _entry_link(item, feed_url: str) -> str:
    # feedparser already takes a permalink guid as the link when there is no <link>.
    link = (item.get("link") or "").strip()
    if not link:
        return ""
    link = urljoin(feed_url, link) if feed_url else link
    return link if urlsplit(link).scheme in ("http", "https") else ""


def _entry_time(item) -> datetime | None:
    parsed = item.get("published_parsed") or item.get("updated_parsed")
    if parsed is None:
        return None
    # feedparser gives struct_time in UTC; timegm reads it as such.
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
