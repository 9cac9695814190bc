"""Answer 503, not a traceback, while the database is unreachable; tell clients when to retry.

A request whose view meets a database error of the connection kind (OperationalError,
InterfaceError: the server is down, restarting, refusing connections, or the SQLite file is
gone) gets a short 503 page, or the API's JSON error under /api/. Nothing on that path touches
the database: the page is a standalone template rendered without the request's context.

Django closes a connection that failed (`conn_health_checks`, and the errors_occurred check at
the end of every request), so the next request connects afresh: the site recovers by itself
once the database answers again, with no restart.

Logging: the first failure of an outage is logged once per process, without a traceback; later
failures are only counted, and the recovery is logged with that count. Django's own per-request
"Service Unavailable" line is suppressed for these answers, so an outage under load does not
bury the log.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before retrying any 503 (database down, index rebuilding):
# long enough not to hammer a recovering server, short enough that people come back soon.
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
API_PREFIX = "/api/"
# The message both the page and the API give.
DATABASE_DOWN = (
    "The archive's database is not answering right now. Please try again in a minute or two."
)


class DatabaseOutage:
    """The state of the current outage in this process: when it began and how many requests
    it has turned away. Thread-safe (gunicorn may run threads)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.started: float | None = None
        self.failures = 0

    @property
    def active(self) -> bool:
        return self.started is not None

    def failed(self, error: Exception) -> None:
        """Count a request the database failed; log only the first of an outage."""
        with self._lock:
            self.failures += 1
            if self.started is not None:
                return
            self.started = time.monotonic()
        # str(error) carries the driver's reason (refused, timed out, no such file...).
        logger.error(
            "Database unavailable, answering 503 until it returns: %s: %s",
            type(error).__name__,
            str(error).strip(),
        )

    def recovered(self) -> None:
        """End the outage, if there is one, logging how long it lasted."""
        with self._lock:
            if self.started is None:
                return
            seconds, failures = time.monotonic() - self.started, self.failures
            self.started, self.failures = None, 0
        logger.info(
            "Database reachable again after %.0f s; %d requests were answered 503.",
            seconds,
            failures,
        )


outage = DatabaseOutage()


def database_unavailable_response(request) -> HttpResponse:
    """Return the 503 answer for a request the database could not serve."""
    if request.path.startswith(API_PREFIX):
        # The API's error shape (see search.api.errors), with its CORS header.
        response = JsonResponse(
            {"error": {"status": 503, "message": DATABASE_DOWN}},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Access-Control-Allow-Origin"] = "*"
    else:
        # No request, so no context processors: `user` would query the database.
        page = loader.get_template("503.html").render({"message": DATABASE_DOWN})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx answer; the outage is logged once instead (see DatabaseOutage).
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Turn database connection errors raised by views into a 503; add Retry-After to every 503.

    Place it first (after SecurityMiddleware), so that its process_view runs before every
    other middleware's, its process_exception after theirs, and the page it returns still
    passes through them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 503:
            if not response.has_header("Retry-After"):
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        elif outage.active and connection.connection is not None:
            # This request holds a live connection (a request that never used the database,
            # an API description say, proves nothing).
            outage.recovered()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Other middleware's process_view may read the signed-in user (the rate limits exempt
        # staff); a database error there escapes process_exception and ends as a 500 with a
        # traceback. Reading the user here first turns it into the 503. Without a session
        # cookie this costs no query; with one, the page would read the user anyway.
        user = getattr(request, "user", None)
        if user is None:
            return None
        try:
            user.is_authenticated  # noqa: B018 (evaluates the lazy user)
        except DATABASE_ERRORS as error:
            return self.process_exception(request, error)
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        outage.failed(exception)
        return database_unavailable_response(request)


def server_error(request) -> HttpResponse:
    """Django's 500 handler (config/urls.py), answering 503 when the error was the database's.

    The middleware above catches database errors from views; this catches the rest, raised in
    another middleware's own code (a session saved on the way out, say), where Django hands the
    error straight to this handler. It runs inside Django's `except`, so the error is at hand.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        outage.failed(error)
        return database_unavailable_response(request)
    return defaults.server_error(request)
