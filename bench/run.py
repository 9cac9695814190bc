"""The benchmark harness: every figure of the archive's speed targets, from one generated corpus.

    python bench/run.py [--size 10000] [--seed 7] [--no-postgres] [--out FOLDER] [--workdir DIR]

`make bench` runs it on 10,000 articles (a few minutes); `make bench-full` on 100,000 (about
half an hour on a 2-core machine). In order:

 1. corpus     bench/corpus.py writes `size` articles as JSON Lines shards.
 2. ingest     each database is filled through the product's own ingest path, timed
               (bench/ingest_speed.py): SQLite, then PostgreSQL unless --no-postgres.
 3. rebuild    `manage.py rebuild_index` on the production database (PostgreSQL when it was
               measured, else SQLite), timed, with the peak memory of its processes; then
               grouping one new report there, p50/p95 (bench/grouping_speed.py).
 4. facets     facet counting alone against Whoosh's naive groupedby (bench/naive_facets.py).
 5. fts5       the same mix answered by SQLite FTS5 with GROUP BY counts (bench/fts5.py).
 6. costs      the spelling check's worst cost per query on hostile queries, and the admin
               article list's search (bench/search_costs.py), in-process.
 7. http       gunicorn with 2 workers, as in production; the query mix (bench/mix.py) at
               concurrency 1, then a second mix of different requests at concurrency 8, so
               no request is ever repeated; worker memory; the index-sync delay under load.
 8. export     a CSV export of every article: streamed in-process under tracemalloc (peak
               memory), and through gunicorn (time as a client sees it).

Results go to `--out` (default bench/results/<size>-<timestamp>/, git-ignored) as results.json,
report.md and latency.png (bench/report.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from ingest_speed import POSTGRES_URL, measure_ingest  # noqa: E402

RESULTS_DIR = REPO / "bench" / "results"
# Requests per pass: the minimum is 200; the mix generator keeps its kinds in shares.
MIX_SIZE = 240
SYNC_SAMPLES = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="articles in the corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--out", type=Path, help="report folder")
    parser.add_argument("--workdir", type=Path, help="keep the corpus, databases and index here")
    parser.add_argument(
        "--reuse",
        type=Path,
        help="an earlier run's results.json: keep its corpus and ingest figures and the "
        "workdir's databases, and measure everything from the rebuild on again",
    )
    options = parser.parse_args()
    out = options.out or RESULTS_DIR / f"{options.size}-{dt.datetime.now():%Y%m%dT%H%M%S}"
    if options.workdir:
        options.workdir.mkdir(parents=True, exist_ok=True)
        run(options, options.workdir, out)
    else:
        with tempfile.TemporaryDirectory(prefix="archive-bench-") as workdir:
            run(options, Path(workdir), out)


def step(name: str):
    print(f"\n=== {name}", flush=True)
    return time.perf_counter()


def run(options, workdir: Path, out: Path) -> None:
    results: dict = {"started": dt.datetime.now().isoformat(timespec="seconds")}

    if options.reuse:
        earlier = json.loads(options.reuse.read_text())
        results["corpus"], results["ingest"] = earlier["corpus"], earlier["ingest"]
        results["reused"] = f"corpus and ingest from {options.reuse}"
        databases = {kind: run["database_url"] for kind, run in results["ingest"].items()}
        postgres = "postgresql" in databases
    else:
        databases, postgres = build(options, workdir, results)
    # Everything after ingest runs on the production database when it was measured.
    primary = "postgresql" if postgres else "sqlite"
    database_url, index_dir = databases[primary], workdir / "index"
    results["corpus"]["database"] = primary

    step(f"rebuild_index on {primary}")
    results["rebuild"] = rebuild(database_url, index_dir, options.size)
    print(_short(results["rebuild"]))

    step(f"grouping one new report on {primary}")
    results["grouping"] = grouping_speed(database_url)
    print(_short(results["grouping"]))

    configure(database_url, index_dir)
    from fts5 import build_database, compare, connect, texts_from_db
    from http_load import run_load, serve, summarize_by_kind, sync_delay, worker_memory
    from mix import query_mix, taxonomy_from_db
    from naive_facets import compare_facets

    from search.backends import get_backend

    taxonomy = taxonomy_from_db()

    def mix(seed: int):
        return query_mix(
            index_dir=index_dir, taxonomy=taxonomy, seed=seed, size=MIX_SIZE, texts_of=texts_from_db
        )

    first_mix, second_mix, load_mix = (
        mix(options.seed),
        mix(options.seed + 1),
        mix(options.seed + 2),
    )
    backend = get_backend()

    step("facet counting: ours against Whoosh's groupedby")
    # Naive counting takes about a second a request at 100k: one run each is enough there.
    runs = 3 if options.size <= 20_000 else 1
    facets = compare_facets(first_mix, backend, index_dir, runs=runs)
    results["facets"] = {
        "ours_ms": facets["ours_median_ms"],
        "naive_ms": facets["naive_median_ms"],
        "ratio": facets["ratio_of_medians"],
        **{key: value for key, value in facets.items() if key != "per_entry"},
    }
    print(_short(results["facets"]))

    step("SQLite FTS5 + GROUP BY on the same mix")
    fts_path = workdir / "fts5.sqlite3"
    built = build_database(fts_path)
    connection = connect(fts_path)
    fts = compare(first_mix, backend, connection, texts_of=texts_from_db, runs=runs)
    connection.close()
    overall = fts["overall"]
    results["fts5"] = {
        "ours_ms": overall["ours_p50_ms"],
        "fts5_ms": overall["fts5_p50_ms"],
        "ratio": overall["ratio_p50"],
        "ratio_p95": overall["ratio_p95"],
        "build": built,
        **{key: value for key, value in fts.items() if key != "per_entry"},
    }
    print(_short(results["fts5"]))

    from search_costs import admin_search_times, spelling_costs

    step("spelling check per query, and the admin's article search")
    results["spelling"] = spelling_costs(backend, seed=options.seed)
    print(_short(results["spelling"]))
    results["admin_search"] = admin_search_times(seed=options.seed)
    print(_short(results["admin_search"]))

    step("HTTP: gunicorn, 2 workers")
    environment = {"SEARCH_SYNC_ON_COMMIT": "1"}
    with serve(
        database_url=database_url, index_dir=index_dir, workers=2, env=environment
    ) as server:
        warm_up(server.base_url, [entry.path for entry in load_mix[:20]])
        results["http"] = {}
        for name, entries, concurrency in (("c1", first_mix, 1), ("c8", second_mix, 8)):
            load = run_load(server.base_url, [e.path for e in entries], concurrency=concurrency)
            load["kinds"] = summarize_by_kind(load, [entry.kind for entry in entries])
            results["http"][name] = load
            print(name, _short(load))
        memory_after_load = worker_memory(server.pid)
        step("index-sync delay under load")
        results["sync_delay"] = sync_delay(
            server.base_url,
            samples=SYNC_SAMPLES,
            load_paths=[entry.path for entry in load_mix],
            load_concurrency=4,
        )
        print(_short(results["sync_delay"]))
        step("export: every article as CSV")
        results["export"] = export_figures(server.base_url)
        print(_short(results["export"]))
        memory = worker_memory(server.pid)
        if (memory_after_load.get("max_rss_mb") or 0) > (memory.get("max_rss_mb") or 0):
            memory = memory_after_load
        results["worker_memory"] = memory
        print("workers", _short(memory))

    from report import machine_info, write_report

    results["machine"] = machine_info(POSTGRES_URL if postgres else None)
    results["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    written = write_report(results, out)
    print(f"\nReport: {written['markdown']}")


def build(options, workdir: Path, results: dict) -> tuple[dict[str, str], bool]:
    """Write the corpus and ingest it into each database; return {kind: DATABASE_URL} and
    whether PostgreSQL was measured."""
    from corpus import write_corpus

    started = step(f"corpus: {options.size} articles")
    results["corpus"] = write_corpus(workdir / "corpus", options.size, seed=options.seed)
    print(_short(results["corpus"]), f"({time.perf_counter() - started:.0f}s)")

    results["ingest"] = {}
    databases = {"sqlite": f"sqlite:///{workdir / 'archive.sqlite3'}"}
    postgres = not options.no_postgres and _postgres_reachable()
    if postgres:
        databases["postgresql"] = POSTGRES_URL
    elif not options.no_postgres:
        print("PostgreSQL is not reachable at 127.0.0.1:5432: measuring SQLite only.")
    for kind, url in databases.items():
        step(f"ingest on {kind}")
        results["ingest"][kind] = measure_ingest(
            workdir / "corpus", database_url=url, workdir=workdir
        )
        print(_short(results["ingest"][kind]))
    return databases, postgres


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3
        ) as connection:
            connection.execute("SELECT 1")
        return True
    except Exception:
        return False


def _environment(database_url: str, index_dir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",  # with DEBUG on Django keeps every query in memory and the figures lie
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "LOG_LEVEL": "WARNING",
    }


def configure(database_url: str, index_dir: Path) -> None:
    os.environ.update(_environment(database_url, index_dir))
    os.environ["SEARCH_SYNC_ON_COMMIT"] = "1"
    import django

    django.setup()


def grouping_speed(database_url: str) -> dict:
    """Time placing 200 of the archive's reports again, in their own process."""
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "grouping_speed.py"), "--database-url", database_url],
        check=True,
        env=_environment(database_url, Path(tempfile.gettempdir())),
        stdout=subprocess.DEVNULL,
    )
    return json.loads((REPO / "bench" / "results" / "grouping_speed.json").read_text())


