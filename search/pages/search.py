"""The search page: read the URL, ask the backend, hand plain data to the template."""

from functools import cache
from math import ceil

from django.shortcuts import redirect, render
from django.template import engines
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from archive.kinds import FIGURE_FACETS_NOTE
from search.backends.base import SORTS, SearchUnavailable
from search.exports.downloads import export_links
from search.pages.facets import (
    OPTIONS_SHOWN,
    ambiguous_names,
    chips,
    clear_all_url,
    facet_groups,
    figure_facet_groups,
    year_bars,
)
from search.pages.home import SYNTAX_HELP, is_first_visit, summarize_archive
from search.query.omissions import omission_notices
from search.service.incident_notes import also_reported
from search.service.outage import unavailable
from search.service.results import ResultSet
from search.service.url_state import (
    COUNT,
    MAX_PAGE,
    MIN_KG,
    PAGE,
    SORT,
    YEAR_FROM,
    YEAR_TO,
    Q,
    ambiguity_notice,
    kg_text,
    url_with,
    without_display,
)

SORT_LABELS = {
    "relevance": "Best match",
    "newest": "Newest first",
    "oldest": "Oldest first",
    "added": "Recently added",
}
COUNT_LABELS = {"incidents": "Each incident once", "reports": "Every report"}
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
    if results.state.typed_filters and not results.state.ambiguities:
        # A filter typed in the box ("casino country:KH") is the same state as a ticked one:
        # its address is written the ticked way, so the box, the ticks and the chips agree. A
        # name several entries bear stays as typed, so that the page can say so (its links are
        # written the ticked way all the same).
        return redirect(reverse("search:search") + url_with(results.state.canonical_params()))
    try:
        response, articles = results.run()
    except SearchUnavailable as error:
        return unavailable(request, error)

    state, search_request, taxonomy = results.state, results.request, results.taxonomy
    # Every link the page builds starts from the state written one way (search.service.url_state).
    params = state.canonical_params()
    ambiguity_notices = {ambiguity_notice(a, taxonomy) for a in state.ambiguities}
    pages = min(ceil(response.total / search_request.page_size), MAX_PAGE)
    shown = [(hit, articles[hit.article_id]) for hit in response.hits]
    also = also_reported(response.hits) if state.count == "incidents" else {}
    for hit, article in shown:
        article.also_reported = also.get(hit.article_id)  # "also reported by ..." under it
    context = {
        "base_template": fragment_base() if wants_fragment(request) else "base.html",
        "page_title": f"{state.query} · Search · {SITE_NAME}"
        if state.query
        else f"Search · {SITE_NAME}",
        "state": state,
        "response": response,
        "results": shown,
        # Each incident once (its best report, the others named under it) or every report.
        "counts": [
            (key, label, url_with(params, **{COUNT: key}), key == state.count)
            for key, label in COUNT_LABELS.items()
        ],
        "by_incident": state.count == "incidents",
        "welcome": summarize_archive(response, [article for _hit, article in shown], taxonomy)
        if is_first_visit(request.GET)
        else None,
        "syntax_help": SYNTAX_HELP,
        "facets": facet_groups(params, state, response.facet_counts, taxonomy)
        + figure_facet_groups(params, state, response.facet_counts),
        "years": year_bars(params, state, response.facet_counts.get("year", {})),
        "chips": chips(params, state, taxonomy),
        "ambiguous_names": ambiguous_names(params, state, taxonomy),
        # The ambiguous names are said above with their links, not again as plain sentences.
        "notices": [notice for notice in state.notices if notice not in ambiguity_notices],
        # What of the query the index could not search: words it leaves out, scripts it does
        # not read as written.
        "query_notices": omission_notices(
            response.omissions, searched_nothing=response.searched_nothing
        ),
        "without_query_url": url_with(params, **{Q: None}),
        "options_shown": OPTIONS_SHOWN,
        # The search box's form keeps the filters; the year range's form, the rest.
        "hidden_fields": hidden_fields(without_display(params), Q),
        "range_hidden_fields": hidden_fields(params, YEAR_FROM, YEAR_TO),
        "min_kg_hidden_fields": hidden_fields(params, MIN_KG),
        "figures_note": FIGURE_FACETS_NOTE,
        "min_kg": kg_text(state.min_kg) if state.min_kg is not None else "",
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
        "exports": export_links(without_display(params)),
        # Following a search means hearing of what is added to it, whatever its date.
        "feed_url": reverse("search:feed") + url_with(without_display(params), sort="added"),
        # The seizures and arrests these reports state, added up (search/pages/figures_tables.py).
        "figures_url": reverse("search:figures") + url_with(without_display(params), sort=None),
    }
    page = render(request, "search/search.html", context)
    patch_vary_headers(page, [FRAGMENT_HEADER])
    return page


def hidden_fields(params, *left_out: str) -> list[tuple[str, str]]:
    """Return (name, value) of a form's hidden fields: `params` but `left_out` and the page."""
    return [
        (key, value)
        for key, values in params.lists()
        if key not in (*left_out, PAGE)
        for value in values
    ]


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
