"""The search page: read the URL, ask the backend, hand plain data to the template."""

from math import ceil

from django.shortcuts import render
from django.urls import reverse

from search.backends.base import SORTS, SearchUnavailable
from search.exports import export_links
from search.facets import (
    MAX_PAGE,
    PAGE,
    SORT,
    Q,
    chips,
    clear_all_url,
    facet_groups,
    url_with,
    year_bars,
)
from search.service import ResultSet

SORT_LABELS = {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first"}


def search(request):
    """Search and browse the archive; with no query, every article with the same facets."""
    results = ResultSet.from_params(request.GET)
    try:
        response, articles = results.run()
    except SearchUnavailable as error:
        return unavailable(request, error)

    state, search_request, taxonomy = results.state, results.request, results.taxonomy
    params = request.GET
    pages = min(ceil(response.total / search_request.page_size), MAX_PAGE)
    context = {
        "state": state,
        "response": response,
        "results": [(hit, articles[hit.article_id]) for hit in response.hits],
        "facets": facet_groups(params, state, response.facet_counts, taxonomy),
        "years": year_bars(params, state, response.facet_counts.get("year", {})),
        "chips": chips(params, state, taxonomy),
        "clear_all_url": clear_all_url(params),
        "sorts": [
            (key, SORT_LABELS[key], url_with(params, **{SORT: key}), key == state.sort)
            for key in SORTS
        ],
        "suggestion_url": url_with(params, **{Q: response.suggestion})
        if response.suggestion
        else "",
        "page": state.page,
        "pages": pages,
        "previous_url": url_with(params, **{PAGE: state.page - 1}) if state.page > 1 else "",
        "next_url": url_with(params, **{PAGE: state.page + 1}) if state.page < pages else "",
        "first_result": (state.page - 1) * search_request.page_size + 1,
        "capped": response.total > MAX_PAGE * search_request.page_size,
        "search_title": results.title(),
        "exports": export_links(params),
        "feed_url": reverse("search:feed") + url_with(params),
    }
    return render(request, "search/search.html", context)


def unavailable(request, error: SearchUnavailable):
    return render(request, "search/unavailable.html", {"reason": str(error)}, status=503)
