"""One poll of one source: read its feed and sitemap, fetch the pages not seen before, archive.

    poll_source(SourceSettings, SourceState, fetcher=, warc=) -> PollReport

Everything fetched (feed, sitemaps, pages, their redirects and errors) is written to the WARC
files as it arrives; the report lists the new pages with where their responses were written, so
that the caller turns each into an article by ingesting that WARC record, and carries the state
to keep for the next poll. No database here: settings and state are plain data in and out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from archive.collect.feeds import FeedError, parse_feed
from archive.collect.fetcher import Fetcher
from archive.collect.responses import Failure, FetchResult
from archive.collect.sitemaps import SitemapError, parse_sitemap
from archive.collect.warc_writer import WarcLocation, WarcWriter

# Failures that will be the same next time: the entry is given up (kept among the known) rather
# than asked for again at every poll. Timeouts, dropped connections, 5xx and rate limits are not.
PERMANENT_FAILURES = frozenset(
    {
        Failure.BAD_URL,
        Failure.ROBOTS_DISALLOWED,
        Failure.TOO_LARGE,
        Failure.BAD_ENCODING,
        Failure.REDIRECT_LOOP,
        Failure.TOO_MANY_REDIRECTS,
        Failure.BAD_REDIRECT,
    }
)
# 4xx answers worth asking again: "timed out waiting" and "too many requests".
_TRANSIENT_4XX = frozenset({408, 429})


@dataclass(frozen=True)
class SourceSettings:
    """What a curator set for a source."""

    name: str
    feed_url: str = ""  # RSS or Atom
    sitemap_url: str = ""  # a (news) sitemap or a sitemap index
    language: str = ""  # hint for its pages: ISO 639-1, as the ingest takes it
    country: str = ""  # hint for its pages: ISO 3166-1 alpha-2
    enabled: bool = True


@dataclass(frozen=True)
class Validators:
    """What a server said identifies the version last fetched, to ask only for a change."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class SourceState:
    """What a source's earlier polls left behind."""

    # Entry URLs, final URLs and guids already taken, or given up for good.
    known: frozenset[str] = frozenset()
    validators: Mapping[str, Validators] = field(default_factory=dict)  # feed/sitemap URL ->
    consecutive_failures: int = 0  # polls in a row that could read no feed or sitemap


@dataclass(frozen=True)
class PollLimits:
    # A first poll of a sitemap with thousands of URLs takes the newest this many; the rest
    # wait for the next polls, the host delay spacing them out.
    max_new_pages: int = 50
    max_child_sitemaps: int = 3  # of a sitemap index, the most recently modified
    pause_after_failures: int = 5  # polls in a row that read nothing before a source pauses


@dataclass(frozen=True)
class NewPage:
    """A page fetched for the first time: its response is at `warc`, ready to be ingested."""

    url: str  # where the page answered from, after redirects
    listed_url: str  # as the feed or sitemap gave it
    guid: str  # the feed's id for it, or ""
    title: str  # the listing's title, a hint
    published: datetime | None  # the listing's date, a hint
    language_hint: str  # the listing's language, else the source's
    country_hint: str  # the source's
    content_type: str  # as the server said: HTML, or a PDF press release...
    fetched_at: datetime
    warc: WarcLocation


@dataclass(frozen=True)
class PollError:
    url: str
    stage: str  # "source", "feed", "sitemap" or "page"
    reason: str  # a Failure value, or "unreadable" for a feed or sitemap that did not parse
    detail: str


@dataclass(frozen=True)
class PollReport:
    source: str
    ran: bool  # False when the source is switched off
    new_pages: tuple[NewPage, ...] = ()
    known_skipped: tuple[str, ...] = ()  # listed entries already known: not fetched
    deferred: tuple[str, ...] = ()  # new entries past max_new_pages: next poll
    unchanged: tuple[str, ...] = ()  # feeds and sitemaps that answered 304 Not Modified
    errors: tuple[PollError, ...] = ()
    warc_files: tuple[str, ...] = ()  # written to by this poll
    state: SourceState = field(default_factory=SourceState)  # to keep for the next poll
    should_pause: bool = False  # pause_after_failures polls in a row read nothing


@dataclass(frozen=True)
class _Listed:
    """An entry of a feed or sitemap, before it is checked against the known."""

    url: str
    guid: str
    title: str
    published: datetime | None
    language: str


def poll_source(
    source: SourceSettings,
    state: SourceState,
    *,
    fetcher: Fetcher,
    warc: WarcWriter,
    limits: PollLimits | None = None,
) -> PollReport:
    """Poll one source once; return what was new, what failed, and the state to keep."""
    if not source.enabled:
        return PollReport(source=source.name, ran=False, state=state)
    return _Poll(source, state, fetcher, warc, limits or PollLimits()).run()


