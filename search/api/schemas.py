"""The response schemas of the API's OpenAPI document, built from the code's own names and limits.

Every object schema is strict: it forbids properties it does not name and requires every one it
does (but those listed as optional), so the test suite can check real answers against them and
catch any drift between the document and the code. search/api/openapi.py puts them in the
document's components.
"""

from __future__ import annotations

from archive.models import Article, Ministry, Origin, TagAssignment
from search.api.params import MAX_PAGE_SIZE, TAXONOMY_LISTS, VERSION
from search.backends.base import SORTS
from search.query.omissions import REASONS
from search.service.url_state import FACET_KEYS, MAX_PAGE


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
                "incident": {
                    "type": ["object", "null"],
                    "description": "The incident the report is grouped in with others (null: "
                    "none): its id, the other reports' ids and whether a curator confirmed it.",
                    "properties": {
                        "id": {"type": "integer"},
                        "other_reports": {"type": "array", "items": {"type": "integer"}},
                        "confirmed": {"type": "boolean"},
                    },
                    "required": ["id", "other_reports", "confirmed"],
                    "additionalProperties": False,
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
                "count": {"type": "string", "enum": ["incidents", "reports"]},
                "sort": {"type": "string", "enum": list(SORTS)},
            }
        ),
        "SearchResponse": strict(
            {
                "query": ref("SearchDescription"),
                "total": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Incidents or reports, as `query.count` says.",
                },
                "reports": {"type": "integer", "minimum": 0, "description": "Reports matched."},
                "incidents": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Incidents matched: reports grouped as one incident count "
                    "once (a report in no group is one).",
                },
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
                    "nothing (an unknown facet value, a query cut short, words the index "
                    "leaves out).",
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
                "ignored_words": {
                    "type": "array",
                    "description": "Typed words the index leaves out, as typed, each once: "
                    "`common` ones (stop words such as 'the'), single characters, and typed "
                    "text with no letter or digit ('!!!'). A notice names them; when nothing "
                    "else was typed, nothing is searched and `total` is 0.",
                    "items": strict(
                        {
                            "word": STRING,
                            "reason": {"type": "string", "enum": list(REASONS)},
                        }
                    ),
                },
                "unread_scripts": {
                    "type": "array",
                    "description": "Scripts of the query the index does not read as written "
                    "(Unicode's names: 'Tibetan', 'Tai Tham'), each with a notice: "
                    "`drops_signs`, its combining signs are dropped and its words cut where "
                    "they stood; `unspaced`, it is written without spaces and a run is read as "
                    "one word. `searched_as` is what was looked for instead, empty when nothing.",
                    "items": strict(
                        {
                            "script": STRING,
                            "words": STRINGS,
                            "searched_as": STRINGS,
                            "drops_signs": {"type": "boolean"},
                            "unspaced": {"type": "boolean"},
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
                "figures": {
                    "type": "array",
                    "items": ref("Figure"),
                    "description": "What the report states, confirmed and proposed (rejected "
                    "ones left out); each says its status.",
                },
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
