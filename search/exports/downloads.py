"""Exports of a whole result set as CSV, JSON, JSON Lines, BibTeX, RIS or a zip, streamed.

An export holds exactly the articles its search or list matches, in the same order, all of them:
nothing is capped. The ids are listed first (a few bytes each); the articles are then read from
the database a chunk at a time and written out as they come, so memory stays flat however long
the export.

Every export says where it came from (the archive, the search as query, filters, sort and URL,
whether every word matched, the time, the number of articles), each where its readers look:
the JSON export's `provenance` object, BibTeX's @comment, a note in every RIS record, and for
CSV and JSON Lines, whose every line is data, the Data Package descriptor beside them
(search/exports/datapackage.py), linked from every export's `Link` header and packed with the
CSV in the zip. HTTP headers carry the count and the match too.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.http import Http404, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from archive.grouping.queries import incident_ids
from archive.models import Article
from search.backends.base import SearchUnavailable
from search.exports import datapackage
from search.exports.citations import bibtex_comment, bibtex_entry, ris_entry
from search.query.omissions import omission_notices
from search.service.article_records import TAG_LISTS, article_record, site_url, tag_rows
from search.service.outage import unavailable
from search.service.results import ResultSet
from search.service.url_state import PAGE

CHUNK = 200  # articles read from the database at a time


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    label: str
    content_type: str
    write: Callable[[Iterable[dict], dict], Iterator[str] | Iterator[bytes]]


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
        f"match: {query['match']} of the words",
        f"mentions count: {'yes' if query['include_mentions'] else 'no (subject tags only)'}",
        "reports: " + ("every report" if query.get("count") == "reports" else "each incident once"),
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
    "incident_id",
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
# Where a spreadsheet may split a line into cells: the comma this file uses, and the semicolon,
# tab and bar that other locales and import dialogs use; and a line break, where a reader that
# ignores quotes starts a row. Each piece between them is a cell to such a reader, and must not
# start a formula either ("Raid;=cmd|' /C calc'!A0").
_OTHER_DELIMITERS = re.compile(r"([,;\t|\n])")


def csv_cell(value) -> str:
    """Return a cell's text; any piece of it a spreadsheet could read as a cell that starts a
    formula, whichever delimiter it splits at, gets an apostrophe in front (the JSON exports
    keep every value exactly)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _runs(text, first=True):
        text = "'" + text
    pieces = _OTHER_DELIMITERS.split(text)
    for index in range(2, len(pieces), 2):  # the pieces after each delimiter
        if _runs(pieces[index], first=False):
            pieces[index] = "'" + pieces[index]
    return "".join(pieces)


def _runs(piece: str, *, first: bool) -> bool:
    """Return whether a spreadsheet would run `piece` as a formula, were it a cell. After a
    delimiter a reader may take a piece opening with a quote for a quoted cell: what follows
    the quotes must not start a formula either (`"=1+1"`), while prose keeps its quotes as
    written (`He said, "we`)."""
    start = piece.lstrip(" ")
    if not first:
        start = start.lstrip('" ')
    return start.startswith(_FORMULA_START)


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
    # RFC 4180: the header, then a row per article (provenance: datapackage.json, headers).
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
    # One article a line, nothing else (provenance: datapackage.json, headers).
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


# --- Zip: the CSV with its Data Package descriptor and a README ------------------------------


