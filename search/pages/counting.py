"""Counting for the browse pages and the overview: counts from the search backend, each one linked
to the search page URL that finds the same number of reports.

How a count is kept equal to its link:
- The backend counts each facet value per exact taxonomy id, with every *other* facet's
  selection applied. So on Cambodia's page (?country=KH), a ministry's count is what
  ?country=KH&ministry=<slug> finds, and a year's count is what adding year_from=Y&year_to=Y finds.
- A crime type's search includes every type below it, and so does its count: the backend counts
  it over its own and its descendants' reports together (SearchRequest.rollups), each report
  once. Counts cannot be added up instead: one report may carry both a type and its parent.
- Reports without a known year are in every total but in no year's count; pages say so instead
  of showing a number no search can reproduce.

search/pages/browse.py and search/pages/overview.py build their pages from these counts; everything
the templates show is plain data, and the views only choose what to build.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from archive.kinds import TAGGED
from search.backends import get_backend
from search.backends.base import SearchResponse
from search.service.results import ResultSet
from search.service.taxonomy_names import Taxonomy
from search.service.url_state import COUNT, YEAR_FROM, YEAR_TO, read_state

TAG_FACETS = tuple(kind.key for kind in TAGGED)  # the facets with a page of their own

Pairs = list[tuple[str, str]]  # URL parameters in the order they appear in a link


def search_url(pairs: Pairs) -> str:
    """Return the search page's URL for these parameters."""
    return reverse("search:search") + ("?" + urlencode(pairs) if pairs else "")


def year_pairs(year: int | str) -> Pairs:
    return [(YEAR_FROM, str(year)), (YEAR_TO, str(year))]


def tag_page_url(facet: str, value: str) -> str:
    return reverse("search:tag_page", args=[facet, value])


# --- Plain data for the templates ------------------------------------------------------------


@dataclass(frozen=True)
class TagCount:
    """A taxonomy entry (or a year) and how many reports its search finds."""

    label: str
    count: int
    search_url: str  # finds exactly `count` reports; "" when there are none
    page_url: str = ""  # the entry's browse page, for facets that have one
    depth: int = 0  # nesting in a hierarchy: crime types
    value: str = ""  # the entry's value in URLs


@dataclass(frozen=True)
class Tag:
    facet: str
    pk: int
    value: str  # as the URL spells it: an ISO code or a slug
    label: str

    @property
    def pairs(self) -> Pairs:
        return [(self.facet, self.value)]

    @property
    def page_url(self) -> str:
        return tag_page_url(self.facet, self.value)


# --- Searching ---------------------------------------------------------------------------------


class Counter:
    """Run a page's searches against one load of the taxonomy (a page asks many questions)."""

    def __init__(self):
        self.taxonomy = Taxonomy.current()
        self.backend = get_backend()

    def search(self, pairs: Pairs, *, page_size: int = 0) -> tuple[SearchResponse, dict]:
        """Return the response and page of articles of the search these URL parameters make."""
        params = QueryDict(mutable=True)
        for key, value in pairs:
            params.appendlist(key, value)
        # What ResultSet.from_params does, with the taxonomy loaded once for every search.
        state = read_state(params, self.taxonomy)
        request = replace(state.search_request(self.taxonomy), page_size=page_size)
        if COUNT not in params:
            # These pages count reports, and say so; the search they link to lists each
            # incident once and says how many reports it holds.
            request = replace(request, count="reports")
        return ResultSet(params, self.taxonomy, state, request, self.backend).run()

    def response(self, pairs: Pairs) -> SearchResponse:
        return self.search(pairs)[0]

    def tag(self, facet: str, value: str) -> Tag | None:
        pk = self.taxonomy.by_value[facet].get(value)
        if pk is None:
            return None
        return Tag(facet, pk, value, self.taxonomy.by_id[facet][pk][1])

    def value_of(self, facet: str, pk: int) -> str:
        return self.taxonomy.by_id[facet][pk][0]

    def label_of(self, facet: str, pk: int) -> str:
        return self.taxonomy.by_id[facet][pk][1]

    def crime_type_totals(self, exact: Mapping[str, int], ids: Iterable[int]) -> dict[int, int]:
        """Return, per crime type in `ids`, its count in `exact` (0 when absent).

        `exact` is a search's crime_type facet count: each type counted over the types below it,
        with the search's other filters applied but not its crime type, so a type's count is
        what those filters plus that type find.
        """
        return {pk: exact.get(str(pk), 0) for pk in ids}

    def with_ancestors(self, crime_type_ids: Iterable[int]) -> set[int]:
        """Return these crime types and every type above them."""
        found: set[int] = set()
        for pk in crime_type_ids:
            while pk is not None and pk not in found and pk in self.taxonomy.crime_parent:
                found.add(pk)
                pk = self.taxonomy.crime_parent[pk]
        return found

    def counted(self, facet: str, response: SearchResponse) -> dict[int, int]:
        """Return {entry id: reports} for the values of `facet` that `response`'s search found,
        each count equal to what that search narrowed to the value finds."""
        known = self.taxonomy.by_id[facet]
        # An entry deleted a moment ago may linger in the index until its change is applied.
        exact = {
            pk: count
            for pk, count in response.facet_counts.get(facet, {}).items()
            if int(pk) in known
        }
        # A broad crime type is counted over the types below it (SearchRequest.rollups), so it
        # is listed whenever one of them has reports.
        return {int(pk): count for pk, count in exact.items()}

    def tag_count(
        self, facet: str, pk: int, count: int, base: Sequence[tuple[str, str]] = (), *, depth=0
    ) -> TagCount:
        """Return the entry with its count, linked to `base`'s search narrowed to the entry."""
        value = self.value_of(facet, pk)
        return TagCount(
            label=self.label_of(facet, pk),
            count=count,
            search_url=search_url([*base, (facet, value)]) if count else "",
            page_url=tag_page_url(facet, value) if facet in TAG_FACETS else "",
            depth=depth,
            value=value,
        )


def crime_type_tree(parent_of: Mapping[int, int | None], label_of) -> list[tuple[int, int]]:
    """Return (crime type id, depth) with each parent before its children, siblings by name."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in parent_of.items():
        children[parent if parent in parent_of else None].append(pk)
    ordered: list[tuple[int, int]] = []
    seen: set[int] = set()

    def visit(pk: int, depth: int) -> None:
        if pk in seen:  # a cycle an admin made by mistake is shown once, not followed
            return
        seen.add(pk)
        ordered.append((pk, depth))
        for child in sorted(children[pk], key=label_of):
            visit(child, depth + 1)

    for root in sorted(children[None], key=label_of):
        visit(root, 0)
    for pk in sorted(set(parent_of) - seen, key=label_of):  # entries caught in a cycle
        visit(pk, 0)
    return ordered


def reports_phrase(count: int) -> str:
    """Return "1 report" or "1,234 reports", as the charts' descriptions say it."""
    return f"{count:,} report{'s' if count != 1 else ''}"
