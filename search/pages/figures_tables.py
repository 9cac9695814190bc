"""The figures page: what reports state (drugs seized, people arrested) added up by year, place and
drug or crime type, with charts, CSV files and the list of reports behind every number.

Which articles count is a search: the page takes the search page's parameters (q, country,
ministry, crime_type, source, year, year_from, year_to, mentions) and asks the search service for
every id it matches (search/service/figure_reading.py, `select_articles`), so the figures of a
search are those of exactly the reports its page lists; with none of them, every article counts
and the index is not asked. Its own parameters (`figures`, `provinces`, and a cell's `table` and
`cell_*`) are listed in that module, which also builds every number: the views only choose what
to build, and the templates only render.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse

from archive.models import Article, ReportedFigure
from search.backends.base import SearchUnavailable
from search.pages import charts
from search.service.figure_reading import (
    ALL_FIGURES,
    FIGURES,
    PROVINCES_OF,
    CountedFigure,
    FigureSelection,
)
from search.service.figure_tables import (
    ARRESTS,
    NO_YEAR,
    SEIZURES,
    TABLES,
    CellKey,
    FigureTable,
    FigureTables,
    build_tables,
    country_name,
    figures_in_cell,
    kg_text,
    province_name,
)
from search.service.outage import unavailable
from search.service.results import ResultSet
from search.service.url_state import COUNT

DRUG_CHARTS = 4  # small charts, one per drug: the drugs seized in the largest masses
TOTALS_SHOWN = 20  # totals over a period listed under the tables; the rest are counted
REPORTS_PER_PAGE = 50  # reports behind a cell, per page


# --- Links -----------------------------------------------------------------------------------


def _url(name: str, params: QueryDict, extra=(), *, args=()) -> str:
    """Return the named page's URL with the search's parameters, then `extra` (key, value)."""
    pairs = [(key, value) for key, values in params.lists() for value in values]
    query = urlencode([*pairs, *extra])
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _counting(selection: FigureSelection) -> list[tuple[str, str]]:
    return [(FIGURES, ALL_FIGURES)] if selection.include_proposals else []


def _with_count(params: QueryDict, count: str) -> QueryDict:
    params = params.copy()
    params.pop(COUNT, None)
    if count:
        params[COUNT] = count
    return params


def figures_url(selection: FigureSelection, *, provinces_of: str = "", proposals=None) -> str:
    """Return the figures page of this search, with rows per country or one country's provinces."""
    proposals = selection.include_proposals if proposals is None else proposals
    extra = [(FIGURES, ALL_FIGURES)] if proposals else []
    if provinces_of:
        extra.append((PROVINCES_OF, provinces_of))
    return _url("search:figures", selection.search_params(), extra)


def reports_url(selection: FigureSelection, key: CellKey) -> str:
    """Return the list of the reports behind a cell, for this search and way of counting."""
    return _url(
        "search:figure_reports", selection.search_params(), [*_counting(selection), *key.params()]
    )


def csv_url(selection: FigureSelection, table: str) -> str:
    extra = _counting(selection)
    if selection.provinces_of:
        extra.append((PROVINCES_OF, selection.provinces_of))
    return _url("search:figures_csv", selection.search_params(), extra, args=[table])


def tables_for(selection: FigureSelection) -> FigureTables:
    """Return the selection's tables with every cell linked to its reports. Raises
    SearchUnavailable when the search needs the index and it cannot be read."""
    return build_tables(
        selection,
        link=lambda key: reports_url(selection, key),
        group_link=lambda code: figures_url(selection, provinces_of=code),
    )


# --- Plain data for the template -------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    unit: str  # what a bar counts: "kg", "people arrested"
    chart: charts.BarChart
    chart_id: str


@dataclass(frozen=True)
class Total:
    """A total over a period, listed apart from the tables."""

    figure: CountedFigure
    title: str  # the report's
    article_url: str
    what: str  # "1,200 kg methamphetamine", "350 arrested"
    place: str


@dataclass
class FiguresPage:
    selection: FigureSelection
    tables: FigureTables
    search_title: str  # the search's title, "" for every report
    search_url: str  # the search page of the same articles
    counting_url: str  # the same page counting the other way (confirmed only <-> with proposals)
    countries_url: str  # back to a row per country, when showing provinces
    incidents_url: str  # the same tables counting every report, or each incident once
    place_label: str  # "Country" or the country's provinces
    province_choices: list[tuple[str, str, str]]  # (code, name, figures URL) of countries
    drug_charts: list[Chart]
    arrest_chart: Chart | None
    totals: list[Total]
    totals_left_out: int
    csv_links: list[tuple[str, str]]


