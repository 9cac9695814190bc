"""Browse pages per tag and the overview: counts from the search backend, each one linked to the
search page URL that finds the same number of reports.

How a count is kept equal to its link:
- The backend counts each facet value per exact taxonomy id, with every *other* facet's
  selection applied. So on Cambodia's page (?country=KH), a ministry's count is what
  ?country=KH&ministry=<slug> finds, and a year's count is what adding year_from=Y&year_to=Y finds.
- A crime type's search includes every type below it, and so does its count: the backend counts
  it over its own and its descendants' reports together (SearchRequest.rollups), each report
  once. Counts cannot be added up instead: one report may carry both a type and its parent.
- Reports without a known year are in every total but in no year's count; pages say so instead
  of showing a number no search can reproduce.

Everything the templates show is plain data built here; the views only choose what to build.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from archive.models import TAG_KINDS, Article, Country, CrimeType, Ministry, TagAssignment
from search.backends import get_backend
from search.backends.base import SearchResponse, SearchUnavailable
from search.pages import charts
from search.service.outage import unavailable
from search.service.results import ResultSet
from search.service.taxonomy_names import Taxonomy
from search.service.url_state import FACET_LABELS, MENTIONS, SORT, YEAR_FROM, YEAR_TO, read_state

TAG_FACETS = ("country", "ministry", "crime_type")  # the facets with a page of their own
# On a tag's page, the facets whose values are listed as "reported together with" it.
RELATED_FACETS = {
    "country": ("crime_type", "ministry", "source"),
    "ministry": ("crime_type", "country", "source"),
    "crime_type": ("country", "ministry", "source"),
}
RELATED_TITLES = {
    "country": "Countries",
    "ministry": "Ministries and agencies",
    "crime_type": "Crime types",
    "source": "Sources",
}
RELATED_SHOWN = 8  # per facet; the search page's filters list the rest
LATEST_SHOWN = 10
SERIES_SHOWN = 6  # lines in the overview chart; more are hard to tell apart by colour
HEAT_LEVELS = 5  # shades of the overview tables' cells: .heat-1 (few) ... .heat-5 (most)
NO_COUNTRY = "Regional and international bodies"

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
class Link:
    caption: str  # what the linked entry is to this one: "Country", "Part of", "Broader type"
    label: str
    url: str


@dataclass(frozen=True)
class RelatedGroup:
    facet: str
    title: str
    items: list[TagCount]
    truncated: bool  # more values co-occur than are listed


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


@dataclass
class TagPage:
    tag: Tag
    kind: str  # "Country", "Ministry or agency", "Crime type"
    entry: Country | Ministry | CrimeType
    aliases: list[str]
    context: list[Link]  # broader entries: a ministry's country and parent, a type's parents
    total: TagCount
    with_mentions: TagCount  # subject and mention tags (mentions=1)
    years: list[TagCount]  # every year from the first to the last, gaps as zero
    timeline: charts.BarChart
    timeline_title: str
    timeline_desc: str  # the chart in a sentence, for screen readers
    undated: bool  # some reports have no known year, so the years add up to less
    narrower: list[TagCount]  # crime types below this one, or units under a ministry
    related: list[RelatedGroup]
    latest: list[Article]


@dataclass
class BrowseIndex:
    total: TagCount
    countries: list[TagCount]
    ministries: list[tuple[str, list[TagCount]]]  # (country name, its ministries and agencies)
    crime_types: list[TagCount]  # parents before their children, with depth


@dataclass(frozen=True)
class HeatCell:
    count: int
    url: str  # "" for an empty cell
    level: int  # 0 when empty, else 1 ... HEAT_LEVELS by share of the table's largest cell


@dataclass(frozen=True)
class HeatRow:
    label: str
    total: TagCount
    cells: list[HeatCell]
    page_url: str = ""
    depth: int = 0


@dataclass
class HeatTable:
    years: list[int]
    rows: list[HeatRow]
    all_reports: HeatRow  # every report per year, however tagged


@dataclass(frozen=True)
class ProposedTags:
    kind: str
    tags: int
    articles: int


@dataclass
class ReviewSummary:
    needs_review: int
    proposed_tags: list[ProposedTags]
    proposed_years: int
    queue_url: str  # the admin review queue, for staff only; "" for everyone else


@dataclass
class Overview:
    crime_types: HeatTable
    crime_chart: charts.LineChart
    crime_chart_desc: str
    sources: HeatTable
    review: ReviewSummary


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


# --- Building the pages ------------------------------------------------------------------------


def build_tag_page(counter: Counter, tag: Tag) -> TagPage:
    """Return everything the tag's page shows, from two searches and a few more for counts."""
    entry = TAG_KINDS[tag.facet].taxonomy.objects.filter(pk=tag.pk).first()
    if entry is None:  # deleted since the taxonomy was read
        raise Http404(f"No {FACET_LABELS[tag.facet].lower()} is called {tag.value!r}.")
    response, articles = counter.search([*tag.pairs, (SORT, "newest")], page_size=LATEST_SHOWN)
    mentions = counter.response([*tag.pairs, (MENTIONS, "1")]).total

    years = [
        TagCount(
            str(year),
            count,
            search_url([*tag.pairs, *year_pairs(year)]) if count else "",
        )
        for year, count in charts.fill_years(response.facet_counts.get("year", {}))
    ]
    related = []
    for facet in RELATED_FACETS[tag.facet]:
        totals = counter.counted(facet, response)
        items = sorted(
            (counter.tag_count(facet, pk, count, tag.pairs) for pk, count in totals.items()),
            key=lambda item: (-item.count, item.label),
        )
        items = [item for item in items if item.count]
        related.append(
            RelatedGroup(
                facet,
                RELATED_TITLES[facet],
                items[:RELATED_SHOWN],
                len(items) > RELATED_SHOWN,
            )
        )
    return TagPage(
        tag=tag,
        kind=FACET_LABELS[tag.facet],
        entry=entry,
        aliases=entry.alias_list(),
        context=_context_links(counter, tag, entry),
        total=TagCount(tag.label, response.total, search_url(tag.pairs) if response.total else ""),
        with_mentions=TagCount(
            tag.label, mentions, search_url([*tag.pairs, (MENTIONS, "1")]) if mentions else ""
        ),
        years=years,
        timeline=charts.bar_chart([(year.label, year.count, year.search_url) for year in years]),
        timeline_title=f"Reports about {entry.name} per year",
        timeline_desc=describe_years(years),
        undated=response.total > sum(year.count for year in years),
        narrower=_narrower(counter, tag, response),
        related=related,
        latest=[articles[hit.article_id] for hit in response.hits if hit.article_id in articles],
    )


