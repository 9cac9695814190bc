"""A health check for load balancers and docker-compose: is the database answering?"""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse

from config.middleware import RETRY_AFTER_SECONDS, outage


def health(request):
    """Return 200 "ok" when the database answers a query, else 503 with the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        outage.failed(error)
        response = HttpResponse(
            f"database unavailable: {type(error).__name__}", status=503, content_type="text/plain"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Polled every few seconds: the outage is logged once, not on every poll.
        response._has_been_logged = True
        return response
    return HttpResponse("ok", content_type="text/plain")
