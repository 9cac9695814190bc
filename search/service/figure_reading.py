"""What the figures pages count: the reports a search selects, and their seizure and arrest
figures as the tables read them (search.service.figure_tables sums them).

    FigureSelection.from_params(GET)   what to count: the search's articles, proposals or not,
                                       countries as rows or one country's provinces
    select_articles(selection)         -> the ids of the search's reports (None: every report)
    read_figures(selection, ids)       -> [CountedFigure(article_id, year, kind, country, ...)]
    once_per_incident(figures, ...)    -> the figures with each incident's counted once

Reading the database is `read_figures` and `select_articles` alone; the rest are pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from django.http import QueryDict

from archive.grouping.queries import incident_ids, live_members
from archive.models import ArticleCrimeType, GroupKind, ReportedFigure, TagAssignment
from search.service.results import ResultSet
from search.service.url_state import (
    COUNT,
    DEFAULT_COUNT,
    FACET_KEYS,
    MENTIONS,
    YEAR,
    YEAR_FROM,
    YEAR_TO,
    Q,
)

# Query-string keys of the figures pages, beside the search's own (q, country, year_from...),
# which choose the articles. None of them is a search key: `country` filters articles by their
# tags, `cell_country` a cell by where its figures happened.
FIGURES = "figures"  # "all": machine proposals count too
ALL_FIGURES = "all"
PROVINCES_OF = "provinces"  # an ISO country code: rows are that country's provinces
TABLE = "table"  # which table a cell belongs to: "seizures" or "arrests"
CELL_YEAR, CELL_COUNTRY, CELL_PROVINCE = "cell_year", "cell_country", "cell_province"
CELL_DRUG, CELL_CRIME = "cell_drug", "cell_crime"
CELL_KEYS = (CELL_YEAR, CELL_COUNTRY, CELL_PROVINCE, CELL_DRUG, CELL_CRIME)

TABLET = "tablet"  # archive/extraction/quantities.py's canonical unit for pills and tablets
# Above this many matching articles, every counted figure is read and the ids are matched in
# Python: one query, where a list of ids in the SQL would pass SQLite's limit on parameters.
MAX_IDS_IN_QUERY = 500

CONFIRMED, PROPOSED = TagAssignment.Status.CONFIRMED, TagAssignment.Status.PROPOSED


# --- What to count ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSelection:
    """What the URL asks the figures pages to count."""

    params: QueryDict  # the search's parameters, as given
    include_proposals: bool = False
    provinces_of: str = ""  # "" for a row per country
    include_mentions: bool = False  # crime types from mention tags too, as the search counts

    @classmethod
    def from_params(cls, params: QueryDict) -> FigureSelection:
        country = params.get(PROVINCES_OF, "").strip().upper()
        return cls(
            params=params,
            include_proposals=params.get(FIGURES) == ALL_FIGURES,
            provinces_of=country if len(country) == 2 and country.isalpha() else "",
            include_mentions=params.get(MENTIONS, "").lower() in ("1", "true", "on"),
        )

    @property
    def restricts(self) -> bool:
        """Return whether the search parameters narrow the archive at all."""
        keys = (Q, YEAR, YEAR_FROM, YEAR_TO, *FACET_KEYS)
        return any(value.strip() for key in keys for value in self.params.getlist(key))

    @property
    def by_incident(self) -> bool:
        """Return whether an incident reported several times counts once (the default)."""
        return self.params.get(COUNT, DEFAULT_COUNT) != "reports"

    @property
    def status_counted(self) -> str:
        """Return what the tables count, as the CSV files' status_counted column says it."""
        return "confirmed+proposed" if self.include_proposals else "confirmed"

    def search_params(self) -> QueryDict:
        """Return the URL's parameters without the figures pages' own (and without a page)."""
        params = self.params.copy()
        for key in (FIGURES, PROVINCES_OF, TABLE, *CELL_KEYS, "page"):
            params.pop(key, None)
        return params


def select_articles(selection: FigureSelection) -> list[int] | None:
    """Return the ids of the articles the search parameters match, or None for every article.

    The search service answers, so the figures of a search are those of exactly the reports its
    page lists (words, tags with the types below a crime type, year range). With no parameter
    that narrows anything the index is not asked: every article counts. Raises SearchUnavailable
    when the index cannot be read.
    """
    if not selection.restricts:
        return None
    params = selection.search_params()
    params[COUNT] = "reports"  # every report's figures; once_per_incident picks among them
    return ResultSet.from_params(params).ids()


# --- The figures, as the tables read them ----------------------------------------------------


@dataclass(frozen=True)
class CountedFigure:
    article_id: int
    year: int | None  # the report's stated year
    kind: str  # ReportedFigure.Kind: seizure or arrest
    scope: str  # ReportedFigure.Scope
    proposed: bool  # a machine proposal no curator has confirmed
    country: str  # ISO 3166-1 alpha-2, "" when not stated
    province: str  # ISO 3166-2, "" when not stated
    drug: str = ""
    kg: float | None = None
    tablets: int | None = None
    arrested: int | None = None
    crime_types: tuple[str, ...] = ()  # the report's crime types' slugs, for arrests
    # For the lists of totals and of the reports behind a cell:
    figure_id: int = 0
    quantity: float | None = None
    unit: str = ""
    count: int | None = None
    period: str = ""
    confidence: float = 1.0
    incident: int = 0  # the report's incident (0: none)

    @property
    def summed(self) -> bool:
        """Return whether the seizure tables can add this figure: a mass or tablets."""
        return self.kg is not None or self.tablets is not None


