"""An export's description as a Frictionless Data Package (datapackage.json).

A CSV file has room for data only: tools read its first line as the header and every other line
as a row. What the export is (the archive, the search, when, how many, whether every word
matched) goes beside it, in the convention data tools already read (frictionless, Datasette,
the Open Knowledge Foundation's Data Package standard, version 1): a descriptor naming the CSV
as its resource, with the CSV's dialect and a schema of its columns, and the provenance as a
property of its own. `/export.datapackage.json?...` serves it alone, pointing at the CSV's
address; `/export.zip?...` packs it with the CSV and a short README.
"""

from __future__ import annotations

from search.service.article_records import TAG_LISTS

PROFILE = "tabular-data-package"
RESOURCE_NAME = "reports"
CSV_NAME = "reports.csv"

# Each CSV column's type and meaning (Table Schema field descriptors).
_FIXED_FIELDS = [
    ("id", "integer", "The article's number in the archive."),
    ("url", "string", "The article's permanent page in the archive."),
    ("title", "string", "The headline."),
    ("title_derived", "boolean", "The title was made from the lead, not given."),
    ("published_date", "date", "The day of publication, when known."),
    ("year", "integer", "The year of publication, when known."),
    ("year_origin", "string", "Where the year comes from: metadata, text, curator..."),
    ("source", "string", "The publication."),
    ("authors", "string", "Authors, separated by '; '."),
    ("original_url", "string", "The report's address at its publication."),
    ("language", "string", "The report's language code."),
    ("review_status", "string", "Whether a curator has reviewed the record."),
    (
        "incident_id",
        "integer",
        "The incident the report is grouped in (/incidents/<id>/): reports of one event share "
        "it, so count the event once. Empty when the report is in none. Most groups are the "
        "machine's proposals, unchecked.",
    ),
]


def schema_fields() -> list[dict]:
    """Return the Table Schema fields of the CSV export, in column order."""
    fields = [
        {"name": name, "type": kind, "description": description}
        for name, kind, description in _FIXED_FIELDS
    ]
    for plural in TAG_LISTS.values():
        label = plural.replace("_", " ")
        fields += [
            {"name": plural, "type": "string", "description": f"Subject {label}, '; '."},
            {
                "name": f"{plural}_mentioned",
                "type": "string",
                "description": f"{label.capitalize()} the report only mentions, '; '.",
            },
            {
                "name": f"{plural}_detail",
                "type": "string",
                "description": f"Every {label} tag with its role, review status, origin and "
                "confidence: 'name (role, status, origin, confidence)', '; '.",
            },
        ]
    fields.append({"name": "body", "type": "string", "description": "The cleaned text."})
    return fields


def describe(provenance: dict, *, csv_path: str, columns: list[str]) -> dict:
    """Return the descriptor of an export whose CSV is at `csv_path` (a name inside the zip,
    or the CSV's address)."""
    by_name = {field["name"]: field for field in schema_fields()}
    return {
        "profile": PROFILE,
        "name": "enforcement-reports-export",
        "title": f"{provenance['archive']}: {provenance['title']}",
        "description": provenance["note"],
        "created": provenance["exported_at"],
        "homepage": provenance["archive_url"],
        "sources": [{"title": provenance["archive"], "path": provenance["search_url"]}],
        "resources": [
            {
                "name": RESOURCE_NAME,
                "path": csv_path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {
                    "delimiter": ",",
                    "header": True,
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "lineTerminator": "\r\n",
                },
                "schema": {"fields": [by_name[column] for column in columns]},
            }
        ],
        # Not part of the standard's vocabulary, which allows properties of one's own: the
        # search the export holds, so that the file can be cited and the search run again.
        "provenance": provenance,
    }


def readme(provenance: dict) -> str:
    """Return the README.txt of a zipped export: what is in it and where it came from."""
    search = provenance["search"]
    filters = "; ".join(
        f"{name}: {', '.join(map(str, values)) if isinstance(values, list) else values}"
        for name, values in search["filters"].items()
    )
    lines = [
        f"{provenance['archive']}: an export of {provenance['total']} reports",
        "",
        f"{CSV_NAME}          one report a row (RFC 4180: header first, comma, UTF-8)",
        "datapackage.json     the columns' types and meanings and this export's provenance",
        "                     (a Frictionless Data Package: frictionless, pandas and R read it)",
        "",
        f"Search:      {provenance['search_url']}",
        f"Query:       {search['query'] or '(none)'}",
        f"Match:       {search['match']} of the words",
        f"Filters:     {filters or '(none)'}",
        f"Mentions:    {'counted' if search['include_mentions'] else 'subject tags only'}",
        f"Reports:     {_counting(search)}",
        f"Sort:        {search['sort']}",
        f"Exported at: {provenance['exported_at']}",
        "",
        provenance["note"],
        "",
        "Cells a spreadsheet would run as a formula start with an apostrophe ('); the JSON "
        "export keeps every value exactly.",
    ]
    return "\r\n".join(lines) + "\r\n"


def _counting(search: dict) -> str:
    if search.get("count") == "reports":
        return "every report"
    return "each incident once, by its best report (count=reports lists every report)"
