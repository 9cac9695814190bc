"""Figures as downloads: /figures/export.csv and /figures/export.json, streamed.

    ?shape=full | unodc-ids | acled    the columns (search/exports/figure_rows.py, SHAPES)
    ?figures=confirmed | all           confirmed figures only (the default), or the machine's
                                       unreviewed proposals too; the filename says which
                                       (figures-confirmed.csv, figures-acled-all.csv)

The search's filters (q, country, ministry, crime_type, source, year, year_from, year_to,
mentions) restrict the articles, as they do for the article exports: ?country=KH holds the
figures of the reports filed under Cambodia, in the search's order (`sort` applies). Without
them, every article with figures, by id. Note that `country` here is the report's country tag;
/api/v1/figures?country= is the figure's own country. Figures are read a chunk of articles
at a time and written as they come.

The JSON export carries its provenance (which figures, which shape, the search, the time, the
count) beside the rows; the CSV, whose every line is data, has it in its filename and headers.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from search.backends.base import SearchUnavailable
from search.exports.downloads import csv_cell
from search.exports.figure_rows import (
    ALL,
    CONFIRMED,
    DEFAULT_SHAPE,
    FIGURES,
    SHAPE,
    SHAPES,
    WHICH,
    Shape,
    figures_for,
    rows_for,
)
from search.service.article_records import site_url
from search.service.outage import unavailable
from search.service.results import ResultSet
from search.service.url_state import FACET_KEYS, MENTIONS, YEAR, YEAR_FROM, YEAR_TO, Q

# The parameters that make a search of the articles; without any, every article is read.
SEARCH_FILTERS = (Q, *FACET_KEYS, YEAR, YEAR_FROM, YEAR_TO, MENTIONS)

NOTES = {
    CONFIRMED: "Confirmed figures only: each was confirmed or added by a curator.",
    ALL: "Confirmed figures and the machine's unreviewed proposals: a row whose status is "
    "'proposed' was proposed by the machine, with the confidence given, and no curator has "
    "checked it yet. Rejected figures are never exported.",
}
SINGLE_EVENTS_NOTE = "Single events only: totals over a period are left out."


# --- Writers ---------------------------------------------------------------------------------


def _cell(value) -> str:
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    return csv_cell(value)


class _Line:
    """A file-like object csv.writer writes one row into, handed straight back."""

    def write(self, text: str) -> str:
        return text


def write_csv(rows: Iterable[dict], shape: Shape, provenance: dict) -> Iterator[str]:
    # RFC 4180: the header, then a row per figure (provenance: the filename and headers).
    writer = csv.writer(_Line())
    yield writer.writerow(shape.columns)
    for row in rows:
        yield writer.writerow([_cell(row[column]) for column in shape.columns])


def write_json(rows: Iterable[dict], shape: Shape, provenance: dict) -> Iterator[str]:
    yield '{"provenance": ' + json.dumps(provenance, ensure_ascii=False) + ',\n"figures": ['
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


WRITERS = {
    "csv": ("text/csv; charset=utf-8", write_csv),
    "json": ("application/json", write_json),
}


# --- The view --------------------------------------------------------------------------------


def _searched(params: QueryDict) -> bool:
    return any(value for key in SEARCH_FILTERS for value in params.getlist(key))


def filename(shape: Shape, which: str, extension: str) -> str:
    """Return the download's name, saying its shape (unless full) and which figures it holds."""
    middle = "" if shape.name == DEFAULT_SHAPE else f"-{shape.name}"
    return f"figures{middle}-{which}.{extension}"


def export_figures(request, fmt: str):
    """Export the figures of every article the search matches (every article, unsearched)."""
    if fmt not in WRITERS:
        raise Http404(f"No figure export format {fmt!r}; use one of {', '.join(WRITERS)}.")
    shape = SHAPES.get(request.GET.get(SHAPE) or DEFAULT_SHAPE)
    if shape is None:
        return HttpResponseBadRequest(
            f"No shape {request.GET[SHAPE]!r}: use one of {', '.join(SHAPES)}.",
            content_type="text/plain; charset=utf-8",
        )
    which = request.GET.get(FIGURES) or CONFIRMED
    if which not in WHICH:
        return HttpResponseBadRequest(
            f"'{FIGURES}' is {CONFIRMED} (the default) or {ALL} (with the machine's proposals), "
            f"not {which!r}.",
            content_type="text/plain; charset=utf-8",
        )
    figures = figures_for(which, shape)
    base_url = site_url(request)
    # {article id: its figures}, in one grouped query: the count, and which articles to read.
    counts = dict(figures.order_by("article_id").values_list("article_id").annotate(n=Count("id")))
    search = search_url = None
    if _searched(request.GET):
        results = ResultSet.from_params(request.GET)
        try:
            searched_ids = results.ids()
        except SearchUnavailable as error:
            return unavailable(request, error)
        article_ids = [pk for pk in searched_ids if pk in counts]
        search = results.description()
        query = _search_query(request.GET)
        search_url = base_url + reverse("search:search") + (f"?{query}" if query else "")
    else:
        article_ids = list(counts)
    total = sum(counts[pk] for pk in article_ids)
    provenance = {
        "archive": settings.ARCHIVE_NAME,
        "archive_url": base_url + "/",
        "shape": shape.name,
        "shape_label": shape.label,
        "figures": which,
        "statuses": list(WHICH[which]),
        "search_url": search_url,
        "search": search,
        "total": total,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "note": " ".join(
            [NOTES[which], *([SINGLE_EVENTS_NOTE] if shape.single_events_only else [])]
        ),
    }
    content_type, write = WRITERS[fmt]
    rows = (shape.row(row) for row in rows_for(figures, article_ids, base_url=base_url))
    response = StreamingHttpResponse(write(rows, shape, provenance), content_type=content_type)
    name = filename(shape, which, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Result-Count"] = str(total)
    response["X-Figures"] = which
    return response


def _search_query(params: QueryDict) -> str:
    """Return the search part of the parameters, as the search page's query string."""
    query = params.copy()
    for key in (SHAPE, FIGURES):
        query.pop(key, None)
    return query.urlencode()
