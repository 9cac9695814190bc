"""The soak's tallies and its drift checks: each disagreement between database and index named."""

import threading

import pytest

from bench import soak_checks
from bench.soak_checks import ArticleState, IndexView, Tally

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


def test_a_traceback_is_reported_with_its_last_frame_and_exception():
    log = [
        "2026-12-03 10:21:00,518 ERROR django.request: Internal Server Error: /",
        "Traceback (most recent call last):",
        '  File "/srv/django/core/handlers/exception.py", line 55, in inner',
        "    response = get_response(request)",
        '  File "/srv/search/pages/search.py", line 78, in search',
        "    shown = [(hit, articles[hit.article_id]) for hit in response.hits]",
        "KeyError: 812",
        '127.0.0.1 - - [03/Dec/2026:10:21:00 +0000] "GET / HTTP/1.1" 500 145',
    ]
    assert soak_checks.server_faults(log) == [
        log[0],
        "Traceback (most recent call last): ... "
        'File "/srv/search/pages/search.py", line 78, in search -> KeyError: 812',
    ]