def describe_years(years: list[TagCount]) -> str:
    """Return a sentence saying what a timeline of these years shows."""
    if not years:
        return "No report has a known year."
    busiest = max(years, key=lambda year: year.count)
    empty = sum(1 for year in years if not year.count)
    gaps = f"; {empty} year{'s' if empty != 1 else ''} without reports" if empty else ""
    if len(years) == 1:
        shown = f"One bar: {_reports(busiest.count)} in {busiest.label}"
    else:
        shown = (
            f"Bars for each year from {years[0].label} to {years[-1].label}; the most reports, "
            f"{busiest.count:,}, in {busiest.label}{gaps}"
        )
    return f"{shown}. The table below lists every year."


def describe_series(chart: charts.LineChart) -> str:
    """Return a sentence saying what each line of a chart of years shows, peak included."""
    if not chart.series:
        return "No crime type has reports with a known year."
    lines = []
    for series in chart.series:
        peak = max(series.points, key=lambda point: point.count)  # the earliest of equal peaks
        total = sum(point.count for point in series.points)
        lines.append(
            f"{series.label}: {_reports(total)} with a year, most in {peak.label} ({peak.count:,})"
        )
    return (
        f"One line per crime type {_span(chart.years[0], chart.years[-1])}: "
        f"{'; '.join(lines)}. The numbers are listed in the table below the chart."
    )


def _span(first: str, last: str) -> str:
    return f"from {first} to {last}" if first != last else f"in {first}"


def _reports(count: int) -> str:
    return f"{count:,} report{'s' if count != 1 else ''}"


