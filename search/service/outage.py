"""The page any search-backed page answers while the index cannot be read: a 503 saying why.

The search page, the browse pages, the overview and the exports all send it, so it lives below
them all: the exports need not import the pages to answer as they do.
"""

from django.http import HttpResponse
from django.shortcuts import render

from search.backends.base import SearchUnavailable


def unavailable(request, error: SearchUnavailable) -> HttpResponse:
    return render(request, "search/unavailable.html", {"reason": str(error)}, status=503)
