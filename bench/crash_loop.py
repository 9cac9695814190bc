"""Kill -9 the index's writers at random points, again and again; the index must come level.

    python bench/crash_loop.py [--runs 20] [--seed 7] [--articles 400] [--database URL]
                               [--in-turn] [--out FILE]

An archive (SQLite by default, or the PostgreSQL database --database names, which must be called
archive_crash...: it is dropped and created) is served by gunicorn with one worker. Each run
picks one of three writers (with --in-turn, each in turn) and kills it with SIGKILL where it
hurts:

- ingest        a folder of new reports, killed from outside after a random delay (mid-file,
                mid-article or after the writes but before it applied them to the index);
- update_index  after edits, re-tags and deletions logged with the index left behind, killed
                at a random point of its writing (tests/faults/crashing_indexer.py: a document
                added, segment files written, the table of contents half or wholly written);
- rebuild_index killed mid-rebuild or just before its swap.

Then one search is asked of the server, and the loop waits (polling, with a deadline) for the
index to match the database: no article missing, none orphaned or stale, none indexed twice, no
logged change left unapplied; `check_index` must then say so too. It prints each run and writes
bench/results/crash_loop.json (or --out); the exit status is 1 if any run did not come level.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

RESULTS = REPO / "bench" / "results" / "crash_loop.json"
DRIVER = REPO / "tests" / "faults" / "crashing_indexer.py"
LEVEL_DEADLINE_SECONDS = 180
INDEX_POINTS = ("upsert", "segment", "toc-write", "toc-written")
REBUILD_POINTS = ("rebuild-document", "rebuild-swap")
SHARD_ARTICLES = 40
WRITERS = ("ingest", "update_index", "rebuild_index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--articles", type=int, default=400, help="articles ingested at first")
    parser.add_argument("--database", help="a PostgreSQL URL whose database is archive_crash...")
    parser.add_argument("--in-turn", action="store_true", help="each writer in turn, not at random")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON result goes")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-crash-") as folder:
        outcome = run(options, Path(folder))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(outcome, indent=2))
    failed = [entry for entry in outcome["runs"] if not entry["level"]]
    print(
        f"{len(outcome['runs']) - len(failed)} of {len(outcome['runs'])} runs came level "
        f"(missing, orphaned, stale, twice-indexed and unapplied all 0); written to {options.out}"
    )
    sys.exit(1 if failed else 0)


def run(options, workdir: Path) -> dict:
    from corpus import write_corpus
    from http_load import serve

    database = options.database or f"sqlite:///{workdir / 'archive.sqlite3'}"
    if options.database:
        _recreate_postgres(options.database)
    environment = _environment(database, workdir)
    rng = random.Random(options.seed)
    corpus = workdir / "corpus"
    total = options.articles + SHARD_ARTICLES * options.runs
    write_corpus(corpus, total, seed=options.seed, per_file=SHARD_ARTICLES)
    shards = sorted(corpus.glob("*.jsonl"))
    first = options.articles // SHARD_ARTICLES
    _manage(environment, "migrate", "--verbosity", "0")
    _manage(environment, "ingest", *map(str, shards[:first]), "--verbosity", "0")
    _manage(environment, "rebuild_index", "--verbosity", "0")
    later = iter(shards[first:])
    runs = []
    with serve(database_url=database, index_dir=workdir / "index", workers=1) as server:
        _configure_here(environment)
        for number in range(1, options.runs + 1):
            writer = WRITERS[(number - 1) % 3] if options.in_turn else rng.choice(WRITERS)
            started = time.monotonic()
            how = _crash(writer, environment, rng, next(later))
            request_status = _search(server.base_url, rng)
            level, remaining = _wait_until_level(server.base_url)
            checked = _manage(environment, "check_index", check=False)
            entry = {
                "run": number,
                "writer": writer,
                "killed": how,
                "search_status": request_status,
                "level": level and checked.returncode == 0,
                "seconds_to_level": round(time.monotonic() - started, 1),
                "left": remaining,
                "check_index": checked.stdout.strip().splitlines()[:1],
            }
            runs.append(entry)
            print(
                f"run {number:2}: {writer:13} killed {how:30} -> "
                f"{'level' if entry['level'] else 'NOT LEVEL ' + json.dumps(remaining)} "
                f"in {entry['seconds_to_level']} s",
                flush=True,
            )
    return {
        "database": database.split(":")[0],
        "articles_at_start": first * SHARD_ARTICLES,
        "runs": runs,
    }


def _crash(writer: str, environment: dict, rng: random.Random, shard: Path) -> str:
    """Run `writer` and kill it; return how."""
    if writer == "ingest":
        delay = round(rng.uniform(0.3, 4.0), 2)
        process = subprocess.Popen(
            [sys.executable, "manage.py", "ingest", str(shard), "--verbosity", "0"],
            cwd=REPO,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            process.wait(timeout=delay)
            return f"(finished before {delay} s)"
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return f"after {delay} s"
    if writer == "update_index":
        _change_without_applying(environment, rng)
        point, on = rng.choice(INDEX_POINTS), rng.randint(1, 3)
    else:
        point = rng.choice(REBUILD_POINTS)
        on = rng.randint(1, 50) if point == "rebuild-document" else 1
    extra = {"CRASH_AT": point, "CRASH_ON": str(on), "APPLY_BATCH": "5"}
    done = subprocess.run(
        [sys.executable, str(DRIVER), writer, "--verbosity=0"],
        cwd=REPO,
        env={**environment, **extra},
        capture_output=True,
        text=True,
        timeout=600,
    )
    outcome = "killed" if done.returncode == -signal.SIGKILL else f"exit {done.returncode}"
    return f"at {point} #{on} ({outcome})"


def _change_without_applying(environment: dict, rng: random.Random) -> None:
    """Edit, re-tag and delete a few articles with the index left behind (changes logged)."""
    script = f"""
