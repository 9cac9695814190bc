"""The search page's facets, chips and year bars as plain data the template only renders.

Every link is built from the state's canonical parameters (search.service.url_state), so a
filter typed in the box and one ticked in the list show and toggle alike. Each facet shows its
most frequent OPTIONS_SHOWN values, then "Show all N", which lists every value it has, with a
box to narrow that list by name (plain links and a form; static/js/search.js filters as one
types).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

from archive.kinds import FIGURE_FACETS_NOTE
from search.backends.base import FIGURE_FACET_KEYS
from search.service.figure_names import figure_label
from search.service.taxonomy_names import Taxonomy, name_key
from search.service.url_state import (
    FACET_KEYS,
    FACET_LABELS,
    FACET_PLURALS,
    FIND,
    MIN_KG,
    SHOW,
    SORT,
    YEAR,
    PageState,
    Q,
    kg_text,
    url_with,
)

OPTIONS_SHOWN = 12


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class FacetGroup:
    key: str
    label: str
    plural: str
    options: list[FacetOption]
    total: int  # values this facet has among the results (and selected ones)
    hidden: int  # of those, how many are not listed
    expanded: bool  # every value listed (SHOW)
    show_all_url: str  # "" when all are listed already
    show_fewer_url: str  # "" unless expanded
    find: str  # the words filtering an expanded list
    find_hidden: list[tuple[str, str]]  # (name, value) of the filter form's hidden fields
    note: str = ""  # where the values come from, when the reader should know (figures)


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    percent: int
    url: str
    selected: bool


@dataclass(frozen=True)
class Choice:
    label: str
    url: str  # the search with only this entry kept


@dataclass(frozen=True)
class AmbiguousName:
    """A name several entries bear, all searched, and a link to keep each alone."""

    typed: str
    plural: str
    choices: list[Choice]


def facet_groups(
    params: QueryDict, state: PageState, counts: dict[str, dict[str, int]], taxonomy: Taxonomy
) -> list[FacetGroup]:
    """Return each facet's options; `params` are the state's canonical parameters."""
    groups = []
    for facet in FACET_KEYS:
        selected_values = params.getlist(facet)
        options = []
        for entry_id, count in counts.get(facet, {}).items():
            value, label = taxonomy.by_id[facet].get(int(entry_id), (None, None))
            if value is None:
                continue
            options.append((value, label, count))
        present = {value for value, _, _ in options}
        for value in selected_values:  # a selected value stays listed even with no matches
            if value not in present:
                entries = taxonomy.resolve(facet, value)
                label = taxonomy.label_of(facet, entries[0]) if entries else value
                options.append((value, label, 0))
        groups.append(_facet_group(params, state, facet, options))
    return groups


def figure_facet_groups(
    params: QueryDict, state: PageState, counts: dict[str, dict[str, int]]
) -> list[FacetGroup]:
    """Return the figure facets' options (archive.kinds.FIGURE_FACETS): their values are the
    index's own, labelled by search.service.figure_names, and said to be mostly proposals."""
    groups = []
    for facet in FIGURE_FACET_KEYS:
        options = [
            (value, figure_label(facet, value), count)
            for value, count in counts.get(facet, {}).items()
        ]
        present = {value for value, _, _ in options}
        for value in params.getlist(facet):  # a selected value stays listed even with no matches
            if value not in present:
                options.append((value, figure_label(facet, value), 0))
        groups.append(_facet_group(params, state, facet, options, note=FIGURE_FACETS_NOTE))
    return groups


