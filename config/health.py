"""A health check for load balancers and docker-compose: is the database answering?"""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse


def health(request):
    """Return 200 "ok" when the database answers a query, else 503 with the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return HttpResponse(
            f"database unavailable: {type(error).__name__}", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
