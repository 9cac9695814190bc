"""What a fetch gives back: each HTTP exchange as it went over the wire, and the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

Headers = tuple[tuple[str, str], ...]  # (name, value) in the order received, repeats kept


class Failure(StrEnum):
    """Why a fetch gave no usable page; the values are stable, for logs and stored state."""

    BAD_URL = "bad_url"  # not an http(s) URL, or one that cannot be encoded
    ROBOTS_DISALLOWED = "robots_disallowed"  # the host's robots.txt forbids it for us
    ROBOTS_UNREACHABLE = "robots_unreachable"  # robots.txt answered 5xx or not at all
    CONNECTION = "connection"  # refused, reset, DNS, TLS...
    TIMEOUT = "timeout"  # no connection or no data within the timeouts
    DEADLINE = "deadline"  # the whole response took longer than allowed (a slow drip)
    TOO_LARGE = "too_large"  # the body passed the size limit and was cut
    BAD_ENCODING = "bad_encoding"  # a Content-Encoding we cannot undo (corrupt gzip, brotli)
    REDIRECT_LOOP = "redirect_loop"  # a redirect led back to a URL already visited
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_REDIRECT = "bad_redirect"  # a 3xx without a usable Location
    RATE_LIMITED = "rate_limited"  # 429/503 with a Retry-After longer than we wait
    HTTP_STATUS = "http_status"  # the final answer was 4xx or 5xx


def header_value(headers: Headers, name: str) -> str:
    """Return the first value of a header (names compared case-insensitively), or ""."""
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), "")


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response it got, as sent and as received."""

    url: str  # the request's target, percent-encoded as sent
    method: str
    request_headers: Headers
    protocol: str  # "HTTP/1.1"
    status: int
    reason: str
    headers: Headers
    # As received: any Content-Encoding kept (what a WARC stores), Transfer-Encoding undone.
    body: bytes
    started_at: datetime  # when the request went out (the WARC-Date)
    # The WARC-Truncated reason when the body was cut: "length" (size limit) or "time"
    # (deadline or a read that timed out mid-body); "" when it is whole.
    truncated: str = ""


@dataclass(frozen=True)
class FetchResult:
    """The outcome of fetching one URL, after redirects and retries."""

    url: str  # as asked
    final_url: str  # where the last response came from
    status: int | None  # the last response's status; None when none came
    headers: Headers
    body: bytes  # the last response's body with its Content-Encoding undone
    fetched_at: datetime
    error: Failure | None = None
    detail: str = ""  # what happened, for a person reading the poll report
    # Every exchange that got a response, in order: redirects, retried 5xx, the last one.
    exchanges: tuple[Exchange, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    def header(self, name: str) -> str:
        """Return the first value of a header of the last response, or ""."""
        return header_value(self.headers, name)
