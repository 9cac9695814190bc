"""Ingest throughput on SQLite and PostgreSQL: articles a second through the product's own path.

    python bench/ingest_speed.py [--size 10000] [--seed 7] [--database sqlite|postgresql|both]
                                 [--workers N] [--postgres-url URL] [--workdir DIR]

Generates a corpus with bench/corpus.py, then for each database runs, in a fresh process
configured for it (DEBUG=0, so Django keeps no query log), a fresh database: a new SQLite file,
or the PostgreSQL database `archive_bench` dropped and created again. It migrates, then times
`archive.ingest.batch.ingest_paths` over the corpus: read, parse, clean, tag and write, one
transaction per article, history rows and the index change log included, with as many worker
processes as `manage.py ingest` would start. The search index is not built during the run
(SEARCH_SYNC_ON_COMMIT=0): the harness builds it afterwards with `rebuild_index`, from the
database this leaves behind.

Besides the wall time it reports the CPU time of the writer, of the workers and of the
PostgreSQL backend: on a machine others share, the wall time also holds waits for a core.
Results go to bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "ingest.json"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/archive_bench"
# A PostgreSQL run drops and creates its database: only names starting with this are accepted,
# since dropping is only safe for a database that exists for the benchmark.
BENCH_DATABASE = "archive_bench"
INDEX_NOTE = (
    "not built during ingest (SEARCH_SYNC_ON_COMMIT=0); the change log is written as usual and "
    "the index is built afterwards with rebuild_index"
)


def database_kind(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "postgresql", "pgsql"):
        return "postgresql"
    raise ValueError(f"unsupported DATABASE_URL scheme {scheme!r}: expected sqlite or postgres")


def measure_ingest(
    folder: Path, *, database_url: str, workdir: Path, workers: int | None = None
) -> dict:
    """Ingest `folder` into a fresh database in a new process and return the figures.

    `workers` is the number of parsing processes beside the writer; None lets the ingest path
    choose as `manage.py ingest` does (archive.ingest.batch.suggested_workers).

    For SQLite, the file of `database_url` is replaced (sqlite:///:memory: is refused: later
    steps read the database). For PostgreSQL, the database's name must start with
    archive_bench; it is dropped and created on the server the URL names. The database stays
    filled afterwards.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    kind = database_kind(database_url)
    if kind == "sqlite":
        path = Path(
            urlsplit(database_url).path[1:] if database_url.startswith("sqlite:///") else ""
        )
        if not path.name or path.name == ":memory:":
            raise ValueError("give the SQLite database as a file: sqlite:////absolute/path.sqlite3")
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    else:
        recreate_postgres_database(database_url)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SEARCH_INDEX_DIR": str(workdir / f"index-{kind}"),
        "SEARCH_SYNC_ON_COMMIT": "0",
        "LOG_LEVEL": "WARNING",
    }
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", str(folder)]
        + ([] if workers is None else ["--workers", str(workers)]),
        env=environment,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"the ingest process for {kind} failed (exit {completed.returncode}):\n"
            f"{completed.stderr[-4000:]}"
        )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    if result["skipped"] or not result["created"]:
        # Every record of a generated corpus is importable: a skip is a fault, not a figure.
        raise RuntimeError(
            f"the {kind} ingest created {result['created']} and skipped {result['skipped']} "
            "articles, first: " + "; ".join(result["first_skips"])
        )
    return {
        "database": kind,
        **result,
        "database_url": database_url,
        "search_index_dir": environment["SEARCH_INDEX_DIR"],
        "search_index": INDEX_NOTE,
    }


def recreate_postgres_database(url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database, connecting to `postgres`."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(BENCH_DATABASE):
        raise ValueError(
            f"refusing to drop database {name!r}: the benchmark only recreates databases whose "
            f"name starts with {BENCH_DATABASE!r}"
        )
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _worker(folder: str, workers: int | None) -> None:
    """Run in the fresh process: migrate, ingest, print one line of JSON."""
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from archive.ingest.batch import ingest_paths, suggested_workers
    from archive.models import Article, ArticleCountry, ArticleCrimeType, ArticleMinistry

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started

    queries = 0

    def count_queries(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    if workers is None:
        workers = suggested_workers([folder])
    server_started = _server_cpu_seconds(connection)
    children_started = _children_cpu_seconds()
    with connection.execute_wrapper(count_queries):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = ingest_paths([folder], label="ingest benchmark", workers=workers)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    workers_cpu = _children_cpu_seconds() - children_started
    server_cpu = _server_cpu_seconds(connection)
    server_cpu = None if server_cpu is None else server_cpu - server_started
    records = report.records
    result = {
        "articles": records,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": len(report.skipped),
        "warnings": len(report.warnings),
        "files": report.files,
        "workers": workers,
        "seconds": round(seconds, 2),
        "articles_per_second": round(records / seconds, 1) if seconds else None,
        # CPU time of each part: on a shared machine the wall time also holds the waits for a
        # core. The writer is this process; the workers parse and tag; the server is the
        # PostgreSQL backend of this session (read from /proc, so only on this machine).
        "writer_cpu_seconds": round(cpu_seconds, 2),
        "workers_cpu_seconds": round(workers_cpu, 2),
        "database_server_cpu_seconds": None if server_cpu is None else round(server_cpu, 2),
        "queries_per_article": round(queries / records, 1) if records else None,
        "migrate_seconds": round(migrate_seconds, 2),
        "stored": {
            "articles": Article.objects.count(),
            "country_tags": ArticleCountry.objects.count(),
            "ministry_tags": ArticleMinistry.objects.count(),
            "crime_type_tags": ArticleCrimeType.objects.count(),
        },
        "first_skips": [f"{p.origin}: {p.reason}" for p in report.skipped[:5]],
    }
    print(json.dumps(result))


def _children_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _server_cpu_seconds(connection) -> float | None:
    """Return the CPU time of this session's PostgreSQL backend, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields, counted from the state (the 3rd).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="number of articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument(
        "--workdir", type=Path, help="keep the corpus and databases here (default: a temp folder)"
    )
    parser.add_argument(
        "--workers", type=int, help="parsing processes beside the writer (default: as ingest)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        _worker(options.worker, options.workers)
        return

    sys.path.insert(0, str(REPO / "bench"))
    from corpus import write_corpus

    kinds = ("sqlite", "postgresql") if options.database == "both" else (options.database,)
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as temporary:
        workdir = options.workdir or Path(temporary)
        corpus = write_corpus(workdir / "corpus", options.size, seed=options.seed)
        print(
            f"corpus: {corpus['articles']} articles, {corpus['mean_words']} words on average, "
            f"in {corpus['seconds']}s ({corpus['text_source']})"
        )
        runs = []
        for kind in kinds:
            url = (
                f"sqlite:///{workdir / 'ingest-bench.sqlite3'}"
                if kind == "sqlite"
                else options.postgres_url
            )
            result = measure_ingest(
                workdir / "corpus", database_url=url, workdir=workdir, workers=options.workers
            )
            runs.append(result)
            print(
                f"{kind:10} {result['created']} created, {result['skipped']} skipped in "
                f"{result['seconds']}s with {result['workers']} workers: "
                f"{result['articles_per_second']} articles/s, "
                f"{result['queries_per_article']} queries per article"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "corpus": corpus,
                "runs": runs,
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"{platform.python_implementation()} {platform.python_version()}",
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
