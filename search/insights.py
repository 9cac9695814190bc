"""Browse pages per tag and the overview (being written)."""

from django.http import Http404


def browse_index(request):
    raise Http404


def tag_page(request, facet, value):
    raise Http404


def overview(request):
    raise Http404
