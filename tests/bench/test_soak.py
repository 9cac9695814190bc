"""The soak itself: its plans and databases, the researchers' requests, the HTTP session, the
report, and one tiny soak run for real."""

import json
import os
import random
import subprocess
import sys
import threading
from argparse import Namespace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from django.db import connection

from bench import soak, soak_clients
from bench.http_load import free_port
from bench.soak_checks import Tally
from tests.conftest import REPO_ROOT

# --- Plans, databases, researchers ------------------------------------------------------------


def options(**given):
    defaults = dict.fromkeys(
        ("short", "minutes", "seconds", "articles", "arrivals", "searchers", "curators"), None
    )
    return Namespace(**{**defaults, "workers": None, "seed": None, "bulk_hold": None, **given})


def test_the_modes_plan_their_sizes_and_options_override_them():
    assert soak.plan_from(options()) == soak.FULL
    assert soak.plan_from(options(short=True)) == soak.SHORT
    assert soak.FULL.seconds == 180 and soak.FULL.searchers == 20 and soak.FULL.curators == 4
    plan = soak.plan_from(options(short=True, minutes=2, articles=50, workers=2))
    assert (plan.seconds, plan.articles, plan.workers, plan.arrivals) == (120, 50, 2, 300)
    assert soak.plan_from(options(minutes=2, seconds=7)).seconds == 7
    assert soak.FULL.bulk_hold_seconds == 90 > 60  # longer than the clock the sync once trusted
    assert soak.plan_from(options(bulk_hold=2)).bulk_hold_seconds == 2
    with pytest.raises(SystemExit):
        soak.plan_from(options(curators=0))


def test_only_soak_databases_may_be_dropped():
    url = "postgres://postgres@127.0.0.1:5432/archive_soak_ci"
    assert soak.soak_database_name(url) == "archive_soak_ci"
    for other in ("archive", "postgres", "archive_bench", "my_archive_soak"):
        with pytest.raises(ValueError, match="must start with 'archive_soak'"):
            soak.soak_database_name(f"postgres://postgres@127.0.0.1:5432/{other}")


def test_researchers_ask_for_every_kind_with_the_queries_given():
    picker = soak_clients.SearchPicker(
        search_queries=["q=police&country=KH"], small_queries=["q=rareword"], article_ids=[7]
    )
    rng = random.Random(3)
    drawn = [picker.pick(rng) for _ in range(400)]
    by_kind = {}
    for kind, path in drawn:
        by_kind.setdefault(kind, set()).add(path.split(".")[0] if kind == "export" else path)
    assert set(by_kind) == set(soak_clients.SEARCH_KINDS)
    assert by_kind["search page"] == {"/?q=police&country=KH"}
    assert by_kind["api search"] == {"/api/v1/search?q=police&country=KH"}
    assert by_kind["feed"] == {"/feeds/search.atom?q=police&country=KH"}
    assert by_kind["article page"] == {"/articles/7/"}
    assert by_kind["api article"] == {"/api/v1/articles/7"}
    assert by_kind["export"] == {"/export"}
    assert {path for kind, path in drawn if kind == "export"} <= {
        f"/export.{fmt}?q=rareword" for fmt in soak_clients.EXPORT_FORMATS
    }


def answer(body: bytes):
    return soak_clients.Response(200, None, body, 0.01)


def test_a_cut_off_answer_is_a_fault_of_its_kind():
    check = soak_clients.check_answer
    assert check("api search")(answer(b'{"total": 3}')) is None
    assert "no 'total'" in check("api search")(answer(b'{"error": {}}'))
    assert "JSON" in check("api article")(answer(b'{"id": 3'))
    assert check("search page")(answer(b"<html>...</html>\n")) is None
    assert check("article page")(answer(b"<html><body>")) == "the page ends early"
    assert check("feed")(answer(b"<feed><entry>")) == "the feed ends early"
    assert check("export")(answer(b"")) == "the export is empty"


# --- The browser session against a local server -----------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self._answer(None)

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self._answer(dict(parse_qsl(self.rfile.read(length).decode())))

    def _answer(self, form):
        self.server.seen.append((self.command, self.path, dict(self.headers), form))
        status, extra = 200, []
        if self.path == "/login":
            extra = [
                ("Set-Cookie", "sessionid=abc; Path=/; HttpOnly; Secure"),
                ("Set-Cookie", "csrftoken=t1; Path=/"),
            ]
        elif self.path == "/logout":
            extra = [("Set-Cookie", 'sessionid=""; Max-Age=0; Path=/')]
        elif self.path == "/save":
            status, extra = 302, [("Location", "/admin/archive/article/")]
        elif self.path == "/broken":
            status = 500
        body = b"<html>ok</html>"
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_browser_keeps_cookies_and_posts_forms_with_origin_and_referer(local_server):
    server, base_url = local_server
    browser = soak_clients.Browser(base_url)
    try:
        browser.get("/login")
        assert browser.cookies == {"sessionid": "abc", "csrftoken": "t1"}
        saved = browser.post(
            "/save", [("title", "A & B"), ("tag", "1"), ("tag", "2")], referer="/edit"
        )
        assert saved.status == 302 and saved.location_path == "/admin/archive/article/"
        browser.get("/logout")
        assert browser.cookies == {"csrftoken": "t1"}
    finally:
        browser.close()
    _method, _path, headers, form = server.seen[1]
    assert headers["Cookie"] == "sessionid=abc; csrftoken=t1"
    assert headers["Origin"] == base_url
    assert headers["Referer"] == base_url + "/edit"
    assert form == {"title": "A & B", "tag": "2"}  # parse_qsl kept both; dict the last