_FIELDS = (
    "pk", "article_id", "article__year", "kind", "scope", "status", "country_code", "place_code",
    "drug", "mass_kg", "unit", "count", "quantity", "period", "confidence",
)  # fmt: skip


def read_figures(
    selection: FigureSelection, article_ids: Iterable[int] | None
) -> list[CountedFigure]:
    """Return the seizure and arrest figures the selection counts, of these articles (None: all)."""
    figures = ReportedFigure.objects.counted(include_proposals=selection.include_proposals).filter(
        kind__in=(ReportedFigure.Kind.SEIZURE, ReportedFigure.Kind.ARREST)
    )
    wanted: set[int] | None = None
    if article_ids is not None:
        wanted = set(article_ids)
        if not wanted:
            return []
        if len(wanted) <= MAX_IDS_IN_QUERY:
            figures = figures.filter(article_id__in=wanted)
    rows = [row for row in figures.values_list(*_FIELDS) if wanted is None or row[1] in wanted]
    crime_types = _crime_types_of(
        {row[1] for row in rows if row[3] == ReportedFigure.Kind.ARREST},
        include_mentions=selection.include_mentions,
    )
    figures = [counted_figure(row, crime_types.get(row[1], ())) for row in rows]
    if selection.by_incident:
        figures = once_per_incident(figures, _incidents_of({f.article_id for f in figures}))
    return figures


def once_per_incident(
    figures: list[CountedFigure], incident_of: Mapping[int, int]
) -> list[CountedFigure]:
    """Return the figures with each incident's counted once: of the reports of one incident
    that state a seizure of one drug (or an arrest count), one report's figures count, the
    one with a figure a curator confirmed first, else the earliest imported. A total over a
    period is left as it is (the tables keep totals apart)."""
    chosen: dict[tuple, int] = {}
    for figure in figures:
        incident = incident_of.get(figure.article_id, 0)
        if not incident or figure.scope != ReportedFigure.Scope.SINGLE:
            continue
        key = (incident, figure.kind, figure.drug)
        rank = (figure.proposed, figure.article_id)
        if key not in chosen or rank < chosen[key]:
            chosen[key] = rank
    kept = []
    for figure in figures:
        incident = incident_of.get(figure.article_id, 0)
        key = (incident, figure.kind, figure.drug)
        single = figure.scope == ReportedFigure.Scope.SINGLE
        if single and key in chosen and chosen[key][1] != figure.article_id:
            continue
        kept.append(replace(figure, incident=incident) if incident else figure)
    return kept


def _incidents_of(article_ids: set[int]) -> dict[int, int]:
    if len(article_ids) <= MAX_IDS_IN_QUERY:
        return incident_ids(article_ids)
    every = live_members().filter(kind=GroupKind.INCIDENT)
    return {
        article: group
        for article, group in every.values_list("article_id", "group_id")
        if article in article_ids
    }


def counted_figure(row: Sequence, crime_types: tuple[str, ...] = ()) -> CountedFigure:
    """Return a figure as the tables read it, from a row of `_FIELDS`."""
    (pk, article_id, year, kind, scope, status, country, place, drug, mass_kg, unit, count,
     quantity, period, confidence) = row  # fmt: skip
    place = place or ""
    country = (country or place.split("-")[0]).upper()
    is_seizure = kind == ReportedFigure.Kind.SEIZURE
    tablets = None
    if is_seizure and count is not None and (unit == TABLET or (not unit and mass_kg is None)):
        tablets = count
    return CountedFigure(
        article_id=article_id,
        year=year,
        kind=kind,
        scope=scope,
        proposed=status != CONFIRMED,
        country=country,
        province=place,
        drug=drug if is_seizure else "",
        kg=mass_kg if is_seizure and tablets is None else None,
        tablets=tablets,
        arrested=count if kind == ReportedFigure.Kind.ARREST else None,
        crime_types=crime_types,
        figure_id=pk,
        quantity=quantity,
        unit=unit,
        count=count,
        period=period,
        confidence=confidence,
    )


def _crime_types_of(article_ids: set[int], *, include_mentions: bool) -> dict[int, tuple[str, ...]]:
    """Return {article id: its live crime types' slugs, sorted}."""
    if not article_ids:
        return {}
    tags = ArticleCrimeType.objects.live()
    if not include_mentions:
        tags = tags.filter(role=TagAssignment.Role.SUBJECT)
    if len(article_ids) <= MAX_IDS_IN_QUERY:
        tags = tags.filter(article_id__in=article_ids)
    found: dict[int, list[str]] = defaultdict(list)
    for article_id, slug in tags.values_list("article_id", "crime_type__slug"):
        if article_id in article_ids:
            found[article_id].append(slug)
    return {pk: tuple(sorted(slugs)) for pk, slugs in found.items()}