def _facet_group(
    params: QueryDict,
    state: PageState,
    facet: str,
    options: list[tuple[str, str, int]],
    *,
    note: str = "",
) -> FacetGroup:
    """Return the group of (value, label, count) options: the selected first, then by count."""
    selected_values = params.getlist(facet)
    options.sort(key=lambda item: (item[0] not in selected_values, -item[2], item[1]))
    expanded = state.shown_facet == facet
    listed = options
    if expanded and state.find:
        wanted = name_key(state.find)
        listed = [
            option
            for option in options
            if wanted in name_key(option[1]) or option[0] in selected_values
        ]
    elif not expanded:
        listed = options[:OPTIONS_SHOWN]
    shown = [
        FacetOption(
            value,
            label,
            count,
            value in selected_values,
            url_with(params, **{facet: _toggled(selected_values, value)}),
        )
        for value, label, count in listed
    ]
    without_show = {SHOW: None, FIND: None}
    return FacetGroup(
        key=facet,
        label=FACET_LABELS[facet],
        plural=FACET_PLURALS[facet],
        options=shown,
        total=len(options),
        hidden=len(options) - len(shown),
        expanded=expanded,
        show_all_url=""
        if expanded or len(options) <= OPTIONS_SHOWN
        else url_with(params, **{SHOW: facet, FIND: None}),
        show_fewer_url=url_with(params, **without_show) if expanded else "",
        find=state.find if expanded else "",
        find_hidden=[
            (key, value)
            for key, values in params.lists()
            if key not in (FIND, "page")
            for value in values
        ]
        if expanded
        else [],
        note=note,
    )


def year_bars(params: QueryDict, state: PageState, counts: dict[str, int]) -> list[YearBar]:
    """Return one bar per year with matches; a bar links to that year alone, or back out."""
    if not counts:
        return []
    highest = max(counts.values())
    bars = []
    for year in sorted(int(y) for y in counts):
        only_this = state.year_from == year and state.year_to == year
        url = url_with(
            params,
            year_from=None if only_this else year,
            year_to=None if only_this else year,
        )
        bars.append(
            YearBar(
                year,
                counts[str(year)],
                max(2, round(100 * counts[str(year)] / highest)),
                url,
                only_this,
            )
        )
    return bars


def chips(params: QueryDict, state: PageState, taxonomy: Taxonomy) -> list[Chip]:
    """Return a removable chip per filter in force; `params` are the canonical parameters."""
    result = []
    for facet in FACET_KEYS:
        values = params.getlist(facet)
        for value in values:
            entries = taxonomy.resolve(facet, value)
            label = taxonomy.label_of(facet, entries[0]) if len(entries) == 1 else value
            remaining = [v for v in values if v != value]
            result.append(
                Chip(
                    f"{FACET_LABELS[facet]}: {label}",
                    url_with(params, **{facet: remaining or None}),
                )
            )
    for year in state.years:
        remaining = [y for y in state.years if y != year]
        result.append(Chip(f"Year: {year}", url_with(params, **{YEAR: remaining or None})))
    if state.year_from or state.year_to:
        span = f"{state.year_from or '…'}–{state.year_to or '…'}"
        result.append(Chip(f"Year: {span}", url_with(params, year_from=None, year_to=None)))
    for facet in FIGURE_FACET_KEYS:
        values = params.getlist(facet)
        for value in values:
            remaining = [v for v in values if v != value]
            result.append(
                Chip(
                    f"{FACET_LABELS[facet]}: {figure_label(facet, value)}",
                    url_with(params, **{facet: remaining or None}),
                )
            )
    if state.min_kg is not None:
        result.append(
            Chip(f"Seized at least {kg_text(state.min_kg)} kg", url_with(params, **{MIN_KG: None}))
        )
    if state.include_mentions:
        result.append(Chip("Including mentions", url_with(params, mentions=None)))
    return result


def ambiguous_names(params: QueryDict, state: PageState, taxonomy: Taxonomy) -> list[AmbiguousName]:
    """Return each name that several entries bear, with a link that keeps one of them."""
    found = []
    for ambiguity in state.ambiguities:
        facet = ambiguity.facet
        values = params.getlist(facet)
        others = {taxonomy.value_of(facet, pk) for pk in ambiguity.entries}
        choices = []
        for pk in ambiguity.entries:
            kept = [v for v in values if v not in others or v == taxonomy.value_of(facet, pk)]
            choices.append(
                Choice(taxonomy.full_labels[facet][pk], url_with(params, **{facet: kept}))
            )
        found.append(AmbiguousName(ambiguity.typed, FACET_PLURALS[facet], choices))
    return found


def clear_all_url(params: QueryDict) -> str:
    kept = {key: params.get(key) for key in (Q, SORT) if params.get(key)}
    return "?" + urlencode(kept) if kept else "?"


def _toggled(values: list[str], value: str) -> list[str] | None:
    remaining = [v for v in values if v != value] if value in values else [*values, value]
    return remaining or None