def _context_links(counter: Counter, tag: Tag, entry) -> list[Link]:
    links = []
    if tag.facet == "ministry":
        if entry.country_id:
            country = counter.value_of("country", entry.country_id)
            links.append(
                Link(
                    "Country",
                    counter.label_of("country", entry.country_id),
                    tag_page_url("country", country),
                )
            )
        if entry.parent_id:
            links.append(
                Link(
                    "Part of",
                    counter.label_of("ministry", entry.parent_id),
                    tag_page_url("ministry", counter.value_of("ministry", entry.parent_id)),
                )
            )
    elif tag.facet == "crime_type":
        parent = counter.taxonomy.crime_parent.get(tag.pk)
        seen = {tag.pk}
        while parent is not None and parent not in seen:
            seen.add(parent)
            links.append(
                Link(
                    "Broader type",
                    counter.label_of("crime_type", parent),
                    tag_page_url("crime_type", counter.value_of("crime_type", parent)),
                )
            )
            parent = counter.taxonomy.crime_parent.get(parent)
    return links


def _narrower(counter: Counter, tag: Tag, response: SearchResponse) -> list[TagCount]:
    """Return the entries directly under the tag, each with its own search's count.

    The tag's own facet is counted without its selection, so these counts cover the archive.
    """
    if tag.facet == "crime_type":
        children = [pk for pk, parent in counter.taxonomy.crime_parent.items() if parent == tag.pk]
        totals = counter.crime_type_totals(response.facet_counts.get("crime_type", {}), children)
    elif tag.facet == "ministry":
        exact = response.facet_counts.get("ministry", {})
        children = Ministry.objects.filter(parent_id=tag.pk).values_list("pk", flat=True)
        totals = {pk: exact.get(str(pk), 0) for pk in children}
    else:
        return []
    return sorted(
        (counter.tag_count(tag.facet, pk, count) for pk, count in totals.items()),
        key=lambda item: item.label,
    )


def build_browse_index(counter: Counter) -> BrowseIndex:
    """Return every country, ministry and crime type with the count its search finds."""
    response = counter.response([])
    exact = {
        facet: {int(pk): count for pk, count in response.facet_counts.get(facet, {}).items()}
        for facet in TAG_FACETS
    }
    taxonomy = counter.taxonomy
    countries = sorted(
        (
            counter.tag_count("country", pk, exact["country"].get(pk, 0))
            for pk in taxonomy.by_id["country"]
        ),
        key=lambda item: item.label,
    )
    groups: dict[str, list[TagCount]] = defaultdict(list)
    for pk, name, country in Ministry.objects.values_list("pk", "name", "country__name"):
        entry = counter.tag_count("ministry", pk, exact["ministry"].get(pk, 0))
        groups[country or NO_COUNTRY].append(replace(entry, label=name))
    ministries = [
        (country, sorted(entries, key=lambda item: item.label))
        for country, entries in sorted(
            groups.items(), key=lambda group: (group[0] == NO_COUNTRY, group[0])
        )
    ]
    crime_totals = counter.counted("crime_type", response)
    crime_types = [
        counter.tag_count("crime_type", pk, crime_totals.get(pk, 0), depth=depth)
        for pk, depth in crime_type_tree(
            taxonomy.crime_parent, lambda pk: counter.label_of("crime_type", pk).casefold()
        )
    ]
    return BrowseIndex(
        total=TagCount("All reports", response.total, search_url([])),
        countries=countries,
        ministries=ministries,
        crime_types=crime_types,
    )


def build_overview(counter: Counter, *, staff: bool) -> Overview:
    """Return the overview's tables, chart and review counts."""
    everything = counter.response([])
    all_years = everything.facet_counts.get("year", {})
    years = charts.year_span(all_years)
    all_reports = _heat_row(
        TagCount("All reports", everything.total, search_url([])),
        [],
        years,
        all_years,
        highest=0,
    )

    # One search per row gives both its total and its years. A crime type is a row when it or
    # a type below it is tagged.
    known = counter.taxonomy.by_id
    tagged = {
        facet: {
            int(pk)
            for pk, count in everything.facet_counts.get(facet, {}).items()
            if count and int(pk) in known[facet]
        }
        for facet in ("crime_type", "source")
    }
    with_reports = counter.with_ancestors(tagged["crime_type"])
    crime_rows = [
        (pk, depth)
        for pk, depth in crime_type_tree(
            counter.taxonomy.crime_parent, lambda pk: counter.label_of("crime_type", pk).casefold()
        )
        if pk in with_reports
    ]
    source_rows = [
        (pk, 0)
        for pk in sorted(tagged["source"], key=lambda pk: counter.label_of("source", pk).casefold())
    ]
    crime_table = _heat_table(counter, "crime_type", crime_rows, years, all_reports)
    source_table = _heat_table(counter, "source", source_rows, years, all_reports)

    # The chart draws years, so types are ranked by their dated reports; undated ones are left out.
    dated = {row.label: sum(cell.count for cell in row.cells) for row in crime_table.rows}
    top = sorted(
        (row for row in crime_table.rows if row.depth == 0 and dated[row.label]),
        key=lambda row: (-dated[row.label], row.label),
    )[:SERIES_SHOWN]
    chart = charts.line_chart(
        years,
        [(row.label, [(cell.count, cell.url) for cell in row.cells]) for row in top],
    )
    return Overview(
        crime_types=crime_table,
        crime_chart=chart,
        crime_chart_desc=describe_series(chart),
        sources=source_table,
        review=review_summary(staff=staff),
    )


