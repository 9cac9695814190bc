"""The browse pages: /browse/ lists every country, ministry or agency and crime type with its
number of reports, and each has a page of its own (/browse/<facet>/<value>/) with its reports per
year, what it is reported together with, and its latest reports.

Every count is linked to the search that finds it (search/pages/counting.py says how).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from django.http import Http404
from django.shortcuts import redirect, render

from archive.models import TAG_KINDS, Article, Country, CrimeType, Ministry
from search.backends.base import SearchResponse, SearchUnavailable
from search.pages import charts
from search.pages.counting import (
    TAG_FACETS,
    Counter,
    Tag,
    TagCount,
    crime_type_tree,
    reports_phrase,
    search_url,
    tag_page_url,
    year_pairs,
)
from search.pages.provinces import tile_map
from search.service.outage import unavailable
from search.service.url_state import FACET_LABELS, MENTIONS, SORT

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
NO_COUNTRY = "Regional and international bodies"


# --- Plain data for the templates ------------------------------------------------------------


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
    countries: list[TagCount]  # those with reports
    # The rest of the world's ~250 countries and territories, folded away on the page.
    countries_without_reports: list[TagCount]
    ministries: list[tuple[str, list[TagCount]]]  # (country name, its ministries and agencies)
    crime_types: list[TagCount]  # parents before their children, with depth


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
        shown = f"One bar: {reports_phrase(busiest.count)} in {busiest.label}"
    else:
        shown = (
            f"Bars for each year from {years[0].label} to {years[-1].label}; the most reports, "
            f"{busiest.count:,}, in {busiest.label}{gaps}"
        )
    return f"{shown}. The table below lists every year."


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
        countries=[entry for entry in countries if entry.count],
        countries_without_reports=[entry for entry in countries if not entry.count],
        ministries=ministries,
        crime_types=crime_types,
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
    # A country of the region shows its provinces as a tile map.
    province_map = tile_map(tag.value) if facet == "country" else None
    return render(request, "search/tag_page.html", {"page": page, "province_map": province_map})
