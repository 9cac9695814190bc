"""Sitemaps, news sitemaps and sitemap indexes read into entries: bytes in, plain data out.

Parsed with lxml, not a sitemap library: ultimate-sitemap-parser, the maintained one, can parse a
string without fetching, but it needs requests and a python-dateutil older than the one pinned
here. lxml, in its recovering mode, reads what outlets publish even when it is not well-formed,
with entities and network access turned off, so a hostile file cannot expand or reach out.
Elements are matched by local name, as outlets get the namespaces wrong too.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

# The sitemap protocol's limit for one file, uncompressed; a gzip that inflates past it is cut.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
# A "&" that starts no entity: outlets write query strings into <loc> unescaped, and the parser
# would drop "&page" from "?id=1&page=2" as a broken entity.
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")


class SitemapError(ValueError):
    """The bytes are not a sitemap that can be read; the message says why."""


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None  # UTC
    published: datetime | None  # news:publication_date, UTC
    language: str  # news:language ("km", "zh-tw"), or ""
    title: str  # news:title, or ""


@dataclass(frozen=True)
class ChildSitemap:
    url: str
    lastmod: datetime | None


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    entries: tuple[SitemapEntry, ...] = ()  # a <urlset>'s pages
    children: tuple[ChildSitemap, ...] = ()  # a <sitemapindex>'s sitemaps
    skipped: int = 0  # <url> or <sitemap> elements without a usable http(s) <loc>


def parse_sitemap(content: bytes, *, url: str = "") -> Sitemap:
    """Return a sitemap's pages or a sitemap index's sitemaps; SitemapError when unreadable.

    content may be gzipped (sitemap.xml.gz); url is where it came from, for relative <loc>s.
    """
    if content.startswith(_GZIP_MAGIC):
        content = _gunzip(content)
    if not content.strip():
        raise SitemapError("the response is empty, not a sitemap")
    content = _BARE_AMPERSAND.sub(b"&amp;", content)
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, remove_comments=True
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise SitemapError(f"not XML: {error}") from error
    if root is None:
        raise SitemapError("not XML: nothing could be read")
    kind = etree.QName(root).localname
    if kind == "urlset":
        entries, skipped = _read_urlset(root, url)
        return Sitemap(is_index=False, entries=entries, skipped=skipped)
    if kind == "sitemapindex":
        children, skipped = _read_index(root, url)
        return Sitemap(is_index=True, children=children, skipped=skipped)
    raise SitemapError(f"not a sitemap: the document is <{kind}>, not <urlset> or <sitemapindex>")


def parse_w3c_datetime(text: str) -> datetime | None:
    """Return a W3C datetime ("2026-01-15", "2026-01-15T09:30+07:00", "...Z") in UTC, or None.

    A date alone is taken as midnight UTC, a time without a zone as UTC.
    """
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _read_urlset(root, base_url: str) -> tuple[tuple[SitemapEntry, ...], int]:
    entries = []
    skipped = 0
    for element in _children_named(root, "url"):
        fields = _texts(element)
        url = _absolute(fields.get("loc", ""), base_url)
        if not url:
            skipped += 1
            continue
        news = next(_children_named(element, "news"), None)
        news_fields = _texts(news) if news is not None else {}
        publication = next(_children_named(news, "publication"), None) if news is not None else None
        publication_fields = _texts(publication) if publication is not None else {}
        entries.append(
            SitemapEntry(
                url=url,
                lastmod=parse_w3c_datetime(fields.get("lastmod", "")),
                published=parse_w3c_datetime(news_fields.get("publication_date", "")),
                language=publication_fields.get("language", ""),
                title=news_fields.get("title", ""),
            )
        )
    return tuple(entries), skipped


def _read_index(root, base_url: str) -> tuple[tuple[ChildSitemap, ...], int]:
    children = []
    skipped = 0
    for element in _children_named(root, "sitemap"):
        fields = _texts(element)
        url = _absolute(fields.get("loc", ""), base_url)
        if not url:
            skipped += 1
            continue
        lastmod = parse_w3c_datetime(fields.get("lastmod", ""))
        children.append(ChildSitemap(url=url, lastmod=lastmod))
    return tuple(children), skipped


def _children_named(element, name: str):
    return (
        child
        for child in element
        if isinstance(child.tag, str) and etree.QName(child).localname == name
    )


def _texts(element) -> dict[str, str]:
    """Return {local name: stripped text} of an element's children with text."""
    return {
        etree.QName(child).localname: (child.text or "").strip()
        for child in element
        if isinstance(child.tag, str)
    }


def _absolute(loc: str, base_url: str) -> str:
    url = urljoin(base_url, loc) if base_url else loc
    return url if loc and urlsplit(url).scheme in ("http", "https") else ""


def _gunzip(content: bytes) -> bytes:
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(content, MAX_SITEMAP_BYTES + 1)
    except zlib.error as error:
        raise SitemapError(f"a broken gzip file ({error})") from error
    if len(out) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"inflates to more than {MAX_SITEMAP_BYTES} bytes, the protocol's limit")
    return out
