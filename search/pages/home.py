"""The search page's welcome for a first-time visitor: what the archive holds and how to ask.

Shown on `/` while nothing is asked yet. Its numbers come from the facet counts the page has
already computed over the whole archive. Only the crime types need more: a broad type's search
includes the narrower types below it, so its count must too (as on the browse pages), which takes
one search per broad type with narrower types tagged. Those totals are kept until the index or
the taxonomy changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

from search.backends.base import FIGURE_FACET_KEYS, SearchResponse
from search.service.taxonomy_names import Taxonomy
from search.service.url_state import (
    FACET_KEYS,
    MENTIONS,
    MIN_KG,
    PAGE,
    SORT,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
    Q,
)

# Any of these in the URL means the visitor has asked for something: no welcome then.
ASKING_KEYS = (
    Q,
    *FACET_KEYS,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
    *FIGURE_FACET_KEYS,
    MIN_KG,
    MENTIONS,
    SORT,
    PAGE,
)
COUNTRIES_SHOWN = 8
CRIME_TYPES_SHOWN = 8  # broad types only; the browse page lists the narrower ones
LATEST_SHOWN = 4

# The query language as README's "Search" section states it: (example, what it does). The page
# shows it open on the welcome and folded under the search box everywhere else.
SYNTAX_HELP = (
    ("drug raid Kampot", "every word must appear; word forms match too (kidnap finds kidnapping)"),
    ('"crystal meth"', "the exact phrase"),
    ("gambling OR lottery", "either word"),
    ("casino NOT lottery", "leave a word out (-lottery does the same)"),
    ("traffick*", "words beginning so, with at least 3 letters before the *"),
    ("title:crackdown", "in titles only (body: for the text only)"),
    ("country:KH crime:gambling year:2022", "like ticking those filters"),
)


@dataclass(frozen=True)
class CountLink:
    label: str
    count: int
    url: str  # the search that finds exactly `count` reports


@dataclass(frozen=True)
class LatestReport:
    title: str
    url: str
    date: str  # as shown: "3 May 2021", "2021" or ""
    iso_date: str


@dataclass(frozen=True)
class ArchiveSummary:
    total: int
    first_year: int | None
    last_year: int | None
    undated: int
    countries: list[CountLink]
    more_countries: int
    crime_types: list[CountLink]
    more_crime_types: int
    latest: list[LatestReport]


def is_first_visit(params: QueryDict) -> bool:
    """Return whether the URL asks for nothing yet (the bare search page)."""
    return not any(params.get(key) for key in ASKING_KEYS)


def summarize_archive(
    response: SearchResponse, articles: list, taxonomy: Taxonomy
) -> ArchiveSummary:
    """Return the welcome's figures from the unfiltered search's response and first page of
    articles (newest first)."""
    counts = response.facet_counts
    years = sorted(int(year) for year, count in counts.get("year", {}).items() if count)
    dated = sum(counts.get("year", {}).values())
    countries = _ranked("country", counts.get("country", {}), taxonomy)
    crime_types = _ranked(
        "crime_type",
        broad_crime_type_totals(counts.get("crime_type", {}), taxonomy),
        taxonomy,
    )
    return ArchiveSummary(
        total=response.total,
        first_year=years[0] if years else None,
        last_year=years[-1] if years else None,
        undated=response.total - dated,
        countries=countries[:COUNTRIES_SHOWN],
        more_countries=max(0, len(countries) - COUNTRIES_SHOWN),
        crime_types=crime_types[:CRIME_TYPES_SHOWN],
        more_crime_types=max(0, len(crime_types) - CRIME_TYPES_SHOWN),
        latest=[_latest(article) for article in articles[:LATEST_SHOWN]],
    )


def broad_crime_type_totals(counts: dict[str, int], taxonomy: Taxonomy) -> dict[str, int]:
    """Return {broad crime type id: reports its search finds} for every broad type with any
    report. The facet counts already count a type over the types below it, each report once."""
    roots = {_root(int(pk), taxonomy.crime_parent) for pk, count in counts.items() if count}
    return {str(pk): counts.get(str(pk), 0) for pk in roots if pk in taxonomy.by_id["crime_type"]}


def _root(pk: int, parent_of: dict[int, int | None]) -> int:
    seen = set()
    while parent_of.get(pk) is not None and pk not in seen:  # a loop in bad data ends here
        seen.add(pk)
        pk = parent_of[pk]
    return pk


def _ranked(facet: str, counts: dict[str, int], taxonomy: Taxonomy) -> list[CountLink]:
    links = []
    for pk, count in counts.items():
        entry = taxonomy.by_id[facet].get(int(pk))
        if entry is None or not count:  # deleted a moment ago, its change not yet applied
            continue
        value, label = entry
        links.append(CountLink(label, count, "?" + urlencode({facet: value})))
    return sorted(links, key=lambda link: (-link.count, link.label))


def _latest(article) -> LatestReport:
    if article.published_date:
        shown = f"{article.published_date.day} {article.published_date:%B %Y}"
        iso = article.published_date.isoformat()
    else:
        shown, iso = (str(article.year), str(article.year)) if article.year else ("", "")
    return LatestReport(article.title, article.get_absolute_url(), shown, iso)