class _Poll:
    """The bookkeeping of one poll: what was fetched, written, learnt and what failed."""

    def __init__(
        self,
        source: SourceSettings,
        state: SourceState,
        fetcher: Fetcher,
        warc: WarcWriter,
        limits: PollLimits,
    ):
        self.source = source
        self.state = state
        self.fetcher = fetcher
        self.warc = warc
        self.limits = limits
        self.validators: dict[str, Validators] = dict(state.validators)
        self.known: set[str] = set(state.known)
        self.errors: list[PollError] = []
        self.unchanged: list[str] = []
        self.files: list[str] = []
        self.last_location: WarcLocation | None = None  # of the last response written

    def run(self) -> PollReport:
        source = self.source
        listed: list[_Listed] = []
        readable = []  # one boolean per listing tried: read, or unchanged since last time
        if source.feed_url:
            readable.append(self._read_feed(source.feed_url, listed))
        if source.sitemap_url:
            readable.append(self._read_sitemap(source.sitemap_url, listed))
        if not readable:
            self._error("", "source", "no_listing", "the source has no feed or sitemap URL")
        new, skipped = self._split_known(listed)
        to_fetch, deferred = new[: self.limits.max_new_pages], new[self.limits.max_new_pages :]
        pages = [page for entry in to_fetch if (page := self._fetch_page(entry)) is not None]
        failures = 0 if any(readable) or not readable else self.state.consecutive_failures + 1
        return PollReport(
            source=source.name,
            ran=True,
            new_pages=tuple(pages),
            known_skipped=tuple(entry.url for entry in skipped),
            deferred=tuple(entry.url for entry in deferred),
            unchanged=tuple(self.unchanged),
            errors=tuple(self.errors),
            warc_files=tuple(self.files),
            state=replace(
                self.state,
                known=frozenset(self.known),
                validators=self.validators,
                consecutive_failures=failures,
            ),
            should_pause=failures >= self.limits.pause_after_failures,
        )

    def _read_feed(self, url: str, listed: list[_Listed]) -> bool:
        result = self._fetch_listing(url, "feed")
        if result is None or result.not_modified:
            return result is not None
        try:
            feed = parse_feed(result.body, url=result.final_url, content_type=_type(result))
        except FeedError as error:
            self._error(url, "feed", "unreadable", str(error))
            return False
        listed.extend(
            _Listed(entry.url, entry.guid, entry.title, entry.published, feed.language)
            for entry in feed.entries
        )
        return True

    def _read_sitemap(self, url: str, listed: list[_Listed], *, nested: bool = False) -> bool:
        result = self._fetch_listing(url, "sitemap")
        if result is None or result.not_modified:
            return result is not None
        try:
            sitemap = parse_sitemap(result.body, url=result.final_url)
        except SitemapError as error:
            self._error(url, "sitemap", "unreadable", str(error))
            return False
        if sitemap.is_index:
            if nested:
                self._error(url, "sitemap", "unreadable", "an index within an index: not followed")
                return False
            # Newest first; those without a date after, in the index's order.
            children = sorted(
                sitemap.children, key=lambda child: (child.lastmod is None, _newest(child.lastmod))
            )
            for child in children[: self.limits.max_child_sitemaps]:
                self._read_sitemap(child.url, listed, nested=True)
            return True
        listed.extend(
            _Listed(entry.url, "", entry.title, entry.published or entry.lastmod, entry.language)
            for entry in sitemap.entries
        )
        return True

    def _fetch_listing(self, url: str, stage: str) -> FetchResult | None:
        """Return a feed's or sitemap's fresh or 304 response, or None (the error is noted)."""
        known = self.validators.get(url, Validators())
        result = self._fetch(url, known)
        if result.not_modified:
            self.unchanged.append(url)
            # A 304 may carry a newer ETag; the last version's dates stand otherwise.
            self.validators[url] = Validators(
                etag=result.header("ETag") or known.etag,
                last_modified=result.header("Last-Modified") or known.last_modified,
            )
            return result
        if not result.ok:
            self._error(url, stage, result.error or Failure.HTTP_STATUS, result.detail)
            return None
        fresh = Validators(etag=result.header("ETag"), last_modified=result.header("Last-Modified"))
        if fresh.etag or fresh.last_modified:
            self.validators[url] = fresh
        else:
            self.validators.pop(url, None)
        return result

    def _split_known(self, listed: list[_Listed]) -> tuple[list[_Listed], list[_Listed]]:
        """Return (new entries, newest first; entries already known), each URL once."""
        new, known, seen = [], [], set()
        for entry in listed:
            if entry.url in seen:
                continue
            seen.add(entry.url)
            is_known = entry.url in self.known or (entry.guid and entry.guid in self.known)
            (known if is_known else new).append(entry)
        new.sort(key=lambda entry: (entry.published is None, _newest(entry.published)))
        return new, known

    def _fetch_page(self, entry: _Listed) -> NewPage | None:
        result = self._fetch(entry.url, Validators())
        if not result.ok:
            self._error(entry.url, "page", result.error or Failure.HTTP_STATUS, result.detail)
            if _is_permanent(result):
                self._remember(entry, result)
            return None
        self._remember(entry, result)
        return NewPage(
            url=result.final_url,
            listed_url=entry.url,
            guid=entry.guid,
            title=entry.title,
            published=entry.published,
            language_hint=(entry.language or self.source.language).lower(),
            country_hint=self.source.country,
            content_type=_type(result),
            fetched_at=result.fetched_at,
            warc=self.last_location,
        )

    def _fetch(self, url: str, validators: Validators) -> FetchResult:
        """Fetch, and write every exchange to the WARC files as it came."""
        result = self.fetcher.fetch(
            url, etag=validators.etag, last_modified=validators.last_modified
        )
        for exchange in result.exchanges:
            self.last_location = self.warc.write(exchange)
            if self.last_location.file not in self.files:
                self.files.append(self.last_location.file)
        return result

    def _remember(self, entry: _Listed, result: FetchResult) -> None:
        self.known.update(key for key in (entry.url, entry.guid, result.final_url) if key)

    def _error(self, url: str, stage: str, reason: str, detail: str) -> None:
        self.errors.append(PollError(url=url, stage=stage, reason=str(reason), detail=detail))


def _is_permanent(result: FetchResult) -> bool:
    if result.error in PERMANENT_FAILURES:
        return True
    status = result.status or 0
    return (
        result.error == Failure.HTTP_STATUS
        and 400 <= status < 500
        and (status not in _TRANSIENT_4XX)
    )


def _newest(moment: datetime | None) -> float:
    """Return a sort key that puts later moments first."""
    return -moment.timestamp() if moment is not None else 0.0


def _type(result: FetchResult) -> str:
    return result.header("Content-Type")
