"""The query mix answered by SQLite FTS5 with GROUP BY facet counts, beside our search backend.

    python bench/fts5.py [--articles 5000] [--runs 3] [--seed 7] [--workdir PATH]

The comparison is the approach Datasette takes: the archive's articles copied into one SQLite
file with an FTS5 table over title and body (Porter stemming, BM25 with the title weighted twice
like ours), a table of dates and sources and a table of tags, and each search answered with
plain SQL: a count, one GROUP BY per facet (each with every other facet's selection applied, as
our page counts them), one page of hits ordered by rank or date, with highlight() and snippet()
for the page. No caching beyond SQLite's own page cache.

Each mix entry runs --runs times on both sides, in this process; medians per entry, then p50 and
p95 per kind and overall, and the ratio ours / FTS5. The totals are compared too: FTS5 stems with
the original Porter and keeps stop words, our index stems with Porter2 and drops them, so the
report says how closely they agree rather than requiring equality. Builds a throwaway archive
(bench/mix.py's bench_archive; --workdir keeps it for the next run). Results go to
bench/results/fts5.json.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import platform
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search.backends.base import FACETS, FIGURE_FACET_KEYS, Hit, SearchRequest  # noqa: E402

RESULTS = REPO / "bench" / "results" / "fts5.json"
TAG_FACETS = ("country", "ministry", "crime_type")
# The facets compared: the figures' (province, drug, person) are not in this table's corpus.
COMPARED_FACETS = tuple(facet for facet in FACETS if facet not in FIGURE_FACET_KEYS)
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0  # as the index's field_boost on title
SNIPPET_TOKENS = 40  # about our passage of 220 characters
# highlight() and snippet() mark with control characters, so the text can be escaped first and
# the marks turned into <mark> after (article text is untrusted).
OPEN, CLOSE, ELLIPSIS = "\x02", "\x03", " … "
BATCH = 2000
SCHEMA = """
CREATE VIRTUAL TABLE texts USING fts5(title, body, tokenize='porter unicode61');
CREATE TABLE docs (id INTEGER PRIMARY KEY, year INTEGER, sort_date INTEGER NOT NULL,
                   source INTEGER);
