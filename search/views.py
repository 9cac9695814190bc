"""The search page: read the URL, ask the backend, hand plain data to the template."""

from math import ceil

from django.db.models import Prefetch
from django.shortcuts import render

from archive.models import TAG_KINDS, Article
from search.backends import get_backend
from search.backends.base import SORTS, SearchUnavailable
from search.facets import (
    MAX_PAGE,
    PAGE,
    SORT,
    Q,
    Taxonomy,
    chips,
    clear_all_url,
    facet_groups,
    read_state,
    url_with,
    year_bars,
)

SORT_LABELS = {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first"}


def search(request):
    """Search and browse the archive; with no query, every article with the same facets."""
    taxonomy = Taxonomy.load()
    state = read_state(request.GET, taxonomy)
    backend = get_backend()
    articles: dict[int, Article] = {}

    def texts_of(ids):
        articles.update(_articles(ids))
        return {pk: (article.title, article.body) for pk, article in articles.items()}

    search_request = state.search_request(taxonomy)
    try:
        response = backend.search(search_request, texts_of=texts_of)
    except SearchUnavailable as error:
        return render(request, "search/unavailable.html", {"reason": str(error)}, status=503)

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
    }
    return render(request, "search/search.html", context)


def _articles(ids: list[int]) -> dict[int, Article]:
    live_tags = [
        Prefetch(
            kind.related_name, queryset=kind.model.objects.live().select_related(kind.target_field)
        )
        for kind in TAG_KINDS.values()
    ]
    queryset = (
        Article.objects.filter(pk__in=ids).select_related("source").prefetch_related(*live_tags)
    )
    return {article.pk: article for article in queryset}
