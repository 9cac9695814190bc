"""HTTP latency under gunicorn, index-sync delay under load, and the workers' memory.

    python bench/http_load.py [--articles 3000] [--requests 200] [--samples 20] [--database URL]

The functions are the harness's parts; `main` strings them together on a throwaway archive for a
quick standalone run (results in bench/results/http_load.json).

- `serve(...)` runs the archive as production does (gunicorn, sync workers, config/gunicorn.conf.py,
  DEBUG off, static files collected) on a free local port, and always stops it.
- `run_load(base_url, paths, concurrency=...)` requests every path once and times each request
  from sending it to reading the last byte of its body.
- `worker_memory(master_pid)` reads each worker's resident (RSS) and proportional (PSS) memory.
- `sync_delay(base_url, ...)` edits an article in this process, as an admin would, while other
  clients load the server, and times how long the edit takes to become findable over HTTP.

Percentiles are nearest-rank: the p-th percentile of n values is the value at rank ceil(p/100*n)
in ascending order (rank 1 for p = 0), so it is always one of the measured values, never an
interpolation between two.

Fairness: every path is requested once per `run_load` call, in the order given; nothing here
repeats a path, so no cache of any kind (Whoosh's, the database's, the operating system's) gets a
second, cheaper look at the same request during a measured pass. Give each pass its own paths.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import logging
import math
import os
import random
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "http_load.json"
HEALTH_PATH = "/healthz"  # config/urls.py: answers 200 once the database answers
SEARCH_API_PATH = "/api/v1/search"
GUNICORN_CONFIG = "config/gunicorn.conf.py"  # the production settings (workers, timeouts, logs)
# gunicorn's own worker timeout is 30 s; a request slower than that has failed anyway.
REQUEST_TIMEOUT_SECONDS = 30.0
STARTUP_TIMEOUT_SECONDS = 60.0
# SIGTERM lets gunicorn finish requests in flight; after this long the process group is killed.
STOP_TIMEOUT_SECONDS = 15.0
# Failed requests whose reason is kept in a run_load result (the count is always complete).
ERROR_SAMPLES = 10
LOG_TAIL_LINES = 30
SAMPLE_KINDS = ("word", "word + country", "word + years", "newest first", "api")

logger = logging.getLogger(__name__)


# --- Statistics -----------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Return the nearest-rank p-th percentile (0 <= p <= 100) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of no values: measure at least one request first")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(latencies_ms: Sequence[float]) -> dict:
    """Return p50, p95, p99, mean and max of some latencies (all None when there are none)."""
    if not latencies_ms:
        return dict.fromkeys(("p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms"))
    return {
        "p50_ms": round(percentile(latencies_ms, 50), 2),
        "p95_ms": round(percentile(latencies_ms, 95), 2),
        "p99_ms": round(percentile(latencies_ms, 99), 2),
        "mean_ms": round(sum(latencies_ms) / len(latencies_ms), 2),
        "max_ms": round(max(latencies_ms), 2),
    }


def summarize_by_kind(result: dict, kinds: Sequence[str]) -> dict[str, dict]:
    """Split a run_load result by each path's kind (`kinds[i]` labels the i-th measured path).

    Returns {kind: {"requests", "errors", "p50_ms", ...}}; failed requests count as errors of
    their kind and take no part in its percentiles.
    """
    latencies = result["latencies_ms"]
    if len(kinds) != len(latencies):
        raise ValueError(
            f"{len(kinds)} kinds for {len(latencies)} measured requests: label exactly the "
            "measured paths (the ones after the warmup)"
        )
    grouped: dict[str, list[float | None]] = {}
    for kind, latency in zip(kinds, latencies, strict=True):
        grouped.setdefault(kind, []).append(latency)
    summaries = {}
    for kind, values in grouped.items():
        answered = [value for value in values if value is not None]
        summaries[kind] = {
            "requests": len(values),
            "errors": len(values) - len(answered),
            **summarize(answered),
        }
    return summaries


# --- The client -----------------------------------------------------------------------------


class _Client:
    """One keep-alive connection, re-opened whenever the server closes it.

    gunicorn's sync workers close the connection after every response, so each request pays for
    a TCP connect to localhost, as it would behind a proxy that does not pool connections.
    """

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"base_url must look like http://127.0.0.1:8000, not {base_url!r}")
        self.prefix = parts.path.rstrip("/")
        self.connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=REQUEST_TIMEOUT_SECONDS
        )

    def get(self, path: str) -> tuple[int, bytes, float]:
        """Return the status, body and seconds from sending the request to the body's end."""
        reused = self.connection.sock is not None
        started = time.perf_counter()
        try:
            self.connection.request("GET", self.prefix + path)
            response = self.connection.getresponse()
            body = response.read()
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            self.connection.close()
            if not reused:
                raise
            # The server dropped an idle keep-alive connection: not a failure of this request.
            return self.get(path)
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        return response.status, body, time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()


