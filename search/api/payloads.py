"""The API's answers as plain data: a page of search results, an article, a taxonomy list, the
list of endpoints.

Shapes (search/api/openapi.py describes them in full):
    search:   {"query", "total", "page", "page_size", "pages", "match", "any_words",
               "results": [...],
               "facets": {"country": [{"value", "label", "count", "selected"}], ...},
               "notices", "ambiguous", "ignored_words", "unread_scripts", "suggestion",
               "links"}
"""

from __future__ import annotations

from math import ceil

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from archive.kinds import BY_KEY
from archive.models import CrimeType, Ministry, Source, TagAssignment
from search.api.params import PAGE_SIZE, TAXONOMY_LISTS, VERSION, Paging, TaxonomyList
from search.exports.citations import bibtex_entry, plain_citation, ris_entry
from search.exports.figure_rows import rows_of_article
from search.query.omissions import omission_notices
from search.service.article_records import article_record
from search.service.incident_notes import also_reported
from search.service.results import ResultSet
from search.service.url_state import FACET_KEYS, MAX_PAGE, PAGE, url_with

# --- Search ---------------------------------------------------------------------------------


def _link(base_url: str, path: str, params: QueryDict, **changes) -> str:
    """Return an absolute link to `path` with these parameters (url_with's rules: page reset)."""
    query = url_with(params, **changes)
    return base_url + path + ("" if query == "?" else query)


def search_links(base_url: str, params: QueryDict, page: int, pages: int) -> dict:
    """Return the links of one page of results: itself, its neighbours, and the same search
    as a page, a CSV export and a feed (which have no page size: theirs are fixed or whole)."""
    api = reverse("search:api_search")
    return {
        "self": _link(base_url, api, params, **{PAGE: page if page > 1 else None}),
        "next": _link(base_url, api, params, **{PAGE: page + 1}) if page < pages else None,
        "previous": (
            _link(base_url, api, params, **{PAGE: page - 1 if page > 2 else None})
            if page > 1
            else None
        ),
        "html": _link(base_url, reverse("search:search"), params, **{PAGE_SIZE: None}),
        "export_csv": _link(
            base_url, reverse("search:export", args=["csv"]), params, **{PAGE_SIZE: None}
        ),
        "feed": _link(base_url, reverse("search:feed"), params, **{PAGE_SIZE: None}),
    }


def facet_values(results: ResultSet, counts: dict[str, dict[str, int]]) -> dict[str, list]:
    """Return each facet's values as {value, label, count, selected}: index ids translated to
    the values the URL takes, most frequent first; a selected value is listed even at 0."""
    taxonomy, state = results.taxonomy, results.state
    facets = {}
    for facet in FACET_KEYS:
        selected = set(state.selected.get(facet, []))
        known = taxonomy.by_id[facet]
        found = {int(pk): count for pk, count in counts.get(facet, {}).items()}
        # Unknown selections (id -1) are left to the notices; entries deleted since the index
        # was written have no value to offer and are skipped, as on the page.
        found.update({pk: 0 for pk in selected if pk in known and pk not in found})
        values = [
            {
                "value": known[pk][0],
                "label": known[pk][1],
                "count": count,
                "selected": pk in selected,
            }
            for pk, count in found.items()
            if pk in known
        ]
        facets[facet] = sorted(values, key=lambda item: (-item["count"], item["label"]))
    low, high = state.year_from, state.year_to
    facets["year"] = [
        {
            "value": year,
            "label": year,
            "count": count,
            "selected": year in state.years
            or ((low, high) != (None, None) and (low or 0) <= int(year) <= (high or 9999)),
        }
        for year, count in sorted(counts.get("year", {}).items())
    ]
    return facets


def hit_record(hit, article, base_url: str, *, ranked: bool, also=None) -> dict:
    record = article_record(article, base_url=base_url, text=False)
    record.update(
        incident={
            "id": also.incident,
            "other_reports": list(also.article_ids),
            "confirmed": also.confirmed,
        }
        if also
        else None,
        # Sorted by date, the engine reports its sort key as the score: no use to anyone.
        score=round(hit.score, 4) if ranked else None,
        highlighted_title=hit.title_html,
        highlights=list(hit.passages_html),
    )
    return record


def search_payload(results: ResultSet, paging: Paging, base_url: str) -> dict:
    response, articles = results.run()
    also = also_reported(response.hits)
    pages = min(ceil(response.total / paging.page_size), MAX_PAGE)
    ranked = bool(results.state.text_query) and results.request.sort == "relevance"
    notices = list(results.state.notices)
    if response.any_words:
        notices.append(results.any_words_notice(response))
    omissions = response.omissions
    notices += [
        notice.text
        for notice in omission_notices(omissions, searched_nothing=response.searched_nothing)
    ]
    return {
        "query": results.description(),
        "total": response.total,
        # The total counts incidents or reports as the request's `count` says; both are here.
        "reports": response.reports,
        "incidents": response.incidents,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": pages,
        "match": "any" if response.any_words else "all",
        "any_words": response.any_words,
        "results": [
            hit_record(
                hit,
                articles[hit.article_id],
                base_url,
                ranked=ranked,
                also=also.get(hit.article_id),
            )
            for hit in response.hits
        ],
        "facets": facet_values(results, response.facet_counts),
        "notices": notices,
        "ambiguous": [
            {
                "parameter": ambiguity.facet,
                "value": ambiguity.typed,
                "matches": [
                    {
                        "value": results.taxonomy.value_of(ambiguity.facet, pk),
                        "label": results.taxonomy.full_labels[ambiguity.facet][pk],
                    }
                    for pk in ambiguity.entries
                ],
            }
            for ambiguity in results.state.ambiguities
        ],
        "ignored_words": [{"word": word.text, "reason": word.reason} for word in omissions.ignored],
        "unread_scripts": [
            {
                "script": script.script,
                "words": list(script.typed),
                "searched_as": list(script.searched),
                "drops_signs": script.drops_signs,
                "unspaced": script.unspaced,
            }
            for script in omissions.scripts
        ],
        "suggestion": response.suggestion or None,
        "links": search_links(base_url, results.params, paging.page, pages),
    }


