"""Per-client rate limits on the costly public answers, so one client cannot keep every worker busy.

Searches (the search page, the API's search and lists, feeds, browse, overview and figures pages,
the figures' CSV files) and exports (which stream a whole result set) are counted per client in
fixed windows: with RATE_LIMITS["search"] = (120, 60), a client's 121st search within one minute,
counted from the full minute, is refused with 429 and a Retry-After header until the next minute
begins. Pages get an HTML explanation, the API its usual JSON error. Signed-in staff are never
limited, and RATE_LIMIT_ENABLED=0 turns the limits off (the test suite and the benchmarks, which
hammer the site from one address).

Counts live in the "ratelimit" cache, files shared by every worker of a host. A file cache has
no atomic increment, so two workers counting the same client at the same instant may count
once: a limit can let a few requests too many through, never refuse one too early.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from search.api.errors import CORS_HEADER, ApiError, json_response

logger = logging.getLogger(__name__)

SEARCH = "search"
EXPORT = "export"
# URL name -> the limit its requests count against. Article pages, static files, the admin and
# the health check are not listed: they are cheap, or only for staff.
LIMITED_VIEWS = {
    "search:search": SEARCH,
    "search:api_search": SEARCH,
    "search:api_taxonomy": SEARCH,
    "search:api_figures": SEARCH,
    "search:feed": SEARCH,
    "search:browse": SEARCH,
    "search:tag_page": SEARCH,
    "search:province_page": SEARCH,
    "search:overview": SEARCH,
    "search:figures": SEARCH,
    "search:figure_reports": SEARCH,
    "search:figures_csv": SEARCH,
    "search:export": EXPORT,
    "search:export_list": EXPORT,
    "search:figure_export": EXPORT,
}
WHAT_IS_COUNTED = {SEARCH: "searches", EXPORT: "exports"}
CACHE_ALIAS = "ratelimit"
API_PREFIX = "/api/"
# An IPv6 client is usually given a whole /64 network: counted per address, it could change
# address on every request.
IPV6_CLIENT_PREFIX = 64
PERIODS = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}

clock: Callable[[], float] = time.time  # replaced by tests to move time on without waiting


@dataclass(frozen=True)
class Decision:
    """Whether a request may go ahead, and the seconds until its client's window starts afresh."""

    allowed: bool
    count: int
    retry_after: int


def count_request(cache, key: str, *, limit: tuple[int, int], now: float) -> Decision:
    """Count one request under `key` in the current window of `limit` (requests, seconds)."""
    requests, seconds = limit
    window = int(now // seconds)
    remaining = (window + 1) * seconds - now
    stored = cache.get(key)  # (window number, requests counted in it)
    count = stored[1] + 1 if stored and stored[0] == window else 1
    # Kept a second past the window's end; a later window overwrites it anyway.
    cache.set(key, (window, count), timeout=math.ceil(remaining) + 1)
    return Decision(
        allowed=count <= requests, count=count, retry_after=max(1, math.ceil(remaining))
    )


def client_address(request: HttpRequest) -> str:
    """Return the client's IP address (also django-axes' idea of the client).

    Behind our TLS proxy (BEHIND_TLS_PROXY) that is the last X-Forwarded-For entry, the one the
    proxy itself added: earlier entries are whatever the client chose to send, and trusting them
    would let anyone escape a limit or a lockout by inventing a new address per request.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        nearest = forwarded.rsplit(",", 1)[-1].strip()
        if _is_ip_address(nearest):
            return nearest
    return request.META.get("REMOTE_ADDR", "")


def client_key(address: str) -> str:
    """Return the identity counted for an address: itself for IPv4, its /64 network for IPv6."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:  # an IPv4 client reaching a dual-stack socket
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))


def describe_limit(name: str, limit: tuple[int, int]) -> str:
    """Return a limit as people say it: "120 searches a minute"."""
    requests, seconds = limit
    period = PERIODS.get(seconds) or f"per {seconds} seconds"
    return f"{requests} {WHAT_IS_COUNTED[name]} {period}"


def too_many_requests(request: HttpRequest, name: str, decision: Decision) -> HttpResponse:
    """Return the 429 answer: the API's JSON error under /api/, an HTML page elsewhere."""
    limit = settings.RATE_LIMITS[name]
    message = (
        f"Too many {WHAT_IS_COUNTED[name]} from your address: the limit is "
        f"{describe_limit(name, limit)}. Try again in {decision.retry_after} seconds."
    )
    if request.path.startswith(API_PREFIX):
        response = json_response(ApiError(429, message).payload(), status=429)
        response[CORS_HEADER] = "*"
    else:
        context = {"message": message, "retry_after": decision.retry_after}
        response = HttpResponse(render_to_string("429.html", context, request), status=429)
    response["Retry-After"] = str(decision.retry_after)
    return response


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class RateLimitMiddleware:
    """Refuse a client's requests to a limited view once it has used up the window's limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> HttpResponse | None:
        name = LIMITED_VIEWS.get(request.resolver_match.view_name)
        if name is None or not settings.RATE_LIMIT_ENABLED:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_staff:
            return None
        client = client_key(client_address(request))
        decision = count_request(
            caches[CACHE_ALIAS],
            f"ratelimit:{name}:{client}",
            limit=settings.RATE_LIMITS[name],
            now=clock(),
        )
        if decision.allowed:
            return None
        if decision.count == settings.RATE_LIMITS[name][0] + 1:  # once per window and client
            logger.warning("Rate limit %r reached by %s on %s", name, client, request.path)
        return too_many_requests(request, name, decision)