def build_page(
    selection: FigureSelection,
    tables: FigureTables,
    *,
    search_title: str,
    titles: dict[int, str],
) -> FiguresPage:
    """Return everything the figures page shows; `titles` names the reports of the totals."""
    provinces_of = selection.provinces_of
    countries = sorted(
        {figure.country for figure in tables.figures if figure.country},
        key=lambda code: country_name(code, tables.country_names).casefold(),
    )
    totals = tables.totals
    return FiguresPage(
        selection=selection,
        tables=tables,
        search_title=search_title if selection.restricts else "",
        search_url=_url("search:search", selection.search_params()),
        counting_url=figures_url(
            selection, provinces_of=provinces_of, proposals=not selection.include_proposals
        ),
        countries_url=figures_url(selection) if provinces_of else "",
        incidents_url=_url(
            "search:figures",
            _with_count(selection.search_params(), "reports" if selection.by_incident else ""),
            [*_counting(selection), *([(PROVINCES_OF, provinces_of)] if provinces_of else [])],
        ),
        place_label=(
            f"Province of {country_name(provinces_of, tables.country_names)}"
            if provinces_of
            else "Country"
        ),
        province_choices=[
            (
                code,
                country_name(code, tables.country_names),
                figures_url(selection, provinces_of=code),
            )
            for code in countries
        ],
        drug_charts=drug_charts(selection, tables.seizures),
        arrest_chart=arrest_chart(selection, tables),
        totals=[_total(figure, tables, titles) for figure in totals[:TOTALS_SHOWN]],
        totals_left_out=max(0, len(totals) - TOTALS_SHOWN),
        csv_links=[(table, csv_url(selection, table)) for table in TABLES],
    )


def _total(figure: CountedFigure, tables: FigureTables, titles: dict[int, str]) -> Total:
    return Total(
        figure=figure,
        title=titles.get(figure.article_id, f"Report {figure.article_id}"),
        article_url=reverse("archive:article_detail", args=[figure.article_id]),
        what=figure_words(figure),
        place=_place_words(figure, tables.country_names),
    )


def figure_words(figure: CountedFigure) -> str:
    """Return a figure in a few words: "12.5 kg methamphetamine", "3,000 tablet heroin"."""
    if figure.kind == ReportedFigure.Kind.ARREST:
        return f"{_number(figure.count)} arrested"
    amount = _number(figure.quantity if figure.quantity is not None else figure.count)
    return " ".join(part for part in (amount, figure.unit, figure.drug or "drug not named") if part)


def _place_words(figure: CountedFigure, names) -> str:
    if figure.province:
        return f"{province_name(figure.province)}, {country_name(figure.country, names)}"
    return country_name(figure.country, names) if figure.country else "place not stated"


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _kg_for_chart(kg: float) -> float | int:
    """Return a mass rounded for a bar's label (12.5, 3 rather than 3.0), keeping a few grams
    from rounding to nothing."""
    rounded = round(kg, 1) if kg >= 0.1 else round(kg, 3)
    return int(rounded) if float(rounded).is_integer() else rounded


def drug_charts(selection: FigureSelection, table: FigureTable) -> list[Chart]:
    """Return one bar chart per drug (the largest masses first): kg seized per year, all the
    table's places together."""
    by_drug: dict[str, list[float]] = {}
    for row in table.rows:
        masses = by_drug.setdefault(row.value, [0.0] * len(table.years))
        for index, cell in enumerate(row.cells):
            masses[index] += cell.kg
    ranked = sorted(
        (drug for drug, masses in by_drug.items() if drug and sum(masses)),
        key=lambda drug: (-sum(by_drug[drug]), drug),
    )[:DRUG_CHARTS]
    place = selection.provinces_of or None
    shown = []
    for number, drug in enumerate(ranked):
        bars = [
            (
                str(year),
                _kg_for_chart(kg),
                reports_url(selection, CellKey(SEIZURES, year, place, None, drug)),
            )
            for year, kg in zip(table.years, by_drug[drug], strict=True)
        ]
        peak_year, peak = max(zip(table.years, by_drug[drug], strict=True), key=lambda x: x[1])
        shown.append(
            Chart(
                title=f"{drug.capitalize()} seized per year, in kg",
                desc=(
                    f"Kilograms of {drug} seized in single events, per year from "
                    f"{table.years[0]} to {table.years[-1]}: {_kg_words(sum(by_drug[drug]))} in "
                    f"all, most in {peak_year} ({_kg_words(peak)}). The table lists the numbers."
                ),
                unit="kg",
                chart=charts.bar_chart(bars),
                chart_id=f"drug-chart-{number}",
            )
        )
    return shown


def _kg_words(kg: float) -> str:
    return f"{_kg_for_chart(kg):,} kg"


