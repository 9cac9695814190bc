"""The API's answers other than 200, and the wrapper every endpoint goes through.

Every answer, errors included, is JSON and carries `Access-Control-Allow-Origin: *`: the data is
public and nothing here changes state, so any web page may read it. An error's shape:
    {"error": {"status": 400, "message": "...", "parameter": "page"}}
"""

from __future__ import annotations

import functools

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from search.backends.base import SearchUnavailable

ALLOWED_METHODS = ("GET", "HEAD")
CORS_HEADER = "Access-Control-Allow-Origin"


class ApiError(Exception):
    """An answer other than 200: its status, a sentence for people and the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter

    def payload(self) -> dict:
        error = {"status": self.status, "message": self.message}
        if self.parameter is not None:
            error["parameter"] = self.parameter
        return {"error": error}


def json_response(data: dict, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def api_view(view):
    """Wrap a view: GET and HEAD only, every error as JSON, CORS on every answer."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            if request.method not in ALLOWED_METHODS:
                raise ApiError(
                    405,
                    f"{request.method} is not allowed: the API is read-only; use GET.",
                )
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = json_response(error.payload(), status=error.status)
        except SearchUnavailable as error:
            unavailable = ApiError(
                503, f"Search is being rebuilt; try again in a few minutes. ({error})"
            )
            response = json_response(unavailable.payload(), status=503)
        if response.status_code == 405:
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        response[CORS_HEADER] = "*"
        return response

    # Nothing here changes state, so there is no request to forge; without this a POST would
    # meet the CSRF check's HTML 403 instead of the API's JSON 405.
    return csrf_exempt(wrapped)


def not_found(request, exception=None):
    """The site's 404 handler: JSON under /api/, the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        error = ApiError(404, f"No API endpoint at {request.path}; the list is at /api/v1/.")
        response = json_response(error.payload(), status=404)
        response[CORS_HEADER] = "*"
        return response
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
