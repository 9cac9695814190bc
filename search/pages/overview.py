"""The overview: reports per crime type and per source over the years, as tables and a chart,
and what awaits review.

Every count is linked to the search that finds it (search/pages/counting.py says how).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse

from archive.kinds import TAGGED
from archive.models import Article, TagAssignment
from search.backends.base import SearchUnavailable
from search.pages import charts
from search.pages.counting import (
    Counter,
    Pairs,
    TagCount,
    crime_type_tree,
    reports_phrase,
    search_url,
    year_pairs,
)
from search.service.outage import unavailable

SERIES_SHOWN = 6  # lines in the overview chart; more are hard to tell apart by colour
HEAT_LEVELS = 5  # shades of the overview tables' cells: .heat-1 (few) ... .heat-5 (most)


# --- Plain data for the templates ------------------------------------------------------------


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


# --- Building the page -------------------------------------------------------------------------


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


def describe_series(chart: charts.LineChart) -> str:
    """Return a sentence saying what each line of a chart of years shows, peak included."""
    if not chart.series:
        return "No crime type has reports with a known year."
    lines = []
    for series in chart.series:
        peak = max(series.points, key=lambda point: point.count)  # the earliest of equal peaks
        total = sum(point.count for point in series.points)
        lines.append(
            f"{series.label}: {reports_phrase(total)} with a year, "
            f"most in {peak.label} ({peak.count:,})"
        )
    return (
        f"One line per crime type {_span(chart.years[0], chart.years[-1])}: "
        f"{'; '.join(lines)}. The numbers are listed in the table below the chart."
    )


def _span(first: str, last: str) -> str:
    return f"from {first} to {last}" if first != last else f"in {first}"


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
    for kind in TAGGED:
        counts = kind.tag.model.objects.filter(status=TagAssignment.Status.PROPOSED).aggregate(
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


def overview(request):
    """Show reports per crime type and per source over the years, and what awaits review."""
    try:
        data = build_overview(Counter(), staff=request.user.is_staff)
    except SearchUnavailable as error:
        return unavailable(request, error)
    return render(request, "search/overview.html", {"overview": data})
