"""Which HTTP methods the site answers, and how it refuses the others.

Public pages only read: they answer GET and HEAD. An OPTIONS request to an address that exists is
answered with the methods allowed and no body (a page rendered for it once streamed a whole 16 MB
export); TRACE or any other method gets 405 Method Not Allowed, naming the methods too. The admin
answers POST as well, for its forms; the API answers every method itself, in JSON.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import Resolver404, resolve

READ = ("GET", "HEAD")
PAGES = (*READ, "OPTIONS")
ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"
NEVER = ("TRACE", "TRACK", "CONNECT")


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        method, path = request.method, request.path
        if path.startswith(API_PREFIX) or method in READ:
            return self.get_response(request)
        if path.startswith(ADMIN_PREFIX):
            return refused((*READ, "POST")) if method in NEVER else self.get_response(request)
        if method == "OPTIONS" and _exists(path):
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(PAGES)
            return response
        if method == "OPTIONS":
            return self.get_response(request)  # the site's 404, as for a GET
        return refused(PAGES)


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def refused(allowed: tuple[str, ...]) -> HttpResponse:
    return HttpResponseNotAllowed(
        allowed,
        f"This address answers {', '.join(allowed)} only.\n",
        content_type="text/plain; charset=utf-8",
    )
