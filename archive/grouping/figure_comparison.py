"""The figures an incident's reports give, side by side: one row per thing stated (a seizure of
one drug, the arrests, a court step, the places, the people), one column per report.

    compare_figures(columns, figures)
    -> FigureComparison(
           columns=(Column(article_id=52, label="Khmer Times"), Column(54, "The Phnom Penh Post")),
           rows=(FigureRow(key="seizure-methamphetamine-mass",
                           label="Seizure of methamphetamine",
                           cells=((CellValue("105 kg", confirmed=True, ...),),
                                  (CellValue("100 kg", confirmed=False, ...),)),
                           disagreement="Khmer Times: 105 kg; The Phnom Penh Post: 100 kg"), ...),
           totals_left_out=1)

Reports of one raid often differ ("more than 100 kilograms" and 105 kg, nine or eight
detained): a row whose reports state different amounts says so in words. Places and people are
listed, never flagged: a report naming fewer of them does not contradict one naming more.
Totals over a period ("6,000 arrested in 2023") are not the incident's and are left out.
Pure: takes figures already read, touches no database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import slugify

from archive.figures_display import GROUP_TITLES, place_label, provenance
from archive.models import FigureStatus, ReportedFigure

Kind = ReportedFigure.Kind
# Kinds whose values are amounts two reports can disagree on.
COMPARED_KINDS = (Kind.SEIZURE, Kind.ARREST, Kind.CASE)
ROW_ORDER = {kind: index for index, kind in enumerate(GROUP_TITLES)}
MASS = "mass"  # a seizure's row when its amount is a mass, whatever unit it was stated in


@dataclass(frozen=True)
class Column:
    article_id: int
    label: str  # the source, with the date when the incident has two reports from it


@dataclass(frozen=True)
class CellValue:
    text: str  # "105 kg", "about 150", "Sok Dara, suspect"
    confirmed: bool  # by a curator
    provenance: str  # "confirmed by a curator" / "proposed by the machine (confidence ...)"


@dataclass(frozen=True)
class FigureRow:
    key: str  # for anchors: "seizure-methamphetamine-mass", "arrest"
    label: str
    cells: tuple[tuple[CellValue, ...], ...]  # one per column; empty where the report is silent
    disagreement: str  # "" when the reports that state it agree, or it is not compared


@dataclass(frozen=True)
class FigureComparison:
    columns: tuple[Column, ...]
    rows: tuple[FigureRow, ...]
    totals_left_out: int

    @property
    def disagreements(self) -> list[FigureRow]:
        return [row for row in self.rows if row.disagreement]


def column_labels(reports: Iterable[tuple[int, str, dt.date | None]]) -> list[Column]:
    """Return a column per (article id, source, published): the source's name, and its date
    too where one source gave two reports."""
    reports = list(reports)
    repeated = Counter(source for _, source, _ in reports)
    columns = []
    for article_id, source, published in reports:
        label = source or "Unknown source"
        if repeated[source] > 1:
            label += f" ({published.day} {published:%b %Y})" if published else f" (#{article_id})"
        columns.append(Column(article_id, label))
    return columns


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def row_key(figure: ReportedFigure) -> tuple[str, str, str]:
    """Return what a figure is about: (kind, what, measure)."""
    if figure.kind == Kind.SEIZURE:
        measure = MASS if figure.mass_kg is not None else figure.unit.casefold()
        return (figure.kind, figure.drug.casefold(), measure)
    if figure.kind == Kind.CASE:
        values = figure.values if isinstance(figure.values, dict) else {}
        return (figure.kind, str(values.get("what", "")).casefold(), "")
    return (figure.kind, "", "")


def row_label(key: tuple[str, str, str]) -> str:
    kind, what, measure = key
    if kind == Kind.SEIZURE:
        label = f"Seizure of {what}" if what else "Seizure (drug not stated)"
        return label if measure in (MASS, "") else f"{label} ({measure})"
    if kind == Kind.ARREST:
        return "Arrests"
    if kind == Kind.CASE:
        return f"Cases and court: {what}" if what else "Cases and court"
    return {Kind.PLACE: "Places named", Kind.PERSON: "People named"}.get(kind, kind)


def value_text(figure: ReportedFigure) -> str:
    """Return the figure's value as its row's cell shows it (the row says what it is of)."""
    if figure.kind == Kind.SEIZURE:
        text = " ".join(part for part in (_number(figure.quantity), figure.unit) if part)
    elif figure.kind in (Kind.ARREST, Kind.CASE) and figure.count is not None:
        text = _number(figure.count)
    elif figure.kind == Kind.PLACE:
        place = place_label(figure)
        text = figure.name or (place.label if place else "")
    else:
        text = figure.summary()
    text = text or "(no value)"
    return f"about {text}" if figure.approximate else text


def compared_value(figure: ReportedFigure):
    """Return what two reports must share to agree: a mass in kg, a count, or the words."""
    if figure.kind == Kind.SEIZURE and figure.mass_kg is not None:
        return round(figure.mass_kg, 6)
    if figure.kind == Kind.SEIZURE and figure.quantity is not None:
        return round(figure.quantity, 6)
    if figure.count is not None:
        return figure.count
    return figure.summary().casefold()


def compare_figures(columns: list[Column], figures: Iterable[ReportedFigure]) -> FigureComparison:
    """Return the figures of the columns' reports side by side (live figures expected)."""
    position = {column.article_id: index for index, column in enumerate(columns)}
    found: dict[tuple[str, str, str], list[list[ReportedFigure]]] = {}
    totals = 0
    for figure in figures:
        if figure.article_id not in position or figure.status == FigureStatus.REJECTED:
            continue
        if figure.scope == ReportedFigure.Scope.TOTAL:
            totals += 1
            continue
        cells = found.setdefault(row_key(figure), [[] for _ in columns])
        cells[position[figure.article_id]].append(figure)
    rows = [
        _row(key, cells, columns)
        for key, cells in sorted(
            found.items(), key=lambda item: (ROW_ORDER.get(item[0][0], len(ROW_ORDER)), item[0])
        )
    ]
    return FigureComparison(tuple(columns), tuple(rows), totals)


def _row(key, cells: list[list[ReportedFigure]], columns: list[Column]) -> FigureRow:
    shown = tuple(
        tuple(
            CellValue(value_text(f), f.status == FigureStatus.CONFIRMED, provenance(f)) for f in c
        )
        for c in cells
    )
    disagreement = ""
    if key[0] in COMPARED_KINDS:
        stated = {index: cell for index, cell in enumerate(cells) if cell}
        values = {
            tuple(sorted({compared_value(f) for f in cell}, key=str)) for cell in stated.values()
        }
        if len(values) > 1:
            disagreement = "; ".join(
                f"{columns[index].label}: {', '.join(value.text for value in shown[index])}"
                for index in stated
            )
    anchor = slugify("-".join(part for part in key if part))
    return FigureRow(anchor, row_label(key), shown, disagreement)
