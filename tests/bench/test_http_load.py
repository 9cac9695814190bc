"""The HTTP harness: percentiles, the load client, worker memory, and gunicorn started for real."""

import json
import os
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import http_load
from tests.conftest import REPO_ROOT

# --- Percentiles ----------------------------------------------------------------------------


def test_percentile_is_the_nearest_rank_value():
    values = [40, 15, 50, 35, 20]  # sorted: 15 20 35 40 50
    assert http_load.percentile(values, 5) == 15
    assert http_load.percentile(values, 30) == 20  # rank ceil(1.5) = 2
    assert http_load.percentile(values, 40) == 20  # rank 2 exactly
    assert http_load.percentile(values, 50) == 35  # rank ceil(2.5) = 3
    assert http_load.percentile(values, 100) == 50


def test_percentile_of_a_hundred_values_picks_the_ranked_one():
    values = list(range(100, 0, -1))  # 1..100, reversed
    assert http_load.percentile(values, 0) == 1
    assert http_load.percentile(values, 50) == 50
    assert http_load.percentile(values, 95) == 95
    assert http_load.percentile(values, 99) == 99
    assert http_load.percentile([7.5], 99) == 7.5


def test_percentile_refuses_no_values_and_out_of_range_ranks():
    with pytest.raises(ValueError, match="no values"):
        http_load.percentile([], 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        http_load.percentile([1, 2], 101)


def test_summaries_split_by_kind_leave_failures_out_of_the_percentiles():
    result = {"latencies_ms": [10.0, 30.0, None, 20.0, 5.0]}
    summaries = http_load.summarize_by_kind(result, ["word", "word", "word", "word", "api"])
    assert summaries["word"]["requests"] == 4
    assert summaries["word"]["errors"] == 1
    assert summaries["word"]["p50_ms"] == 20.0
    assert summaries["word"]["max_ms"] == 30.0
    assert summaries["api"] == {
        "requests": 1,
        "errors": 0,
        "p50_ms": 5.0,
        "p95_ms": 5.0,
        "p99_ms": 5.0,
        "mean_ms": 5.0,
        "max_ms": 5.0,
    }
    with pytest.raises(ValueError, match="label exactly the measured paths"):
        http_load.summarize_by_kind(result, ["word"])


# --- run_load against a local server ---------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the client's connection reuse is exercised

    def do_GET(self):
        with self.server.lock:
            self.server.seen.append(self.path)
        status = 500 if self.path.startswith("/fail") else 200
        body = f"answer to {self.path}".encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # keep the test output clean


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.seen, server.lock = [], threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_run_load_requests_every_path_once_and_counts_a_500_as_an_error(local_server):
    server, base_url = local_server
    paths = [f"/ok/{number}" for number in range(20)] + ["/fail/once"]
    result = http_load.run_load(base_url, paths, concurrency=4)
    assert sorted(server.seen) == sorted(paths)
    assert result["requests"] == 21
    assert result["errors"] == 1
    assert result["error_samples"] == ["/fail/once: HTTP 500"]
    assert result["concurrency"] == 4
    assert len(result["latencies_ms"]) == 21
    assert result["latencies_ms"][-1] is None
    assert all(latency > 0 for latency in result["latencies_ms"][:-1])
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert result["requests_per_second"] > 0


def test_run_load_at_concurrency_one_keeps_the_order_and_leaves_the_warmup_out(local_server):
    server, base_url = local_server
    paths = [f"/ok/{number}" for number in range(10)]
    result = http_load.run_load(base_url, paths, concurrency=1, warmup=3)
    assert server.seen == paths  # each once, in order, warmup first
    assert result["requests"] == 7
    assert len(result["latencies_ms"]) == 7
    assert result["errors"] == 0


def test_run_load_counts_an_unreachable_server_as_errors():
    base_url = f"http://127.0.0.1:{http_load.free_port()}"
    result = http_load.run_load(base_url, ["/a", "/b"], concurrency=2)
    assert result["errors"] == 2
    assert result["p50_ms"] is None
    assert result["latencies_ms"] == [None, None]
    assert "ConnectionRefusedError" in result["error_samples"][0]


def test_run_load_refuses_a_bad_concurrency_or_warmup(local_server):
    _server, base_url = local_server
    with pytest.raises(ValueError, match="concurrency"):
        http_load.run_load(base_url, ["/a"], concurrency=0)
    with pytest.raises(ValueError, match="warmup"):
        http_load.run_load(base_url, ["/a"], concurrency=1, warmup=2)


# --- Worker memory ----------------------------------------------------------------------------


def test_worker_memory_reads_the_children_of_a_process():
    # The child says when its interpreter is up: read before, a busy machine may not have loaded
    # it yet, and its memory is a fraction of a megabyte.
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; print('up', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline() == "up\n"
    try:
        memory = http_load.worker_memory(os.getpid())
    finally:
        child.stdin.close()
        child.wait()
        child.stdout.close()
    mine = [worker for worker in memory["workers"] if worker["pid"] == child.pid]
    assert len(mine) == 1
    assert mine[0]["rss_mb"] > 1  # a Python interpreter
    assert memory["max_rss_mb"] >= mine[0]["rss_mb"]
    assert memory["master_rss_mb"] > 1


def test_made_up_words_are_fresh_letters():
    words = {http_load.fresh_word() for _ in range(50)}
    assert len(words) == 50
    assert all(word.isalpha() and word.islower() for word in words)


# --- gunicorn for real ------------------------------------------------------------------------


@pytest.fixture
def seeded_archive(tmp_path) -> tuple[str, Path, dict]:
    """Return a SQLite file archive of the seeds with its index, and its environment."""
    database_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    index_dir = tmp_path / "index"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "SEARCH_SYNC_ON_COMMIT": "1",
        "DEBUG": "0",
        "SECRET_KEY": os.environ["SECRET_KEY"],  # the suite's public test key (pyproject.toml)
    }
    build = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); "
        "call_command('ingest', 'seeds', no_progress=True, verbosity=0)"
    )
    subprocess.run(
        [sys.executable, "-c", build], cwd=REPO_ROOT, env=environment, check=True, timeout=120
    )
    return database_url, index_dir, environment


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_serve_runs_gunicorn_on_the_archive_and_stops_it_even_when_the_block_fails(
    seeded_archive, tmp_path
):
    database_url, index_dir, environment = seeded_archive
    with (
        pytest.raises(RuntimeError, match="the block failed"),
        http_load.serve(
            database_url=database_url, index_dir=index_dir, workdir=tmp_path / "server"
        ) as server,
    ):
        master = server.pid
        with urllib.request.urlopen(f"{server.base_url}/?q=police", timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read()
        found = fetch_json(f"{server.base_url}/api/v1/search?q=police")
        assert found["total"] >= 1
        article_id = found["results"][0]["id"]
        title = fetch_json(f"{server.base_url}/api/v1/articles/{article_id}")["title"]

        result = http_load.run_load(
            server.base_url, ["/?q=police", "/?q=drug", "/healthz"], concurrency=2
        )
        assert result["errors"] == 0 and result["requests"] == 3

        memory = http_load.worker_memory(master)
        assert len(memory["workers"]) == 2
        assert all(worker["rss_mb"] > 20 for worker in memory["workers"])

        # Edits made by another process through the ORM, found through the served search.
        measure = (
            "import json, django; django.setup(); from bench.http_load import sync_delay; "
            f"print(json.dumps(sync_delay({server.base_url!r}, samples=2, article_id="
            f"{article_id}, load_paths=['/?q=police', '/?q=court'], load_concurrency=2)))"
        )
        answer = subprocess.run(
            [sys.executable, "-c", measure],
            cwd=REPO_ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        delay = json.loads(answer.stdout.splitlines()[-1])
        assert delay["samples"] == 2 and delay["timeouts"] == 0
        assert 0 < delay["p50_seconds"] <= delay["p95_seconds"]  # figures, not a time limit
        assert delay["load"]["requests"] > 0 and delay["load"]["errors"] == 0
        assert fetch_json(f"{server.base_url}/api/v1/articles/{article_id}")["title"] == title
        raise RuntimeError("the block failed")
    assert (
        not Path(f"/proc/{master}").exists()
        or b"gunicorn" not in Path(f"/proc/{master}/cmdline").read_bytes()
    )
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2)
    assert "Booting worker" in server.log.read_text()  # the log stays in the given folder
