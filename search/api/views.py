"""The read-only JSON API, version 1: the search, articles and the taxonomy as plain data.

The search takes the search page's URL parameters, so a page's address turns into an API call by
changing its path. Where the page is forgiving the API is strict: a malformed value (a page that
is not a number, an unknown sort, a misspelt parameter name) answers 400 and names the parameter,
so a script's typo fails loudly instead of quietly returning every report. Unknown facet *values*
stay notices, as on the page: an entry may have been merged away since a link was saved, and an
empty answer that says why is the honest reply.

Every answer, errors included, is JSON and carries `Access-Control-Allow-Origin: *`: the data is
public and nothing here changes state, so any web page may read it.

Shapes (search/api/openapi.py describes them in full):
    error:    {"error": {"status": 400, "message": "...", "parameter": "page"}}
    search:   {"query", "total", "page", "page_size", "pages", "match", "any_words",
               "results": [...],
               "facets": {"country": [{"value", "label", "count", "selected"}], ...},
               "notices", "suggestion", "links"}
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from math import ceil

from django.conf import settings
from django.db import models
from django.http import JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from archive.models import Country, CrimeType, Ministry, Source, TagAssignment
from search.backends.base import SORTS, SearchUnavailable
from search.exports.citations import bibtex_entry, plain_citation, ris_entry
from search.service import url_state
from search.service.article_records import article_record, site_url
from search.service.results import ResultSet, articles_by_id
from search.service.url_state import (
    FACET_KEYS,
    FIND,
    MAX_PAGE,
    MENTIONS,
    PAGE,
    SHOW,
    SORT,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
    Q,
    url_with,
)

VERSION = "v1"
PAGE_SIZE = "page_size"
DEFAULT_PAGE_SIZE = url_state.PAGE_SIZE  # the page's, so page N of both holds the same reports
MAX_PAGE_SIZE = 100  # each hit's passages are highlighted one by one: bound a request's cost
# Every parameter the search knows; any other name is a typo worth reporting.
SINGLE_KEYS = (Q, YEAR_FROM, YEAR_TO, MENTIONS, SORT, PAGE, PAGE_SIZE, SHOW, FIND)
# SHOW and FIND only change what the page displays: accepted, so that any page's address works
# here, and ignored.
SEARCH_KEYS = (
    Q,
    *FACET_KEYS,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
    MENTIONS,
    SORT,
    PAGE,
    PAGE_SIZE,
    SHOW,
    FIND,
)
# The page reads "1", "true" and "on" as yes and anything else as no; the API names both sides
# and refuses the rest, so "mentions=yes" is not silently taken as no.
MENTION_VALUES = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}
ALLOWED_METHODS = ("GET", "HEAD")
CORS_HEADER = "Access-Control-Allow-Origin"
YEAR_PATTERN = re.compile(r"[1-9][0-9]{3}")
WHOLE_NUMBER = re.compile(r"[0-9]+")
TOO_MANY_DIGITS = (
    9  # past every range: such a number is not converted (int() of 5,000 digits fails)
)
SHOWN_CHARS = 40  # how much of a bad value an error message repeats


# --- Errors -------------------------------------------------------------------------------


class ApiError(Exception):
    """An answer other than 200: its status, a sentence for people and the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter

    def payload(self) -> dict:
        error = {"status": self.status, "message": self.message}
        if self.parameter is not None:
            error["parameter"] = self.parameter
        return {"error": error}


