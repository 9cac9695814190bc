"""Exports of a whole result set as CSV, JSON, JSON Lines, BibTeX or RIS, streamed.

An export holds exactly the articles its search or list matches, in the same order, all of them:
nothing is capped. The ids are listed first (a few bytes each); the articles are then read from
the database a chunk at a time and written out as they come, so memory stays flat however long
the export. Every file says where it came from: the archive, the search (query, filters, sort
and its URL), the time and the number of articles.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from archive.citations import bibtex_comment, bibtex_entry, ris_entry
from archive.filters import ArticleFilter
from archive.models import Article
from archive.records import TAG_LISTS, article_record, site_url, tag_rows
from search.backends.base import SearchUnavailable
from search.facets import PAGE
from search.service import ResultSet

CHUNK = 200  # articles read from the database at a time


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    label: str
    content_type: str
    write: Callable[[Iterable[dict], dict], Iterator[str]]


def _provenance_lines(provenance: dict) -> list[str]:
    query = provenance["search"]
    filters = "; ".join(
        f"{name}: {', '.join(map(str, values)) if isinstance(values, list) else values}"
        for name, values in query["filters"].items()
    )
    return [
        f"{provenance['archive']} export of {provenance['total']} articles",
        f"archive: {provenance['archive_url']}",
        f"search: {provenance['search_url']}",
        f"query: {query['query'] or '(none)'}",
        f"filters: {filters or '(none)'}",
        f"mentions count: {'yes' if query['include_mentions'] else 'no (subject tags only)'}",
        f"sort: {query['sort']}",
        f"exported at: {provenance['exported_at']}",
        provenance["note"],
    ]


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "url",
    "title",
    "title_derived",
    "published_date",
    "year",
    "year_origin",
    "source",
    "authors",
    "original_url",
    "language",
    "review_status",
    *(
        column
        for plural in TAG_LISTS.values()
        for column in (plural, f"{plural}_mentioned", f"{plural}_detail")
    ),
    "body",
]
# A spreadsheet runs a cell that starts with one of these as a formula (some after leading
# spaces, when an import trims them).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Return a cell's text; text a spreadsheet would run as a formula is prefixed with an
    apostrophe (the JSON exports keep every value exactly)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def csv_comment(line: str) -> str:
    """Return a provenance line as a '#' comment line, harmless to a spreadsheet.

    pandas skips the line whole (comment="#"), but a spreadsheet splits it at its commas into
    cells: the query "casino,=HYPERLINK(...)" would open a formula cell, and a piece starting
    with a quote would open a quoted cell running into the rows below. Such pieces get the
    apostrophe a formula cell gets.
    """
    pieces = ("# " + " ".join(line.split())).split(",")
    return ",".join(
        "'" + piece if piece.lstrip(" ").startswith(('"', *_FORMULA_START)) else piece
        for piece in pieces
    )


def csv_row(record: dict) -> list[str]:
    row = {
        **record,
        "source": record["source"]["name"] if record["source"] else "",
        "authors": "; ".join(record["authors"]),
    }
    for plural in TAG_LISTS.values():
        tags = record[plural]
        row[plural] = "; ".join(t["name"] for t in tags if t["role"] == "subject")
        row[f"{plural}_mentioned"] = "; ".join(t["name"] for t in tags if t["role"] == "mention")
        row[f"{plural}_detail"] = "; ".join(
            f"{t['name']} ({t['role']}, {t['status']}, {t['origin']}, {t['confidence']})"
            for t in tags
        )
    return [csv_cell(row.get(column)) for column in CSV_COLUMNS]


class _Line:
    """A file-like object csv.writer writes one row into, handed straight back."""

    def write(self, text: str) -> str:
        return text


def write_csv(records: Iterable[dict], provenance: dict) -> Iterator[str]:
    # Provenance first, as '#' comment lines (pandas: read_csv(..., comment="#") or skiprows).
    for line in _provenance_lines(provenance):
        yield csv_comment(line) + "\r\n"
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for record in records:
        yield writer.writerow(csv_row(record))


# --- JSON, JSON Lines ----------------------------------------------------------------------


def write_json(records: Iterable[dict], provenance: dict) -> Iterator[str]:
    yield '{"provenance": ' + json.dumps(provenance, ensure_ascii=False) + ',\n"articles": ['
    separator = "\n"
    for record in records:
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def write_jsonl(records: Iterable[dict], provenance: dict) -> Iterator[str]:
    # The first line describes the export; every other line is one article.
    yield json.dumps({"provenance": provenance}, ensure_ascii=False) + "\n"
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


# --- BibTeX, RIS ---------------------------------------------------------------------------


def _accessed(provenance: dict) -> dt.date:
    return dt.datetime.fromisoformat(provenance["exported_at"]).date()


def write_bibtex(records: Iterable[dict], provenance: dict) -> Iterator[str]:
    yield bibtex_comment(_provenance_lines(provenance))
    accessed = _accessed(provenance)
    for record in records:
        yield "\n" + bibtex_entry(record, archive_name=provenance["archive"], accessed=accessed)


def write_ris(records: Iterable[dict], provenance: dict) -> Iterator[str]:
    # RIS has no comments: each record carries the export's provenance in a note.
    accessed = _accessed(provenance)
    note = (
        f"Exported from {provenance['archive']} on {provenance['exported_at']}: "
        f"{provenance['search_url']}"
    )
    for record in records:
        yield (
            ris_entry(
                record, archive_name=provenance["archive"], accessed=accessed, provenance=note
            )
            + "\n"
        )


FORMATS = {
    fmt.extension: fmt
    for fmt in (
        ExportFormat("csv", "CSV", "text/csv; charset=utf-8", write_csv),
        ExportFormat("json", "JSON", "application/json", write_json),
        ExportFormat("jsonl", "JSON Lines", "application/x-ndjson", write_jsonl),
        ExportFormat("bib", "BibTeX", "application/x-bibtex; charset=utf-8", write_bibtex),
        ExportFormat("ris", "RIS", "application/x-research-info-systems", write_ris),
    )
}


# --- Streaming -----------------------------------------------------------------------------


def batched(items: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def records_for(ids: Iterable[int], *, base_url: str, text: bool = True) -> Iterator[dict]:
    """Yield the record of each id in order, reading CHUNK articles at a time. An article
    deleted since the ids were listed is left out."""
    fields = Article.objects.select_related("source").defer(
        "raw_text", "cleaning_log", "ingested_values", "date_evidence", "source__description"
    )
    for chunk in batched(ids, CHUNK):
        articles = {article.pk: article for article in fields.filter(pk__in=chunk)}
        tags = tag_rows(chunk)
        for pk in chunk:
            if pk in articles:
                yield article_record(
                    articles[pk], base_url=base_url, text=text, tags=tags.get(pk, {})
                )
        del articles, tags  # before the next chunk is read, not after


def provenance(*, base_url: str, search_url: str, search: dict, total: int) -> dict:
    return {
        "archive": settings.ARCHIVE_NAME,
        "archive_url": base_url + "/",
        "search_url": search_url,
        "search": search,
        "total": total,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "note": "Every article the search matched when exported, in the order of its pages.",
    }


def stream(fmt: ExportFormat, ids: list[int], provenance: dict, base_url: str):
    body = fmt.write(records_for(ids, base_url=base_url), provenance)
    response = StreamingHttpResponse(body, content_type=fmt.content_type)
    stamp = provenance["exported_at"][:19].replace(":", "").replace("-", "")
    response["Content-Disposition"] = f'attachment; filename="reports-{stamp}.{fmt.extension}"'
    response["X-Result-Count"] = str(len(ids))
    return response


def _without_page(params: QueryDict) -> str:
    query = params.copy()
    query.pop(PAGE, None)
    return query.urlencode()


def export(request, fmt: str):
    """Export every article the search page would list for these parameters."""
    if fmt not in FORMATS:
        raise Http404(f"No export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    results = ResultSet.from_params(request.GET)
    try:
        ids = results.ids()
    except SearchUnavailable as error:
        from search.views import unavailable

        return unavailable(request, error)
    base_url = site_url(request)
    query = _without_page(request.GET)
    search_url = base_url + reverse("search:search") + (f"?{query}" if query else "")
    return stream(
        FORMATS[fmt],
        ids,
        provenance(
            base_url=base_url, search_url=search_url, search=results.description(), total=len(ids)
        ),
        base_url,
    )


def export_list(request, fmt: str):
    """Export every article of the filtered article list, in its order."""
    if fmt not in FORMATS:
        raise Http404(f"No export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    params = request.GET
    filterset = ArticleFilter(
        params, queryset=Article.objects.order_by("-published_date", "-year", "-id")
    )
    # As the list itself does (django-filter's strict mode): invalid filters match nothing.
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    ids = list(queryset.values_list("pk", flat=True))
    base_url = site_url(request)
    query = _without_page(params)
    list_url = base_url + reverse("archive:article_list") + (f"?{query}" if query else "")
    search = {
        "query": "",
        "filters": {key: params.getlist(key) for key in params if key not in (PAGE, "sort")},
        "include_mentions": bool(params.get("mentions")),
        "sort": params.get("sort") or "newest",
    }
    return stream(
        FORMATS[fmt],
        ids,
        provenance(base_url=base_url, search_url=list_url, search=search, total=len(ids)),
        base_url,
    )


def export_links(params: QueryDict, *, url_name: str = "search:export") -> list[tuple[str, str]]:
    """Return (label, URL) of each export of the result set these parameters describe."""
    query = _without_page(params)
    return [
        (fmt.label, reverse(url_name, args=[fmt.extension]) + (f"?{query}" if query else ""))
        for fmt in FORMATS.values()
    ]