def _heat_table(
    counter: Counter,
    facet: str,
    rows: list[tuple[int, int]],
    years: list[int],
    all_reports: HeatRow,
) -> HeatTable:
    """Return a row per (entry id, depth), counted by one search of the entry's own."""
    counted = []
    for pk, depth in rows:
        pairs = [(facet, counter.value_of(facet, pk))]
        response = counter.response(pairs)
        entry = counter.tag_count(facet, pk, response.total, depth=depth)
        counted.append((entry, pairs, response.facet_counts.get("year", {})))
    highest = max((count for *_, by_year in counted for count in by_year.values()), default=0)
    return HeatTable(
        years,
        [
            _heat_row(entry, pairs, years, by_year, highest=highest)
            for entry, pairs, by_year in counted
        ],
        all_reports,
    )


def _heat_row(
    entry: TagCount, pairs: Pairs, years: list[int], by_year: Mapping[str, int], *, highest: int
) -> HeatRow:
    cells = []
    for year in years:
        count = by_year.get(str(year), 0)
        level = math.ceil(HEAT_LEVELS * count / highest) if count and highest else 0
        url = search_url([*pairs, *year_pairs(year)]) if count else ""
        cells.append(HeatCell(count, url, level))
    return HeatRow(entry.label, entry, cells, entry.page_url, entry.depth)


def review_summary(*, staff: bool) -> ReviewSummary:
    """Return what awaits a curator, in four aggregate queries."""
    articles = Article.objects.aggregate(
        needs_review=Count("pk", filter=Q(review_status=Article.ReviewStatus.NEEDS_REVIEW)),
        proposed_years=Count("pk", filter=Q(year__isnull=True, proposed_year__isnull=False)),
    )
    proposed = []
    for kind in TAG_KINDS.values():
        counts = kind.model.objects.filter(status=TagAssignment.Status.PROPOSED).aggregate(
            tags=Count("pk"), articles=Count("article", distinct=True)
        )
        proposed.append(ProposedTags(kind.label, counts["tags"], counts["articles"]))
    return ReviewSummary(
        needs_review=articles["needs_review"],
        proposed_tags=proposed,
        proposed_years=articles["proposed_years"],
        queue_url=reverse("admin:archive_reviewitem_changelist") if staff else "",
    )


# --- Views -------------------------------------------------------------------------------------


def browse_index(request):
    """List every country, ministry or agency and crime type with its number of reports."""
    try:
        index = build_browse_index(Counter())
    except SearchUnavailable as error:
        return unavailable(request, error)
    return render(request, "search/browse_index.html", {"index": index})


def tag_page(request, facet, value):
    """Show one tag: its reports per year, what it is reported with, its latest reports."""
    if facet not in TAG_FACETS:
        raise Http404(f"There are browse pages for {', '.join(TAG_FACETS)}, not {facet!r}.")
    counter = Counter()
    tag = counter.tag(facet, value)
    if tag is None:
        if facet == "country" and counter.tag(facet, value.upper()):
            return redirect("search:tag_page", facet, value.upper(), permanent=True)
        raise Http404(f"No {FACET_LABELS[facet].lower()} is called {value!r}.")
    try:
        page = build_tag_page(counter, tag)
    except SearchUnavailable as error:
        return unavailable(request, error)
    return render(request, "search/tag_page.html", {"page": page})


def overview(request):
    """Show reports per crime type and per source over the years, and what awaits review."""
    try:
        data = build_overview(Counter(), staff=request.user.is_staff)
    except SearchUnavailable as error:
        return unavailable(request, error)
    return render(request, "search/overview.html", {"overview": data})