class _Chunks:
    """A write-only file that hands back what was written since it was last asked: zipfile
    writes into it, and the response streams each piece as it comes."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def write_zip(records: Iterable[dict], provenance: dict) -> Iterator[bytes]:
    sink = _Chunks()
    # Not seekable: zipfile then writes each member's sizes after its data.
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(datapackage.CSV_NAME, "w", force_zip64=True) as member:
            for text in write_csv(records, provenance):
                member.write(text.encode())
                if chunk := sink.take():
                    yield chunk
        descriptor = datapackage.describe(
            provenance, csv_path=datapackage.CSV_NAME, columns=CSV_COLUMNS
        )
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        archive.writestr("README.txt", datapackage.readme(provenance))
    yield sink.take()


FORMATS = {
    fmt.extension: fmt
    for fmt in (
        ExportFormat("csv", "CSV", "text/csv; charset=utf-8", write_csv),
        ExportFormat("json", "JSON", "application/json", write_json),
        ExportFormat("jsonl", "JSON Lines", "application/x-ndjson", write_jsonl),
        ExportFormat("bib", "BibTeX", "application/x-bibtex; charset=utf-8", write_bibtex),
        ExportFormat("ris", "RIS", "application/x-research-info-systems", write_ris),
        ExportFormat("zip", "CSV with its description (zip)", "application/zip", write_zip),
    )
}
# The CSV's description alone, at its own address beside the exports'.
DATA_PACKAGE = "datapackage.json"


# --- Streaming -----------------------------------------------------------------------------


def batched(items: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def records_for(ids: Iterable[int], *, base_url: str, text: bool = True) -> Iterator[dict]:
    """Yield the record of each id in order, with the live incident it is in (None when in
    none), reading CHUNK articles at a time. An article deleted since the ids were listed is
    left out."""
    fields = Article.objects.select_related("source").defer(
        "raw_text", "cleaning_log", "ingested_values", "date_evidence", "source__description"
    )
    for chunk in batched(ids, CHUNK):
        articles = {article.pk: article for article in fields.filter(pk__in=chunk)}
        tags = tag_rows(chunk)
        incidents = incident_ids(chunk)
        for pk in chunk:
            if pk in articles:
                record = article_record(
                    articles[pk], base_url=base_url, text=text, tags=tags.get(pk, {})
                )
                # Reports of one event share it: a researcher counts the event once.
                record["incident_id"] = incidents.get(pk)
                yield record
        del articles, tags, incidents  # before the next chunk is read, not after


ALL_NOTE = "Every article the search matched when exported, in the order of its pages."


def provenance(
    *, base_url: str, search_url: str, search: dict, total: int, title: str, note: str = ALL_NOTE
) -> dict:
    return {
        "archive": settings.ARCHIVE_NAME,
        "archive_url": base_url + "/",
        "title": title,
        "search_url": search_url,
        "search": search,
        "total": total,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "note": note,
    }


def stream(fmt: ExportFormat, ids: list[int], provenance: dict, base_url: str, describedby: str):
    body = fmt.write(records_for(ids, base_url=base_url), provenance)
    response = StreamingHttpResponse(body, content_type=fmt.content_type)
    stamp = provenance["exported_at"][:19].replace(":", "").replace("-", "")
    response["Content-Disposition"] = f'attachment; filename="reports-{stamp}.{fmt.extension}"'
    _describe_in_headers(response, provenance, describedby)
    return response


def _describe_in_headers(response, provenance: dict, describedby: str) -> None:
    """Put what a script needs to know of an export where it looks before reading the body."""
    response["X-Result-Count"] = str(provenance["total"])
    response["X-Search-Match"] = provenance["search"]["match"]
    response["Link"] = f'<{describedby}>; rel="describedby"; type="application/json"'


def _without_page(params: QueryDict) -> str:
    query = params.copy()
    query.pop(PAGE, None)
    return query.urlencode()


def export(request, fmt: str):
    """Export every article the search page would list for these parameters."""
    if fmt not in FORMATS and fmt != DATA_PACKAGE:
        raise Http404(
            f"No export format {fmt!r}; use one of {', '.join([*FORMATS, DATA_PACKAGE])}."
        )
    results = ResultSet.from_params(request.GET)
    try:
        # The description alone names the CSV by its address: counting is enough.
        summary = results.summary()
        ids = results.ids() if fmt != DATA_PACKAGE else None
    except SearchUnavailable as error:
        return unavailable(request, error)
    total = summary.total if ids is None else len(ids)
    base_url = site_url(request)
    query = _without_page(request.GET)
    search_url = base_url + reverse("search:search") + (f"?{query}" if query else "")
    search = {**results.description(), "match": "any" if summary.any_words else "all"}
    note = ALL_NOTE
    if summary.any_words:
        note = f"{results.any_words_notice(summary)} In the order of the search's pages."
    elif summary.searched_nothing:
        # An empty export must not read as a search no report answered.
        notices = omission_notices(summary.omissions, searched_nothing=True)
        note = " ".join(notice.text for notice in notices)
    described = provenance(
        base_url=base_url,
        search_url=search_url,
        search=search,
        total=total,
        title=results.title(),
        note=note,
    )
    describedby = _export_url(base_url, DATA_PACKAGE, query)
    if fmt == DATA_PACKAGE:
        descriptor = datapackage.describe(
            described, csv_path=_export_url(base_url, "csv", query), columns=CSV_COLUMNS
        )
        response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})
        _describe_in_headers(response, described, describedby)
        return response
    return stream(FORMATS[fmt], ids, described, base_url, describedby)


def _export_url(base_url: str, fmt: str, query: str) -> str:
    return base_url + reverse("search:export", args=[fmt]) + (f"?{query}" if query else "")


def export_list(request, fmt: str):
    """Answer the article list's old export addresses with the search's export: the list is
    the search page now, with the same parameters."""
    query = request.GET.urlencode()
    return redirect(reverse("search:export", args=[fmt]) + (f"?{query}" if query else ""))


def export_links(params: QueryDict) -> list[tuple[str, str]]:
    """Return (label, URL) of each export of the result set these parameters describe, and of
    the CSV's description."""
    query = _without_page(params)
    suffix = f"?{query}" if query else ""
    return [
        *(
            (fmt.label, reverse("search:export", args=[fmt.extension]) + suffix)
            for fmt in FORMATS.values()
        ),
        (
            "Data package (describes the CSV)",
            reverse("search:export", args=[DATA_PACKAGE]) + suffix,
        ),
    ]
