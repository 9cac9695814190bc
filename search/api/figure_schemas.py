"""The figures' part of the OpenAPI document: the Figure row, the list's answer, its parameters.

Built from the same names the code uses (search/api/figure_list.py, search/exports/figure_rows.py)
and as strict as search/api/schemas.py, so that the tests catch a column added or dropped.
"""

from __future__ import annotations

from archive.models import Origin, ReportedFigure
from search.api.figure_list import (
    ARTICLE,
    COUNTRY,
    DRUG,
    FIGURE_KEYS,
    KIND,
    MIN_KG,
    PLACE,
    STATUS,
    STATUSES,
    YEAR,
)
from search.api.params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_SIZE
from search.api.schemas import INTEGER, STRING, STRINGS, URL, nullable, ref, strict
from search.exports.figure_rows import ALL, CONFIRMED, FIGURES, FULL_COLUMNS
from search.service.url_state import PAGE

NUMBER = {"type": "number"}
KINDS = list(ReportedFigure.Kind.values)
PAGE_SIZES = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}


def _text(description: str) -> dict:
    return nullable({**STRING, "description": description})


def figure_schema() -> dict:
    properties = {
        "id": INTEGER,
        "article_id": INTEGER,
        "article_url": {**URL, "description": "The article's page in the archive."},
        "report_url": _text("Where the report was published."),
        "title": STRING,
        "source": _text("The publication."),
        "year": nullable({**INTEGER, "description": "The report's year."}),
        "published_date": nullable({"type": "string", "format": "date"}),
        "incident_id": nullable(
            {
                **INTEGER,
                "description": "The incident its report is grouped in (/api/v1/incidents/{id}); "
                "null when in none.",
            }
        ),
        "kind": {"type": "string", "enum": list(ReportedFigure.Kind.values)},
        "scope": {
            "type": "string",
            "enum": list(ReportedFigure.Scope.values),
            "description": "single: one event; total: a total over `period`, never to be added "
            "to single events; unknown: not a count.",
        },
        "period": _text("A total's period, as written."),
        "status": {
            "type": "string",
            "enum": list(STATUSES),
            "description": "confirmed: by a curator; proposed: by the machine, unreviewed.",
        },
        "origin": {"type": "string", "enum": list(Origin.values)},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "reading": {
            **STRING,
            "description": "The status in words: 'confirmed by a curator', 'proposed by the "
            "machine, confidence 0.72'.",
        },
        "rule": _text("The extraction rule that found it."),
        "evidence": {**STRING, "description": "The sentence that states it, as written."},
        "as_written": _text("The figure's words in the sentence."),
        "drug": _text("A seizure's drug."),
        "quantity": nullable({**NUMBER, "description": "The number as stated."}),
        "unit": _text("kg, g, tonne, tablet..."),
        "mass_kg": nullable({**NUMBER, "description": "The quantity as a mass, in kilograms."}),
        "count": nullable({**INTEGER, "minimum": 0, "description": "People, tablets or cases."}),
        "approximate": {"type": "boolean"},
        "country_iso2": _text("ISO 3166-1 alpha-2, its own or its province's."),
        "country_iso3": _text("ISO 3166-1 alpha-3 (UNODC's and ACLED's key)."),
        "admin1_code": _text("The province or state, ISO 3166-2 (KH-18)."),
        "admin1": _text("Its name as the press writes it."),
        "nationalities": {**STRINGS, "description": "Arrests: the people's ISO alpha-2 codes."},
        "name": _text("A place's, person's, operation's or court's name."),
        "role": _text("A person's role."),
        "agencies": {**STRINGS, "description": "The report's subject ministries and agencies."},
    }
    assert tuple(properties) == FULL_COLUMNS, "the Figure schema must name every column"
    return strict(properties, description="A figure a report states, as the exports' full row.")


def figure_schemas() -> dict:
    """Return the component schemas the figures add: Figure and FigureList."""
    return {
        "Figure": figure_schema(),
        "FigureList": strict(
            {
                "statuses": {
                    "type": "array",
                    "items": {"type": "string", "enum": list(STATUSES)},
                    "description": "The statuses served: confirmed, and proposed when asked.",
                },
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "pages": {"type": "integer", "minimum": 0},
                "results": {"type": "array", "items": ref("Figure")},
                "links": strict({"self": URL, "next": nullable(URL), "previous": nullable(URL)}),
            }
        ),
    }


def figure_parameters() -> list[dict]:
    def query(name: str, schema: dict, description: str, **extra) -> dict:
        return {"name": name, "in": "query", "schema": schema, "description": description, **extra}

    described = {
        KIND: query(
            KIND,
            {"type": "array", "items": {"type": "string", "enum": KINDS}},
            "Kinds of figure; repeat to widen.",
            style="form",
            explode=True,
        ),
        DRUG: query(DRUG, STRING, "A seizure's drug as the archive names it, any case."),
        COUNTRY: query(
            COUNTRY,
            {**STRING, "pattern": "^[A-Za-z]{2,3}$"},
            "The figure's country: ISO 3166-1 alpha-2 or alpha-3 (KH, KHM).",
        ),
        PLACE: query(PLACE, STRING, "The figure's province or state, ISO 3166-2 (KH-18)."),
        YEAR: query(YEAR, {"type": "integer", "minimum": 1000, "maximum": 9999}, "Report's year."),
        MIN_KG: query(MIN_KG, {"type": "number", "minimum": 0}, "At least this mass, in kg."),
        ARTICLE: query(ARTICLE, {"type": "integer", "minimum": 1}, "One article's figures."),
        FIGURES: query(
            FIGURES,
            {"type": "string", "enum": [CONFIRMED, ALL], "default": CONFIRMED},
            "confirmed: reviewed figures only; all: the machine's proposals too.",
        ),
        STATUS: query(
            STATUS,
            {"type": "string", "enum": list(STATUSES)},
            "Only figures of this status; rejected figures are never served.",
        ),
        PAGE: query(PAGE, {"type": "integer", "minimum": 1, "default": 1}, "The page."),
        PAGE_SIZE: query(
            PAGE_SIZE,
            {**PAGE_SIZES, "default": DEFAULT_PAGE_SIZE},
            "Figures per page.",
        ),
    }
    return [described[name] for name in FIGURE_KEYS]
