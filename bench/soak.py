"""The concurrency soak: searches, curators' edits and an ingest at once, then a check for drift.

    python bench/soak.py [--minutes 3] [--short] [--database URL | --sqlite] [--out FOLDER]

`make soak` runs it for 3 minutes on 3,000 articles; `make soak-short` (CI) for 45 seconds on
800. On a throwaway archive (PostgreSQL database `archive_soak`, dropped at the start and at the
end; only names starting with archive_soak are ever dropped) it:

 1. writes a generated corpus (bench/corpus.py), migrates, ingests it with `manage.py ingest`,
    builds the index with `rebuild_index` and adds 4 curators to the curator group;
 2. serves the archive with gunicorn, 4 workers, production settings (bench/http_load.serve;
    the index follows each commit, SEARCH_SYNC_ON_COMMIT=1; rate limiting off, since 20 clients
    on one address would be throttled);
 3. for the duration, at once: 20 researchers (search page, API, article pages, feeds, small
    exports: queries from the index's own vocabulary, bench/mix.py); 4 curators who log in to
    admin and, each on its own share of the articles, change titles and tags through the
    article form and decide proposals in the review queue; `manage.py ingest` of new articles
    in a few batches (bench/soak_clients.py);
 4. lets the index settle (`update_index`), runs `check_index`, and checks each curator's last
    save against the database (a lost update) and against the served search: its marker word
    finds exactly that article, with its title and tags (drift); and the index holds every
    article exactly once (bench/soak_checks.py).

Every 5xx, connection error, timeout, unexpected status, form sent back with errors, failed
ingest or error in the server's log is an error. The result is printed and written to
bench/results/soak-<time>/soak.json and soak.md; the exit status is 1 when there was any error
or drift, 0 otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.soak_checks import (  # noqa: E402
    ArticleState,
    IndexView,
    Tally,
    check_index_counts,
    compare_articles,
    compare_counts,
    missing_choices,
    server_faults,
    with_broader_crime_types,
)

RESULTS_DIR = REPO / "bench" / "results"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/archive_soak"
# The soak drops and creates its database: only names starting with this are accepted, since
# dropping is only safe for a database that exists for the soak.
SOAK_DATABASE = "archive_soak"
CURATOR_NAME = "soak-curator-{number}"
TAG_FACETS = ("country", "ministry", "crime_type")
# The search mix the researchers draw from (bench/mix.py); repeats are fine in a soak.
MIX_SIZE = 300
# Threads that check the curators' articles through the served search afterwards.
CHECK_THREADS = 4
PROGRESS_SECONDS = 10
# Detail rows kept in the report (counts are always complete).
SHOWN_PROBLEMS = 20
# The throw-away archive's key: fresh for every run, shared by the commands and the server.
SECRET_KEY = secrets.token_urlsafe(50)
SHOWN_SLOWEST = 5
# Safety limits that only stop a hung run: a request has gunicorn's own timeout, an ingest
# batch of 1,000 articles takes seconds.
JOIN_TIMEOUT_SECONDS = 120
COMMAND_TIMEOUT_SECONDS = 900
# The bulk action starts this long into the load; the load goes on this long after it commits.
BULK_START_SECONDS = 3
BULK_AFTER_SECONDS = 12
# SQLite has one writer at a time: every other save and import waits for the bulk action, at
# most SQLITE_BUSY_SECONDS (30 s), so there it is held open for less.
SQLITE_BULK_HOLD_SECONDS = 15
BULK_SLUG = "soak-bulk-action"


@dataclass(frozen=True)
class Plan:
    """How big and how long a soak is."""

    seconds: float
    articles: int  # ingested before the load starts
    arrivals: int  # ingested while it runs
    batches: int  # the arrivals come in this many `manage.py ingest` runs
    searchers: int = 20
    curators: int = 4
    workers: int = 4  # gunicorn's
    seed: int = 7
    bulk_articles: int = 30  # tagged by the held-open bulk action, edited by no curator
    bulk_hold_seconds: float = 90


FULL = Plan(seconds=180, articles=3000, arrivals=1000, batches=4)
SHORT = Plan(seconds=45, articles=800, arrivals=300, batches=2, bulk_hold_seconds=70)


def plan_from(options: argparse.Namespace) -> Plan:
    """Return the mode's plan with the options given on the command line applied."""
    plan = SHORT if options.short else FULL
    changes = {
        "seconds": options.seconds or (options.minutes * 60 if options.minutes else None),
        "articles": options.articles,
        "arrivals": options.arrivals,
        "searchers": options.searchers,
        "curators": options.curators,
        "workers": options.workers,
        "seed": options.seed,
        "bulk_hold_seconds": options.bulk_hold,
    }
    plan = dataclasses.replace(plan, **{k: v for k, v in changes.items() if v is not None})
    if plan.curators < 1 or plan.searchers < 0 or plan.workers < 1 or plan.seconds <= 0:
        raise SystemExit("need at least one curator and worker, no negative searchers, a duration")
    return plan