def json_response(data: dict, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def api_view(view):
    """Wrap a view: GET and HEAD only, every error as JSON, CORS on every answer."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            if request.method not in ALLOWED_METHODS:
                raise ApiError(
                    405,
                    f"{request.method} is not allowed: the API is read-only; use GET.",
                )
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = json_response(error.payload(), status=error.status)
        except SearchUnavailable as error:
            unavailable = ApiError(
                503, f"Search is being rebuilt; try again in a few minutes. ({error})"
            )
            response = json_response(unavailable.payload(), status=503)
        if response.status_code == 405:
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        response[CORS_HEADER] = "*"
        return response

    # Nothing here changes state, so there is no request to forge; without this a POST would
    # meet the CSRF check's HTML 403 instead of the API's JSON 405.
    return csrf_exempt(wrapped)


def not_found(request, exception=None):
    """The site's 404 handler: JSON under /api/, the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        error = ApiError(404, f"No API endpoint at {request.path}; the list is at /api/v1/.")
        response = json_response(error.payload(), status=404)
        response[CORS_HEADER] = "*"
        return response
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


# --- Checking the search's parameters (pure) ------------------------------------------------


@dataclass(frozen=True)
class Paging:
    page: int
    page_size: int


def check_search_params(params: QueryDict) -> Paging:
    """Return the paging asked for; raise ApiError(400) naming the first malformed parameter.

    An empty value counts as absent, as it does on the page, whose form sends empty fields.
    """
    check_names(params)
    page = _whole_number(params, PAGE, default=1, low=1, high=None)
    if page > MAX_PAGE:
        raise ApiError(
            400,
            f"'page' {_shown(params[PAGE])} is past the last page the search serves "
            f"({MAX_PAGE}); narrow the search with more words or filters to reach later results.",
            PAGE,
        )
    page_size = _whole_number(
        params, PAGE_SIZE, default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE
    )
    sort = params.get(SORT, "")
    if sort and sort not in SORTS:
        raise ApiError(400, f"'sort' must be one of {', '.join(SORTS)}, not {_shown(sort)}.", SORT)
    for value in params.getlist(YEAR):
        if value and not YEAR_PATTERN.fullmatch(value):
            raise ApiError(
                400, f"'year' must be a four-digit year such as 2021, not {_shown(value)}.", YEAR
            )
    year_from, year_to = _year(params, YEAR_FROM), _year(params, YEAR_TO)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiError(
            400,
            f"'year_from' ({year_from}) is later than 'year_to' ({year_to}); swap them or "
            "leave one out.",
            YEAR_FROM,
        )
    mentions = params.get(MENTIONS, "")
    if mentions and mentions not in MENTION_VALUES:
        raise ApiError(
            400,
            f"'mentions' must be 1, true or on (count reports that only mention a tag) or "
            f"0, false or off, not {_shown(mentions)}.",
            MENTIONS,
        )
    return Paging(page, page_size)


def check_names(params: QueryDict) -> None:
    """Refuse unknown parameter names (typos) and single-valued parameters given twice."""
    for name in params:
        if name not in SEARCH_KEYS:
            close = difflib.get_close_matches(name, SEARCH_KEYS, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ApiError(
                400,
                f"Unknown parameter {_shown(name)}.{hint} The search takes: "
                f"{', '.join(SEARCH_KEYS)}.",
                name,
            )
    for name in SINGLE_KEYS:
        if len(params.getlist(name)) > 1:
            raise ApiError(
                400,
                f"'{name}' was given {len(params.getlist(name))} times; give it once. Only "
                f"{', '.join([*FACET_KEYS, YEAR])} take several values.",
                name,
            )


def _whole_number(params: QueryDict, name: str, *, default: int, low: int, high: int | None):
    value = params.get(name, "")
    if not value:
        return default
    number = None
    if WHOLE_NUMBER.fullmatch(value):
        number = int(value) if len(value) <= TOO_MANY_DIGITS else 10**TOO_MANY_DIGITS
    if number is None or number < low or (high is not None and number > high):
        expected = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ApiError(
            400, f"'{name}' must be a whole number {expected}, not {_shown(value)}.", name
        )
    return number


def _year(params: QueryDict, name: str) -> int | None:
    value = params.get(name, "")
    if not value:
        return None
    if not YEAR_PATTERN.fullmatch(value):
        raise ApiError(
            400, f"'{name}' must be a four-digit year such as 2021, not {_shown(value)}.", name
        )
    return int(value)


def _shown(value: str) -> str:
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…")


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


def hit_record(hit, article, base_url: str, *, ranked: bool) -> dict:
    record = article_record(article, base_url=base_url, text=False)
    record.update(
        # Sorted by date, the engine reports its sort key as the score: no use to anyone.
        score=round(hit.score, 4) if ranked else None,
        highlighted_title=hit.title_html,
        highlights=list(hit.passages_html),
    )
    return record


def search_payload(results: ResultSet, paging: Paging, base_url: str) -> dict:
    response, articles = results.run()
    pages = min(ceil(response.total / paging.page_size), MAX_PAGE)
    ranked = bool(results.state.text_query) and results.request.sort == "relevance"
    notices = list(results.state.notices)
    if response.any_words:
        notices.append(results.any_words_notice(response))
    return {
        "query": results.description(),
        "total": response.total,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": pages,
        "match": "any" if response.any_words else "all",
        "any_words": response.any_words,
        "results": [
            hit_record(hit, articles[hit.article_id], base_url, ranked=ranked)
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
        "suggestion": response.suggestion or None,
        "links": search_links(base_url, results.params, paging.page, pages),
    }


@api_view
def search(request):
    """Search the archive: one page of results, facet counts and links."""
    paging = check_search_params(request.GET)
    results = ResultSet.from_params(request.GET, page_size=paging.page_size)
    return json_response(search_payload(results, paging, site_url(request)))


# --- Articles -------------------------------------------------------------------------------


def article_payload(article, base_url: str) -> dict:
    record = article_record(article, base_url=base_url, text=True)
    record["raw_text"] = article.raw_text
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


@api_view
def article(request, pk):
    """Return one article with its text as received and its citations."""
    found = articles_by_id([pk], whole=True).get(pk)
    if found is None:
        raise ApiError(404, f"There is no article {pk}; it may have been removed.")
    return json_response(article_payload(found, site_url(request)))


# --- Taxonomy lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxonomyList:
    """One list: its model, the search parameter its entries filter, and its own fields."""

    name: str  # the URL segment
    parameter: str  # the search parameter an entry's code or slug is a value of
    model: type
    related: tuple[str, ...]  # select_related, so an entry's country or parent costs no query


def _live_subjects(relation: str) -> models.Count:
    # Counted in the list's one query: a live subject tag is what browsing counts by default.
    return models.Count(
        relation,
        filter=models.Q(**{f"{relation}__role": TagAssignment.Role.SUBJECT})
        & ~models.Q(**{f"{relation}__status": TagAssignment.Status.REJECTED}),
    )


TAXONOMY_LISTS = {
    entry.name: entry
    for entry in (
        TaxonomyList("countries", "country", Country, ()),
        TaxonomyList("ministries", "ministry", Ministry, ("country", "parent")),
        TaxonomyList("crime-types", "crime_type", CrimeType, ("parent",)),
        TaxonomyList("sources", "source", Source, ("country",)),
    )
}


def taxonomy_entry(entry, listing: TaxonomyList, base_url: str) -> dict:
    value = entry.code if listing.model is Country else entry.slug
    record = {"id": entry.pk, "name": entry.name}
    record["code" if listing.model is Country else "slug"] = value
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


@api_view
def taxonomy_list(request, facet):
    """Return every entry of one taxonomy list with the number of reports about it."""
    listing = TAXONOMY_LISTS.get(facet)
    if listing is None:
        raise ApiError(
            404,
            f"There is no list called {_shown(facet)}; the lists are "
            f"{', '.join(TAXONOMY_LISTS)}, and an article is at /api/{VERSION}/articles/<id>.",
        )
    return json_response(taxonomy_payload(listing, site_url(request)))


# --- The index and the document -------------------------------------------------------------


def endpoints() -> list[tuple[str, str]]:
    """Return (path, description) of every endpoint; {id} stands for an article's id."""
    article_path = reverse("search:api_article", args=[0]).removesuffix("0") + "{id}"
    return [
        (
            reverse("search:api_search"),
            "Search the archive: the search page's parameters, plus page_size.",
        ),
        (article_path, "One article: metadata, tags, text as received, citations."),
        *(
            (
                reverse("search:api_taxonomy", args=[name]),
                f"Every entry of the {name.replace('-', ' ')} list, with article counts.",
            )
            for name in TAXONOMY_LISTS
        ),
        (reverse("search:api_openapi"), "This API described as an OpenAPI 3.1 document."),
    ]


@api_view
def index(request):
    """List the endpoints and where the OpenAPI document is."""
    base_url = site_url(request)
    return json_response(
        {
            "name": f"{settings.ARCHIVE_NAME} API",
            "version": VERSION,
            "openapi": base_url + reverse("search:api_openapi"),
            "endpoints": [
                {"path": path, "url": base_url + path, "description": description}
                for path, description in endpoints()
            ],
        }
    )


@api_view
def openapi_document(request):
    """Return the OpenAPI 3.1 document describing this API."""
    # Imported here: the document reads this module's limits, so it imports this module.
    from search.api.openapi import build_document

    return json_response(build_document(site_url(request)))
