"""The API described as an OpenAPI 3.1 document, built as Python data from the code's own limits.

Limits, sorts, facet names and list names come from search.api.params and search.service.url_state,
so changing one changes the document. Response schemas forbid properties they do not name and
require every property they do, so the test suite can check real answers against them and catch
any drift between the document and the code.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from archive.models import Article, Ministry, Origin, TagAssignment
from search.api.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MENTION_VALUES,
    PAGE_SIZE,
    TAXONOMY_LISTS,
    VERSION,
)
from search.backends.base import SORTS
from search.service.url_state import (
    FACET_KEYS,
    FACET_LABELS,
    FIND,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    MENTIONS,
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


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """Return `schema` also allowing null (3.1 spells it as a list of types)."""
    return {**schema, "type": [schema["type"], "null"]}


def strict(properties: dict, *, optional: tuple[str, ...] = (), **extra) -> dict:
    """Return an object schema requiring every property but `optional` and allowing no other."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
        **extra,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
URL = {"type": "string", "format": "uri"}
STRINGS = {"type": "array", "items": STRING}


# --- Schemas --------------------------------------------------------------------------------


def _tag(value_field: str, value_description: str) -> dict:
    return strict(
        {
            "id": INTEGER,
            "name": STRING,
            value_field: {**STRING, "description": value_description},
            "role": {
                "type": "string",
                "enum": list(TagAssignment.Role.values),
                "description": "subject: what the report is about; mention: named in passing.",
            },
            "status": {
                "type": "string",
                "enum": [
                    status
                    for status in TagAssignment.Status.values
                    if status != TagAssignment.Status.REJECTED
                ],
                "description": "Rejected tags are never listed.",
            },
            "origin": {
                "type": "string",
                "enum": list(Origin.values),
                "description": "Who proposed the tag: import metadata, the tagger or a curator.",
            },
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        }
    )


def _article_properties() -> dict:
    """The fields search.service.article_records.article_record writes, without the text."""
    return {
        "id": INTEGER,
        "url": {**URL, "description": "The article's permanent page in the archive."},
        "title": STRING,
        "title_derived": {
            "type": "boolean",
            "description": "The text had no headline; the title was taken from its lead.",
        },
        "published_date": nullable({"type": "string", "format": "date"}),
        "year": nullable({**INTEGER, "description": "Only a year the evidence states."}),
        "year_origin": {
            "type": ["string", "null"],
            "enum": [*Origin.values, None],
            "description": "Who set the year.",
        },
        "year_confidence": nullable({"type": "number", "minimum": 0, "maximum": 1}),
        "source": {"oneOf": [ref("SourceRef"), {"type": "null"}]},
        "authors": STRINGS,
        "original_url": nullable({**STRING, "description": "Where the report was published."}),
        "language": STRING,
        "review_status": {"type": "string", "enum": list(Article.ReviewStatus.values)},
        "content_hash": {
            **STRING,
            "description": "sha256 of the normalized text as received; the article's identity.",
        },
        "added": {"type": "string", "format": "date-time"},
        "updated": {"type": "string", "format": "date-time"},
        "countries": {"type": "array", "items": ref("CountryTag")},
        "ministries": {"type": "array", "items": ref("Tag")},
        "crime_types": {"type": "array", "items": ref("Tag")},
    }


def _facet_filters() -> dict:
    labels = {facet: STRINGS for facet in FACET_KEYS}
    return strict(
        {
            **labels,
            "year": {**STRINGS, "description": "Years named with year: in the query."},
            "year_from": INTEGER,
            "year_to": INTEGER,
        },
        optional=(*FACET_KEYS, "year", "year_from", "year_to"),
        description="The filters applied, by label; a filter not applied is absent.",
    )


def _taxonomy_entry(value_field: str, extra: dict) -> dict:
    return strict(
        {
            "id": INTEGER,
            "name": STRING,
            value_field: {
                **STRING,
                "description": "The value the search's parameter for this list takes.",
            },
            "aliases": {**STRINGS, "description": "Other names the tagger and the search know."},
            **extra,
            "article_count": {
                "type": "integer",
                "minimum": 0,
                "description": "Reports tagged with this entry as their subject (a source: "
                "reports it published). A parent's count leaves out its children's.",
            },
            "links": strict({"search": URL, "html": URL}),
        }
    )


