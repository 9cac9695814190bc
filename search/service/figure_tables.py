"""The figures reports state, summed into tables: seizures and arrests by year, place and drug or
crime type, for the page at /figures/, its CSV files and the list of reports behind each cell.

Shapes, in short:
    FigureSelection.from_params(GET)   what to count: the search's articles, proposals or not,
                                       countries as rows or one country's provinces
    read_figures(selection, ids)       -> [CountedFigure(article_id, year, kind, country, ...)]
    seizure_table(figures, ...)        -> FigureTable(years, rows=[FigureRow(group, label,
    arrest_table(figures, ...)            cells=[FigureCell(kg, tablets, arrested, reports)])])
    figures_in_cell(figures, cell)     -> the figures (and so the reports) behind one cell

The rules every table keeps, said on the page too:
- Only confirmed figures count unless the URL says `figures=all`; then the machine's proposals
  are added (rejected figures never are), and each cell says how many of its figures are
  proposals.
- A table adds up single events only. A total over a period ("3 tonnes seized in 2023") would
  count its events twice beside them: totals are listed apart, never summed.
- A report's year is the year it states (Article.year); reports with none are left out of the
  tables and counted, and their list is one link away.
- A seizure's mass is summed in kilograms; tablets are summed apart (unit "tablet", or a count
  stated with no unit and no mass). Other counts (plants, bags, litres) are neither and are left
  out of both, with their number shown.
- An arrest is counted under each of its report's crime types (live tags; subject tags only,
  unless the search counts mentions): the crime type rows may add up to more than the arrests.

Everything here is plain data; reading the database is `read_figures` and `select_articles`
alone, and the rest are pure functions of their arguments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from django.http import QueryDict

from archive.extraction import places
from archive.grouping.queries import incident_ids, live_members
from archive.models import ArticleCrimeType, GroupKind, ReportedFigure, TagAssignment
from search.service.results import ResultSet
from search.service.taxonomy_names import Taxonomy
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
NOT_STATED = "-"  # a cell's value for "no year", "no place", "no drug named", "no crime type"
SEIZURES, ARRESTS = "seizures", "arrests"
TABLES = (SEIZURES, ARRESTS)

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


# --- Names -----------------------------------------------------------------------------------

NO_NAMES: Mapping[str, str] = MappingProxyType({})  # a default no call can change


def country_name(code: str, names: Mapping[str, str] = NO_NAMES) -> str:
    """Return a country's name: the taxonomy's (`names`, code -> label), else ISO's."""
    if not code:
        return "Country not stated"
    return names[code] if code in names else places.country_name(code)


def province_name(code: str) -> str:
    """Return a province's name as the press writes it (place_names.PROVINCES), else ISO's."""
    return places.province_name(code) if code else "Province not stated"


# --- Tables ----------------------------------------------------------------------------------


NO_YEAR = 0  # CellKey.year of the reports stating no year


def _is_year(text: str | None) -> bool:
    return bool(text) and text.isascii() and text.isdigit() and len(text) <= 4


@dataclass(frozen=True)
class CellKey:
    """Which figures a cell holds; None leaves a dimension open (every year with a stated year,
    every province of the country)."""

    table: str
    year: int | None = None
    country: str | None = None
    province: str | None = None
    what: str | None = None  # a drug, or a crime type's slug

    def params(self) -> list[tuple[str, str]]:
        """Return the cell's URL parameters; NOT_STATED for an empty value."""
        what_key = CELL_DRUG if self.table == SEIZURES else CELL_CRIME
        pairs = [(TABLE, self.table)]
        year = None if self.year is None else (self.year or "")
        for key, value in (
            (CELL_YEAR, year),
            (CELL_COUNTRY, self.country),
            (CELL_PROVINCE, self.province),
            (what_key, self.what),
        ):
            if value is not None:
                pairs.append((key, str(value) if value != "" else NOT_STATED))
        return pairs

    @classmethod
    def from_params(cls, params: QueryDict) -> CellKey | None:
        """Return the cell the URL names, or None when it names no table."""
        table = params.get(TABLE)
        if table not in TABLES:
            return None

        def value(key: str) -> str | None:
            given = params.get(key)
            if given is None:
                return None
            return "" if given == NOT_STATED else given.strip()

        year = value(CELL_YEAR)
        country, province = value(CELL_COUNTRY), value(CELL_PROVINCE)
        return cls(
            table=table,
            # NO_YEAR for the reports stating none; a year that is not one leaves years open.
            year=NO_YEAR if year == "" else int(year) if _is_year(year) else None,
            country=country.upper() if country is not None else None,
            province=province.upper() if province is not None else None,
            what=value(CELL_DRUG if table == SEIZURES else CELL_CRIME),
        )