def _request_all(base_url: str, paths: Sequence[str], concurrency: int):
    """Request each path once over `concurrency` threads; return latencies, failures, seconds."""
    latencies_ms: list[float | None] = [None] * len(paths)
    failures: list[str] = []
    counter = itertools.count()
    lock = threading.Lock()

    def work() -> None:
        client = _Client(base_url)
        try:
            while True:
                with lock:
                    index = next(counter)
                if index >= len(paths):
                    return
                path = paths[index]
                try:
                    status, _body, seconds = client.get(path)
                except (OSError, http.client.HTTPException) as error:
                    failures.append(f"{path}: {type(error).__name__}: {error}")
                    continue
                if status == 200:
                    latencies_ms[index] = seconds * 1000
                else:
                    failures.append(f"{path}: HTTP {status}")
        finally:
            client.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies_ms, failures, time.perf_counter() - started


def run_load(base_url: str, paths: list[str], *, concurrency: int, warmup: int = 0) -> dict:
    """Request every path once over `concurrency` threads and time each request.

    The first `warmup` paths are requested first, at the same concurrency, and left out of the
    figures (they let each worker open the index and fill its caches without any path being
    requested twice). The rest are measured, handed to the threads in the order given.

    Returns {"requests", "errors", "concurrency", "p50_ms", "p95_ms", "p99_ms", "mean_ms",
    "max_ms", "requests_per_second", "wall_seconds", "latencies_ms", "error_samples"}.
    `latencies_ms` follows the measured paths' order, None where a request failed (an exception
    or a status other than 200); failed requests count in "errors" and not in the percentiles.
    requests_per_second is successful requests over the pass's wall-clock time.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    if not 0 <= warmup <= len(paths):
        raise ValueError(f"warmup must be between 0 and the {len(paths)} paths, got {warmup}")
    if warmup:
        _request_all(base_url, paths[:warmup], concurrency)
    measured = paths[warmup:]
    latencies_ms, failures, seconds = _request_all(base_url, measured, concurrency)
    answered = [latency for latency in latencies_ms if latency is not None]
    return {
        "requests": len(measured),
        "errors": len(failures),
        "concurrency": concurrency,
        **summarize(answered),
        "requests_per_second": round(len(answered) / seconds, 1) if seconds else None,
        "wall_seconds": round(seconds, 3),
        "latencies_ms": [None if value is None else round(value, 3) for value in latencies_ms],
        "error_samples": failures[:ERROR_SAMPLES],
    }


# --- The server -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    base_url: str
    pid: int  # gunicorn's master; its children are the workers
    log: Path  # gunicorn's stdout and stderr: access log, worker boots, tracebacks

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """Return the last lines of gunicorn's log."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(
    *,
    database_url: str,
    index_dir: Path,
    workers: int = 2,
    port: int | None = None,
    env: dict | None = None,
    workdir: Path | None = None,
) -> Iterator[Server]:
    """Run the archive under gunicorn on 127.0.0.1 until the block ends.

    Production's command and settings file (see scripts/start-web), with the bind address and
    worker count given here. Static files are collected first, as the Docker image does, since
    with DEBUG off pages name the collected, hashed files. `env` adds or overrides variables.
    gunicorn's output goes to gunicorn.log in `workdir`, which also holds the static files and
    gunicorn's control socket. Without a workdir a temporary folder is used, removed when the
    block ends cleanly and kept (its path logged) when gunicorn or the block failed.
    """
    owned = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="http-load-")) if owned else Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(workdir / "static"),
        # The load comes from one loopback client over plain HTTP: no per-client rate limits,
        # no redirect to HTTPS.
        "RATE_LIMIT_ENABLED": "0",
        "SECURE_SSL_REDIRECT": "0",
        **(env or {}),
    }
    _collect_static(environment)
    log = workdir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--config",
        GUNICORN_CONFIG,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        # Its own control socket: the default, one per user in ~/.gunicorn, would be shared
        # with (and removed by) any other gunicorn running meanwhile.
        "--control-socket",
        str(workdir / "gunicorn.ctl"),
    ]
    with open(log, "wb") as output:
        # A session of its own, so that stopping it reaches the workers and nothing else.
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(base_url=f"http://127.0.0.1:{port}", pid=process.pid, log=log)
    clean = False
    try:
        _wait_until_healthy(server, process)
        yield server
        clean = True
    finally:
        _stop(process)
        # A folder the caller gave is the caller's to clear.
        if owned and clean:
            shutil.rmtree(workdir, ignore_errors=True)
        elif owned:
            logger.warning("gunicorn's log is kept at %s", log)


