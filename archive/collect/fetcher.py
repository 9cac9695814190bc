"""Fetching one URL politely, and keeping every HTTP exchange exactly as it went over the wire.

The HTTP library is urllib3 (MIT, no dependencies, already here under trafilatura): it streams a
body in the pieces the socket delivers (`read1`), so a slow drip meets its deadline and a 50 MB
page is cut at the limit without being read into memory; it has separate connect and read
timeouts and a connection pool per host; and with its own redirects and retries turned off, every
hop and every retried answer passes through here, to be counted, checked against robots.txt and
archived. httpx would add five packages for what we do not use (async, HTTP/2); the standard
library's urllib follows redirects by itself, has one timeout for everything and reuses no
connection.

One Fetcher serves one thread: it remembers when it last asked each host, and each host's
robots.txt.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.exceptions import HTTPError, NewConnectionError, ProtocolError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from archive.collect.responses import Exchange, Failure, FetchResult, header_value
from archive.collect.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    RobotsRules,
    robots_url,
    rules_from_response,
)

ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.8"
)
# Only what zlib undoes: brotli is not asked for, having no decoder here.
ACCEPT_ENCODING = "gzip, deflate"
READ_CHUNK = 64 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Worth asking again after a pause; other 4xx will say the same thing next time.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# RFC 9309 §2.4: a cached robots.txt may be used for up to 24 hours.
ROBOTS_CACHE_SECONDS = 24 * 3600
# An unreachable robots.txt forbids the host only until it is asked again, this much later.
ROBOTS_UNREACHABLE_CACHE_SECONDS = 15 * 60
_UNANSWERED = frozenset(
    {Failure.TIMEOUT, Failure.DEADLINE, Failure.CONNECTION, Failure.BAD_ENCODING}
)
# RFC 9110's token characters: a product name may hold these and no spaces.
_PRODUCT = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(/[A-Za-z0-9!#$%&'*+.^_`|~-]+)?$")


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of politeness and patience; seconds and bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # the longest silence between two pieces of a response
    deadline: float = 60.0  # a whole response, headers to last byte; stops a slow drip
    max_body_bytes: int = 20 * 1024 * 1024  # larger than any article page, PDFs included
    max_redirects: int = 5
    retries: int = 3  # after the first try, for timeouts, dropped connections, 5xx and 429
    backoff: float = 2.0  # the first retry waits this long, each next one twice the last
    max_retry_after: float = 120.0  # a longer Retry-After ends the fetch: the next poll retries
    host_delay: float = 5.0  # between two requests to one host
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay is honoured up to this


def build_user_agent(product: str, contact: str) -> str:
    """Return a User-Agent naming the crawler and how its operators can be reached.

    `build_user_agent("EnforcementArchive/1.0", "press@example.org")` gives
    "EnforcementArchive/1.0 (+mailto:press@example.org)"; a contact may also be a web page.
    """
    if not _PRODUCT.match(product):
        raise ValueError(
            f"The crawler's product name {product!r} must be one word with an optional "
            "/version, like 'EnforcementArchive/1.0'."
        )
    contact = contact.strip()
    if not contact:
        raise ValueError(
            "The crawler needs a contact (an e-mail address or a web page) so that the sites "
            "it reads can reach whoever runs it: set one."
        )
    if "@" in contact and "://" not in contact and not contact.startswith("mailto:"):
        contact = f"mailto:{contact}"
    return f"{product} (+{contact})"


def normalize_url(url: str) -> str:
    """Return url as it goes on the wire: IDNA host, percent-encoded path and query, no fragment.

    Raises ValueError for anything but an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = parts.port
    except (UnicodeError, ValueError) as error:
        raise ValueError(f"bad host or port in {url!r} ({error})") from error
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    # "%" is kept so that what is already encoded stays as it is; the rest of the reserved
    # characters keep their meaning (RFC 3986 §2.2).
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=?")
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def parse_retry_after(value: str, *, now: datetime) -> float | None:
    """Return the seconds a Retry-After header asks for (a number or an HTTP date), or None."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def decode_content(body: bytes, content_encoding: str, *, max_bytes: int) -> bytes:
    """Return body with its Content-Encoding undone; ValueError if it cannot be or is too large.

    The output is capped as it is made, so a gzip bomb stops at max_bytes.
    """
    # Codings are listed in the order they were applied: undo them last first.
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        if coding == "identity":
            continue
        if coding in ("gzip", "x-gzip"):
            body = _inflate(body, zlib.MAX_WBITS | 16, max_bytes)
        elif coding == "deflate":
            # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
            try:
                body = _inflate(body, zlib.MAX_WBITS, max_bytes)
            except zlib.error:
                body = _inflate(body, -zlib.MAX_WBITS, max_bytes)
        else:
            raise ValueError(f"content coding {coding!r} is not one we can undo")
    return body


def _inflate(data: bytes, wbits: int, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, max_bytes + 1)
    if len(out) > max_bytes:
        raise _TooLarge(f"decompresses to more than {max_bytes} bytes")
    return out + inflater.flush()


class _TooLarge(ValueError):
    pass


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Attempt:
    """One request's outcome: the exchange when a response came, else only the failure."""

    exchange: Exchange | None
    failure: Failure | None = None
    detail: str = ""


