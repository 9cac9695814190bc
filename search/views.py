"""The search page: read the URL, ask the backend, hand plain data to the template."""

from functools import cache
from math import ceil

from django.shortcuts import render
from django.template import engines
from django.urls import reverse
from django.utils.cache import patch_vary_headers

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
from search.home import SYNTAX_HELP, is_first_visit, summarize_archive
from search.service import ResultSet

SORT_LABELS = {
    "relevance": "Best match",
    "newest": "Newest first",
    "oldest": "Oldest first",
    "added": "Recently added",
}
SITE_NAME = "Enforcement Reports Archive"
# static/js/search.js sends this header (as request.META key) when it fetches a facet, sort or
# page change: the answer is then the page's content block alone, which the script swaps in.
# A header rather than a URL parameter keeps every link the page builds free of it; responses
# vary on it, so no cache hands the fragment to a full page load of the same address.
FRAGMENT_HEADER = "X-Requested-With"
FRAGMENT_VALUE = "fetch"


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
    shown = [(hit, articles[hit.article_id]) for hit in response.hits]
    context = {
        "base_template": fragment_base() if wants_fragment(request) else "base.html",
        "page_title": f"{state.query} · Search · {SITE_NAME}"
        if state.query
        else f"Search · {SITE_NAME}",
        "state": state,
        "response": response,
        "results": shown,
        "welcome": summarize_archive(response, [article for _hit, article in shown], taxonomy)
        if is_first_visit(params)
        else None,
        "syntax_help": SYNTAX_HELP,
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
        "first_page_url": url_with(params),
        "previous_url": url_with(params, **{PAGE: state.page - 1}) if state.page > 1 else "",
        "next_url": url_with(params, **{PAGE: state.page + 1}) if state.page < pages else "",
        "first_result": (state.page - 1) * search_request.page_size + 1,
        "capped": response.total > MAX_PAGE * search_request.page_size,
        "search_title": results.title(),
        "exports": export_links(params),
        # Following a search means hearing of what is added to it, whatever its date.
        "feed_url": reverse("search:feed") + url_with(params, sort="added"),
    }
    page = render(request, "search/search.html", context)
    patch_vary_headers(page, [FRAGMENT_HEADER])
    return page


def wants_fragment(request) -> bool:
    """Return whether the page's script asked for the content block alone."""
    return request.headers.get(FRAGMENT_HEADER) == FRAGMENT_VALUE


@cache
def fragment_base():
    """Return the parent template that renders a page's content block and nothing around it.

    `{% extends %}` takes a template object as well as a name: the search page extends this
    one instead of base.html for a fragment, so the content block exists in one file only.
    """
    return engines["django"].from_string("{% block content %}{% endblock %}")


def unavailable(request, error: SearchUnavailable):
    return render(request, "search/unavailable.html", {"reason": str(error)}, status=503)
