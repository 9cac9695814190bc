"""The concurrency soak's parts: admin forms as a browser sends them, edit plans, tallies, drift
checks, the researchers' requests, the HTTP session, and one tiny soak run for real."""

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

from bench import soak, soak_checks, soak_clients, soak_forms
from bench.http_load import free_port
from bench.soak_checks import ArticleState, IndexView, Tally
from tests.conftest import REPO_ROOT

# A change page shaped like Django admin's: a logout form before the article form, a checked
# and an unchecked box, an autocomplete select, a select with nothing selected, a textarea
# opened with Django's newline, one tag row per kind, the inline template rows and buttons.
CHANGE_PAGE = """
<form id="logout-form" method="post" action="/admin/logout/">
  <input type="hidden" name="csrfmiddlewaretoken" value="TOKEN"><button>Log out</button>
</form>
<form method="post" id="article_form" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">
<input type="text" name="title" value="Police seize drugs &amp; cash zxaaaaaaaaaaaq" required>
<input type="checkbox" name="title_derived">
<input type="checkbox" name="reviewed_flag" checked>
<select name="source" class="admin-autocomplete"><option value="3" selected>Khmer Times</option>
</select>
<select name="language_choice"><option value="en">English</option><option value="km">Khmer
</option></select>
<input type="text" name="old_field" value="x" disabled>
<textarea name="body" cols="40">
First line &lt;kept&gt;
second line</textarea>
<input type="hidden" name="country_tags-TOTAL_FORMS" value="1">
<input type="hidden" name="country_tags-INITIAL_FORMS" value="1">
<input type="hidden" name="country_tags-0-id" value="11">
<input type="hidden" name="country_tags-0-article" value="5">
<select name="country_tags-0-country"><option value="1" selected>Cambodia</option></select>
<select name="country_tags-0-role"><option value="subject" selected>Subject</option>
<option value="mention">Mentioned</option></select>
<select name="country_tags-0-status"><option value="proposed">Proposed</option>
<option value="confirmed" selected>Confirmed</option><option value="rejected">Rejected</option>
</select>
<input type="hidden" name="country_tags-__prefix__-article" value="5">
<input type="hidden" name="ministry_tags-TOTAL_FORMS" value="1">
<input type="hidden" name="ministry_tags-INITIAL_FORMS" value="1">
<input type="hidden" name="ministry_tags-0-id" value="21">
<input type="hidden" name="ministry_tags-0-article" value="5">
<select name="ministry_tags-0-ministry"><option value="7" selected>Interior</option></select>
<select name="ministry_tags-0-role"><option value="mention" selected>Mentioned</option></select>
<select name="ministry_tags-0-status"><option value="rejected" selected>Rejected</option></select>
<input type="hidden" name="crime_type_tags-TOTAL_FORMS" value="0">
<input type="hidden" name="crime_type_tags-INITIAL_FORMS" value="0">
<input type="submit" value="Save" name="_save">
<input type="submit" value="Save and continue editing" name="_continue">
</form>
"""
MARKER = "zxbbbbbbbbbbbq"


def article_form():
    return soak_forms.parse_forms(CHANGE_PAGE)["article_form"]


# --- Forms as a browser sends them ------------------------------------------------------------


def test_a_form_sends_what_a_browser_would():
    forms = soak_forms.parse_forms(CHANGE_PAGE)
    assert list(forms) == ["logout-form", "article_form"]
    fields = dict(forms["article_form"].fields)
    assert fields["title"] == "Police seize drugs & cash zxaaaaaaaaaaaq"
    assert "title_derived" not in fields  # unchecked
    assert fields["reviewed_flag"] == "on"  # checked, no value attribute
    assert fields["source"] == "3"
    assert fields["language_choice"] == "en"  # nothing selected: the first option
    assert "old_field" not in fields  # disabled
    assert fields["body"] == "First line <kept>\nsecond line"  # Django's leading newline dropped
    assert fields["country_tags-0-status"] == "confirmed"
    assert not any("__prefix__" in name for name in fields)
    assert "_save" not in fields and "_continue" not in fields


def test_a_multiple_select_sends_every_selected_option_and_forms_without_id_get_a_number():
    forms = soak_forms.parse_forms(
        '<form><select name="tags" multiple><option value="a" selected>A</option>'
        '<option value="b">B</option><option selected>C d</option></select></form>'
    )
    assert forms["form-0"].fields == [("tags", "a"), ("tags", "C d")]