def soak_database_name(url: str) -> str:
    """Return the PostgreSQL database a URL names; refuse any the soak may not drop."""
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(SOAK_DATABASE):
        raise ValueError(
            f"refusing to use database {name!r}: the soak drops its database, so its name must "
            f"start with {SOAK_DATABASE!r} (for example postgres://postgres@127.0.0.1:5432/"
            f"{SOAK_DATABASE})"
        )
    return name


def _postgres(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


def drop_database(url: str) -> None:
    _postgres(url, f'DROP DATABASE IF EXISTS "{soak_database_name(url)}" WITH (FORCE)')


def create_database(url: str) -> None:
    drop_database(url)
    _postgres(url, f'CREATE DATABASE "{soak_database_name(url)}"')


def soak_environment(database_url: str, workdir: Path) -> dict:
    """Return the environment of every process of the soak: production settings, this archive.

    As in production the index follows each commit (SEARCH_SYNC_ON_COMMIT=1). Rate limiting is
    off, since every client comes from one address; so is the redirect to HTTPS, since the
    server is reached over plain HTTP on the loopback.
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",  # with DEBUG on Django keeps every query in memory
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "VAR_DIR": str(workdir / "var"),
        "SEARCH_SYNC_ON_COMMIT": "1",
        "RATE_LIMIT_ENABLED": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def step(name: str) -> float:
    print(f"\n=== {name}", flush=True)
    return time.perf_counter()


def manage(environment: dict, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a manage.py command in its own process; raise with its output when it fails."""
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )
    if check and completed.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(arguments)} failed (exit {completed.returncode}):\n"
            f"{completed.stdout[-2000:]}{completed.stderr[-4000:]}"
        )
    return completed


# --- Setup ----------------------------------------------------------------------------------


def build_archive(plan: Plan, database_url: str, workdir: Path, environment: dict) -> dict:
    """Write both corpora, fill a fresh database with the first and index it; return figures.

    The second corpus (the arrivals) is split into one file per ingest batch.
    """
    from bench.corpus import write_corpus

    started = step(f"corpus: {plan.articles} articles, {plan.arrivals} more to arrive")
    corpus = write_corpus(workdir / "corpus", plan.articles, seed=plan.seed)
    arrivals = None
    if plan.arrivals:
        per_batch = math.ceil(plan.arrivals / max(plan.batches, 1))
        # Another seed: other texts, so every arrival is a new article, not a re-import.
        arrivals = write_corpus(
            workdir / "arrivals", plan.arrivals, seed=plan.seed + 1, per_file=per_batch
        )
    print(f"written in {time.perf_counter() - started:.0f}s")

    step("database: migrate, ingest, rebuild_index")
    if database_url.startswith("sqlite"):
        path = Path(urlsplit(database_url).path[1:])
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    else:
        create_database(database_url)
    seconds = {}
    # The index is built once afterwards, as a fresh deployment would.
    quiet = {**environment, "SEARCH_SYNC_ON_COMMIT": "0"}
    for name, command_environment, arguments in (
        ("migrate", environment, ("migrate", "--noinput", "--verbosity", "0")),
        ("ingest", quiet, ("ingest", str(workdir / "corpus"), "--no-progress", "--label", "soak")),
        ("rebuild_index", environment, ("rebuild_index", "--processes", str(os.cpu_count() or 1))),
    ):
        command_started = time.perf_counter()
        completed = manage(command_environment, *arguments)
        seconds[name] = round(time.perf_counter() - command_started, 1)
        if name == "ingest":
            print(completed.stdout.strip().splitlines()[0])
    print(", ".join(f"{name} {value}s" for name, value in seconds.items()))
    return {"corpus": corpus, "arrivals": arrivals, "seconds": seconds}


