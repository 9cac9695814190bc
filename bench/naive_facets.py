"""Facet counting alone: our backend against Whoosh's `groupedby`, the way most Django projects
count facets with Whoosh, on the broad searches of the query mix.

    python bench/naive_facets.py [--articles 5000] [--runs 3] [--seed 7] [--workdir PATH]

The naive way runs one search per facet, filtered by every other facet's selection (the same
multi-select counts as our page's), and lets Whoosh group the hits by the facet's field. Our side
is the backend asked for counts only (page size 0). Broad searches are where counting costs
most: no words, or one common word, with facet selections, year ranges and mentions. Both sides
must give identical counts; the report says whether they did. Builds a throwaway archive like
bench/fts5.py (--workdir keeps it). Results go to bench/results/naive_facets.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.fts5 import timed  # noqa: E402
from bench.mix import BROAD_KINDS  # noqa: E402
from search.backends.base import FACETS, SearchRequest  # noqa: E402

RESULTS = REPO / "bench" / "results" / "naive_facets.json"
TAG_FACETS = ("country", "ministry", "crime_type")


def naive_counts(searcher, request: SearchRequest) -> dict[str, dict[str, int]]:
    """Return {facet: {value: count}} for the request, counting each facet with one Whoosh
    search grouped by its field and filtered by every other facet's selection (and, but for
    the year facet, the year range)."""
    from whoosh import sorting
    from whoosh.query import And, Every, Or, Term, TermRange

    query = _text_query(searcher, request.query)
    field = {
        facet: f"{facet}_all" if request.include_mentions and facet in TAG_FACETS else facet
        for facet in FACETS
    }
    selections = {
        facet: Or([Term(field[facet], value) for value in values])
        for facet, values in request.selected.items()
        if values and facet in FACETS
    }
    year_range = None
    if request.year_from is not None or request.year_to is not None:
        low, high = request.year_from, request.year_to
        year_range = TermRange(
            "year", None if low is None else f"{low:04d}", None if high is None else f"{high:04d}"
        )
    counts = {}
    for facet in FACETS:
        filters = [Term("kind", "article")]
        filters += [selection for name, selection in selections.items() if name != facet]
        if year_range is not None and facet != "year":
            filters.append(year_range)
        # Tag fields hold several ids an article: without allow_overlap Whoosh would put each
        # article in one group only.
        grouping = sorting.FieldFacet(field[facet], allow_overlap=facet in TAG_FACETS)
        results = searcher.search(
            query if query is not None else Every(),
            filter=And(filters),
            groupedby={facet: grouping},
            maptype=sorting.Count,
            limit=1,
        )
        counts[facet] = {
            _text(value): count for value, count in results.groups(facet).items() if value
        }
    return counts


def compare_facets(mix, backend, index_dir: Path, *, runs: int = 3) -> dict:
    """Time facet counting on the mix's broad entries, ours against naive_counts (median of
    `runs` each), and check both count alike; return

    {"entries": n, "runs": r, "identical": n,  # entries whose counts agree, facet by facet
     "ours_median_ms", "naive_median_ms", "ratio_of_medians",  # ratio: naive / ours
     "ours_first_median_ms", "ratio_first_run",  # ours timed on its first run alone
     "ratio_median", "ratio_min",  # over the entries' own ratios
     "kinds": {kind: {"entries", "ours_median_ms", "naive_median_ms", "ratio_of_medians"}},
     "mismatches": [{"path", "facet", "ours", "naive"}, ...],  # the first few, if any
     "per_entry": [{"kind", "path", "ours_ms", "ours_first_ms", "naive_ms", "ratio",
                    "identical"}, ...]}
    """
    from whoosh import index

    broad = [entry for entry in mix if entry.kind in BROAD_KINDS]
    rows, mismatches = [], []
    ix = index.open_dir(str(Path(index_dir) / "current"), readonly=True)
    with ix.searcher() as searcher:
        # Open the index and fill our caches before anything is timed.
        backend.search(SearchRequest(page_size=0), texts_of=dict)
        naive_counts(searcher, SearchRequest())
        for entry in broad:
            # groupedby counts every report: so do we, for a like-for-like comparison.
            request = replace(entry.request, page_size=0, count="reports")
            ours, ours_ms, ours_first = timed(
                lambda r=request: backend.search(r, texts_of=dict).facet_counts, runs
            )
            naive, naive_ms, _ = timed(lambda r=request: naive_counts(searcher, r), runs)
            for facet in FACETS:
                if ours.get(facet, {}) != naive.get(facet, {}):
                    mismatches.append(
                        {
                            "path": entry.path,
                            "facet": facet,
                            "ours": ours.get(facet),
                            "naive": naive[facet],
                        }
                    )
            rows.append(
                {
                    "kind": entry.kind,
                    "path": entry.path,
                    "ours_ms": round(ours_ms, 2),
                    "ours_first_ms": round(ours_first, 2),
                    "naive_ms": round(naive_ms, 2),
                    "ratio": round(naive_ms / ours_ms, 1) if ours_ms else None,
                    "identical": ours == naive,
                }
            )
    kinds = {}
    for kind in dict.fromkeys(row["kind"] for row in rows):
        of_kind = [row for row in rows if row["kind"] == kind]
        kinds[kind] = {"entries": len(of_kind), **_medians(of_kind)}
    ratios = [row["ratio"] for row in rows if row["ratio"] is not None]
    return {
        "entries": len(rows),
        "runs": runs,
        "identical": sum(row["identical"] for row in rows),
        **_medians(rows),
        "ratio_median": round(statistics.median(ratios), 1) if ratios else None,
        "ratio_min": min(ratios, default=None),
        "kinds": kinds,
        "mismatches": mismatches[:10],
        "per_entry": rows,
    }


def _text_query(searcher, text: str):
    """Return the words as our page parses them (every word, else any word), or None."""
    from whoosh.qparser import AndGroup, MultifieldParser, OrGroup, PlusMinusPlugin, WildcardPlugin
    from whoosh.query import Term

    if not text.strip():
        return None

    def parse(group):
        parser = MultifieldParser(["title", "body"], searcher.schema, group=group)
        parser.remove_plugin_class(WildcardPlugin)
        parser.add_plugin(PlusMinusPlugin())
        return parser.parse(text)

    query = parse(AndGroup)
    if (
        len(text.split()) > 1
        and searcher.search(query, filter=Term("kind", "article"), limit=1).is_empty()
    ):
        return parse(OrGroup.factory(0.9))
    return query


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _medians(rows: list[dict]) -> dict:
    def median(key: str) -> float:
        return statistics.median(row[key] for row in rows) if rows else 0.0

    ours, first, naive = median("ours_ms"), median("ours_first_ms"), median("naive_ms")
    return {
        "ours_median_ms": round(ours, 2),
        "naive_median_ms": round(naive, 2),
        "ratio_of_medians": round(naive / ours, 1) if ours else None,
        # Our first run, before the cache of term sets held the request's words.
        "ours_first_median_ms": round(first, 2),
        "ratio_first_run": round(naive / first, 1) if first else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mix-size", type=int, default=240)
    parser.add_argument("--workdir", type=Path, help="keep the archive here and reuse it")
    options = parser.parse_args()

    from bench.fts5 import texts_from_db
    from bench.mix import bench_archive, query_mix, taxonomy_from_db

    with bench_archive(
        articles=options.articles, seed=options.seed, workdir=options.workdir
    ) as folder:
        from search.backends import get_backend

        mix = query_mix(
            index_dir=folder / "index",
            taxonomy=taxonomy_from_db(),
            seed=options.seed,
            size=options.mix_size,
            texts_of=texts_from_db,
        )
        started = time.perf_counter()
        report = compare_facets(mix, get_backend(), folder / "index", runs=options.runs)
        seconds = time.perf_counter() - started

    result = {
        "articles": options.articles,
        "machine": f"{platform.node()} {platform.processor() or platform.machine()}",
        "python": platform.python_version(),
        "seconds": round(seconds, 1),
        **report,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{report['entries']} broad searches, median of {options.runs} runs each: counting "
        f"ours {report['ours_median_ms']} ms, groupedby {report['naive_median_ms']} ms; "
        f"groupedby/ours {report['ratio_of_medians']} (per search: median "
        f"{report['ratio_median']}, least {report['ratio_min']}; against our first runs "
        f"{report['ratio_first_run']}); identical counts in "
        f"{report['identical']} of {report['entries']}"
    )
    for kind, figures in report["kinds"].items():
        print(
            f"  {kind:14} ours {figures['ours_median_ms']:7.2f} ms   groupedby "
            f"{figures['naive_median_ms']:7.1f} ms   ratio {figures['ratio_of_medians']}"
        )
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