def test_form_errors_reads_error_lists_and_the_error_note():
    page = (
        '<p class="errornote">Please correct the errors below.</p>'
        '<ul class="errorlist" id="id_title_error"><li>This field is required.</li></ul>'
        '<div><ul class="errorlist nonfield"><li>Country tag with this <b>Article</b> '
        "and Country already exists.</li></ul></div><p>Not an error</p>"
    )
    assert soak_forms.form_errors(page) == [
        "Please correct the errors below.",
        "This field is required.",
        "Country tag with this Article and Country already exists.",
    ]
    assert soak_forms.form_errors(CHANGE_PAGE) == []


def test_review_buttons_belong_to_the_article_linked_before_them():
    page = (
        '<a href="/admin/archive/article/9/change/">A</a>'
        '<button name="decide" value="confirm-all:9">Confirm all</button>'
        '<button name="decide" value="reject:country:31">Reject</button>'
        '<a href="/admin/archive/article/4/change/">B</a>'
        '<button name="decide" value="confirm:crime_type:8">Confirm</button>'
    )
    assert soak_forms.review_decisions(page) == [
        (9, "confirm-all:9"),
        (9, "reject:country:31"),
        (4, "confirm:crime_type:8"),
    ]


def test_autocomplete_answers_give_ids_and_whether_more_pages_follow():
    payload = json.dumps(
        {"results": [{"id": "3", "text": "Laos"}], "pagination": {"more": True}}
    ).encode()
    assert soak_forms.autocomplete_choices(payload) == ([(3, "Laos")], True)
    assert soak_forms.autocomplete_choices('{"results": []}') == ([], False)


# --- Edit plans -------------------------------------------------------------------------------


def test_a_new_marker_replaces_the_last_one_and_the_title_stays_within_500_characters():
    assert (
        soak_forms.title_with_marker("Raid in Poipet zxaaaaaaaaaaaq", MARKER)
        == f"Raid in Poipet {MARKER}"
    )
    long_title = soak_forms.title_with_marker("word " * 200, MARKER)
    assert len(long_title) <= 500 and long_title.endswith(f" {MARKER}")
    with pytest.raises(ValueError, match="not a marker word"):
        soak_forms.title_with_marker("Raid", "Marker")


def test_live_tags_leave_rejected_rows_out():
    assert soak_forms.live_tags(article_form().fields) == {
        "country": frozenset({1}),
        "ministry": frozenset(),
        "crime_type": frozenset(),
    }


def plans(options, seeds=range(40)):
    return [
        soak_forms.plan_edit(
            article_form().fields,
            article_id=5,
            marker=MARKER,
            options=options,
            rng=random.Random(seed),
        )
        for seed in seeds
    ]


def test_an_edit_adds_a_confirmed_subject_row_for_an_entry_without_one():
    options = {"country": [1, 2], "ministry": [7], "crime_type": [40]}
    added = [edit for edit in plans(options) if edit.change.startswith("+")]
    assert {edit.change for edit in added} == {"+country 2", "+crime_type 40"}
    edit = next(edit for edit in added if edit.change == "+crime_type 40")
    fields = dict(edit.fields)
    assert fields["crime_type_tags-TOTAL_FORMS"] == "1"
    assert fields["crime_type_tags-INITIAL_FORMS"] == "0"
    assert fields["crime_type_tags-0-id"] == ""
    assert fields["crime_type_tags-0-article"] == "5"
    assert fields["crime_type_tags-0-crime_type"] == "40"
    assert fields["crime_type_tags-0-role"] == "subject"
    assert fields["crime_type_tags-0-status"] == "confirmed"
    assert edit.live_tags["crime_type"] == {40}
    assert edit.live_tags["country"] == {1}
    assert edit.title == f"Police seize drugs & cash {MARKER}"
    assert fields["title"] == edit.title
    assert edit.fields[-1] == ("_save", "Save")
    assert fields["csrfmiddlewaretoken"] == "TOKEN"


def test_an_edit_rejects_a_live_row_or_restores_a_rejected_one():
    edits = {edit.change: edit for edit in plans({})}
    assert set(edits) == {"-country 1", "~ministry 7"}
    rejected = edits["-country 1"]
    assert dict(rejected.fields)["country_tags-0-status"] == "rejected"
    assert dict(rejected.fields)["country_tags-TOTAL_FORMS"] == "1"  # no row added
    assert rejected.live_tags["country"] == frozenset()
    restored = edits["~ministry 7"]
    assert dict(restored.fields)["ministry_tags-0-status"] == "confirmed"
    assert restored.live_tags == {"country": {1}, "ministry": {7}, "crime_type": frozenset()}