def add_curators(count: int) -> list[tuple[str, str]]:
    """Create `count` staff users in the curator group; return their (username, password)."""
    from django.contrib.auth.models import Group, User

    from archive.permissions import CURATOR_GROUP

    group = Group.objects.get(name=CURATOR_GROUP)
    accounts = []
    for number in range(1, count + 1):
        username, password = CURATOR_NAME.format(number=number), secrets.token_urlsafe(18)
        user = User.objects.create_user(username, password=password, is_staff=True)
        user.groups.add(group)
        accounts.append((username, password))
    return accounts


def search_picker(index_dir: Path, article_ids: list[int], seed: int):
    """Return the researchers' request picker, its queries drawn from the index's vocabulary."""
    from bench.mix import query_mix, taxonomy_from_db
    from bench.soak_clients import SearchPicker

    mix = query_mix(index_dir=index_dir, taxonomy=taxonomy_from_db(), seed=seed, size=MIX_SIZE)
    queries = [entry.path.partition("?")[2] for entry in mix]
    small = [entry.path.partition("?")[2] for entry in mix if entry.kind == "rare word"]
    return SearchPicker(search_queries=queries, small_queries=small, article_ids=article_ids)


# --- The load -------------------------------------------------------------------------------


def run_load(
    plan: Plan,
    server,
    *,
    picker,
    accounts,
    article_ids,
    bulk_ids,
    bulk_entry_id,
    bulk_hold_seconds,
    arrivals,
    environment,
) -> dict:
    """Run researchers, curators, the ingest and the bulk action for plan.seconds, and on
    until the bulk action has committed; return what they did."""
    from bench.soak_clients import BulkActionRunner, Curator, IngestRunner, search_client

    tally, stop = Tally(), threading.Event()
    curators = [
        Curator(
            server.base_url,
            username=username,
            password=password,
            article_ids=[pk for pk in article_ids if pk % plan.curators == number],
            owns=lambda pk, number=number: pk % plan.curators == number,
            tally=tally,
            seed=plan.seed * 100 + number,
            leave_alone={"crime_type": {bulk_entry_id}},
        )
        for number, (username, password) in enumerate(accounts)
    ]
    ingest = IngestRunner(arrivals, environment=environment, tally=tally)
    bulk = BulkActionRunner(
        bulk_ids,
        hold_seconds=bulk_hold_seconds,
        username=accounts[0][0],
        slug=BULK_SLUG,
        environment=environment,
        tally=tally,
    )
    bulk_thread = threading.Thread(
        target=bulk.run,
        kwargs={"start_after": BULK_START_SECONDS},
        name="bulk action",
        daemon=True,
    )
    threads = [
        threading.Thread(
            target=search_client,
            args=(server.base_url, picker, tally, stop),
            kwargs={"seed": plan.seed * 1000 + number},
            name=f"searcher-{number}",
            daemon=True,
        )
        for number in range(plan.searchers)
    ]
    threads += [
        threading.Thread(target=curator.run, args=(stop,), name=curator.username, daemon=True)
        for curator in curators
    ]
    ingest_thread = threading.Thread(
        target=ingest.run,
        args=(stop,),
        # Batches spread over the run: the first after 1/(n+1) of it, and so on.
        kwargs={"every_seconds": plan.seconds / (len(arrivals) + 1)},
        name="ingest",
        daemon=True,
    )
    started = time.perf_counter()
    deadline = started + plan.seconds
    for thread in [*threads, ingest_thread, bulk_thread]:
        thread.start()
    while (remaining := deadline - time.perf_counter()) > 0:
        stop.wait(min(PROGRESS_SECONDS, remaining))
        if bulk_thread.is_alive() and time.perf_counter() - started < COMMAND_TIMEOUT_SECONDS:
            deadline = max(deadline, time.perf_counter() + BULK_AFTER_SECONDS)
        print(
            f"  {time.perf_counter() - started:4.0f}s  {tally.requests} requests, "
            f"{tally.errors} errors, {sum(c.edits for c in curators)} saves, "
            f"{ingest.created} ingested",
            flush=True,
        )
    stop.set()
    load_seconds = time.perf_counter() - started
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
    ingest_thread.join(COMMAND_TIMEOUT_SECONDS)
    bulk_thread.join(JOIN_TIMEOUT_SECONDS)
    stuck = [thread.name for thread in [*threads, ingest_thread, bulk_thread] if thread.is_alive()]
    for name in stuck:
        tally.fault("soak", f"{name} did not stop within its time limit")
    if len(ingest.runs) < len(arrivals):
        tally.fault("ingest", f"{len(ingest.runs)} of {len(arrivals)} batches ran")
    summary = tally.summary()
    return {
        "seconds": round(load_seconds, 1),
        "requests": summary,
        "requests_per_second": round(summary["requests"] / load_seconds, 1),
        "curators": curators,
        "ingest": ingest,
        "bulk": bulk,
        "tally": tally,
    }