@dataclass(frozen=True)
class FigureCell:
    kg: float = 0.0
    tablets: int = 0
    arrested: int = 0
    reports: int = 0  # distinct reports behind the cell
    figures: int = 0
    proposed: int = 0  # of `figures`, how many are machine proposals
    url: str = ""  # the list of the reports behind the cell; "" when empty

    @property
    def empty(self) -> bool:
        return not self.reports

    @property
    def kg_text(self) -> str:
        """Return the mass as a page shows it: "1,234.5", "0.003"."""
        return kg_text(self.kg, grouped=True)


@dataclass(frozen=True)
class FigureRow:
    group: str  # the country's or province's name
    group_value: str  # its code ("" when not stated)
    label: str  # the drug, or the crime type's name
    value: str  # the drug, or the crime type's id ("" when none)
    cells: list[FigureCell]  # one per year of the table
    total: FigureCell  # every year together
    group_url: str = ""  # a country row: its provinces' table


@dataclass
class FigureTable:
    table: str
    years: list[int]
    rows: list[FigureRow]
    by_province: bool
    undated_reports: int  # reports with a counted single-event figure but no stated year
    undated_url: str
    unsummed: int = 0  # seizure figures counted in neither kg nor tablets (plants, litres...)


Link = Callable[[CellKey], str]


def _no_link(key: CellKey) -> str:
    return ""


def _singles(figures: Iterable[CountedFigure], kind: str) -> list[CountedFigure]:
    return [f for f in figures if f.kind == kind and f.scope == ReportedFigure.Scope.SINGLE]


def _cell(figures: list[CountedFigure], url: str) -> FigureCell:
    return FigureCell(
        kg=round(sum(f.kg or 0.0 for f in figures), 3),
        tablets=sum(f.tablets or 0 for f in figures),
        arrested=sum(f.arrested or 0 for f in figures),
        reports=len({f.article_id for f in figures}),
        figures=len(figures),
        proposed=sum(f.proposed for f in figures),
        url=url if figures else "",
    )


def seizure_table(
    figures: Iterable[CountedFigure],
    *,
    provinces_of: str = "",
    country_names: Mapping[str, str] = NO_NAMES,
    link: Link = _no_link,
    group_link: Callable[[str], str] = lambda code: "",
) -> FigureTable:
    """Return seizures by year x country (or one country's provinces) x drug: kg and tablets
    of single events, and the reports behind each cell."""
    singles = _singles(figures, ReportedFigure.Kind.SEIZURE)
    unsummed = sum(not f.summed for f in singles if not provinces_of or f.country == provinces_of)
    summed = [f for f in singles if f.summed]
    return _table(
        SEIZURES,
        summed,
        what=lambda f: (f.drug,),
        label=lambda drug: drug or "Drug not named",
        provinces_of=provinces_of,
        country_names=country_names,
        link=link,
        group_link=group_link,
        unsummed=unsummed,
    )


def arrest_table(
    figures: Iterable[CountedFigure],
    *,
    provinces_of: str = "",
    country_names: Mapping[str, str] = NO_NAMES,
    crime_types: Mapping[str, str] = NO_NAMES,
    link: Link = _no_link,
    group_link: Callable[[str], str] = lambda code: "",
) -> FigureTable:
    """Return people arrested by year x country (or one country's provinces) x crime type, single
    events only; a report with several crime types counts under each."""
    singles = [f for f in _singles(figures, ReportedFigure.Kind.ARREST) if f.arrested]

    def label(value: str) -> str:
        return crime_types.get(value, value) if value else "No crime type tagged"

    return _table(
        ARRESTS,
        singles,
        what=lambda f: f.crime_types or ("",),
        label=label,
        provinces_of=provinces_of,
        country_names=country_names,
        link=link,
        group_link=group_link,
    )