def schemas() -> dict:
    article = _article_properties()
    country_code = "ISO 3166-1 alpha-2 code; the value of the `country` parameter."
    slug = "The value of the matching search parameter."
    parent = nullable({**STRING, "description": "The parent entry's slug."})
    country_ref = nullable({**STRING, "description": "Its country's ISO code."})
    return {
        "Error": strict(
            {
                "error": strict(
                    {
                        "status": {"type": "integer", "enum": [400, 404, 405, 429, 503]},
                        "message": {**STRING, "description": "What was wrong and what to do."},
                        "parameter": {
                            **STRING,
                            "description": "The query parameter at fault (400 only).",
                        },
                    },
                    optional=("parameter",),
                )
            }
        ),
        "SourceRef": strict({"id": INTEGER, "name": STRING, "slug": STRING}),
        "CountryTag": _tag("code", country_code),
        "Tag": _tag("slug", slug),
        "Article": strict(article, description="An article without its text."),
        "SearchHit": strict(
            {
                **article,
                "score": {
                    "type": ["number", "null"],
                    "description": "Relevance, comparable only within one search; null unless "
                    "results are ranked by it (words in the query, sort=relevance).",
                },
                "highlighted_title": {
                    **STRING,
                    "description": "The title, HTML-escaped, with matched words in <mark> tags.",
                },
                "highlights": {
                    **STRINGS,
                    "description": "Passages of the text with matched words in <mark> tags. "
                    "They are HTML: the article text is HTML-escaped and the only tags are "
                    "<mark> and </mark>. Empty when the search has no words.",
                },
            },
            description="An article the search found, with its score and highlights.",
        ),
        "FacetValue": strict(
            {
                "value": {**STRING, "description": "The value the facet's parameter takes."},
                "label": STRING,
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Matching reports with this value, counted with every other "
                    "facet's selection applied but not this facet's own.",
                },
                "selected": {"type": "boolean"},
            }
        ),
        "SearchDescription": strict(
            {
                "query": {**STRING, "description": "The words searched for, without prefixes."},
                "filters": _facet_filters(),
                "include_mentions": {"type": "boolean"},
                "sort": {"type": "string", "enum": list(SORTS)},
            }
        ),
        "SearchResponse": strict(
            {
                "query": ref("SearchDescription"),
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "pages": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": MAX_PAGE,
                    "description": f"Pages of results, at most {MAX_PAGE}.",
                },
                "match": {
                    "type": "string",
                    "enum": ["all", "any"],
                    "description": "all: every result holds every word of the query. any: no "
                    "report holds them all, so `total` counts the reports holding at least one, "
                    "ranked by how many they hold (a notice says so).",
                },
                "any_words": {
                    "type": "boolean",
                    "description": "The same as match == any (kept for earlier clients).",
                },
                "results": {"type": "array", "items": ref("SearchHit")},
                "facets": strict(
                    {
                        facet: {"type": "array", "items": ref("FacetValue")}
                        for facet in (*FACET_KEYS, "year")
                    }
                ),
                "notices": {
                    **STRINGS,
                    "description": "Sentences about parameters that were adjusted or match "
                    "nothing (an unknown facet value, a query cut short).",
                },
                "ambiguous": {
                    "type": "array",
                    "description": "Names given for a facet that several entries bear (a "
                    "'Ministry of Interior' in two countries): every one of them is searched, and "
                    "a notice says so. Give one of the `matches` values to search it alone.",
                    "items": strict(
                        {
                            "parameter": {"type": "string", "enum": list(FACET_KEYS)},
                            "value": {**STRING, "description": "The name as given."},
                            "matches": {
                                "type": "array",
                                "items": strict({"value": STRING, "label": STRING}),
                            },
                        }
                    ),
                },
                "suggestion": nullable(
                    {
                        **STRING,
                        "description": "The query with each word the archive never uses "
                        "replaced by a close word that finds many more reports.",
                    }
                ),
                "links": strict(
                    {
                        "self": URL,
                        "next": nullable(URL),
                        "previous": nullable(URL),
                        "html": {**URL, "description": "The same search as a page."},
                        "export_csv": {**URL, "description": "Every result, as CSV."},
                        "feed": {**URL, "description": "The newest results, as Atom."},
                    }
                ),
            }
        ),
        "ArticleDetail": strict(
            {
                **article,
                "body": {**STRING, "description": "The cleaned text shown to readers."},
                "raw_text": {**STRING, "description": "The text exactly as received."},
                "citations": strict(
                    {
                        "text": {**STRING, "description": "An APA-like reference."},
                        "bibtex": STRING,
                        "ris": STRING,
                    }
                ),
                "links": strict({"self": URL, "html": URL}),
            }
        ),
        "CountryEntry": _taxonomy_entry("code", {}),
        "MinistryEntry": _taxonomy_entry(
            "slug",
            {
                "country": country_ref,
                "kind": {"type": "string", "enum": list(Ministry.Kind.values)},
                "parent": parent,
            },
        ),
        "CrimeTypeEntry": _taxonomy_entry("slug", {"parent": parent}),
        "SourceEntry": _taxonomy_entry("slug", {"homepage": nullable(URL), "country": country_ref}),
        "TaxonomyEntry": {
            "oneOf": [
                ref(name)
                for name in ("CountryEntry", "MinistryEntry", "CrimeTypeEntry", "SourceEntry")
            ]
        },
        "TaxonomyList": strict(
            {
                "list": {"type": "string", "enum": list(TAXONOMY_LISTS)},
                "parameter": {
                    "type": "string",
                    "enum": list(FACET_KEYS),
                    "description": "The search parameter the entries' codes or slugs are for.",
                },
                "count": {"type": "integer", "minimum": 0},
                "results": {"type": "array", "items": ref("TaxonomyEntry")},
            }
        ),
        "ApiIndex": strict(
            {
                "name": STRING,
                "version": {"type": "string", "const": VERSION},
                "openapi": URL,
                "endpoints": {
                    "type": "array",
                    "items": strict({"path": STRING, "url": STRING, "description": STRING}),
                },
            }
        ),
    }


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
            "schemas": schemas(),
            "responses": responses(),
            "headers": {
                "Cors": {
                    "description": "Always *: the data is public and read-only.",
                    "schema": {"type": "string", "const": "*"},
                }
            },
        },
    }