def _collect_static(environment: dict) -> None:
    if (Path(environment["STATIC_ROOT"]) / "staticfiles.json").exists():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=REPO,
        env=environment,
        check=True,
    )


def _wait_until_healthy(server: Server, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    problem = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with status {process.returncode} before answering "
                f"{HEALTH_PATH}. Its log ({server.log}) ends:\n{server.log_tail()}"
            )
        client = _Client(server.base_url)
        try:
            status, body, _seconds = client.get(HEALTH_PATH)
            if status == 200:
                return
            problem = f"HTTP {status}: {body[:200].decode(errors='replace')}"
        except OSError as error:
            problem = f"{type(error).__name__}: {error}"
        finally:
            client.close()
        time.sleep(0.1)
    raise RuntimeError(
        f"gunicorn did not answer {HEALTH_PATH} with 200 within {STARTUP_TIMEOUT_SECONDS:.0f} s "
        f"(last: {problem}). Its log ({server.log}) ends:\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        logger.warning("gunicorn ignored SIGTERM for %.0f s; killing it", STOP_TIMEOUT_SECONDS)
        # The whole group (the session made at start: master and workers), while the master,
        # not yet reaped, still holds its id.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- Memory ---------------------------------------------------------------------------------


def worker_memory(master_pid: int) -> dict:
    """Return the resident (RSS) and proportional (PSS) memory of each child of master_pid, in MB.

    PSS shares pages used by several processes among them, so it is the fairer figure for
    workers forked from one master; it is None where /proc/<pid>/smaps_rollup is unreadable.
    Returns {"workers": [{"pid", "rss_mb", "pss_mb"}], "master_rss_mb", "max_rss_mb",
    "total_rss_mb", "max_pss_mb", "total_pss_mb"}.
    """
    workers = []
    for pid in _children(master_pid):
        rss = _read_kb(Path(f"/proc/{pid}/status"), "VmRSS:")
        if rss is None:
            continue  # exited meanwhile
        pss = _read_kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss:")
        workers.append(
            {
                "pid": pid,
                "rss_mb": round(rss / 1024, 1),
                "pss_mb": None if pss is None else round(pss / 1024, 1),
            }
        )
    master = _read_kb(Path(f"/proc/{master_pid}/status"), "VmRSS:")
    rss_values = [worker["rss_mb"] for worker in workers]
    pss_values = [worker["pss_mb"] for worker in workers if worker["pss_mb"] is not None]
    return {
        "workers": workers,
        "master_rss_mb": None if master is None else round(master / 1024, 1),
        "max_rss_mb": max(rss_values, default=None),
        "total_rss_mb": round(sum(rss_values), 1) if rss_values else None,
        "max_pss_mb": max(pss_values, default=None),
        "total_pss_mb": round(sum(pss_values), 1) if pss_values else None,
    }


def _children(parent_pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ...": the command may hold spaces and parentheses.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == parent_pid:
            children.append(int(entry.name))
    return sorted(children)


def _read_kb(path: Path, label: str) -> int | None:
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(label):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


# --- Index-sync delay -----------------------------------------------------------------------


class _BackgroundLoad:
    """Threads requesting load_paths round and round until stopped (unmeasured load)."""

    def __init__(self, base_url: str, paths: Sequence[str], concurrency: int):
        if not paths:
            raise ValueError("load_paths is empty: give the background load something to request")
        self.base_url, self.paths = base_url, list(paths)
        self.requests = self.errors = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, args=(number,), daemon=True)
            for number in range(concurrency)
        ]

    def _work(self, number: int) -> None:
        client = _Client(self.base_url)
        # Each thread starts elsewhere in the list so they do not all ask the same thing at once.
        offset = number * len(self.paths) // len(self._threads)
        try:
            for index in itertools.count(offset):
                if self._stop.is_set():
                    return
                try:
                    status, _body, _seconds = client.get(self.paths[index % len(self.paths)])
                    failed = status != 200
                except (OSError, http.client.HTTPException):
                    failed = True
                with self._lock:
                    self.requests += 1
                    self.errors += failed
        finally:
            client.close()

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join()