def _table(
    table: str,
    figures: list[CountedFigure],
    *,
    what: Callable[[CountedFigure], tuple[str, ...]],
    label: Callable[[str], str],
    provinces_of: str,
    country_names: Mapping[str, str],
    link: Link,
    group_link: Callable[[str], str],
    unsummed: int = 0,
) -> FigureTable:
    if provinces_of:
        figures = [f for f in figures if f.country == provinces_of]
    dated = [f for f in figures if f.year]
    undated = {f.article_id for f in figures if not f.year}
    years = list(range(min(f.year for f in dated), max(f.year for f in dated) + 1)) if dated else []
    # (group code, what) -> year -> figures
    cells: dict[tuple[str, str], dict[int, list[CountedFigure]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for figure in dated:
        group = figure.province if provinces_of else figure.country
        for value in what(figure):
            cells[(group, value)][figure.year].append(figure)

    def key(group: str, value: str, year: int | None) -> CellKey:
        if provinces_of:
            return CellKey(table, year, provinces_of, group, value)
        return CellKey(table, year, group, None, value)

    def group_label(code: str) -> str:
        return province_name(code) if provinces_of else country_name(code, country_names)

    rows = []
    for (group, value), by_year in cells.items():
        everything = [f for year_figures in by_year.values() for f in year_figures]
        rows.append(
            FigureRow(
                group=group_label(group),
                group_value=group,
                label=label(value),
                value=value,
                cells=[
                    _cell(by_year.get(year, []), link(key(group, value, year))) for year in years
                ],
                total=_cell(everything, link(key(group, value, None))),
                group_url=group_link(group) if not provinces_of and group else "",
            )
        )
    # Places by name with the unstated last; within a place, the largest rows first.
    rows.sort(
        key=lambda row: (
            not row.group_value,
            row.group.casefold(),
            -(row.total.kg + row.total.tablets + row.total.arrested),
            row.label.casefold(),
        )
    )
    undated_key = CellKey(table, NO_YEAR, provinces_of or None)
    return FigureTable(
        table=table,
        years=years,
        rows=rows,
        by_province=bool(provinces_of),
        undated_reports=len(undated),
        undated_url=link(undated_key) if undated else "",
        unsummed=unsummed,
    )


def totals_over_periods(
    figures: Iterable[CountedFigure], *, provinces_of: str = ""
) -> list[CountedFigure]:
    """Return the totals over a period, which no table adds to single events, latest first."""
    totals = [
        f
        for f in figures
        if f.scope == ReportedFigure.Scope.TOTAL and (not provinces_of or f.country == provinces_of)
    ]
    return sorted(totals, key=lambda f: (-(f.year or 0), f.kind, f.article_id, f.figure_id))


def figures_in_cell(figures: Iterable[CountedFigure], key: CellKey) -> list[CountedFigure]:
    """Return the figures a cell of a table adds up: its reports are their articles."""
    kind = ReportedFigure.Kind.SEIZURE if key.table == SEIZURES else ReportedFigure.Kind.ARREST
    found = []
    for figure in _singles(figures, kind):
        if key.table == SEIZURES and not figure.summed:
            continue
        if key.table == ARRESTS and not figure.arrested:
            continue
        if key.year is None and not figure.year:
            continue  # the tables leave out reports with no stated year
        if key.year is not None and (figure.year or NO_YEAR) != key.year:
            continue
        if key.country is not None and figure.country != key.country:
            continue
        if key.province is not None and figure.province != key.province:
            continue
        if key.what is not None:
            values = (figure.drug,) if key.table == SEIZURES else (figure.crime_types or ("",))
            if key.what not in values:
                continue
        found.append(figure)
    return found


# --- CSV -------------------------------------------------------------------------------------

SEIZURE_COLUMNS = ["year", "country", "province", "drug", "total_kg", "tablets", "reports",
                   "status_counted"]  # fmt: skip
ARREST_COLUMNS = ["year", "country", "province", "crime_type", "arrested", "reports",
                  "status_counted"]  # fmt: skip


def csv_rows(table: FigureTable, *, status_counted: str, provinces_of: str = "") -> list[list]:
    """Return one row per non-empty cell (years only, no "all years" totals): the header first."""
    seizures = table.table == SEIZURES
    rows: list[list] = [SEIZURE_COLUMNS if seizures else ARREST_COLUMNS]
    for row in table.rows:
        country = provinces_of or row.group_value
        province = row.group_value if provinces_of else ""
        for year, cell in zip(table.years, row.cells, strict=True):
            if cell.empty:
                continue
            what = row.value if seizures else row.label if row.value else ""
            amounts = [kg_text(cell.kg), cell.tablets] if seizures else [cell.arrested]
            rows.append([year, country, province, what, *amounts, cell.reports, status_counted])
    return rows


def kg_text(value: float, *, grouped: bool = False) -> str:
    """Return a mass in kg to the gram, without float noise: 12.5, 0.003, 1200 (1,200)."""
    text = f"{value:{',' if grouped else ''}.3f}".rstrip("0").rstrip(".")
    return text if value else "0"


# --- Both tables at once ---------------------------------------------------------------------


@dataclass
class FigureTables:
    """Both tables of a selection, the totals kept apart, and the figures they were built from."""

    seizures: FigureTable
    arrests: FigureTable
    totals: list[CountedFigure]
    figures: list[CountedFigure]
    country_names: dict[str, str] = field(default_factory=dict)
    crime_names: dict[str, str] = field(default_factory=dict)


def build_tables(
    selection: FigureSelection,
    *,
    link: Link = _no_link,
    group_link: Callable[[str], str] = lambda code: "",
) -> FigureTables:
    """Return the tables of the articles the selection's search matches. Raises
    SearchUnavailable when the search needs the index and it cannot be read."""
    figures = read_figures(selection, select_articles(selection))
    taxonomy = Taxonomy.current()
    countries = {code: label for code, label in taxonomy.by_id["country"].values()}
    crimes = {slug: label for slug, label in taxonomy.by_id["crime_type"].values()}
    options = {
        "provinces_of": selection.provinces_of,
        "country_names": countries,
        "link": link,
        "group_link": group_link,
    }
    return FigureTables(
        seizures=seizure_table(figures, **options),
        arrests=arrest_table(figures, crime_types=crimes, **options),
        totals=totals_over_periods(figures, provinces_of=selection.provinces_of),
        figures=figures,
        country_names=countries,
        crime_names=crimes,
    )
