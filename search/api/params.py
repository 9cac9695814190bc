"""What the API accepts: its version, the search's parameters and their checks, the lists' names.

The search takes the search page's URL parameters, so a page's address turns into an API call by
changing its path. Where the page is forgiving the API is strict: a malformed value (a page that
is not a number, an unknown sort, a misspelt parameter name) answers 400 and names the parameter,
so a script's typo fails loudly instead of quietly returning every report. Unknown facet *values*
stay notices, as on the page: an entry may have been merged away since a link was saved, and an
empty answer that says why is the honest reply.

The OpenAPI document (search/api/openapi.py) reads its limits and names from here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.http import QueryDict

from archive.kinds import KINDS
from search.api.errors import ApiError
from search.backends.base import COUNTS, FIGURE_FACET_KEYS, SORTS
from search.service import url_state
from search.service.url_state import (
    COUNT,
    FACET_KEYS,
    FIND,
    MAX_MIN_KG,
    MAX_PAGE,
    MENTIONS,
    MIN_KG,
    MIN_MIN_KG,
    PAGE,
    SHOW,
    SORT,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
    Q,
)

VERSION = "v1"
PAGE_SIZE = "page_size"
DEFAULT_PAGE_SIZE = url_state.PAGE_SIZE  # the page's, so page N of both holds the same reports
MAX_PAGE_SIZE = 100  # each hit's passages are highlighted one by one: bound a request's cost
# Every parameter the search knows; any other name is a typo worth reporting.
SINGLE_KEYS = (Q, YEAR_FROM, YEAR_TO, MENTIONS, COUNT, MIN_KG, SORT, PAGE, PAGE_SIZE, SHOW, FIND)
# SHOW and FIND only change what the page displays: accepted, so that any page's address works
# here, and ignored.
SEARCH_KEYS = (
    Q,
    *FACET_KEYS,
    *FIGURE_FACET_KEYS,  # province, drug, person: from the figures reports state
    MIN_KG,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
    MENTIONS,
    COUNT,
    SORT,
    PAGE,
    PAGE_SIZE,
    SHOW,
    FIND,
)
# The page reads "1", "true" and "on" as yes and anything else as no; the API names both sides
# and refuses the rest, so "mentions=yes" is not silently taken as no.
MENTION_VALUES = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}
YEAR_PATTERN = re.compile(r"[1-9][0-9]{3}")
WHOLE_NUMBER = re.compile(r"[0-9]+")
TOO_MANY_DIGITS = (
    9  # past every range: such a number is not converted (int() of 5,000 digits fails)
)
SHOWN_CHARS = 40  # how much of a bad value an error message repeats


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
            f"'page' {shown(params[PAGE])} is past the last page the search serves "
            f"({MAX_PAGE}); narrow the search with more words or filters to reach later results.",
            PAGE,
        )
    page_size = _whole_number(
        params, PAGE_SIZE, default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE
    )
    sort = params.get(SORT, "")
    if sort and sort not in SORTS:
        raise ApiError(400, f"'sort' must be one of {', '.join(SORTS)}, not {shown(sort)}.", SORT)
    for value in params.getlist(YEAR):
        if value and not YEAR_PATTERN.fullmatch(value):
            raise ApiError(
                400, f"'year' must be a four-digit year such as 2021, not {shown(value)}.", YEAR
            )
    year_from, year_to = _year(params, YEAR_FROM), _year(params, YEAR_TO)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiError(
            400,
            f"'year_from' ({year_from}) is later than 'year_to' ({year_to}); swap them or "
            "leave one out.",
            YEAR_FROM,
        )
    min_kg = params.get(MIN_KG, "")
    if min_kg:
        try:
            kg = float(min_kg)
        except ValueError:
            kg = None
        if kg is None or not MIN_MIN_KG <= kg <= MAX_MIN_KG:
            raise ApiError(
                400,
                f"'min_kg' must be a mass in kilograms from {MIN_MIN_KG} to {MAX_MIN_KG:,}, "
                f"such as 10 or 0.5, not {shown(min_kg)}.",
                MIN_KG,
            )
    count = params.get(COUNT, "")
    if count and count not in COUNTS:
        raise ApiError(
            400,
            f"'count' must be incidents (each incident once, by its best report) or reports "
            f"(every report), not {shown(count)}.",
            COUNT,
        )
    mentions = params.get(MENTIONS, "")
    if mentions and mentions not in MENTION_VALUES:
        raise ApiError(
            400,
            f"'mentions' must be 1, true or on (count reports that only mention a tag) or "
            f"0, false or off, not {shown(mentions)}.",
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
                f"Unknown parameter {shown(name)}.{hint} The search takes: "
                f"{', '.join(SEARCH_KEYS)}.",
                name,
            )
    for name in SINGLE_KEYS:
        if len(params.getlist(name)) > 1:
            raise ApiError(
                400,
                f"'{name}' was given {len(params.getlist(name))} times; give it once. Only "
                f"{', '.join([*FACET_KEYS, *FIGURE_FACET_KEYS, YEAR])} take several values.",
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
            400, f"'{name}' must be a whole number {expected}, not {shown(value)}.", name
        )
    return number


def _year(params: QueryDict, name: str) -> int | None:
    value = params.get(name, "")
    if not value:
        return None
    if not YEAR_PATTERN.fullmatch(value):
        raise ApiError(
            400, f"'{name}' must be a four-digit year such as 2021, not {shown(value)}.", name
        )
    return int(value)


def shown(value: str) -> str:
    """Return a value as an error message repeats it: quoted, and cut if long."""
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…")


# --- Taxonomy lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxonomyList:
    """One list: its model, the search parameter its entries filter, and its own fields."""

    name: str  # the URL segment
    parameter: str  # the search parameter an entry's code or slug is a value of
    model: type
    related: tuple[str, ...]  # select_related, so an entry's country or parent costs no query


def _related(model) -> tuple[str, ...]:
    """Return the entry's country and broader entry, where its kind has them."""
    names = {field.name for field in model._meta.get_fields()}
    return tuple(name for name in ("country", "parent") if name in names)


TAXONOMY_LISTS = {
    kind.api_list: TaxonomyList(kind.api_list, kind.key, kind.model, _related(kind.model))
    for kind in KINDS
}
