"""/api/v1/figures: the figures reports state, filtered and paged, as the exports' full rows.

Parameters (each once, but `kind`, which may repeat to widen):
    kind       seizure, arrest, case, place, person
    drug       as the archive names it ("methamphetamine"), any case
    country    the figure's country, ISO 3166-1 alpha-2 or alpha-3 (KH, KHM)
    place      the figure's province, ISO 3166-2 (KH-18)
    year       the report's year
    min_kg     seizures of at least this mass, in kilograms
    article    one article's figures
    figures    confirmed (the default) or all (the machine's proposals too)
    status     confirmed or proposed: only those (proposed needs no figures=all)
    page, page_size

Strict like the search API (search/api/params.py): a malformed value or an unknown name answers
400 and names the parameter. Figures come by article, then in the order of its text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from math import ceil

import pycountry
from django.db.models import Q as Where
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse

from archive.models import FigureStatus, ReportedFigure
from search.api.errors import ApiError
from search.api.params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_SIZE, shown
from search.exports.figure_rows import ALL, CONFIRMED, FIGURES, WHICH, rows_for
from search.service.url_state import PAGE, url_with

KIND, DRUG, COUNTRY, PLACE, YEAR, MIN_KG, ARTICLE, STATUS = (
    "kind",
    "drug",
    "country",
    "place",
    "year",
    "min_kg",
    "article",
    "status",
)
FIGURE_KEYS = (KIND, DRUG, COUNTRY, PLACE, YEAR, MIN_KG, ARTICLE, FIGURES, STATUS, PAGE, PAGE_SIZE)
REPEATABLE = (KIND,)
STATUSES = (FigureStatus.CONFIRMED, FigureStatus.PROPOSED)  # rejected figures are never served
COUNTRY_CODE = re.compile(r"[A-Za-z]{2,3}")
PLACE_CODE = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}")
YEAR_PATTERN = re.compile(r"[1-9][0-9]{3}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")  # past nine digits, past every id and page
DECIMAL = re.compile(r"[0-9]{1,9}(\.[0-9]{1,6})?")


@dataclass(frozen=True)
class FigureQuery:
    """What was asked, checked."""

    kinds: tuple[str, ...]
    drug: str
    country: str  # ISO alpha-2
    place: str
    year: int | None
    min_kg: float | None
    article: int | None
    statuses: tuple[str, ...]
    page: int
    page_size: int


def check_figure_params(params: QueryDict) -> FigureQuery:
    """Return the query asked for; raise ApiError(400) naming the first malformed parameter.
    An empty value counts as absent."""
    for name in params:
        if name not in FIGURE_KEYS:
            close = difflib.get_close_matches(name, FIGURE_KEYS, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ApiError(
                400,
                f"Unknown parameter {shown(name)}.{hint} The figures take: "
                f"{', '.join(FIGURE_KEYS)}.",
                name,
            )
        if name not in REPEATABLE and len(params.getlist(name)) > 1:
            raise ApiError(400, f"'{name}' was given more than once; give it once.", name)
    kinds = tuple(value for value in params.getlist(KIND) if value)
    for kind in kinds:
        if kind not in ReportedFigure.Kind.values:
            raise ApiError(
                400,
                f"'kind' must be one of {', '.join(ReportedFigure.Kind.values)}, "
                f"not {shown(kind)}.",
                KIND,
            )
    return FigureQuery(
        kinds=kinds,
        drug=params.get(DRUG, "").strip(),
        country=_country(params.get(COUNTRY, "")),
        place=_matching(params, PLACE, PLACE_CODE, "an ISO 3166-2 code such as KH-18").upper(),
        year=_number(params, YEAR, YEAR_PATTERN, "a four-digit year such as 2021"),
        min_kg=_min_kg(params),
        article=_number(params, ARTICLE, WHOLE_NUMBER, "an article's id, a whole number"),
        statuses=_statuses(params),
        page=_page(params, PAGE, high=None, default=1),
        page_size=_page(params, PAGE_SIZE, high=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE),
    )


def _matching(params: QueryDict, name: str, pattern: re.Pattern, expected: str) -> str:
    value = params.get(name, "")
    if value and not pattern.fullmatch(value):
        raise ApiError(400, f"'{name}' must be {expected}, not {shown(value)}.", name)
    return value


def _number(params: QueryDict, name: str, pattern: re.Pattern, expected: str) -> int | None:
    value = _matching(params, name, pattern, expected)
    return int(value) if value else None


def _page(params: QueryDict, name: str, *, high: int | None, default: int) -> int:
    limit = f"from 1 to {high}" if high else "of 1 or more"
    number = _number(params, name, WHOLE_NUMBER, f"a whole number {limit}")
    if number is None:
        return default
    if number < 1 or (high is not None and number > high):
        raise ApiError(400, f"'{name}' must be a whole number {limit}, not {number}.", name)
    return number


def _min_kg(params: QueryDict) -> float | None:
    value = _matching(params, MIN_KG, DECIMAL, "a mass in kilograms such as 1.5")
    return float(value) if value else None


def _country(value: str) -> str:
    """Return the ISO alpha-2 code of an alpha-2 or alpha-3 code."""
    if not value:
        return ""
    found = None
    if COUNTRY_CODE.fullmatch(value):
        key = "alpha_2" if len(value) == 2 else "alpha_3"
        found = pycountry.countries.get(**{key: value.upper()})
    if found is None:
        raise ApiError(
            400,
            f"'country' must be an ISO 3166-1 code such as KH or KHM, not {shown(value)}.",
            COUNTRY,
        )
    return found.alpha_2


def _statuses(params: QueryDict) -> tuple[str, ...]:
    which, status = params.get(FIGURES, ""), params.get(STATUS, "")
    if which and which not in WHICH:
        raise ApiError(
            400,
            f"'{FIGURES}' must be {CONFIRMED} (the default) or {ALL} (with the machine's "
            f"proposals), not {shown(which)}.",
            FIGURES,
        )
    if status and status not in STATUSES:
        raise ApiError(
            400,
            f"'status' must be {' or '.join(STATUSES)}, not {shown(status)}; rejected figures "
            "are never served.",
            STATUS,
        )
    if status and which == CONFIRMED and status != CONFIRMED:
        raise ApiError(
            400,
            f"'status={status}' asks for proposals and 'figures=confirmed' leaves them out; "
            "drop one of them.",
            STATUS,
        )
    if status:
        return (status,)
    return tuple(WHICH[which or CONFIRMED])


# --- The answer ------------------------------------------------------------------------------


def figure_queryset(query: FigureQuery) -> QuerySet:
    """Return the figures the query names, in the answer's order."""
    figures = ReportedFigure.objects.filter(status__in=query.statuses)
    if query.kinds:
        figures = figures.filter(kind__in=query.kinds)
    if query.drug:
        figures = figures.filter(drug__iexact=query.drug)
    if query.country:
        # A figure with only a province is in that province's country.
        figures = figures.filter(
            Where(country_code=query.country)
            | Where(country_code="", place_code__startswith=f"{query.country}-")
        )
    if query.place:
        figures = figures.filter(place_code=query.place)
    if query.year is not None:
        figures = figures.filter(article__year=query.year)
    if query.min_kg is not None:
        figures = figures.filter(mass_kg__gte=query.min_kg)
    if query.article is not None:
        figures = figures.filter(article_id=query.article)
    return figures.order_by("article_id", "start", "id")