def test_fetch_counts_unexpected_statuses_and_failed_connections_as_errors(local_server):
    _server, base_url = local_server
    tally = Tally()
    browser = soak_clients.Browser(base_url)
    try:
        assert soak_clients.fetch(browser, tally, "page", "/fine") is not None
        assert soak_clients.fetch(browser, tally, "page", "/broken") is None
        assert soak_clients.fetch(browser, tally, "save", "/fine", post=[], expect=(302,)) is None
    finally:
        browser.close()
    unreachable = soak_clients.Browser(f"http://127.0.0.1:{free_port()}")
    assert soak_clients.fetch(unreachable, tally, "page", "/") is None
    summary = tally.summary()
    assert summary["kinds"]["page"]["statuses"] == {"200": 1, "500": 1, "connection error": 1}
    assert summary["errors"] == 3
    assert summary["error_samples"][0] == "page: /broken: HTTP 500"
    assert summary["error_samples"][1] == "save: /fine: HTTP 200 with form errors []"
    assert "ConnectionRefusedError" in summary["error_samples"][2]


# --- The report -------------------------------------------------------------------------------


def test_the_report_states_the_verdict_and_every_kind():
    tally = Tally()
    tally.record("search page", status=200, seconds=0.05)
    tally.record("admin save", status=200, seconds=0.2, error="/admin/...: HTTP 200 with errors")
    result = {
        "mode": "short",
        "database": "postgresql",
        "started": "2026-01-01T10:00:00",
        "finished": "2026-01-01T10:02:00",
        "plan": {"workers": 4, "searchers": 20, "curators": 4},
        "load_seconds": 45.0,
        "requests_per_second": 0.04,
        "setup_seconds": 50.0,
        "check_seconds": 5.0,
        "requests": tally.summary(),
        "curators": {"edits": 0, "articles_edited": 0, "decisions": 0},
        "ingest": {
            "planned": 300,
            "created": 300,
            "runs": [{"exit_status": 0, "seconds": 8.2, "started_at_s": 15.0}],
        },
        "drift": {
            "count": 1,
            "check_index": {"output": "0 missing, 0 orphaned, 1 stale.", "exit_status": 1},
            "articles_checked": 0,
            "counts": {},
            "problems": [
                {"article": 5, "kind": "stale tags", "expected": "A", "found": "B"},
                "bulk action: the database tags [7] wrongly",
            ],
        },
        "findings": ["soak-curator-1: the tag autocomplete's pages offered 2 entries twice"],
        "server_faults": [],
        "errors": 1,
        "passed": False,
    }
    report = soak.render_markdown(result)
    assert "**FAILED**: 2 requests, 1 errors, drift 1." in report
    assert "| search page | 1 | 0 | 200: 1 | 50 | 50 | 50 |" in report
    assert "| admin save | 1 | 1 | 200: 1 |" in report
    assert "- #5 stale tags: expected 'A', found 'B'" in report
    assert "offered 2 entries twice" in report
    assert "- admin save: /admin/...: HTTP 200 with errors" in report
    assert "300 of 300 articles created in 1 runs (exit 0, 8.2 s from 15.0 s)" in report
    assert "Slowest requests: admin save 200 ms from " in report
    assert "- bulk action: the database tags [7] wrongly" in report


# --- One tiny soak for real -------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the soak makes its own SQLite archive: run once, in the SQLite run of the suite",
)
def test_a_tiny_soak_serves_edits_and_ingests_without_errors_or_drift(tmp_path):
    """About 25 s: setup (migrate, ingest, index, collectstatic, gunicorn) is most of it."""
    command = [
        sys.executable,
        "bench/soak.py",
        "--short",
        "--sqlite",
        *("--seconds", "4", "--articles", "40", "--arrivals", "10"),
        *("--searchers", "2", "--curators", "1", "--workers", "2", "--bulk-hold", "2"),
        *("--workdir", str(tmp_path / "work"), "--out", str(tmp_path / "out")),
    ]
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    completed = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,  # only stops a hung run
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    result = json.loads((tmp_path / "out" / "soak.json").read_text())
    assert result["passed"] and result["errors"] == 0 and result["drift"]["count"] == 0
    assert result["database"] == "sqlite"
    kinds = result["requests"]["kinds"]
    assert kinds["admin login"]["statuses"] == {"200": 1, "302": 1}
    assert kinds["admin save"]["statuses"].get("302", 0) >= 1
    assert result["curators"]["edits"] >= 1
    assert result["ingest"]["created"] == 10
    assert result["bulk_action"]["tagged"] == 30 and result["bulk_action"]["open_seconds"] >= 2
    assert [run["exit_status"] for run in result["ingest"]["runs"]] == [0, 0]
    assert result["drift"]["articles_checked"] >= 1
    assert result["drift"]["check_index"]["counts"] == {"missing": 0, "orphaned": 0, "stale": 0}
    assert result["drift"]["counts"] == dict.fromkeys(
        ("database", "served_total", "unique_ids", "documents"), 50
    )
    assert (tmp_path / "out" / "soak.md").read_text().startswith("# Concurrency soak")
