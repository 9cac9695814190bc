"""The figures reports state, summed into tables: seizures and arrests by year, place and drug or
crime type, for the page at /figures/, its CSV files and the list of reports behind each cell.

Shapes, in short (what to count and the figures read are search.service.figure_reading's):
    build_tables(selection, ...)       -> FigureTables: the search's figures read and summed
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

Everything here is plain data: the figures are read by figure_reading (build_tables calls it,
and reads the taxonomy's names); the rest are pure functions of their arguments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.http import QueryDict

from archive.extraction import places
from archive.models import ReportedFigure
from search.service.figure_reading import (
    CELL_COUNTRY,
    CELL_CRIME,
    CELL_DRUG,
    CELL_PROVINCE,
    CELL_YEAR,
    TABLE,
    CountedFigure,
    FigureSelection,
    read_figures,
    select_articles,
)
from search.service.taxonomy_names import Taxonomy

NOT_STATED = "-"  # a cell's value for "no year", "no place", "no drug named", "no crime type"
SEIZURES, ARRESTS = "seizures", "arrests"
TABLES = (SEIZURES, ARRESTS)


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
