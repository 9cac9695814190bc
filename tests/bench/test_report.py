"""The report writer: its files, its verdicts, and what it says about steps that were skipped."""

import json

import pytest

from bench import report

MACHINE = {
    "cpu": "Test CPU",
    "cores": 2,
    "memory_gb": 8.0,
    "python": "3.11.7",
    "sqlite": "3.40.1",
    "postgresql": "15.2 (server)",
}


def run(p50: float, p95: float, errors: int = 0, kinds: dict | None = None) -> dict:
    return {
        "requests": 100,
        "errors": errors,
        "concurrency": 1,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p95 * 1.2,
        "mean_ms": p50 * 1.1,
        "max_ms": p95 * 2,
        "requests_per_second": 20.5,
        "latencies_ms": [p50] * 100,
        "kinds": kinds or {},
    }


@pytest.fixture
def results() -> dict:
    """Results where every target is met except the FTS5 one; PostgreSQL ingest was skipped."""
    kinds = {"word": {"requests": 60, "p50_ms": 30.0, "p95_ms": 90.0, "p99_ms": 110.0}}
    return {
        "machine": MACHINE,
        "corpus": {"articles": 100_000, "database": "sqlite"},
        "ingest": {"sqlite": {"articles_per_second": 812.4}},
        "rebuild": {"articles_per_second": 950.0, "peak_memory_mb": 310.0},
        "http": {"c1": run(42.0, 150.0, kinds=kinds), "c8": run(180.0, 420.0, kinds=kinds)},
        "facets": {"ours_ms": 12.0, "naive_ms": 300.0},
        "fts5": {"ours_ms": 30.0, "fts5_ms": 15.0, "ratio": 2.0},
        "sync_delay": {"samples": 20, "timeouts": 0, "p50_seconds": 0.4, "p95_seconds": 0.9},
        "worker_memory": {"max_rss_mb": 180.0, "workers": [{"pid": 7, "rss_mb": 180.0}]},
        "export": {"rows": 100_000, "seconds": 41.2, "peak_memory_mb": 3.1},
    }


def summary_row(markdown: str, label: str) -> str:
    """Return the summary table's row for a target."""
    summary = markdown.split("## Summary", 1)[1].split("\n## ", 1)[0]
    return next(line for line in summary.splitlines() if line.startswith(f"| {label} |"))


def test_write_report_writes_the_json_as_given_the_markdown_and_a_png(tmp_path, results):
    paths = report.write_report(results, tmp_path / "out")
    assert set(paths) == {"json", "markdown", "chart"}
    assert all(path.is_file() for path in paths.values())
    assert json.loads(paths["json"].read_text()) == results
    assert paths["chart"].read_bytes().startswith(report.PNG_SIGNATURE)
    assert paths["chart"].stat().st_size > 10_000  # bars and labels, not an empty canvas
    markdown = paths["markdown"].read_text()
    assert "Test CPU" in markdown and "15.2 (server)" in markdown
    assert "| articles | 100,000 |" in markdown
    assert "![HTTP latency percentiles](latency.png)" in markdown


def test_figures_meeting_their_targets_pass_and_the_others_miss(tmp_path, results):
    markdown = report.write_report(results, tmp_path)["markdown"].read_text()
    assert summary_row(markdown, "Search p50, concurrency 1").endswith("| ≤ 60 ms | PASS |")
    assert summary_row(markdown, "Search p95, concurrency 1").endswith("| PASS |")
    assert summary_row(markdown, "Search time vs SQLite FTS5 + GROUP BY").endswith("| MISS |")
    assert summary_row(markdown, "Ingest on SQLite").endswith("| PASS |")
    assert "| 812.4 articles/s |" in summary_row(markdown, "Ingest on SQLite")
    assert summary_row(markdown, "Largest worker's RSS").endswith("| PASS |")


def test_a_figure_just_past_its_bound_misses(results):
    results["http"]["c1"]["p50_ms"] = 60.01
    results["rebuild"]["articles_per_second"] = 399.9
    said = {target.label: verdict for target, _value, verdict in report.verdicts(results)}
    assert said["Search p50, concurrency 1"] == report.MISS
    assert said["Index rebuild"] == report.MISS
    results["http"]["c1"]["p50_ms"] = 60  # the bound itself passes
    said = {target.label: verdict for target, _value, verdict in report.verdicts(results)}
    assert said["Search p50, concurrency 1"] == report.PASS


def test_the_facet_ratio_is_worked_out_from_the_two_times(tmp_path, results):
    markdown = report.write_report(results, tmp_path)["markdown"].read_text()
    row = summary_row(markdown, "Facet counting vs naive groupedby")
    assert "| 25 × faster |" in row and row.endswith("| PASS |")


def test_failed_requests_miss_even_when_the_latency_is_fine(results):
    results["http"]["c8"]["errors"] = 3
    said = {target.label: verdict for target, _value, verdict in report.verdicts(results)}
    assert said["Failed requests, concurrency 8"] == report.MISS
    assert said["Search p50, concurrency 1"] == report.PASS


def test_skipped_steps_are_not_measured_never_pass(tmp_path, results):
    del results["sync_delay"], results["export"]
    results["http"].pop("c8")
    markdown = report.write_report(results, tmp_path)["markdown"].read_text()
    assert summary_row(markdown, "Ingest on PostgreSQL").endswith("| not measured |")
    assert summary_row(markdown, "Index-sync delay p95 under load").endswith("| not measured |")
    assert summary_row(markdown, "Export's peak memory").endswith("| not measured |")
    assert summary_row(markdown, "Failed requests, concurrency 8").endswith("| not measured |")
    assert "## Index-sync delay under load\n\nNot measured." in markdown
    assert "| postgresql.articles_per_second | not measured |" in markdown
    assert "| concurrency 8 | not measured |" in markdown
    assert "7 of 15 targets met, 1 missed, 7 not measured" in markdown


def test_empty_results_write_every_file_and_pass_nothing(tmp_path):
    paths = report.write_report({"machine": MACHINE}, tmp_path)
    markdown = paths["markdown"].read_text()
    assert paths["chart"].read_bytes().startswith(report.PNG_SIGNATURE)
    assert "| PASS |" not in markdown and "| MISS |" not in markdown
    assert f"0 of {len(report.TARGETS)} targets met" in markdown
    assert markdown.count("| not measured |") >= len(report.TARGETS)


def test_a_value_that_is_not_a_number_is_not_measured(results):
    results["worker_memory"]["max_rss_mb"] = None
    results["rebuild"]["articles_per_second"] = "fast"
    said = {target.label: verdict for target, _value, verdict in report.verdicts(results)}
    assert said["Largest worker's RSS"] == report.NOT_MEASURED
    assert said["Index rebuild"] == report.NOT_MEASURED


def test_machine_info_names_the_versions():
    machine = report.machine_info()
    assert machine["cores"] >= 1
    assert machine["python"].count(".") == 2
    assert machine["sqlite"].count(".") == 2
    assert set(machine) >= {"cpu", "memory_gb", "postgresql"}
