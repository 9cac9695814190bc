"""Which HTTP methods the site answers, and how it refuses the others.

Public pages only read: they answer GET and HEAD. An OPTIONS request is answered with the methods
allowed and no body (a page rendered for it once streamed a whole 16 MB export), and TRACE or
any other method with 405 Method Not Allowed, also naming the methods. The admin answers POST
too, for its forms; the API refuses everything but GET and HEAD itself, in JSON.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed

READ = ("GET", "HEAD")
ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"
NEVER = ("TRACE", "TRACK", "CONNECT")


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        method, path = request.method, request.path
        if method in NEVER:
            return refused(READ if not path.startswith(ADMIN_PREFIX) else (*READ, "POST"))
        if path.startswith((ADMIN_PREFIX, API_PREFIX)) or method in READ:
            return self.get_response(request)
        if method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join((*READ, "OPTIONS"))
            return response
        return refused(READ)


def refused(allowed: tuple[str, ...]) -> HttpResponse:
    response = HttpResponseNotAllowed(
        allowed,
        f"This address answers {' and '.join(allowed)} only.\n",
        content_type="text/plain; charset=utf-8",
    )
    return response