def sync_delay(
    base_url: str,
    *,
    samples: int = 20,
    load_paths: list[str],
    load_concurrency: int = 4,
    article_id: int | None = None,
    timeout_seconds: float = 30.0,
    poll_seconds: float = 0.02,
) -> dict:
    """Time how long an edited article takes to become findable through the served search.

    Django must be set up in this process for the database and index the server uses, with
    SEARCH_SYNC_ON_COMMIT on (bench/export_memory.py's `configure` does it). While threads
    load the server with load_paths, each sample puts a fresh made-up word in an article's
    title and saves it in a transaction, as an admin's edit would; this process then applies
    the change log to the index after the commit. The delay runs from the commit to the first
    answer of /api/v1/search?q=<word> that finds it, polled every poll_seconds. A sample not
    found within timeout_seconds counts as a timeout and enters the percentiles at
    timeout_seconds (a lower bound), so timeouts raise p95 instead of vanishing from it.
    The article's title is restored at the end.

    Returns {"samples", "timeouts", "p50_seconds", "p95_seconds", "max_seconds", "mean_seconds",
    "delays_seconds", "apply_p50_seconds", "article_id", "load": {"requests", "errors",
    "concurrency"}}; apply_p50_seconds is the median time from the commit to the save's return
    (the index update this process made in between).
    """
    from django.conf import settings

    from archive.models import Article

    if not settings.SEARCH_SYNC_ON_COMMIT:
        raise RuntimeError(
            "SEARCH_SYNC_ON_COMMIT is off in this process, so edits would wait for "
            "`update_index --watch`; set SEARCH_SYNC_ON_COMMIT=1 before setting up Django"
        )
    articles = Article.objects.order_by("pk")
    article = articles.get(pk=article_id) if article_id else articles.first()
    if article is None:
        raise RuntimeError("The archive has no article to edit; fill it before measuring.")
    original = article.title
    delays, applies, timeouts = [], [], 0
    with _BackgroundLoad(base_url, load_paths, load_concurrency) as load:
        client = _Client(base_url)
        try:
            for _ in range(samples):
                word = fresh_word()
                committed, returned = _save_title(article, _title_with(original, word))
                applies.append(returned - committed)
                found = _wait_until_found(client, word, committed + timeout_seconds, poll_seconds)
                if found is None:
                    timeouts += 1
                    delays.append(timeout_seconds)
                else:
                    delays.append(found - committed)
        finally:
            client.close()
            _save_title(article, original)
    return {
        "samples": samples,
        "timeouts": timeouts,
        "p50_seconds": round(percentile(delays, 50), 3),
        "p95_seconds": round(percentile(delays, 95), 3),
        "max_seconds": round(max(delays), 3),
        "mean_seconds": round(sum(delays) / len(delays), 3),
        "delays_seconds": [round(delay, 3) for delay in delays],
        "apply_p50_seconds": round(percentile(applies, 50), 3),
        "article_id": article.pk,
        "load": {"requests": load.requests, "errors": load.errors, "concurrency": load_concurrency},
    }


def fresh_word(length: int = 14) -> str:
    """Return a made-up word of letters that no article contains (and no stemmer shortens)."""
    # Letters only: the tokenizer keeps it whole. A trailing "q" is no English suffix.
    return "zx" + "".join(random.choices(string.ascii_lowercase, k=length - 3)) + "q"


def _title_with(title: str, word: str) -> str:
    return f"{title[: 500 - len(word) - 1]} {word}"  # Article.title holds 500 characters


def _save_title(article, title: str) -> tuple[float, float]:
    """Save a new title in a transaction; return when it committed and when save returned."""
    from django.db import transaction

    moments: list[float] = []
    with transaction.atomic():
        # Registered before the save, so it runs before the index update the save schedules.
        transaction.on_commit(lambda: moments.append(time.perf_counter()))
        article.title = title
        article.save()
    return moments[0], time.perf_counter()