# --- Afterwards -----------------------------------------------------------------------------


def settle_and_check_index(environment: dict) -> dict:
    """Apply what the log still holds, then run check_index; return its verdict."""
    manage(environment, "update_index")
    completed = manage(environment, "check_index", check=False)
    output = (completed.stdout + completed.stderr).strip()
    counts = check_index_counts(output)
    drifted = sum(counts.values()) if counts else 0
    if completed.returncode != 0 and not drifted:
        drifted = 1  # it failed without saying how much drifted: count the failure itself
    return {
        "exit_status": completed.returncode,
        "counts": counts,
        "drift": drifted,
        "output": output,
    }


def check_bulk_action(base_url: str, bulk_ids: list[int], bulk) -> list[str]:
    """Return what is off with the bulk action: its tag must be on exactly its articles, in
    the database and in the served search."""
    from archive.models import ArticleCrimeType
    from bench.soak_clients import Browser

    if not bulk.outcome:
        return ["the bulk action did not finish (see the errors)"]
    wanted = set(bulk_ids)
    stored = set(
        ArticleCrimeType.objects.filter(crime_type__slug=BULK_SLUG).values_list(
            "article_id", flat=True
        )
    )
    browser = Browser(base_url)
    try:
        query = urlencode({"crime_type": BULK_SLUG, "page_size": 100})
        response = browser.get(f"/api/v1/search?{query}")
    finally:
        browser.close()
    served = {result["id"] for result in json.loads(response.body)["results"]}
    problems = []
    if stored != wanted:
        problems.append(f"bulk action: the database tags {sorted(stored ^ wanted)} wrongly")
    if served != wanted:
        problems.append(
            f"bulk action: the served search misses {sorted(wanted - served)} and has "
            f"{sorted(served - wanted)} extra"
        )
    return problems


def database_states(article_ids) -> dict[int, ArticleState]:
    """Return the title and live tags the database holds for each article."""
    from archive.models import TAG_KINDS, Article

    states = {}
    for article in Article.objects.filter(pk__in=list(article_ids)).prefetch_related(
        *(kind.related_name for kind in TAG_KINDS.values())
    ):
        tags = {
            key: frozenset(
                getattr(tag, f"{kind.target_field}_id")
                for tag in getattr(article, kind.related_name).all()
                if tag.status != "rejected"
            )
            for key, kind in TAG_KINDS.items()
        }
        states[article.pk] = ArticleState(article.title, tags)
    return states


