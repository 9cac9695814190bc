"""The read-only JSON API, version 1: the search, articles, figures, incidents and the taxonomy
as plain data.

Each endpoint checks what it was asked (search/api/params.py), builds its answer
(search/api/payloads.py) and goes through api_view (search/api/errors.py): GET and HEAD only,
every error as JSON, `Access-Control-Allow-Origin: *` on every answer. search/api/openapi.py
describes it all.
"""

from __future__ import annotations

from django.shortcuts import redirect

from archive.grouping.display import followed_merges
from search.api.errors import ApiError, api_view, json_response
from search.api.figure_list import figures_payload
from search.api.incidents import incident_payload, incidents_payload, live_group
from search.api.openapi import build_document
from search.api.params import TAXONOMY_LISTS, VERSION, check_search_params, shown
from search.api.payloads import (
    article_payload,
    index_payload,
    search_payload,
    taxonomy_payload,
)
from search.service.article_records import site_url
from search.service.results import ResultSet, articles_by_id


@api_view
def search(request):
    """Search the archive: one page of results, facet counts and links."""
    paging = check_search_params(request.GET)
    results = ResultSet.from_params(request.GET, page_size=paging.page_size)
    return json_response(search_payload(results, paging, site_url(request)))


@api_view
def article(request, pk):
    """Return one article with its text as received and its citations."""
    found = articles_by_id([pk], whole=True).get(pk)
    if found is None:
        raise ApiError(404, f"There is no article {pk}; it may have been removed.")
    return json_response(article_payload(found, site_url(request)))


@api_view
def figures(request):
    """Return one page of the figures reports state, filtered: confirmed ones unless asked."""
    return json_response(figures_payload(request.GET, site_url(request)))


@api_view
def incidents(request):
    """Return one page of incidents and story threads, filtered."""
    return json_response(incidents_payload(request.GET, site_url(request)))


@api_view
def incident(request, pk):
    """Return one incident or story thread with its reports and their figures; a group merged
    into another redirects there."""
    group = live_group(pk)
    target = followed_merges(group)
    if target.pk != group.pk:
        return redirect("search:api_incident", pk=target.pk)
    return json_response(incident_payload(group, site_url(request)))


@api_view
def taxonomy_list(request, facet):
    """Return every entry of one taxonomy list with the number of reports about it."""
    listing = TAXONOMY_LISTS.get(facet)
    if listing is None:
        raise ApiError(
            404,
            f"There is no list called {shown(facet)}; the lists are "
            f"{', '.join(TAXONOMY_LISTS)}, and an article is at /api/{VERSION}/articles/<id>.",
        )
    return json_response(taxonomy_payload(listing, site_url(request)))


@api_view
def index(request):
    """List the endpoints and where the OpenAPI document is."""
    return json_response(index_payload(site_url(request)))


@api_view
def openapi_document(request):
    """Return the OpenAPI 3.1 document describing this API."""
    return json_response(build_document(site_url(request)))