def test_an_edit_with_no_tag_to_change_changes_the_title_only():
    form = soak_forms.parse_forms(
        '<form id="article_form"><input name="title" value="Raid">'
        '<input type="hidden" name="country_tags-TOTAL_FORMS" value="0"></form>'
    )["article_form"]
    edit = soak_forms.plan_edit(
        form.fields, article_id=1, marker=MARKER, options={}, rng=random.Random(1)
    )
    assert edit.change == "title only"
    assert edit.title == f"Raid {MARKER}"


def test_planning_an_edit_on_another_form_says_which_field_is_missing():
    form = soak_forms.parse_forms('<form id="login-form"><input name="username"></form>')
    with pytest.raises(KeyError, match="title"):
        soak_forms.plan_edit(
            form["login-form"].fields, article_id=1, marker=MARKER, options={}, rng=random.Random()
        )


# --- Tallies and verdicts ---------------------------------------------------------------------


def test_a_tally_counts_statuses_errors_and_latencies_by_kind():
    tally = Tally()
    for seconds in (0.010, 0.030, 0.020):
        tally.record("search page", status=200, seconds=seconds)
    tally.record("search page", status=500, seconds=0.5, error="/?q=x: HTTP 500")
    tally.record("api search", status=soak_checks.TIMEOUT, error="/api: no answer")
    tally.fault("ingest", "exit 1")
    summary = tally.summary()
    assert summary["requests"] == 5
    assert summary["errors"] == 3
    assert summary["statuses"] == {"200": 3, "500": 1, "timeout": 1}
    page = summary["kinds"]["search page"]
    assert page["requests"] == 4 and page["errors"] == 1
    assert page["p50_ms"] == 20.0 and page["max_ms"] == 500.0
    assert summary["kinds"]["api search"]["p50_ms"] is None  # no answer, no latency
    assert [entry["ms"] for entry in summary["slowest"]] == [500, 30, 20, 10]
    assert summary["slowest"][0]["kind"] == "search page"
    assert summary["error_samples"] == [
        "search page: /?q=x: HTTP 500",
        "api search: /api: no answer",
        "ingest: exit 1",
    ]


