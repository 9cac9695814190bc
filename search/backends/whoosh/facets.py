"""Facet selections as filters, and facet counts, on the snapshot's bitsets (see docsets): a
filter is the union of its selected values' documents, and a value's count is one intersection
and one bit count, where Whoosh's `groupedby` walked every hit.
"""

from __future__ import annotations

import functools

from search.backends.base import FACETS, SearchRequest
from search.backends.whoosh.schema import TAG_FACETS
from search.backends.whoosh.snapshot import Snapshot


def facet_filters(snapshot: Snapshot, request: SearchRequest):
    """Return (facet -> index field, filter name -> allowed documents as a bitset)."""
    field = {f: f"{f}_all" if request.include_mentions and f in TAG_FACETS else f for f in FACETS}
    filters = {}
    for facet, values in request.selected.items():
        if values and facet in FACETS:
            known = snapshot.values[field[facet]]
            filters[facet] = functools.reduce(int.__or__, (known.get(v, 0) for v in values), 0)
    if request.year_from is not None or request.year_to is not None:
        low, high = request.year_from or 0, request.year_to or 9999
        filters["year_range"] = functools.reduce(
            int.__or__,
            (docs for year, docs in snapshot.values["year"].items() if low <= int(year) <= high),
            0,
        )
    if request.min_kg is not None:
        filters["min_kg"] = snapshot.seized_at_least(request.min_kg)
    return field, filters


def narrowed(matched: int, filters: dict[str, int], without: str | None) -> int:
    """Return the matched documents that pass every filter but `without`'s (and the year range
    when `without` is the year: the year facet counts across the range)."""
    docs = matched
    for name, allowed in filters.items():
        if name == without or (without == "year" and name == "year_range"):
            continue
        docs &= allowed
    return docs


def facet_counts(
    snapshot: Snapshot,
    matched: int,
    filters: dict[str, int],
    field: dict[str, str],
    rollups: dict[str, dict[str, tuple[str, ...]]],
    *,
    incidents: bool = False,
) -> dict[str, dict[str, int]]:
    """Return {facet: {value: count}} of the values held by matched documents, each facet
    counted against every other facet's filter; a rollup value counts its members together.
    With `incidents`, a value counts the incidents its documents report, each once."""
    size = snapshot.incident_count if incidents else int.bit_count
    counts = {}
    for facet in FACETS:
        base = narrowed(matched, filters, facet)
        sets = snapshot.values[field[facet]]
        counts[facet] = {
            value: found for value, docs in sets.items() if (found := size(base & docs))
        }
        for value, members in rollups.get(facet, {}).items():
            docs = 0
            for member in members:
                docs |= sets.get(member, 0)
            if found := size(base & docs):
                counts[facet][value] = found
    return counts