CREATE TABLE tags (article_id INTEGER NOT NULL, facet TEXT NOT NULL, value INTEGER NOT NULL);
"""
# Filters look tags up by value; the GROUP BY of one facet reads the matched articles' tags.
INDEXES = """
CREATE INDEX tags_by_value ON tags (facet, value, article_id);
CREATE INDEX tags_by_article ON tags (article_id, facet, value);
CREATE INDEX docs_by_year ON docs (year);
CREATE INDEX docs_by_source ON docs (source);
CREATE INDEX docs_by_date ON docs (sort_date);
"""
# A query token: an optional minus, then a "quoted phrase" or a run of non-spaces.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"[^\W_]+")  # letters and digits: FTS5's unicode61 parts words at "_"


@dataclass
class FtsResponse:
    total: int
    hits: list[Hit]
    facet_counts: dict[str, dict[str, int]]  # as SearchResponse's: every other facet applied


def build_database(path: Path) -> dict:
    """Write the archive's articles and live tags into a new SQLite file at `path`, as the
    index documents describe them (search.index.documents.article_document); return what it took:
    {"articles": n, "tag_rows": n, "seconds": s, "megabytes": m}."""
    from search.index.documents import article_document, articles_for_indexing

    started = time.perf_counter()
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    articles = tags = 0
    texts, docs, rows = [], [], []

    def flush():
        connection.executemany("INSERT INTO texts (rowid, title, body) VALUES (?, ?, ?)", texts)
        connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", docs)
        connection.executemany("INSERT INTO tags VALUES (?, ?, ?)", rows)
        for batch in (texts, docs, rows):
            batch.clear()

    with connection:
        for article in articles_for_indexing().iterator(chunk_size=BATCH):
            document = article_document(article)
            pk = int(document["id"])
            texts.append((pk, document["title"], document["body"]))
            docs.append(
                (pk, document["year"], document["sort_date"], int(document["source"] or 0) or None)
            )
            for facet in TAG_FACETS:
                for field in (facet, f"{facet}_all"):
                    values = document[field].split()
                    rows.extend((pk, field, int(value)) for value in values)
                    tags += len(values)
            articles += 1
            if len(texts) >= BATCH:
                flush()
        flush()
        connection.executescript(INDEXES)
        connection.execute("INSERT INTO texts (texts) VALUES ('optimize')")
    connection.execute("ANALYZE")
    connection.close()
    return {
        "articles": articles,
        "tag_rows": tags,
        "seconds": round(time.perf_counter() - started, 1),
        "megabytes": round(path.stat().st_size / 2**20, 1),
    }


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, check_same_thread=False)


def answer(connection: sqlite3.Connection, request: SearchRequest) -> FtsResponse:
    """Answer a request as our search page does, with the SQL a Datasette user would write."""
    match, excluded = match_expressions(request.query)
    where, params = _conditions(request, match, excluded, without=None)
    total = connection.execute(f"SELECT count(*) FROM docs {_where(where)}", params).fetchone()[0]
    counts = {
        facet: _facet_counts(connection, request, match, excluded, facet)
        for facet in COMPARED_FACETS
    }
    hits = _page(connection, request, match, excluded) if total and request.page_size > 0 else []
    return FtsResponse(total=total, hits=hits, facet_counts=counts)


def match_expressions(text: str) -> tuple[str | None, str | None]:
    """Return (what must match, what must not) as FTS5 MATCH expressions, or None for either.

    Words are ANDed, "quoted words" are phrases, -word or NOT word excludes; AND is implied and
    OR is not translated (dropped, as the mix never uses it). Every word goes out as an FTS5
    string of word characters only, so no text can reach FTS5 as syntax or SQL: quotes,
    parentheses, NEAR, column filters and stars in the query are plain characters.
    """
    wanted, unwanted = [], []
    negate_next = False
    for minus, phrase, word in _TOKEN.findall(text):
        if word in ("AND", "OR"):
            continue
        if word == "NOT":
            negate_next = True
            continue
        words = _WORD.findall(phrase if phrase else word)
        if not words:
            continue
        (unwanted if minus or negate_next else wanted).append('"' + " ".join(words) + '"')
        negate_next = False
    return (" AND ".join(wanted) or None, " OR ".join(unwanted) or None)


def compare(
    mix,
    backend,
    connection: sqlite3.Connection,
    *,
    texts_of: Callable[[list[int]], dict[int, tuple[str, str]]],
    runs: int = 3,
) -> dict:
    """Time every mix entry on our backend and on FTS5 (median of `runs` each); return

    {"entries": n, "runs": r,
     "overall": {"ours_p50_ms", "ours_p95_ms", "fts5_p50_ms", "fts5_p95_ms",
                 "ratio_p50", "ratio_p95",  # ratio: ours / FTS5
                 "first_run": {"ours_p50_ms", "ours_p95_ms", "fts5_p50_ms", "fts5_p95_ms"}},
     "kinds": {kind: the same figures and "entries"},
     "agreement": {"identical_totals", "totals_within_10_percent", "identical_facet_counts",
                   "median_total_difference", "any_word_fallbacks", "largest_differences": [...]},
     "per_entry": [{"kind", "path", "ours_ms", "fts5_ms", "ours_first_ms", "fts5_first_ms",
                    "ours_total", "fts5_total", "same_facet_counts", "any_words"}, ...]}
    """
    # Open the index and fill both sides' caches before anything is timed.
    backend.search(SearchRequest(), texts_of=texts_of)
    answer(connection, SearchRequest())
    rows = []
    for entry in mix:
        # FTS5's GROUP BY counts every report: so do we, for a like-for-like comparison.
        request = replace(entry.request, count="reports")
        ours, ours_ms, ours_first = timed(
            lambda r=request: backend.search(r, texts_of=texts_of), runs
        )
        theirs, fts_ms, fts_first = timed(lambda e=entry: answer(connection, e.request), runs)
        rows.append(
            {
                "kind": entry.kind,
                "path": entry.path,
                "ours_ms": round(ours_ms, 2),
                "fts5_ms": round(fts_ms, 2),
                "ours_first_ms": round(ours_first, 2),
                "fts5_first_ms": round(fts_first, 2),
                "ours_total": ours.total,
                "fts5_total": theirs.total,
                "same_facet_counts": {f: ours.facet_counts.get(f) for f in COMPARED_FACETS}
                == theirs.facet_counts,
                "any_words": ours.any_words,
            }
        )
    kinds = {}
    for kind in dict.fromkeys(row["kind"] for row in rows):
        of_kind = [row for row in rows if row["kind"] == kind]
        kinds[kind] = {"entries": len(of_kind), **_figures(of_kind)}
    differences = sorted(rows, key=_difference, reverse=True)
    return {
        "entries": len(rows),
        "runs": runs,
        "overall": _figures(rows),
        "kinds": kinds,
        "agreement": {
            "identical_totals": sum(r["ours_total"] == r["fts5_total"] for r in rows),
            "totals_within_10_percent": sum(_difference(r) <= 0.1 for r in rows),
            "identical_facet_counts": sum(r["same_facet_counts"] for r in rows),
            "median_total_difference": round(statistics.median(map(_difference, rows)), 3),
            "any_word_fallbacks": sum(r["any_words"] for r in rows),
            "largest_differences": [
                {key: row[key] for key in ("kind", "path", "ours_total", "fts5_total")}
                for row in differences[:10]
                if _difference(row) > 0
            ],
        },
        "per_entry": rows,
    }


def texts_from_db(ids) -> dict[int, tuple[str, str]]:
    """Return {id: (title, body)} for highlighting, read from the database like the page."""
    from archive.models import Article

    rows = Article.objects.filter(pk__in=list(ids)).values_list("pk", "title", "body")
    return {pk: (title, body) for pk, title, body in rows}


# --- SQL ----------------------------------------------------------------------------------


def _conditions(request, match, excluded, *, without, text=True) -> tuple[list[str], list]:
    """Return WHERE clauses on `docs` and their parameters: the words (unless `text` is false)
    and every selection but `without`'s (and not the year range when `without` is the year:
    the year facet counts across the range, like ours)."""
    clauses, params = [], []
    if text and match:
        clauses.append("docs.id IN (SELECT rowid FROM texts WHERE texts MATCH ?)")
        params.append(_full(match, excluded))
    elif excluded and not match:
        clauses.append("docs.id NOT IN (SELECT rowid FROM texts WHERE texts MATCH ?)")
        params.append(excluded)
    for facet, values in request.selected.items():
        if facet == without or facet not in COMPARED_FACETS or not values:
            continue
        # Values are ids and years as text; anything else names nothing, as in the index.
        numbers = [int(value) for value in values if value.isascii() and value.isdigit()]
        if not numbers:
            clauses.append("0")
            continue
        marks = ", ".join("?" * len(numbers))
        if facet in TAG_FACETS:
            clauses.append(
                f"docs.id IN (SELECT article_id FROM tags WHERE facet = ? AND value IN ({marks}))"
            )
            params.append(_field(facet, request))
        else:
            clauses.append(f"docs.{facet} IN ({marks})")  # facet is one of FACETS
        params.extend(numbers)
    if without != "year" and (request.year_from is not None or request.year_to is not None):
        clauses.append("docs.year BETWEEN ? AND ?")
        params += [request.year_from or 0, request.year_to or 9999]
    return clauses, params


def _facet_counts(connection, request, match, excluded, facet) -> dict[str, int]:
    where, params = _conditions(request, match, excluded, without=facet)
    if facet in TAG_FACETS:
        within = f"AND article_id IN (SELECT docs.id FROM docs {_where(where)})" if where else ""
        sql = f"SELECT value, count(*) FROM tags WHERE facet = ? {within} GROUP BY value"
        params = [_field(facet, request), *params]
    else:
        where = [*where, f"docs.{facet} IS NOT NULL"]
        sql = f"SELECT docs.{facet}, count(*) FROM docs {_where(where)} GROUP BY docs.{facet}"
    return {str(value): count for value, count in connection.execute(sql, params)}


def _page(connection, request, match, excluded) -> list[Hit]:
    where, params = _conditions(request, match, excluded, without=None, text=False)
    ranked = match is not None and request.sort == "relevance"
    order = (
        f"bm25(texts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        if ranked
        else "docs.sort_date " + ("ASC" if request.sort == "oldest" else "DESC") + ", docs.id"
    )
    offset = (request.page - 1) * request.page_size
    if match is None:  # no words to rank or mark: titles only
        sql = (
            f"SELECT docs.id, 0, texts.title, NULL FROM docs JOIN texts ON texts.rowid = docs.id "
            f"{_where(where)} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        rows = connection.execute(sql, [*params, request.page_size, offset])
    else:
        sql = (
            f"SELECT docs.id, bm25(texts, {TITLE_WEIGHT}, {BODY_WEIGHT}), "
            f"highlight(texts, 0, ?, ?), snippet(texts, 1, ?, ?, ?, {SNIPPET_TOKENS}) "
            f"FROM texts JOIN docs ON docs.id = texts.rowid "
            f"WHERE texts MATCH ? {''.join(f' AND {c}' for c in where)} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        marks = [OPEN, CLOSE, OPEN, CLOSE, ELLIPSIS.strip()]
        rows = connection.execute(
            sql, [*marks, _full(match, excluded), *params, request.page_size, offset]
        )
    hits = []
    for pk, rank, title, snippet in rows:
        passages = (_marked(snippet),) if snippet and OPEN in snippet else ()
        # bm25() is lower for better matches; negated it reads like a score.
        hits.append(Hit(pk, -rank if ranked else 0.0, _marked(title), passages))
    return hits


def _full(match: str, excluded: str | None) -> str:
    return f"({match}) NOT ({excluded})" if excluded else match


def _field(facet: str, request: SearchRequest) -> str:
    return f"{facet}_all" if request.include_mentions else facet


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _marked(text: str) -> str:
    return html.escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


# --- Figures ------------------------------------------------------------------------------


def timed(call, runs: int):
    """Return the call's last result, its median time over `runs` calls and the first call's
    time, in milliseconds. The first is the one no cache of the request's words helped."""
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(timings), timings[0]


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile: the smallest value with `share` of the values at or
    below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _figures(rows: list[dict]) -> dict:
    ours = [row["ours_ms"] for row in rows]
    theirs = [row["fts5_ms"] for row in rows]
    figures = {
        "ours_p50_ms": round(percentile(ours, 0.5), 2),
        "ours_p95_ms": round(percentile(ours, 0.95), 2),
        "fts5_p50_ms": round(percentile(theirs, 0.5), 2),
        "fts5_p95_ms": round(percentile(theirs, 0.95), 2),
    }
    for level in ("p50", "p95"):
        base = figures[f"fts5_{level}_ms"]
        figures[f"ratio_{level}"] = round(figures[f"ours_{level}_ms"] / base, 2) if base else None
    # The first of the runs: for ours, before its cache of term sets held the request's words.
    ours_first = [row["ours_first_ms"] for row in rows]
    theirs_first = [row["fts5_first_ms"] for row in rows]
    figures["first_run"] = {
        "ours_p50_ms": round(percentile(ours_first, 0.5), 2),
        "ours_p95_ms": round(percentile(ours_first, 0.95), 2),
        "fts5_p50_ms": round(percentile(theirs_first, 0.5), 2),
        "fts5_p95_ms": round(percentile(theirs_first, 0.95), 2),
    }
    return figures