def _wait_until_found(client: _Client, word: str, deadline: float, pause: float) -> float | None:
    path = f"{SEARCH_API_PATH}?{urlencode({'q': word, 'page_size': 1})}"
    while True:
        try:
            status, body, _seconds = client.get(path)
            if status == 200 and json.loads(body)["total"] >= 1:
                return time.perf_counter()
        except (OSError, http.client.HTTPException, ValueError):
            pass  # a failed poll is just a miss; the deadline bounds the wait
        if time.perf_counter() >= deadline:
            return None
        time.sleep(pause)


# --- A standalone run -----------------------------------------------------------------------


def sample_paths(count: int, *, seed: int) -> tuple[list[str], list[str]]:
    """Return `count` distinct search addresses and their kinds, for a standalone run.

    A stand-in for the harness's query mix: words from article titles, alone, with a country,
    with a year range, sorted by date, or through the JSON API. Django must be set up.
    """
    from archive.models import Article, Country

    rng = random.Random(seed)
    titles = Article.objects.values_list("title", flat=True)[:5000]
    words = sorted(
        {word.lower() for title in titles for word in title.split() if word.isalpha()}
        - {"the", "and", "for", "with", "from", "that", "this"}
    )
    words = [word for word in words if len(word) >= 4] or ["police"]
    countries = list(Country.objects.values_list("name", flat=True)[:20]) or [""]
    paths, labels, seen = [], [], set()
    for _attempt in range(count * 20):
        if len(paths) == count:
            break
        word = rng.choice(words)
        kind = rng.choice(SAMPLE_KINDS)
        if kind == "word":
            path = f"/?{urlencode({'q': word})}"
        elif kind == "word + country":
            path = f"/?{urlencode({'q': word, 'country': rng.choice(countries)})}"
        elif kind == "word + years":
            path = f"/?{urlencode({'q': word, 'year_from': rng.randint(2000, 2020)})}"
        elif kind == "newest first":
            path = f"/?{urlencode({'q': word, 'sort': 'newest', 'page': rng.randint(1, 3)})}"
        else:
            path = f"{SEARCH_API_PATH}?{urlencode({'q': word})}"
        if path not in seen:
            seen.add(path)
            paths.append(path)
            labels.append(kind)
    return paths, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per pass")
    parser.add_argument("--samples", type=int, default=20, help="index-sync delay samples")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", help="a DATABASE_URL; default: a temporary SQLite file")
    options = parser.parse_args()

    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "bench"))
    import export_memory

    with tempfile.TemporaryDirectory(prefix="http-load-archive-") as folder:
        workdir = Path(folder)
        os.environ["SEARCH_SYNC_ON_COMMIT"] = "1"
        export_memory.configure(options.database, workdir)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        export_memory.fill(options.articles, options.seed)
        call_command("rebuild_index", verbosity=0)
        warmup = 10
        passes = {"c1": 1, "c8": 8}
        paths, kinds = sample_paths(
            len(passes) * (options.requests + warmup) + 200, seed=options.seed
        )
        results: dict = {"articles": options.articles, "http": {}}
        database_url = os.environ["DATABASE_URL"]
        with serve(database_url=database_url, index_dir=workdir / "index") as server:
            print(f"serving on {server.base_url} (master {server.pid})")
            start = 0
            for label, concurrency in passes.items():
                end = start + warmup + options.requests
                result = run_load(
                    server.base_url, paths[start:end], concurrency=concurrency, warmup=warmup
                )
                result["kinds"] = summarize_by_kind(result, kinds[start + warmup : end])
                results["http"][label] = result
                start = end
                print(
                    f"{label}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
                    f"p99 {result['p99_ms']} ms, {result['requests_per_second']} req/s, "
                    f"{result['errors']} errors"
                )
            results["worker_memory"] = worker_memory(server.pid)
            print(f"workers: {results['worker_memory']['workers']}")
            results["sync_delay"] = sync_delay(
                server.base_url, samples=options.samples, load_paths=paths[start:]
            )
            delay = results["sync_delay"]
            print(
                f"sync delay: p50 {delay['p50_seconds']} s, p95 {delay['p95_seconds']} s, "
                f"max {delay['max_seconds']} s, {delay['timeouts']} timeouts, "
                f"{delay['load']['requests']} load requests"
            )
        connection.close()

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
