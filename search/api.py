"""The read-only JSON API (being written)."""

from django.http import Http404


def index(request):
    raise Http404


def openapi_document(request):
    raise Http404


def search(request):
    raise Http404


def article(request, pk):
    raise Http404


def taxonomy_list(request, facet):
    raise Http404