def served_view(base_url: str, marker: str, facet_ids: dict[str, dict[str, int]]) -> IndexView:
    """Return what the served search answers for a marker word: the hits and, from the index's
    facet counts, their tags."""
    from bench.soak_clients import Browser

    browser = Browser(base_url)
    try:
        query = urlencode({"q": marker, "mentions": "1", "page_size": 10})
        response = browser.get(f"/api/v1/search?{query}")
    finally:
        browser.close()
    if response.status != 200:
        raise RuntimeError(f"the search for {marker} answered HTTP {response.status}")
    data = json.loads(response.body)
    tags = {
        facet: frozenset(
            facet_ids[facet][item["value"]]
            for item in data["facets"].get(facet, [])
            if item["count"] > 0
        )
        for facet in TAG_FACETS
    }
    return IndexView(found=tuple(result["id"] for result in data["results"]), tags=tags)


def index_counts(base_url: str) -> dict:
    """Return the articles in the database, and the index's totals seen three ways."""
    from archive.models import Article
    from bench.soak_clients import Browser
    from search.backends import get_backend
    from search.backends.base import SearchRequest

    browser = Browser(base_url)
    try:
        served = json.loads(browser.get("/api/v1/search?page_size=1&count=reports").body)["total"]
    finally:
        browser.close()
    backend = get_backend()
    documents = backend.search(SearchRequest(page_size=0), texts_of=lambda ids: {}).total
    return {
        "database": Article.objects.count(),
        "served_total": served,
        "unique_ids": len(backend.stamps()),
        "documents": documents,
    }


def check_drift(base_url: str, curators) -> dict:
    """Compare the curators' last saves with the database and the served index, and look for
    the markers of earlier saves (an index entry that kept an old title)."""
    from bench.mix import taxonomy_from_db

    intended: dict[int, ArticleState] = {}
    markers: dict[int, str] = {}
    replaced_markers: list[str] = []
    for curator in curators:
        for pk, state in curator.intended.items():
            if pk in curator.uncertain:
                continue  # a save without an answer: its outcome is unknown
            intended[pk] = state
            *earlier, markers[pk] = curator.markers[pk]
            replaced_markers += earlier
    taxonomy = taxonomy_from_db()
    facet_ids = {
        facet: {value: int(pk) for pk, value in taxonomy[facet].items()} for facet in TAG_FACETS
    }

    def view(marker: str) -> IndexView:
        return served_view(base_url, marker, facet_ids)

    with ThreadPoolExecutor(CHECK_THREADS) as pool:
        views = dict(zip(markers, pool.map(view, markers.values()), strict=True))
        replaced = {
            marker: answer.found
            for marker, answer in zip(
                replaced_markers, pool.map(view, replaced_markers), strict=True
            )
        }
    from archive.models import CrimeType

    problems = compare_articles(
        intended,
        database=database_states(intended),
        index=views,
        replaced=replaced,
        counted_as=with_broader_crime_types(dict(CrimeType.objects.values_list("pk", "parent_id"))),
    )
    counts = index_counts(base_url)
    problems += compare_counts(**counts)
    return {
        "articles_checked": len(intended),
        "replaced_markers_checked": len(replaced),
        "counts": counts,
        "problems": problems,
    }


def choice_findings(curators) -> list[str]:
    """Return what curators could not choose: taxonomy entries the admin's tag autocomplete
    never offered while paging through it, and entries it offered twice.

    Each counts as an error: an admin page that hides or repeats choices under load is a defect
    (the paging once ran over an unordered query and did both).
    """
    from archive.models import TAG_KINDS

    existing = {
        key: list(kind.taxonomy.objects.values_list("pk", flat=True))
        for key, kind in TAG_KINDS.items()
    }
    findings = []
    for curator in curators:
        if not curator.options:
            continue  # never logged in: counted as an error already
        missing = missing_choices(curator.options, existing)
        if missing or curator.repeated_options:
            shown = "; ".join(
                f"{len(ids)} of {len(existing[kind])} {kind} entries never offered"
                for kind, ids in missing.items()
            )
            findings.append(
                f"{curator.username}: the tag autocomplete's pages offered "
                f"{curator.repeated_options} entries twice; {shown or 'none missing'}"
            )
    return findings