class Fetcher:
    """Fetches URLs within a FetchPolicy, as one polite client with one User-Agent."""

    def __init__(
        self,
        *,
        user_agent: str,
        policy: FetchPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utc_now,
        pool: urllib3.PoolManager | None = None,
    ):
        # sleep and clock pace the requests (host delay, backoff, robots.txt's age): tests give
        # their own so that nothing waits. Deadlines run on the real clock, as sockets do.
        self.user_agent = user_agent
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._clock = clock
        self._now = now
        self._pool = pool or urllib3.PoolManager(num_pools=50, maxsize=1, retries=False)
        self._last_request_at: dict[str, float] = {}  # host -> clock() at its last response
        self._robots: dict[str, tuple[RobotsRules, float]] = {}  # robots URL -> rules, expiry

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._pool.clear()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
        """Return what url answers, asking only for a change when etag or last_modified is known.

        A 304 is a result with `not_modified`; every other outcome that is not a 2xx carries an
        `error` and a `detail`.
        """
        extra = {}
        if etag:
            extra["If-None-Match"] = etag
        if last_modified:
            extra["If-Modified-Since"] = last_modified
        return self._fetch(
            url,
            extra_headers=extra,
            max_bytes=self.policy.max_body_bytes,
            max_redirects=self.policy.max_redirects,
            obey_robots=True,
        )

    def robots_rules(self, url: str) -> RobotsRules:
        """Return the robots.txt rules for url's host, fetching them when not cached."""
        address = robots_url(url)
        cached = self._robots.get(address)
        if cached is not None and self._clock() < cached[1]:
            return cached[0]
        result = self._fetch(
            address,
            extra_headers={},
            max_bytes=ROBOTS_MAX_BYTES,
            max_redirects=ROBOTS_MAX_REDIRECTS,
            obey_robots=False,
        )
        # A robots.txt past the size limit is read as far as the limit (RFC 9309 §2.5); one
        # that stalled or came garbled was not answered.
        answered = result.status is not None and result.error not in _UNANSWERED
        rules = rules_from_response(result.status if answered else None, result.body)
        lifetime = (
            ROBOTS_UNREACHABLE_CACHE_SECONDS
            if rules.verdict == "disallow_all"
            else ROBOTS_CACHE_SECONDS
        )
        self._robots[address] = (rules, self._clock() + lifetime)
        return rules

    def _fetch(
        self,
        url: str,
        *,
        extra_headers: dict[str, str],
        max_bytes: int,
        max_redirects: int,
        obey_robots: bool,
    ) -> FetchResult:
        started_at = self._now()
        try:
            current = normalize_url(url)
        except ValueError as error:
            return self._result(url, url, [], None, started_at, Failure.BAD_URL, str(error))
        visited = [current]
        exchanges: list[Exchange] = []
        while True:
            if obey_robots:
                refusal = self._robots_refusal(current)
                if refusal is not None:
                    return self._result(url, current, exchanges, None, started_at, *refusal)
            attempt = self._request_with_retries(current, extra_headers, max_bytes, exchanges)
            if attempt.failure is not None or attempt.exchange.status not in REDIRECT_STATUSES:
                break
            location = header_value(attempt.exchange.headers, "Location")
            try:
                target = normalize_url(urljoin(current, location)) if location else ""
            except ValueError:
                target = ""
            if not target:
                attempt.failure = Failure.BAD_REDIRECT
                attempt.detail = f"{attempt.exchange.status} with Location {location!r}"
                break
            if target in visited:
                attempt.failure = Failure.REDIRECT_LOOP
                attempt.detail = " -> ".join([*visited, target])
                break
            if len(visited) > max_redirects:
                attempt.failure = Failure.TOO_MANY_REDIRECTS
                attempt.detail = f"more than {max_redirects} redirects from {url}"
                break
            visited.append(target)
            current = target
        failure, detail, last = attempt.failure, attempt.detail, attempt.exchange
        if failure is None and last.status >= 400:
            failure, detail = Failure.HTTP_STATUS, f"{last.status} {last.reason}".strip()
        return self._result(
            url, current, exchanges, last, started_at, failure, detail, max_bytes=max_bytes
        )

    def _robots_refusal(self, url: str) -> tuple[Failure, str] | None:
        rules = self.robots_rules(url)
        if rules.allows(url, self.user_agent):
            return None
        if rules.verdict == "disallow_all":
            return Failure.ROBOTS_UNREACHABLE, f"{rules.reason}: not fetching {url} for now"
        return Failure.ROBOTS_DISALLOWED, f"robots.txt forbids {url}"

    def _request_with_retries(
        self, url: str, extra_headers: dict[str, str], max_bytes: int, exchanges: list[Exchange]
    ) -> _Attempt:
        """Ask until an answer is final or the retries run out; return the last attempt."""
        for attempt_number in range(self.policy.retries + 1):
            self._wait_for_host(url)
            attempt = self._request(url, extra_headers, max_bytes)
            self._last_request_at[_host(url)] = self._clock()
            if attempt.exchange is not None:
                exchanges.append(attempt.exchange)
            if attempt_number == self.policy.retries:
                break
            wait = self._retry_wait(attempt, attempt_number)
            if wait is None:
                break
            self._sleep(wait)
        return attempt

    def _retry_wait(self, attempt: _Attempt, attempt_number: int) -> float | None:
        """Return how long to wait before asking again, or None not to ask again."""
        backoff = self.policy.backoff * 2**attempt_number
        if attempt.failure in (Failure.TIMEOUT, Failure.CONNECTION):
            return backoff
        exchange = attempt.exchange
        if attempt.failure is not None or exchange.status not in RETRYABLE_STATUSES:
            return None
        asked = parse_retry_after(header_value(exchange.headers, "Retry-After"), now=self._now())
        if asked is None:
            return backoff
        if asked > self.policy.max_retry_after:
            attempt.failure = Failure.RATE_LIMITED
            attempt.detail = (
                f"{exchange.status} asking to come back in {asked:.0f} s, more than the "
                f"{self.policy.max_retry_after:.0f} s we wait within one fetch"
            )
            return None
        return max(backoff, asked)

    def _wait_for_host(self, url: str) -> None:
        host = _host(url)
        last = self._last_request_at.get(host)
        if last is None:
            return
        delay = self.policy.host_delay
        cached = self._robots.get(robots_url(url))
        if cached is not None:
            asked = cached[0].crawl_delay(self.user_agent)
            if asked is not None:
                delay = max(delay, min(asked, self.policy.max_crawl_delay))
        remaining = last + delay - self._clock()
        if remaining > 0:
            self._sleep(remaining)

    def _request(self, url: str, extra_headers: dict[str, str], max_bytes: int) -> _Attempt:
        """Send one GET and read its response within the timeouts, deadline and size limit."""
        # Host is given, not left to http.client, so that the headers recorded are those sent.
        headers = {
            "Host": urlsplit(url).netloc,
            "User-Agent": self.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
            **extra_headers,
        }
        policy = self.policy
        started_at = self._now()
        deadline_at = time.monotonic() + policy.deadline
        timeout = urllib3.Timeout(
            connect=policy.connect_timeout, read=min(policy.read_timeout, policy.deadline)
        )
        try:
            response = self._pool.urlopen(
                "GET",
                url,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                timeout=timeout,
                assert_same_host=False,
            )
        except NewConnectionError as error:  # a subclass of the timeout error, so first
            return _Attempt(None, Failure.CONNECTION, _describe(error))
        except Urllib3Timeout as error:
            return _Attempt(None, Failure.TIMEOUT, _describe(error))
        except (HTTPError, OSError) as error:
            return _Attempt(None, Failure.CONNECTION, _describe(error))
        body, truncated, failure, detail = _read_body(response, max_bytes, deadline_at)
        if truncated:
            response.close()  # the rest is unread: this connection cannot be reused
        else:
            response.release_conn()
        exchange = Exchange(
            url=url,
            method="GET",
            request_headers=tuple(headers.items()),
            protocol=_protocol(response.version),
            status=response.status,
            reason=response.reason or "",
            # Repeated headers are all kept, next to the first of their name.
            headers=tuple(response.headers.items()),
            body=body,
            started_at=started_at,
            truncated=truncated,
        )
        return _Attempt(exchange, failure, detail)

    def _result(
        self,
        url: str,
        final_url: str,
        exchanges: list[Exchange],
        last: Exchange | None,
        started_at: datetime,
        failure: Failure | None,
        detail: str,
        *,
        max_bytes: int = 0,
    ) -> FetchResult:
        if last is None:  # no answer, or refused before asking
            return FetchResult(
                url=url,
                final_url=final_url,
                status=None,
                headers=(),
                body=b"",
                fetched_at=started_at,
                error=failure,
                detail=detail,
                exchanges=tuple(exchanges),
            )
        body = last.body
        coding = header_value(last.headers, "Content-Encoding")
        if coding and body:
            try:
                body = decode_content(body, coding, max_bytes=max_bytes)
            except _TooLarge as error:
                body, failure, detail = b"", failure or Failure.TOO_LARGE, str(error)
            except (ValueError, zlib.error) as error:
                body, failure, detail = b"", failure or Failure.BAD_ENCODING, str(error)
        return FetchResult(
            url=url,
            final_url=last.url,
            status=last.status,
            headers=last.headers,
            body=body,
            fetched_at=last.started_at,
            error=failure,
            detail=detail,
            exchanges=tuple(exchanges),
        )


