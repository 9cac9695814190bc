"""The figures tables as CSV: /figures/seizures.csv and /figures/arrests.csv.

One row per non-empty cell of the page's table (a year, a place, a drug or crime type), under a
header and nothing else, so that any CSV reader takes it as it is:

    year,country,province,drug,total_kg,tablets,reports,status_counted
    2021,KH,,methamphetamine,12.5,3000,2,confirmed

`province` is filled when the page shows one country's provinces (`provinces=KH`), and empty in
a row per country; an empty country or province is one the figures do not state.
`status_counted` says whether machine proposals were counted ("confirmed+proposed") or only
what curators confirmed ("confirmed"). The search the tables were restricted to, and the time,
travel in the headers (`X-Figures-Search`), as the article exports' provenance does.
"""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.utils import timezone

from search.backends.base import SearchUnavailable
from search.exports.downloads import csv_cell
from search.service.figure_reading import FigureSelection
from search.service.figure_tables import SEIZURES, TABLES, build_tables, csv_rows
from search.service.outage import unavailable


class _Rows:
    """A file-like object collecting what csv.writer writes."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)


def figures_csv(request, table: str):
    """Download the seizures or the arrests table as CSV, one row per cell."""
    if table not in TABLES:
        raise Http404(f"No figures table {table!r}; use {' or '.join(f'{t}.csv' for t in TABLES)}.")
    selection = FigureSelection.from_params(request.GET)
    try:
        tables = build_tables(selection)
    except SearchUnavailable as error:
        return unavailable(request, error)
    chosen = tables.seizures if table == SEIZURES else tables.arrests
    rows = csv_rows(
        chosen, status_counted=selection.status_counted, provinces_of=selection.provinces_of
    )
    out = _Rows()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    response = HttpResponse("".join(out.parts), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    counted = selection.status_counted.replace("+", "-")
    response["Content-Disposition"] = f'attachment; filename="{table}-{counted}-{stamp}.csv"'
    response["X-Figures-Counted"] = selection.status_counted
    response["X-Figures-Search"] = selection.search_params().urlencode() or "(every report)"
    return response