def _difference(row: dict) -> float:
    """Return how far the two totals are apart, as a share of the larger."""
    larger = max(row["ours_total"], row["fts5_total"], 1)
    return abs(row["ours_total"] - row["fts5_total"]) / larger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mix-size", type=int, default=240)
    parser.add_argument("--workdir", type=Path, help="keep the archive here and reuse it")
    options = parser.parse_args()

    from bench.mix import bench_archive, query_mix, taxonomy_from_db

    with bench_archive(
        articles=options.articles, seed=options.seed, workdir=options.workdir
    ) as folder:
        from search.backends import get_backend

        build = build_database(folder / "fts5.sqlite3")
        print(f"FTS5 database of {build['articles']} articles built in {build['seconds']}s")
        started = time.perf_counter()
        mix = query_mix(
            index_dir=folder / "index",
            taxonomy=taxonomy_from_db(),
            seed=options.seed,
            size=options.mix_size,
            texts_of=texts_from_db,
        )
        mix_seconds = time.perf_counter() - started
        connection = connect(folder / "fts5.sqlite3")
        report = compare(mix, get_backend(), connection, texts_of=texts_from_db, runs=options.runs)
        connection.close()

    result = {
        "articles": build["articles"],
        "machine": f"{platform.node()} {platform.processor() or platform.machine()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "fts5_build": build,
        "mix_seconds": round(mix_seconds, 1),
        **report,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    overall, first = report["overall"], report["overall"]["first_run"]
    print(
        f"{report['entries']} searches, median of {options.runs} runs each: ours p50 "
        f"{overall['ours_p50_ms']} ms p95 {overall['ours_p95_ms']} ms; FTS5 p50 "
        f"{overall['fts5_p50_ms']} ms p95 {overall['fts5_p95_ms']} ms; ours/FTS5 "
        f"{overall['ratio_p50']} (p50) {overall['ratio_p95']} (p95). First runs: ours "
        f"{first['ours_p50_ms']} / {first['ours_p95_ms']} ms, FTS5 {first['fts5_p50_ms']} / "
        f"{first['fts5_p95_ms']} ms"
    )
    for kind, figures in report["kinds"].items():
        print(
            f"  {kind:14} ours {figures['ours_p50_ms']:7.1f} / {figures['ours_p95_ms']:7.1f} ms"
            f"   FTS5 {figures['fts5_p50_ms']:7.1f} / {figures['fts5_p95_ms']:7.1f} ms"
            f"   ratio {figures['ratio_p50']}"
        )
    agreement = report["agreement"]
    print(
        f"totals identical in {agreement['identical_totals']}, within 10% in "
        f"{agreement['totals_within_10_percent']} of {report['entries']}; facet counts "
        f"identical in {agreement['identical_facet_counts']}"
    )
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
