"""One search, read from URL parameters, shared by the page, the API, exports and feeds.

Whatever the way out, a result set is defined the same way (query, facets, year range, sort), so
an export or a feed holds exactly what the page showed for the same parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.http import QueryDict

from archive.models import TAG_KINDS, Article
from search.backends import get_backend
from search.backends.base import SearchBackend, SearchRequest, SearchResponse, SearchUnavailable
from search.index.sync import catch_up_if_behind
from search.service.article_records import live_tag_prefetch
from search.service.figure_names import figure_label
from search.service.taxonomy_names import Taxonomy
from search.service.url_state import (
    FACET_KEYS,
    FACET_LABELS,
    MIN_KG,
    PageState,
    kg_text,
    read_state,
)


@dataclass
class ResultSet:
    params: QueryDict
    taxonomy: Taxonomy
    state: PageState
    request: SearchRequest
    backend: SearchBackend

    @classmethod
    def from_params(cls, params: QueryDict, *, page_size: int | None = None) -> ResultSet:
        catch_up_if_behind()
        taxonomy = Taxonomy.current()
        state = read_state(params, taxonomy)
        request = state.search_request(taxonomy)
        if page_size is not None:
            request = replace(request, page_size=page_size)
        return cls(params, taxonomy, state, request, get_backend())

    def run(self) -> tuple[SearchResponse, dict[int, Article]]:
        """Return one page of the search and its articles (tags loaded), keyed by id."""
        articles: dict[int, Article] = {}

        def texts_of(ids):
            articles.update(articles_by_id(ids, tags=HIT_TAGS))
            return {pk: (article.title, article.body) for pk, article in articles.items()}

        response = self.backend.search(self.request, texts_of=texts_of)
        return response, articles

    def count(self) -> int:
        return self.summary().total

    def summary(self) -> SearchResponse:
        """Return the search's total, facet counts and match, without a page of hits (nor a
        spelling check)."""
        request = replace(self.request, page_size=0, suggest=False)
        return self.backend.search(request, texts_of=dict)

    def ids(self) -> list[int]:
        """Return every matching id in page order: the whole result set, never capped."""
        return self.backend.matching_ids(self.request)

    def description(self) -> dict:
        """Return the search as people would state it, for provenance and feed titles."""
        filters = {}
        for facet in FACET_KEYS:
            labels = [
                self.taxonomy.by_id[facet].get(pk, (str(pk), f"unknown ({pk})"))[1]
                for pk in self.state.selected.get(facet, [])
            ]
            if labels:
                filters[facet] = labels
        if self.state.years:
            filters["year"] = list(self.state.years)
        if self.state.year_from is not None:
            filters["year_from"] = self.state.year_from
        if self.state.year_to is not None:
            filters["year_to"] = self.state.year_to
        for facet, values in self.state.figure_values.items():
            filters[facet] = [figure_label(facet, value) for value in values]
        if self.state.min_kg is not None:
            filters[MIN_KG] = self.state.min_kg
        return {
            "query": self.state.text_query,
            "filters": filters,
            "include_mentions": self.state.include_mentions,
            "count": self.state.count,
            "sort": self.request.sort,
        }

    @staticmethod
    def any_words_notice(response: SearchResponse) -> str:
        """Return the sentence saying that no report has every word, and what was found."""
        total = response.total
        return (
            f"No report has all of: {', '.join(response.words)}. {total:,} "
            f"{'has' if total == 1 else 'have'} some of them, ranked by how many they have."
        )

    def title(self) -> str:
        """Return a short human title: 'gambling · Country: Cambodia · 2020-2023'."""
        description = self.description()
        parts = [f"“{description['query']}”"] if description["query"] else []
        for facet, labels in description["filters"].items():
            if facet in FACET_LABELS:
                parts.append(f"{FACET_LABELS[facet]}: {' or '.join(map(str, labels))}")
        if "year_from" in description or "year_to" in description:
            parts.append(f"{description.get('year_from', '…')}–{description.get('year_to', '…')}")
        if MIN_KG in description["filters"]:
            parts.append(f"seized at least {kg_text(description['filters'][MIN_KG])} kg")
        return " · ".join(parts) or "All reports"


# The tags a hit on the search page shows.
HIT_TAGS = ("country", "crime_type")
# What no page of search results shows, and the largest columns of an article.
UNSHOWN_FIELDS = ("raw_text", "cleaning_log", "ingested_values")


def articles_by_id(ids, *, whole: bool = False, tags=tuple(TAG_KINDS)) -> dict[int, Article]:
    """Return the articles with these ids, with their source and live tags of the `tags`
    kinds loaded; the raw text and import records only when `whole`."""
    queryset = (
        Article.objects.filter(pk__in=list(ids))
        .defer(*(() if whole else UNSHOWN_FIELDS))
        .select_related("source")
        .prefetch_related(*(live_tag_prefetch(key) for key in tags))
    )
    return {article.pk: article for article in queryset}


def best_matching_ids(text: str, *, limit: int) -> tuple[list[int], int, bool] | None:
    """Return (the ids of the `limit` best matches of `text`, how many match in all, whether no
    report had every word), or None when the index cannot be read."""
    backend = get_backend()
    request = SearchRequest(query=text, sort="relevance", page_size=0, suggest=False)
    try:
        summary = backend.search(request, texts_of=dict)
        ids = backend.matching_ids(request, limit=limit) if summary.total else []
    except SearchUnavailable:
        return None
    return ids, summary.total, summary.any_words


def tag_counts(*, include_mentions: bool) -> dict[str, dict[int, int]] | None:
    """Return {facet: {entry id: reports}} over the whole archive as the search counts them
    (a broad crime type with the types below it), from subject tags only or from every live
    tag; None when the index cannot be read. A few milliseconds at 100,000 reports."""
    taxonomy = Taxonomy.current()
    request = SearchRequest(
        include_mentions=include_mentions,
        rollups={"crime_type": taxonomy.crime_rollups},
        page_size=0,
        suggest=False,
    )
    try:
        counts = get_backend().search(request, texts_of=dict).facet_counts
    except SearchUnavailable:
        return None
    return {
        facet: {int(value): count for value, count in counts.get(facet, {}).items()}
        for facet in TAG_KINDS
    }


def search_is_available() -> bool:
    """Return whether the search index can be read now."""
    try:
        get_backend().last_change()
    except SearchUnavailable:
        return False
    return True


def similar_articles(article: Article, *, limit: int) -> list[Article]:
    """Return the articles whose text is most like this one's, most alike first; none when the
    index cannot be read (the article page still works without them)."""
    try:
        ids = get_backend().more_like(article.pk, f"{article.title}\n{article.body}", limit=limit)
    except SearchUnavailable:
        return []
    found = articles_by_id(ids)
    return [found[pk] for pk in ids if pk in found]
