"""The API described as an OpenAPI 3.1 document, built as Python data from the code's own limits.

Limits, sorts, facet names and list names come from search.api.params and search.service.url_state,
so changing one changes the document. The response schemas are in search/api/schemas.py; they
forbid properties they do not name and require every property they do, so the test suite can
check real answers against them and catch any drift between the document and the code.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from archive.kinds import FIGURE_FACETS_NOTE
from search.api.figure_schemas import figure_parameters, figure_schemas
from search.api.incident_schemas import incident_parameters, incident_schemas
from search.api.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MENTION_VALUES,
    PAGE_SIZE,
    TAXONOMY_LISTS,
    VERSION,
)
from search.api.schemas import STRING, ref, schemas
from search.backends.base import COUNTS, FIGURE_FACET_KEYS, SORTS
from search.service.url_state import (
    COUNT,
    FACET_KEYS,
    FACET_LABELS,
    FIND,
    MAX_MIN_KG,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    MENTIONS,
    MIN_KG,
    MIN_MIN_KG,
    MIN_PREFIX_CHARS,
    PAGE,
    SHOW,
    SORT,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
)

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"


# --- Parameters and responses ---------------------------------------------------------------


def search_parameters() -> list[dict]:
    def query(name: str, schema: dict, description: str, **extra) -> dict:
        return {"name": name, "in": "query", "schema": schema, "description": description, **extra}

    lists = {listing.parameter: name for name, listing in TAXONOMY_LISTS.items()}
    facet_values = {
        "country": "ISO codes such as KH (names and aliases work too)",
        "ministry": "slugs",
        "crime_type": "slugs; a parent includes the types below it",
        "source": "slugs",
    }
    return [
        query(
            "q",
            STRING,
            "Words to find: all must match (when no report has them all, those with any, "
            'ranked by how many, and match is "any"); "a phrase", OR, NOT or -word (a hyphen '
            "inside a word joins it: cross-border finds cross-border, cross border and "
            "crossborder), title:word, word* "
            f"(at least {MIN_PREFIX_CHARS} letters before it), and prefixes such as "
            "country:KH or year:2022 that act like filters. Longer than "
            f"{MAX_QUERY_CHARS} characters or {MAX_QUERY_WORDS} words, it is cut, and other "
            "wildcards are dropped, each with a notice.",
        ),
        *(
            query(
                facet,
                {"type": "array", "items": STRING},
                f"{FACET_LABELS[facet]}: {facet_values[facet]}, as listed by "
                f"{reverse('search:api_taxonomy', args=[lists[facet]])}. Repeat it to widen "
                "(OR); different facets narrow (AND). An unknown value matches nothing and "
                "gives a notice, not an error.",
                style="form",
                explode=True,
            )
            for facet in FACET_KEYS
        ),
        *(
            query(
                facet,
                {"type": "array", "items": STRING},
                f"{FIGURE_FACET_HELP[facet]} Repeat it to widen (OR). {FIGURE_FACETS_NOTE}",
                style="form",
                explode=True,
            )
            for facet in FIGURE_FACET_KEYS
        ),
        query(
            MIN_KG,
            {"type": "number", "minimum": MIN_MIN_KG, "maximum": MAX_MIN_KG},
            "Reports stating a single seizure of at least this many kilograms (totals over a "
            "period do not count; rejected figures never).",
        ),
        query(
            YEAR,
            {"type": "array", "items": {"type": "integer", "minimum": 1000, "maximum": 9999}},
            "Years (repeat to widen, as year:2022 in q does).",
            style="form",
            explode=True,
        ),
        query(YEAR_FROM, {"type": "integer", "minimum": 1000, "maximum": 9999}, "From year."),
        query(
            YEAR_TO,
            {"type": "integer", "minimum": 1000, "maximum": 9999},
            "To year (inclusive); not before year_from.",
        ),
        query(
            MENTIONS,
            {"type": "string", "enum": list(MENTION_VALUES)},
            "Also match reports that only mention a tag (1, true, on); default: subject tags.",
        ),
        query(
            COUNT,
            {"type": "string", "enum": list(COUNTS), "default": "incidents"},
            "incidents: the total and facet counts count each incident once and results list "
            "its best report (the others in the hit's `incident`); reports: every report.",
        ),
        query(
            SORT,
            {"type": "string", "enum": list(SORTS)},
            "Default: relevance when there are words, newest otherwise.",
        ),
        query(
            PAGE,
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            f"Results stop at page {MAX_PAGE}; narrow the search to reach the rest.",
        ),
        query(
            PAGE_SIZE,
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
            "Results per page.",
        ),
        query(SHOW, STRING, "The search page's display (a facet listed whole): ignored."),
        query(FIND, STRING, "The search page's display (a facet list's filter): ignored."),
    ]


# What each figure facet's values are, for the API's readers.
FIGURE_FACET_HELP = {
    "province": "Provinces or states, as ISO 3166-2 codes (KH-18).",
    "drug": "Drugs seized, as the figures name them (methamphetamine, heroin, ketamine...).",
    "person": "People named, as written in the reports.",
}


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "headers": {"Access-Control-Allow-Origin": {"$ref": "#/components/headers/Cors"}},
        "content": {JSON: {"schema": ref(schema_name)}},
    }


def responses() -> dict:
    method_not_allowed = _json("Error", "Only GET and HEAD are allowed; the API is read-only.")
    method_not_allowed["headers"]["Allow"] = {
        "description": "The methods allowed: GET, HEAD.",
        "schema": STRING,
    }
    too_many = _json(
        "Error",
        "Too many searches from this address in the current window (RATE_LIMIT_SEARCH, by "
        "default 120 a minute); the message and Retry-After say when to try again.",
    )
    too_many["headers"]["Retry-After"] = {
        "description": "Seconds until the next window.",
        "schema": {"type": "integer", "minimum": 1},
    }
    return {
        "BadRequest": _json(
            "Error",
            "A parameter is malformed or unknown, given twice when it takes one value, or out of "
            "range (a page past the last, a page_size over the limit, year_from after year_to); "
            "`parameter` names it.",
        ),
        "TooManyRequests": too_many,
        "NotFound": _json("Error", "Nothing is here."),
        "MethodNotAllowed": method_not_allowed,
        "Unavailable": _json("Error", "The search index is being rebuilt; try again later."),
    }


def _operation(operation_id: str, summary: str, ok: dict, *errors: str, **extra) -> dict:
    answers = {"200": ok, "405": {"$ref": "#/components/responses/MethodNotAllowed"}}
    status = {
        "BadRequest": "400",
        "NotFound": "404",
        "TooManyRequests": "429",
        "Unavailable": "503",
    }
    for name in errors:
        answers[status[name]] = {"$ref": f"#/components/responses/{name}"}
    return {"get": {"operationId": operation_id, "summary": summary, "responses": answers, **extra}}


def paths() -> dict:
    article_path = reverse("search:api_article", args=[0]).removesuffix("0") + "{id}"
    incident_path = reverse("search:api_incident", args=[0]).removesuffix("0") + "{id}"
    lists = {
        reverse("search:api_taxonomy", args=[name]): _operation(
            f"list_{name.replace('-', '_')}",
            f"Every entry of the {name.replace('-', ' ')} list",
            _json("TaxonomyList", f"The {name.replace('-', ' ')}, by name."),
            "TooManyRequests",
        )
        for name in TAXONOMY_LISTS
    }
    return {
        reverse("search:api_index"): _operation(
            "index", "The endpoints of this API", _json("ApiIndex", "The endpoints.")
        ),
        reverse("search:api_openapi"): _operation(
            "openapi",
            "This document",
            {
                "description": "The OpenAPI 3.1 document.",
                "content": {JSON: {"schema": {"type": "object"}}},
            },
        ),
        reverse("search:api_search"): _operation(
            "search",
            "Search the archive",
            _json("SearchResponse", "One page of results, facet counts and links."),
            "BadRequest",
            "TooManyRequests",
            "Unavailable",
            description="The search page's parameters, plus page_size. Unlike the page, a "
            "malformed value or an unknown parameter name answers 400; an empty value counts as "
            "absent.",
            parameters=search_parameters(),
        ),
        article_path: _operation(
            "article",
            "One article",
            _json("ArticleDetail", "The article, its text as received and its citations."),
            "NotFound",
            parameters=[
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            ],
        ),
        reverse("search:api_figures"): _operation(
            "figures",
            "The figures reports state",
            _json("FigureList", "One page of figures, their total and links."),
            "BadRequest",
            "TooManyRequests",
            description="Seizures, arrests, cases, places and people reports state, each with "
            "its evidence sentence. Confirmed figures only unless figures=all; a proposal is "
            "the machine's and says so (status, confidence, reading). A malformed value or an "
            "unknown parameter answers 400.",
            parameters=figure_parameters(),
        ),
        reverse("search:api_incidents"): _operation(
            "incidents",
            "Incidents and story threads",
            _json("IncidentList", "One page of groups, their total and links."),
            "BadRequest",
            "TooManyRequests",
            description="Reports grouped by what they report: an incident holds the reports "
            "of one event (count it once), a story thread the stages of one case. Most are "
            "proposed by the machine and say so (status). Groups merged into another are left "
            "out. A malformed value or an unknown parameter answers 400.",
            parameters=incident_parameters(),
        ),
        incident_path: _operation(
            "incident",
            "One incident or story thread",
            _json("Incident", "The group, its reports earliest first, and their figures."),
            "NotFound",
            description="A group a curator merged into another redirects (302) to that one.",
            parameters=[
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            ],
        ),
        **lists,
    }


def build_document(base_url: str) -> dict:
    """Return the OpenAPI document, its server at `base_url` (the site's root)."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{settings.ARCHIVE_NAME} API",
            "version": VERSION,
            "description": "Read-only access to the archive's reports, search and taxonomy. "
            "Every answer is JSON, errors included, and may be read from any web page "
            "(Access-Control-Allow-Origin: *).",
        },
        "servers": [{"url": base_url or "/"}],
        "paths": paths(),
        "components": {
            "schemas": {**schemas(), **figure_schemas(), **incident_schemas()},
            "responses": responses(),
            "headers": {
                "Cors": {
                    "description": "Always *: the data is public and read-only.",
                    "schema": {"type": "string", "const": "*"},
                }
            },
        },
    }