def test_a_tally_keeps_the_first_reasons_and_counts_them_all_across_threads():
    tally = Tally()

    def fail_many():
        for number in range(100):
            tally.record("feed", status=502, seconds=0.1, error=f"failure {number}")

    threads = [threading.Thread(target=fail_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tally.errors == 400 and tally.requests == 400
    assert len(tally.summary()["error_samples"]) == soak_checks.ERROR_SAMPLES


TAGS = {"country": frozenset({1, 2}), "crime_type": frozenset({9}), "ministry": frozenset()}


def saved(title="Raid zxaaaaaaaaaaaq", tags=TAGS):
    return ArticleState(title, tags)


def found(*ids, tags=TAGS):
    return IndexView(found=ids, tags=tags)


def test_no_drift_when_database_and_index_hold_the_last_save():
    problems = soak_checks.compare_articles(
        {5: saved()}, database={5: saved()}, index={5: found(5)}
    )
    assert problems == []


@pytest.mark.parametrize(
    ("database", "view", "kinds"),
    [
        (saved(title="Raid zxcccccccccccq"), found(5), ["lost update", "stale title"]),
        (
            saved(tags={"country": frozenset({1})}),
            found(5, tags={"country": frozenset({1})}),
            ["lost update"],
        ),
        (saved(), found(), ["not found by its marker"]),
        (saved(), found(5, 5), ["found more than once"]),
        (saved(), found(5, 8), ["found with another article"]),
        (saved(), found(5, tags={"country": frozenset({1, 2})}), ["stale tags"]),
        (saved(title="Other", tags={}), found(5), ["lost update", "stale title", "stale tags"]),
    ],
)
def test_each_disagreement_is_named(database, view, kinds):
    problems = soak_checks.compare_articles({5: saved()}, database={5: database}, index={5: view})
    assert [problem["kind"] for problem in problems] == kinds
    assert all(problem["article"] == 5 for problem in problems)


def test_empty_tag_kinds_do_not_count_as_differences():
    with_empty = saved(tags={**TAGS, "ministry": frozenset()})
    without = saved(tags={"country": frozenset({1, 2}), "crime_type": frozenset({9})})
    assert not soak_checks.compare_articles(
        {5: with_empty}, database={5: without}, index={5: found(5, tags=without.tags)}
    )


def test_a_marker_of_an_earlier_save_must_find_nothing():
    problems = soak_checks.compare_articles(
        {5: saved()},
        database={5: saved()},
        index={5: found(5)},
        replaced={"zxoldoldoldolq": (5,), "zxolderolderoq": ()},
    )
    assert problems == [
        {
            "article": 5,
            "kind": "found by a replaced marker",
            "expected": {"zxoldoldoldolq": []},
            "found": {"zxoldoldoldolq": [5]},
        }
    ]


def test_the_index_counts_a_crime_type_under_the_types_above_it_too():
    # 9 is under 3, which is under 1; the facets count an article tagged 9 under all three.
    counted_as = soak_checks.with_broader_crime_types({9: 3, 3: 1, 1: None, 4: None})
    tagged = saved(tags={"country": frozenset({1}), "crime_type": frozenset({9})})
    broad = {"country": frozenset({1}), "crime_type": frozenset({1, 3, 9})}
    assert not soak_checks.compare_articles(
        {5: tagged}, database={5: tagged}, index={5: found(5, tags=broad)}, counted_as=counted_as
    )
    stale = soak_checks.compare_articles(
        {5: tagged},
        database={5: tagged},
        index={5: found(5, tags={**broad, "crime_type": frozenset({9})})},
        counted_as=counted_as,
    )
    assert [problem["kind"] for problem in stale] == ["stale tags"]


def test_an_article_gone_from_the_database_is_reported():
    problems = soak_checks.compare_articles({5: saved()}, database={}, index={})
    assert [problem["kind"] for problem in problems] == ["missing from database"]


def test_counts_must_all_equal_the_database():
    assert not soak_checks.compare_counts(database=10, served_total=10, unique_ids=10, documents=10)
    problems = soak_checks.compare_counts(database=10, served_total=9, unique_ids=10, documents=11)
    assert [(p["kind"], p["found"]) for p in problems] == [
        ("served total differs", 9),
        ("indexed documents differs", 11),
    ]


def test_entries_never_offered_are_listed_by_kind():
    existing = {"country": [1, 2, 3], "ministry": [4]}
    assert soak_checks.missing_choices({"country": [3, 1], "ministry": [4]}, existing) == {
        "country": [2]
    }
    assert soak_checks.missing_choices({"country": [1, 2, 3]}, existing) == {"ministry": [4]}


def test_command_output_is_read_for_its_counts():
    assert soak_checks.ingest_counts(
        "Ingested 150 records from 1 files in 5.3s: 149 created, 0 updated, 1 unchanged, "
        "0 skipped.\nImport batch #3 is listed in admin."
    ) == {"created": 149, "updated": 0, "unchanged": 1, "skipped": 0}
    assert soak_checks.ingest_counts("Traceback ...") is None
    assert soak_checks.check_index_counts("0 missing, 2 orphaned, 1 stale.\n  orphaned: 4, 5") == {
        "missing": 0,
        "orphaned": 2,
        "stale": 1,
    }
    assert soak_checks.check_index_counts("") is None


def test_server_faults_are_errors_tracebacks_and_lost_workers_not_access_lines():
    log = [
        '127.0.0.1 - - [21/Nov/2026:14:06:20 +0000] "GET /?q=error HTTP/1.1" 200 5120',
        "[2026-11-21 14:06:18 +0000] [12651] [INFO] Booting worker with pid: 12662",
        "2026-11-21 14:06:21,004 ERROR django.request: Internal Server Error: /",
        "Traceback (most recent call last):",
        "[2026-11-21 14:06:30 +0000] [12651] [CRITICAL] WORKER TIMEOUT (pid:12670)",
        "[2026-11-21 14:06:31 +0000] [12651] [ERROR] Worker (pid:12670) was sent SIGKILL!",
        "2026-11-21 14:06:32,000 WARNING django.request: Not Found: /nothing",
    ]
    assert soak_checks.server_faults(log) == log[2:6]


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
            "problems": [{"article": 5, "kind": "stale tags", "expected": "A", "found": "B"}],
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
