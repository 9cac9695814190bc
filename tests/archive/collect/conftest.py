"""A real HTTP server on 127.0.0.1 for the collect tests, and a fetcher that never really waits.

The server (pytest-httpserver's, threaded, so a slow handler holds up no other request) sends
every request to `Site.routes`, a dict from path to a function of the werkzeug Request; a path
with no route answers 404, robots.txt included, which means "everything allowed".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from archive.collect.fetcher import Fetcher, FetchPolicy, build_user_agent

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "collect"
USER_AGENT = build_user_agent("EnforcementArchive/1.0", "archive-team@example.org")
# Roomy timeouts, so that a busy machine fails no test; the tests of slow servers set short ones.
FAST_POLICY = FetchPolicy(
    connect_timeout=5.0,
    read_timeout=5.0,
    deadline=10.0,
    max_body_bytes=1024 * 1024,
    retries=2,
    backoff=2.0,
    host_delay=5.0,
)


class Site:
    """What the local server answers, and what it was asked."""

    def __init__(self, server: HTTPServer):
        self.server = server
        self.base = server.url_for("").rstrip("/")
        self.routes: dict[str, Callable[[Request], Response]] = {}
        # As they arrive: the server's own log has a request only once it is answered.
        self.arrived: list[Request] = []

    def url(self, path: str) -> str:
        return self.base + path

    def fixture(self, name: str) -> bytes:
        """Return a fixture file's bytes with {base} pointing at this server."""
        return (FIXTURES / name).read_bytes().replace(b"{base}", self.base.encode("ascii"))

    def serve(self, path: str, body: bytes | str, *, status: int = 200, **headers: str) -> None:
        """Answer path with a fixed response; header names are given with _ for -."""
        names = {key.replace("_", "-"): value for key, value in headers.items()}
        self.routes[path] = lambda request: Response(body, status=status, headers=names)

    def robots(self, text: str) -> None:
        self.serve("/robots.txt", text, content_type="text/plain")

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.arrived if request.path == path]

    def hits(self, path: str) -> int:
        return len(self.requests_to(path))

    def _dispatch(self, request: Request) -> Response:
        self.arrived.append(request)
        route = self.routes.get(request.path)
        if route is None:
            return Response("not here", status=404)
        return route(request)


@pytest.fixture(scope="module")
def server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def site(server):
    server.clear()
    site = Site(server)
    server.expect_request(re.compile(".*")).respond_with_handler(site._dispatch)
    return site


@pytest.fixture
def stalled():
    """A handler that answers only once the test is over: any timeout meets it."""
    over = threading.Event()

    def answer(request):
        over.wait(timeout=10)
        return Response("too late")

    yield answer
    over.set()


@pytest.fixture
def slept():
    """The waits the fetcher asked for, in seconds, instead of waiting."""
    return []


@pytest.fixture
def make_fetcher(slept):
    fetchers = []

    def make(**policy_changes) -> Fetcher:
        policy = FetchPolicy(**{**FAST_POLICY.__dict__, **policy_changes})
        fetcher = Fetcher(user_agent=USER_AGENT, policy=policy, sleep=slept.append)
        fetchers.append(fetcher)
        return fetcher

    yield make
    for fetcher in fetchers:
        fetcher.close()