def arrest_chart(selection: FigureSelection, tables: FigureTables) -> Chart | None:
    """Return the people arrested per year, each arrest figure once whatever its crime types."""
    table = tables.arrests
    if not table.years:
        return None
    per_year = dict.fromkeys(table.years, 0)
    for figure in tables.figures:
        if (
            figure.kind == ReportedFigure.Kind.ARREST
            and figure.scope == ReportedFigure.Scope.SINGLE
            and figure.year in per_year
            and (not selection.provinces_of or figure.country == selection.provinces_of)
        ):
            per_year[figure.year] += figure.arrested or 0
    place = selection.provinces_of or None
    bars = [
        (str(year), count, reports_url(selection, CellKey(ARRESTS, year, place)))
        for year, count in per_year.items()
    ]
    peak_year = max(per_year, key=lambda year: per_year[year])
    return Chart(
        title="People arrested per year",
        desc=(
            f"People arrested in single events, per year from {table.years[0]} to "
            f"{table.years[-1]}: {sum(per_year.values()):,} in all, most in {peak_year} "
            f"({per_year[peak_year]:,}). The table lists the numbers by crime type."
        ),
        unit="arrested",
        chart=charts.bar_chart(bars),
        chart_id="arrest-chart",
    )


# --- Views -----------------------------------------------------------------------------------


def search_title(selection: FigureSelection) -> str:
    """Return the search's short title ("heroin · Country: Cambodia"), "" for every report."""
    if not selection.restricts:
        return ""
    return ResultSet.from_params(selection.search_params()).title()


def figures(request):
    """Show seizures and arrests added up by year, place and drug or crime type."""
    selection = FigureSelection.from_params(request.GET)
    try:
        tables = tables_for(selection)
    except SearchUnavailable as error:
        return unavailable(request, error)
    listed = {figure.article_id for figure in tables.totals[:TOTALS_SHOWN]}
    titles = dict(Article.objects.filter(pk__in=listed).values_list("pk", "title"))
    page = build_page(selection, tables, search_title=search_title(selection), titles=titles)
    return render(request, "search/figures.html", {"page": page})


@dataclass(frozen=True)
class CellReport:
    article: Article
    figures: list[ReportedFigure]  # the report's figures in the cell, as stored


def cell_title(key: CellKey, names: dict[str, str], crimes: dict[str, str]) -> str:
    """Return what a cell holds in words: "Seizures of heroin in Cambodia in 2021"."""
    parts = ["Seizures" if key.table == SEIZURES else "Arrests"]
    if key.what is not None:
        if key.table == SEIZURES:
            parts.append(f"of {key.what}" if key.what else "of a drug not named")
        else:
            parts.append(
                f"for {crimes.get(key.what, key.what)}" if key.what else "with no crime type"
            )
    if key.province is not None:
        parts.append(f"in {province_name(key.province)}")
    if key.country is not None:
        parts.append(
            f"in {country_name(key.country, names)}" if key.country else "in no stated country"
        )
    if key.year == NO_YEAR:
        parts.append("in reports stating no year")
    elif key.year is not None:
        parts.append(f"in {key.year}")
    else:
        parts.append("in every stated year")
    return " ".join(parts)


def figure_reports(request):
    """List the reports behind one cell of the figures tables, each with the figures counted."""
    selection = FigureSelection.from_params(request.GET)
    key = CellKey.from_params(request.GET)
    if key is None:
        raise Http404(
            f"Name a table: table={' or table='.join(TABLES)}, with the cell's cell_year, "
            "cell_country, cell_province and cell_drug or cell_crime."
        )
    try:
        tables = build_tables(selection)
    except SearchUnavailable as error:
        return unavailable(request, error)
    counted = figures_in_cell(tables.figures, key)
    figure_ids = {figure.figure_id for figure in counted}
    article_ids = {figure.article_id for figure in counted}
    articles = (
        Article.objects.filter(pk__in=article_ids)
        .select_related("source")
        .defer("raw_text", "cleaning_log", "ingested_values")
        .order_by("year", "published_date", "id")
    )
    page = Paginator(articles, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    stored = ReportedFigure.objects.filter(
        pk__in=figure_ids, article_id__in=[article.pk for article in page]
    ).order_by("article", "start", "id")
    by_article: dict[int, list[ReportedFigure]] = {}
    for figure in stored:
        by_article.setdefault(figure.article_id, []).append(figure)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "selection": selection,
        "key": key,
        "title": cell_title(key, tables.country_names, tables.crime_names),
        "reports": [CellReport(article, by_article.get(article.pk, [])) for article in page],
        "page": page,
        "page_query": query.urlencode(),
        "total_kg": kg_text(sum(f.kg or 0 for f in counted), grouped=True),
        "total_tablets": sum(f.tablets or 0 for f in counted),
        "total_arrested": sum(f.arrested or 0 for f in counted),
        "report_count": len(article_ids),
        "proposed": sum(f.proposed for f in counted),
        "back_url": figures_url(selection, provinces_of=selection.provinces_of),
        "search_title": search_title(selection),
        "search_url": _url("search:search", selection.search_params()),
    }
    return render(request, "search/figure_reports.html", context)