import random, django; django.setup()
from django.db import IntegrityError, transaction
from archive.models import Article, Country
from tests import factories
rng = random.Random({rng.randrange(10**6)})
ids = list(Article.objects.values_list("pk", flat=True))
for pk in rng.sample(ids, min(12, len(ids))):
    article = Article.objects.get(pk=pk)
    article.title = article.title + " (edited)"
    article.save()
for pk in rng.sample(ids, min(3, len(ids))):
    try:
        with transaction.atomic():
            factories.tag(Article.objects.get(pk=pk), Country.objects.order_by("?").first())
    except IntegrityError:
        pass  # the article had that country already

Article.objects.filter(pk__in=rng.sample(ids, min(2, len(ids)))).delete()
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**environment, "SEARCH_SYNC_ON_COMMIT": "0"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise SystemExit(f"Changing articles failed:\n{done.stderr}")


def _search(base_url: str, rng: random.Random) -> int:
    word = rng.choice(["police", "raid", "court", "casino", "border"])
    try:
        with urllib.request.urlopen(f"{base_url}/?q={word}", timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_level(base_url: str) -> tuple[bool, dict]:
    """Wait for the served index to match the database; searches on meanwhile (a worker checks
    for a lagging index at most every few seconds)."""
    deadline = time.monotonic() + LEVEL_DEADLINE_SECONDS
    while True:
        remaining = _what_is_off()
        if not any(remaining.values()) or time.monotonic() > deadline:
            return not any(remaining.values()), remaining
        time.sleep(1)
        _search(base_url, random.Random())


def _what_is_off() -> dict:
    from django.db import connections

    from search.backends import get_backend
    from search.management.commands.check_index import find_drift_and_pending

    backend = get_backend()
    try:
        drift, pending = find_drift_and_pending()
    finally:
        connections.close_all()
    counts = Counter(
        int(fields["id"])
        for fields in backend._searcher_now()[0].reader().all_stored_fields()
        if fields.get("id", "").isdigit()
    )
    return {
        **{name: len(ids) for name, ids in drift.items()},
        "indexed_twice": sum(1 for count in counts.values() if count > 1),
        "unapplied": len(pending),
    }


def _environment(database: str, workdir: Path) -> dict:
    import secrets

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database,
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "VAR_DIR": str(workdir / "var"),
        "RATE_LIMIT_ENABLED": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
    }


def _configure_here(environment: dict) -> None:
    os.environ.update(environment)
    import django

    django.setup()


def _manage(environment: dict, *arguments: str, check: bool = True):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=check,
        timeout=900,
    )


def _recreate_postgres(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("archive_crash"):
        raise SystemExit(f"--database must name a database called archive_crash..., not {name!r}")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
