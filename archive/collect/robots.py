"""What a host's robots.txt lets us fetch, by the rules of RFC 9309.

Parsed with Protego (Scrapy's robots.txt parser, BSD-3-Clause, no dependencies, fetches nothing):
unlike the standard library's urllib.robotparser it implements the RFC's matching, the longest
rule wins and `*` and `$` are wildcards (`Disallow: /*?print=`), which outlets' files use.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

# RFC 9309 §2.5: a crawler must parse at least the first 500 kibibytes; we read no more.
ROBOTS_MAX_BYTES = 512 * 1024
# RFC 9309 §2.3.1.2: follow at least five redirects for robots.txt.
ROBOTS_MAX_REDIRECTS = 5


@dataclass(frozen=True)
class RobotsRules:
    """One host's answer: everything allowed, everything forbidden, or a parsed file's rules."""

    verdict: str  # "rules", "allow_all" (no robots.txt) or "disallow_all" (unreachable)
    reason: str = ""  # why allow_all or disallow_all, for the fetch's detail
    parsed: Protego | None = None

    def allows(self, url: str, user_agent: str) -> bool:
        """Return whether user_agent may fetch url."""
        if self.verdict == "allow_all":
            return True
        if self.verdict == "disallow_all" or self.parsed is None:
            return False
        return self.parsed.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        """Return the Crawl-delay the file asks of user_agent, in seconds, if any."""
        return self.parsed.crawl_delay(user_agent) if self.parsed is not None else None


def robots_url(url: str) -> str:
    """Return the robots.txt URL that governs url (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def rules_from_response(status: int | None, body: bytes) -> RobotsRules:
    """Return the rules a robots.txt response means (RFC 9309 §2.3.1); status None: no answer."""
    if status is None:
        return RobotsRules("disallow_all", reason="robots.txt could not be fetched")
    # 429 is a 4xx, but it says "come back later", not "there is no file": Google treats it as
    # a server error, and so do we.
    if status >= 500 or status == 429:
        return RobotsRules("disallow_all", reason=f"robots.txt answered {status}")
    if status >= 400:
        return RobotsRules("allow_all", reason=f"robots.txt answered {status}")
    if not 200 <= status < 300:
        # Still a redirect after ROBOTS_MAX_REDIRECTS hops: the RFC says treat it as missing.
        return RobotsRules("allow_all", reason=f"robots.txt ended on {status}")
    return RobotsRules("rules", parsed=Protego.parse(body.decode("utf-8-sig", errors="replace")))