# --- Report ---------------------------------------------------------------------------------


def render_markdown(result: dict) -> str:
    """Return the soak's report: the verdict, the requests by kind, curators, ingest, drift.

    Times "from N s" count from the start of the load.
    """
    requests = result["requests"]
    drift = result["drift"]
    plan = result["plan"]
    lines = [
        f"# Concurrency soak ({result['mode']}, {result['database']})",
        "",
        f"**{'PASSED' if result['passed'] else 'FAILED'}**: {requests['requests']} requests, "
        f"{result['errors']} errors, drift {drift['count']}.",
        "",
        f"{result['started']} to {result['finished']}; load for {result['load_seconds']} s "
        f"({result['requests_per_second']} requests/s) against gunicorn with {plan['workers']} "
        f"workers: {plan['searchers']} researchers, {plan['curators']} curators, "
        f"{len(result['ingest']['runs'])} ingest runs. Setup {result['setup_seconds']} s, "
        f"checks {result['check_seconds']} s. Latencies are as the soak's clients saw them, "
        "sharing the machine's cores with the server.",
        "",
        "| Kind | Requests | Errors | Statuses | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for kind, figures in requests["kinds"].items():
        statuses = ", ".join(f"{status}: {count}" for status, count in figures["statuses"].items())
        lines.append(
            f"| {kind} | {figures['requests']} | {figures['errors']} | {statuses} | "
            f"{_shown(figures['p50_ms'])} | {_shown(figures['p95_ms'])} | "
            f"{_shown(figures['max_ms'])} |"
        )
    curators = result["curators"]
    ingest = result["ingest"]
    check_line = (drift["check_index"]["output"].splitlines() or ["no output"])[0]
    runs = "; ".join(
        f"exit {run['exit_status']}, {run.get('seconds')} s from {run.get('started_at_s')} s"
        for run in ingest["runs"]
    )
    slowest = "; ".join(
        f"{entry['kind']} {entry['ms']:,} ms from {entry['sent_at_s']} s"
        for entry in requests.get("slowest", [])[:SHOWN_SLOWEST]
    )
    lines += [
        "",
        f"Curators: {curators['edits']} saves of {curators['articles_edited']} articles, "
        f"{curators['decisions']} review decisions.",
        f"Ingest during the load: {ingest['created']} of {ingest['planned']} articles created "
        f"in {len(ingest['runs'])} runs ({runs or 'none'}).",
        f"Slowest requests: {slowest or 'none'}.",
        _bulk_line(result.get("bulk_action", {})),
        "",
        f"Drift: {drift['count']}. check_index: {check_line} (exit "
        f"{drift['check_index']['exit_status']}); {drift['articles_checked']} edited articles "
        f"checked by their marker word, {drift.get('replaced_markers_checked', 0)} replaced "
        f"markers; counts {drift['counts']}.",
    ]
    for problem in drift["problems"][:SHOWN_PROBLEMS]:
        if isinstance(problem, str):  # said in words (the bulk action's check)
            lines.append(f"- {problem}")
            continue
        lines.append(
            f"- #{problem['article']} {problem['kind']}: expected "
            f"{problem['expected']!r}, found {problem['found']!r}"
        )
    if result["findings"]:
        lines += ["", "Tag choices the admin hid or repeated (counted as errors):", ""]
        lines += [f"- {finding}" for finding in result["findings"]]
    if requests["error_samples"] or result["server_faults"]:
        lines += ["", "First errors:", ""]
        lines += [f"- {sample}" for sample in requests["error_samples"]]
        lines += [f"- server log: {line}" for line in result["server_faults"][:SHOWN_PROBLEMS]]
    return "\n".join(lines) + "\n"


def _bulk_line(bulk: dict) -> str:
    if "open_seconds" not in bulk:
        return "Bulk action: did not finish."
    meanwhile = bulk.get("last_change_id_committed_meanwhile") or 0
    overtaken = meanwhile > (bulk.get("first_change_id") or 0)
    return (
        f"Bulk action: tagged {bulk['tagged']} articles in one transaction open for "
        f"{bulk['open_seconds']} s; its first log id {bulk['first_change_id']}, the highest "
        f"committed meanwhile {meanwhile} ("
        + ("later ids committed before it" if overtaken else "no later id committed before it")
        + ")."
    )


def _shown(value) -> str:
    return "-" if value is None else f"{value:,.0f}"


def write_results(result: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "soak.json").write_text(json.dumps(result, indent=2, default=str))
    (folder / "soak.md").write_text(render_markdown(result))


# --- Main -----------------------------------------------------------------------------------


def soak(plan: Plan, *, database_url: str, workdir: Path, mode: str) -> dict:
    """Run the whole soak in `workdir` and return the result (see render_markdown)."""
    from bench.http_load import serve

    started_at = dt.datetime.now().isoformat(timespec="seconds")
    setup_started = time.perf_counter()
    index_dir = workdir / "index"
    environment = soak_environment(database_url, workdir)
    built = build_archive(plan, database_url, workdir, environment)
    # This process reads the same archive (accounts, ids, the index's vocabulary, the checks),
    # and serve() passes its environment on to gunicorn.
    os.environ.update(environment)
    import django

    django.setup()
    from archive.models import Article

    accounts = add_curators(plan.curators)
    # The bulk action's tag exists before the load: the curators' tag choices are checked
    # against the taxonomy at the end, and an entry added midway was never offered to them.
    # Offered, the curators never add it: its articles are checked to be the bulk action's.
    from archive.models import CrimeType
    from bench.soak_bulk_action import ENTRY_NAME

    bulk_entry, _ = CrimeType.objects.get_or_create(slug=BULK_SLUG, defaults={"name": ENTRY_NAME})
    article_ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    # The bulk action's articles are the curators' none: two writers on one article wait on
    # each other's row lock, which is not what this measures.
    bulk_ids, article_ids = article_ids[: plan.bulk_articles], article_ids[plan.bulk_articles :]
    sqlite = database_url.startswith("sqlite")
    bulk_hold = (
        min(plan.bulk_hold_seconds, SQLITE_BULK_HOLD_SECONDS)
        if sqlite
        else (plan.bulk_hold_seconds)
    )
    picker = search_picker(index_dir, article_ids, plan.seed)
    arrivals = sorted((workdir / "arrivals").glob("*.jsonl")) if plan.arrivals else []

    step(f"gunicorn, {plan.workers} workers")
    with serve(
        database_url=database_url,
        index_dir=index_dir,
        workers=plan.workers,
        env=environment,
        workdir=workdir / "server",
    ) as server:
        setup_seconds = time.perf_counter() - setup_started
        step(
            f"load for {plan.seconds:.0f}s: {plan.searchers} researchers, {plan.curators} "
            f"curators, {len(arrivals)} ingest runs"
        )
        load = run_load(
            plan,
            server,
            picker=picker,
            accounts=accounts,
            article_ids=article_ids,
            bulk_ids=bulk_ids,
            bulk_entry_id=bulk_entry.pk,
            bulk_hold_seconds=bulk_hold,
            arrivals=arrivals,
            environment=environment,
        )
        checks_started = step("settle, check_index, compare")
        check_index = settle_and_check_index(environment)
        drift = check_drift(server.base_url, load["curators"])
        drift["problems"] += check_bulk_action(server.base_url, bulk_ids, load["bulk"])
        check_seconds = time.perf_counter() - checks_started
    faults = server_faults(server.log.read_text(errors="replace").splitlines())
    curators = load["curators"]
    findings = choice_findings(curators)
    drift_count = check_index["drift"] + len(drift["problems"])
    errors = load["tally"].errors + len(faults) + len(findings)
    return {
        "mode": mode,
        "database": "sqlite" if database_url.startswith("sqlite") else "postgresql",
        "started": started_at,
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "plan": dataclasses.asdict(plan),
        "setup": built,
        "setup_seconds": round(setup_seconds, 1),
        "load_seconds": load["seconds"],
        "check_seconds": round(check_seconds, 1),
        "requests": load["requests"],
        "requests_per_second": load["requests_per_second"],
        "curators": {
            "edits": sum(curator.edits for curator in curators),
            "articles_edited": sum(len(curator.intended) for curator in curators),
            "decisions": sum(curator.decisions for curator in curators),
            "uncertain": sorted(pk for curator in curators for pk in curator.uncertain),
            "per_curator": {
                curator.username: {
                    "edits": curator.edits,
                    "decisions": curator.decisions,
                    "options": {kind: len(ids) for kind, ids in curator.options.items()},
                    "last_changes": curator.changes[-5:],
                }
                for curator in curators
            },
        },
        "bulk_action": {
            "articles": len(bulk_ids),
            "hold_seconds": bulk_hold,
            **load["bulk"].outcome,
        },
        "ingest": {
            "planned": plan.arrivals,
            "created": load["ingest"].created,
            "runs": load["ingest"].runs,
        },
        "drift": {
            "count": drift_count,
            "check_index": check_index,
            "articles_checked": drift["articles_checked"],
            "replaced_markers_checked": drift["replaced_markers_checked"],
            "counts": drift["counts"],
            "problems": drift["problems"][:SHOWN_PROBLEMS],
            "problem_total": len(drift["problems"]),
        },
        "findings": findings,
        "server_faults": faults[:SHOWN_PROBLEMS],
        "server_fault_total": len(faults),
        "errors": errors,
        "passed": errors == 0 and drift_count == 0,
    }


def print_summary(result: dict) -> None:
    print()
    print(render_markdown(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="the CI mode: 45 s on 800 articles")
    parser.add_argument("--minutes", type=float, help="how long the load runs (default 3)")
    parser.add_argument("--seconds", type=float, help="the same in seconds (overrides --minutes)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help=f"a PostgreSQL URL whose database name starts with {SOAK_DATABASE} "
        "(dropped and created)",
    )
    where.add_argument("--sqlite", action="store_true", help="a SQLite file in the workdir")
    parser.add_argument("--articles", type=int, help="articles before the load")
    parser.add_argument("--arrivals", type=int, help="articles ingested during the load")
    parser.add_argument("--searchers", type=int, help="concurrent researchers (20)")
    parser.add_argument("--curators", type=int, help="concurrent curators (4)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (4)")
    parser.add_argument("--seed", type=int)
    parser.add_argument(
        "--bulk-hold", type=float, help="seconds the bulk action's transaction stays open (90)"
    )
    parser.add_argument(
        "--out", type=Path, help="report folder (default bench/results/soak-<time>)"
    )
    parser.add_argument("--workdir", type=Path, help="keep the corpus, index and logs here")
    parser.add_argument("--keep", action="store_true", help="leave the database behind")
    options = parser.parse_args(argv)
    plan = plan_from(options)
    out = options.out or RESULTS_DIR / f"soak-{dt.datetime.now():%Y%m%dT%H%M%S}"
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="archive-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = (
        f"sqlite:///{workdir.resolve() / 'archive.sqlite3'}" if options.sqlite else options.database
    )
    if not options.sqlite:
        soak_database_name(database_url)  # refuse before anything is written
    mode = "short" if options.short else "full"
    passed = False
    try:
        result = soak(plan, database_url=database_url, workdir=workdir, mode=mode)
        write_results(result, out)
        print_summary(result)
        print(f"Written to {out}")
        passed = result["passed"]
    finally:
        if not options.sqlite and not options.keep:
            drop_database(database_url)
        if options.workdir is None and passed:
            shutil.rmtree(workdir, ignore_errors=True)
        elif options.workdir is None:
            print(f"The corpus, index and gunicorn's log are kept in {workdir}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