def rebuild(database_url: str, index_dir: Path, articles: int) -> dict:
    """Run rebuild_index in its own process; return its rate and the peak memory of it and its
    indexing processes together, sampled from /proc."""
    processes = os.cpu_count() or 1
    command = [sys.executable, "manage.py", "rebuild_index", "--verbosity", "0"]
    command += ["--processes", str(processes)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=_environment(database_url, index_dir))
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"rebuild_index failed (exit {process.returncode})")
    return {
        "articles": articles,
        "seconds": round(seconds, 1),
        "articles_per_second": round(articles / seconds, 1),
        "peak_memory_mb": round(peak, 1),
        "processes": processes,
        "memory_note": "resident memory of rebuild_index and its indexing processes, summed",
    }


def _tree_rss_mb(pid: int) -> float:
    """Return the resident memory of a process and all its descendants, in MB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


def warm_up(base_url: str, paths: list[str]) -> None:
    """Open the index in both workers (each reads its caches on its first search); these
    requests are not part of any measured pass."""
    threads = [
        threading.Thread(target=lambda p=path: _fetch(base_url + p)) for path in paths[:4] * 2
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for path in paths[4:]:
        _fetch(base_url + path)


def _fetch(url: str) -> int:
    with urllib.request.urlopen(url, timeout=300) as response:
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
        return size


def export_figures(base_url: str) -> dict:
    """Stream a CSV of every article twice: from gunicorn, for the time a client waits, and in
    this process under tracemalloc, for the peak memory (tracemalloc slows Python down several
    times, so that run's time is not the export's)."""
    from export_memory import measure

    started = time.perf_counter()
    try:
        size = _fetch(f"{base_url}/export.csv")
        seconds = time.perf_counter() - started
        served = {"seconds": round(seconds, 1), "megabytes": round(size / 2**20, 1)}
    except Exception as error:  # reported, not hidden: a timeout here is a finding
        served = {"error": f"{type(error).__name__}: {error}"}
    # A first export opens the index as the last commits left it, so that the figure is the
    # export's own memory, not the index's.
    measure("csv", {"q": "nothingmatchesthisword"})
    traced = measure("csv", {})
    figures = {
        "rows": traced["rows"],
        "megabytes": traced["megabytes_written"],
        "peak_memory_mb": traced["peak_python_mb"],
        "through_gunicorn": served,
        "traced_seconds": traced["seconds"],
    }
    if "seconds" in served:
        figures["seconds"] = served["seconds"]
        figures["rows_per_second"] = round(traced["rows"] / max(served["seconds"], 0.001))
    return figures


def _short(figures: dict) -> str:
    """Return the scalar figures of a result, for the progress log."""
    shown = {
        key: value
        for key, value in figures.items()
        if isinstance(value, int | float | str) and key not in ("folder", "text_source")
    }
    return ", ".join(f"{key}={value}" for key, value in list(shown.items())[:12])


if __name__ == "__main__":
    main()