def _read_body(
    response: urllib3.BaseHTTPResponse, max_bytes: int, deadline_at: float
) -> tuple[bytes, str, Failure | None, str]:
    """Return (body, WARC-Truncated reason or "", failure, detail), reading no more than allowed."""
    chunks: list[bytes] = []
    size = 0
    declared = response.headers.get("Content-Length", "")
    while True:
        if time.monotonic() > deadline_at:
            return b"".join(chunks), "time", Failure.DEADLINE, f"still sending after {size} bytes"
        try:
            # read1 returns what the socket has, so the deadline is checked between pieces.
            chunk = response.read1(READ_CHUNK, decode_content=False)
        except Urllib3Timeout as error:
            return b"".join(chunks), "time", Failure.TIMEOUT, _describe(error)
        except (ProtocolError, HTTPError, OSError) as error:
            return b"".join(chunks), "disconnect", Failure.CONNECTION, _describe(error)
        if not chunk:
            return b"".join(chunks), "", None, ""
        if size + len(chunk) > max_bytes:
            chunks.append(chunk[: max_bytes - size])
            announced = f" of {declared} announced" if declared else ""
            detail = f"cut at {max_bytes} bytes{announced}"
            return b"".join(chunks), "length", Failure.TOO_LARGE, detail
        chunks.append(chunk)
        size += len(chunk)


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _protocol(version: int) -> str:
    return {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(version, "HTTP/1.1")


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