def figures_payload(params: QueryDict, base_url: str) -> dict:
    """Return one page of figures, their total and links to the pages beside it."""
    query = check_figure_params(params)
    figures = figure_queryset(query)
    total = figures.count()
    pages = ceil(total / query.page_size)
    if query.page > max(pages, 1):
        raise ApiError(
            400,
            f"'page' {query.page} is past the last page ({max(pages, 1)}) of {total} figures.",
            PAGE,
        )
    start = (query.page - 1) * query.page_size
    shown_figures = list(figures[start : start + query.page_size])
    article_ids = list(dict.fromkeys(figure.article_id for figure in shown_figures))
    by_id = {figure.pk: figure for figure in shown_figures}
    rows = {
        row["id"]: row
        for row in rows_for(
            ReportedFigure.objects.filter(pk__in=by_id), article_ids, base_url=base_url
        )
    }
    path = reverse("search:api_figures")

    def link(page: int) -> str:
        changed = url_with(params, **{PAGE: page if page > 1 else None})
        return base_url + path + ("" if changed == "?" else changed)

    return {
        "statuses": list(query.statuses),
        "total": total,
        "page": query.page,
        "page_size": query.page_size,
        "pages": pages,
        "results": [rows[figure.pk] for figure in shown_figures],
        "links": {
            "self": link(query.page),
            "next": link(query.page + 1) if query.page < pages else None,
            "previous": link(query.page - 1) if query.page > 1 else None,
        },
    }