# --- Articles -------------------------------------------------------------------------------


def article_payload(article, base_url: str) -> dict:
    record = article_record(article, base_url=base_url, text=True)
    record["raw_text"] = article.raw_text
    # Confirmed figures and the machine's proposals, each with its status, as tags are.
    record["figures"] = rows_of_article(article, base_url=base_url)
    cite = {"archive_name": settings.ARCHIVE_NAME, "accessed": timezone.localdate()}
    record["citations"] = {
        "text": plain_citation(record, **cite),
        "bibtex": bibtex_entry(record, **cite),
        "ris": ris_entry(record, **cite),
    }
    record["links"] = {
        "self": base_url + reverse("search:api_article", args=[article.pk]),
        "html": record["url"],
    }
    return record


# --- Taxonomy lists -------------------------------------------------------------------------


def _live_subjects(relation: str) -> models.Count:
    # Counted in the list's one query: a live subject tag is what browsing counts by default.
    return models.Count(
        relation,
        filter=models.Q(**{f"{relation}__role": TagAssignment.Role.SUBJECT})
        & ~models.Q(**{f"{relation}__status": TagAssignment.Status.REJECTED}),
    )


def taxonomy_entry(entry, listing: TaxonomyList, base_url: str) -> dict:
    url_field = BY_KEY[listing.parameter].url_field  # an ISO code or a slug
    value = getattr(entry, url_field)
    record = {"id": entry.pk, "name": entry.name, url_field: value}
    record["aliases"] = entry.alias_list()
    if listing.model is Ministry:
        record["country"] = entry.country.code if entry.country else None
        record["kind"] = entry.kind
        record["parent"] = entry.parent.slug if entry.parent else None
    elif listing.model is CrimeType:
        record["parent"] = entry.parent.slug if entry.parent else None
    elif listing.model is Source:
        record["homepage"] = entry.homepage or None
        record["country"] = entry.country.code if entry.country else None
    filtered = QueryDict(mutable=True)
    filtered[listing.parameter] = value
    record["article_count"] = entry.article_count
    record["links"] = {
        "search": _link(base_url, reverse("search:api_search"), filtered),
        "html": _link(base_url, reverse("search:search"), filtered),
    }
    return record


def taxonomy_payload(listing: TaxonomyList, base_url: str) -> dict:
    count = models.Count("articles") if listing.model is Source else _live_subjects("article_tags")
    entries = listing.model.objects.select_related(*listing.related).annotate(article_count=count)
    results = [taxonomy_entry(entry, listing, base_url) for entry in entries]
    return {
        "list": listing.name,
        "parameter": listing.parameter,
        "count": len(results),
        "results": results,
    }


# --- The index ------------------------------------------------------------------------------


def endpoints() -> list[tuple[str, str]]:
    """Return (path, description) of every endpoint; {id} stands for an article's or a
    group's id."""
    article_path = reverse("search:api_article", args=[0]).removesuffix("0") + "{id}"
    return [
        (
            reverse("search:api_search"),
            "Search the archive: the search page's parameters, plus page_size.",
        ),
        (article_path, "One article: metadata, tags, figures, text as received, citations."),
        (
            reverse("search:api_figures"),
            "The figures reports state (seizures, arrests, cases, places, people): confirmed "
            "ones unless figures=all, filtered by kind, drug, country, place, year, min_kg, "
            "article.",
        ),
        (
            reverse("search:api_incidents"),
            "Incidents and story threads: reports grouped by the event or case they report, "
            "filtered by kind, status, since and until.",
        ),
        (
            reverse("search:api_incident", args=[0]).removesuffix("0") + "{id}",
            "One incident or story thread: its reports, how each was matched, their figures.",
        ),
        *(
            (
                reverse("search:api_taxonomy", args=[name]),
                f"Every entry of the {name.replace('-', ' ')} list, with article counts.",
            )
            for name in TAXONOMY_LISTS
        ),
        (reverse("search:api_openapi"), "This API described as an OpenAPI 3.1 document."),
    ]


def index_payload(base_url: str) -> dict:
    return {
        "name": f"{settings.ARCHIVE_NAME} API",
        "version": VERSION,
        "openapi": base_url + reverse("search:api_openapi"),
        "endpoints": [
            {"path": path, "url": base_url + path, "description": description}
            for path, description in endpoints()
        ],
    }
