"""The benchmark's report: results.json, report.md and latency.png from one results dict.

    write_report(results, folder) -> {"json": Path, "markdown": Path, "chart": Path}

Every item of the results is optional; one that is missing (a step that was skipped) or holds
no number where a target looks is reported as "not measured", never as PASS:

    {
      "machine": machine_info(),         # taken when the report is written if absent
      "corpus": {"articles": 100000, "database": "sqlite", ...},       # shown as given
      "ingest": {"sqlite": {"articles_per_second": 812.0, ...},
                 "postgresql": {"articles_per_second": 455.0, ...}},
      "rebuild": {"articles_per_second": 950.0, "peak_memory_mb": 310.0, ...},
      "http": {"c1": <run_load result>, "c8": <run_load result>},
          # each run may carry "kinds": {kind: {"requests", "errors", "p50_ms", "p95_ms",
          # "p99_ms", ...}}, as bench/http_load.summarize_by_kind returns them
      "facets": {"ours_ms": 12.0, "naive_ms": 300.0, "ratio": 25.0},  # ratio: naive / ours
      "fts5": {"ours_ms": 21.0, "fts5_ms": 18.0, "ratio": 1.17},      # ratio: ours / fts5
      "sync_delay": <sync_delay result>,
      "worker_memory": <worker_memory result>,
      "export": {"rows": 100000, "seconds": 41.0, "peak_memory_mb": 3.1},
          # peak_memory_mb: Python's allocation peak while streaming (tracemalloc)
      "spelling": {"worst_ms": 4.2, "cold_vocabulary_read_ms": 310.0, "queries": {...}},
      "admin_search": {"worst_ms": 180.0, "worst_first_ms": 400.0, "median_ms": 90.0, ...},
    }

A ratio left out is worked out from the two times when both are there. run_load, sync_delay
and worker_memory results are those of bench/http_load.py. Extra keys anywhere are kept in
results.json and shown in their item's table.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

NOT_MEASURED = "not measured"
PASS, MISS = "PASS", "MISS"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LATENCY_PERCENTILES = ("p50_ms", "p95_ms", "p99_ms")
HTTP_RUNS = {"c1": "concurrency 1", "c8": "concurrency 8"}
# Long lists (every request's latency, every sample's delay) stay in results.json only.
SKIPPED_IN_TABLES = (
    "latencies_ms",
    "delays_seconds",
    "error_samples",
    "kinds",
    "workers",
    "queries",
)


@dataclass(frozen=True)
class Target:
    """A figure at `path` in the results, and the bound it must meet."""

    item: str
    label: str
    path: tuple[str, ...]
    limit: float
    at_most: bool  # True: the figure passes at or below the limit; False: at or above it
    unit: str

    def meets(self, value: float) -> bool:
        return value <= self.limit if self.at_most else value >= self.limit

    def describe(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {_number(self.limit)} {self.unit}".rstrip()


# The harness's goals at 100,000 articles.
TARGETS = (
    Target("http", "Search p50, concurrency 1", ("http", "c1", "p50_ms"), 60, True, "ms"),
    Target("http", "Search p95, concurrency 1", ("http", "c1", "p95_ms"), 200, True, "ms"),
    # A fast answer that is an error page proves nothing: every request must succeed.
    Target("http", "Failed requests, concurrency 1", ("http", "c1", "errors"), 0, True, ""),
    Target("http", "Failed requests, concurrency 8", ("http", "c8", "errors"), 0, True, ""),
    Target(
        "facets", "Facet counting vs naive groupedby", ("facets", "ratio"), 10, False, "× faster"
    ),
    Target("fts5", "Search time vs SQLite FTS5 + GROUP BY", ("fts5", "ratio"), 1.5, True, "×"),
    Target(
        "rebuild", "Index rebuild", ("rebuild", "articles_per_second"), 400, False, "articles/s"
    ),
    Target(
        "ingest",
        "Ingest on SQLite",
        ("ingest", "sqlite", "articles_per_second"),
        500,
        False,
        "articles/s",
    ),
    Target(
        "ingest",
        "Ingest on PostgreSQL",
        ("ingest", "postgresql", "articles_per_second"),
        300,
        False,
        "articles/s",
    ),
    # A new report compared with the reports near it in time and placed (bench/grouping_speed.py).
    Target(
        "grouping",
        "Grouping one new report, p95 (cold)",
        ("grouping", "cold", "p95_ms"),
        50,
        True,
        "ms",
    ),
    Target(
        "sync_delay", "Index-sync delay p95 under load", ("sync_delay", "p95_seconds"), 2, True, "s"
    ),
    Target(
        "worker_memory", "Largest worker's RSS", ("worker_memory", "max_rss_mb"), 400, True, "MB"
    ),
    # Constant memory: holding a 100k-row export would take hundreds of MB; streaming it a chunk
    # at a time keeps the peak at a few MB whatever the row count.
    Target("export", "Export's peak memory", ("export", "peak_memory_mb"), 50, True, "MB"),
    # "Did you mean" on the costliest queries a hostile client can type (bench/search_costs.py).
    Target("spelling", "Worst spelling check per query", ("spelling", "worst_ms"), 50, True, "ms"),
    Target(
        "admin_search", "Worst admin article search", ("admin_search", "worst_ms"), 500, True, "ms"
    ),
)

# The report's sections, in order, with their headings.
ITEMS = {
    "ingest": "Ingest",
    "rebuild": "Index rebuild",
    "grouping": "Grouping a new report",
    "http": "HTTP latency under gunicorn",
    "facets": "Facet counting",
    "fts5": "Search vs SQLite FTS5",
    "sync_delay": "Index-sync delay under load",
    "worker_memory": "Worker memory",
    "export": "Export",
    "spelling": "Spelling check per query",
    "admin_search": "Admin article search",
}


# --- The machine ----------------------------------------------------------------------------


def machine_info(postgres_url: str | None = None) -> dict:
    """Return the CPU, cores, memory, OS and the Python, SQLite and PostgreSQL versions.

    The PostgreSQL version is the server's when postgres_url is given and answers, else that
    of a local `postgres` binary, else None.
    """
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(postgres_url),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as lines:
            for line in lines:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        with open("/proc/meminfo") as lines:
            for line in lines:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _postgres_version(postgres_url: str | None) -> str | None:
    if postgres_url:
        try:
            import psycopg

            with psycopg.connect(postgres_url, connect_timeout=5) as connection:
                return f"{connection.execute('SHOW server_version').fetchone()[0]} (server)"
        except Exception:  # any failure leaves the local binary as the best answer
            pass
    binaries = [shutil.which("postgres"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))]
    for binary in filter(None, binaries):
        try:
            answer = subprocess.run(
                [binary, "--version"], capture_output=True, text=True, timeout=10, check=True
            )
        except (OSError, subprocess.SubprocessError):
            continue
        # "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
        version = re.search(r"\(PostgreSQL\) (\S+)", answer.stdout)
        return f"{version[1] if version else answer.stdout.strip()} (local binary)"
    return None


# --- Verdicts -------------------------------------------------------------------------------


def figure(results: dict, path: tuple[str, ...]):
    """Return the number at `path` in the results, or None when it is missing or not a number."""
    value = results
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def verdicts(results: dict) -> list[tuple[Target, float | None, str]]:
    """Return each target with its figure and PASS, MISS or "not measured"."""
    results = with_ratios(results)
    rows = []
    for target in TARGETS:
        value = figure(results, target.path)
        if value is None:
            rows.append((target, None, NOT_MEASURED))
        else:
            rows.append((target, value, PASS if target.meets(value) else MISS))
    return rows


def with_ratios(results: dict) -> dict:
    """Return the results with the facet and FTS5 ratios worked out where only times are given."""
    results = dict(results)
    for item, numerator, denominator in (
        ("facets", "naive_ms", "ours_ms"),  # a speed-up: higher is better
        ("fts5", "ours_ms", "fts5_ms"),  # a slowdown: lower is better
    ):
        entry = results.get(item)
        if not isinstance(entry, dict) or figure(entry, ("ratio",)) is not None:
            continue
        top, bottom = figure(entry, (numerator,)), figure(entry, (denominator,))
        if top is not None and bottom:
            results[item] = {**entry, "ratio": round(top / bottom, 2)}
    return results


# --- Writing --------------------------------------------------------------------------------


def write_report(results: dict, folder: Path) -> dict[str, Path]:
    """Write results.json, report.md and latency.png into folder; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": folder / "results.json",
        "markdown": folder / "report.md",
        "chart": folder / "latency.png",
    }
    paths["json"].write_text(json.dumps(results, indent=2, default=str) + "\n")
    draw_latency_chart(results.get("http"), paths["chart"])
    paths["markdown"].write_text(render_markdown(results, chart_name=paths["chart"].name))
    return paths


def render_markdown(results: dict, *, chart_name: str = "latency.png") -> str:
    """Return the report as Markdown: machine, corpus, a summary, then a table per item."""
    results = with_ratios(results)
    machine = results.get("machine") or machine_info()
    rows = verdicts(results)
    counts = {word: sum(1 for *_, said in rows if said == word) for word in (PASS, MISS)}
    measured = counts[PASS] + counts[MISS]
    lines = [
        "# Benchmark report",
        "",
        f"Written {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. "
        f"{counts[PASS]} of {len(rows)} targets met, {counts[MISS]} missed, "
        f"{len(rows) - measured} not measured.",
        "",
        "## Machine",
        "",
        *_key_values(machine),
        "",
        "## Corpus",
        "",
        *(_key_values(results["corpus"]) if results.get("corpus") else [NOT_MEASURED]),
        "",
        "## Summary",
        "",
        "| Measure | Figure | Target | Verdict |",
        "|---|---:|---|---|",
    ]
    for target, value, said in rows:
        shown = NOT_MEASURED if value is None else f"{_number(value)} {target.unit}".rstrip()
        lines.append(f"| {target.label} | {shown} | {target.describe()} | {said} |")
    for item, heading in ITEMS.items():
        lines += ["", f"## {heading}", ""]
        entry = results.get(item)
        if not isinstance(entry, dict) or not entry:
            lines.append(f"{NOT_MEASURED.capitalize()}.")
            continue
        if item == "http":
            lines += _http_section(entry, chart_name)
            lines += ["", *_target_table(item, rows)]
        else:
            lines += _item_table(item, entry, rows)
    return "\n".join(lines) + "\n"


def _item_table(item: str, entry: dict, rows) -> list[str]:
    """Return a table of an item's figures, each beside its target where it has one."""
    judged = {
        target.path[1:]: (target, said) for target, _value, said in rows if target.item == item
    }
    lines = ["| Figure | Value | Target | Verdict |", "|---|---:|---|---|"]
    for path, value in _flatten(entry):
        target, said = judged.pop(path, (None, ""))
        lines.append(
            f"| {'.'.join(path)} | {_shown(value)} | {target.describe() if target else ''} "
            f"| {said} |"
        )
    # Targets whose figure the item lacks: say so rather than leave them out.
    for target, said in judged.values():
        lines.append(
            f"| {'.'.join(target.path[1:])} | {NOT_MEASURED} | {target.describe()} | {said} |"
        )
    if item == "worker_memory" and entry.get("workers"):
        lines += ["", "| Worker pid | RSS MB | PSS MB |", "|---:|---:|---:|"]
        for worker in entry["workers"]:
            lines.append(
                f"| {worker.get('pid')} | {_shown(worker.get('rss_mb'))} "
                f"| {_shown(worker.get('pss_mb'))} |"
            )
    return lines


def _target_table(item: str, rows) -> list[str]:
    lines = ["| Target | Figure | Bound | Verdict |", "|---|---:|---|---|"]
    for target, value, said in rows:
        if target.item == item:
            shown = NOT_MEASURED if value is None else _number(value)
            lines.append(f"| {target.label} | {shown} | {target.describe()} | {said} |")
    return lines


def _http_section(http: dict, chart_name: str) -> list[str]:
    lines = [
        "Each request timed from sending it to reading its whole body; percentiles are "
        "nearest-rank over the successful requests.",
        "",
        "| Run | Requests | Errors | p50 ms | p95 ms | p99 ms | Mean ms | Max ms | Requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in HTTP_RUNS.items():
        run = http.get(key)
        if not isinstance(run, dict):
            lines.append(f"| {label} | {NOT_MEASURED} | | | | | | | |")
            continue
        figures = [
            run.get(name)
            for name in ("requests", "errors", *LATENCY_PERCENTILES, "mean_ms", "max_ms")
        ]
        figures.append(run.get("requests_per_second"))
        lines.append(f"| {label} | " + " | ".join(_shown(value) for value in figures) + " |")
    kinds = _kinds(http)
    if kinds:
        lines += [
            "",
            "Per query kind:",
            "",
            "| Kind | Requests c1 | p50 c1 | p95 c1 | p99 c1 | Requests c8 | p50 c8 | p95 c8 "
            "| p99 c8 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for kind in kinds:
            cells = []
            for key in HTTP_RUNS:
                summary = (http.get(key) or {}).get("kinds", {}).get(kind, {})
                cells += [_shown(summary.get(name)) for name in ("requests", *LATENCY_PERCENTILES)]
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += ["", f"![HTTP latency percentiles]({chart_name})"]
    return lines


def _kinds(http: dict) -> list[str]:
    kinds: list[str] = []
    for key in HTTP_RUNS:
        run = http.get(key)
        for kind in (run or {}).get("kinds", {}) if isinstance(run, dict) else ():
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def _flatten(entry: dict, prefix: tuple[str, ...] = ()):
    for key, value in entry.items():
        if key in SKIPPED_IN_TABLES:
            continue
        if isinstance(value, dict):
            yield from _flatten(value, (*prefix, key))
        elif not isinstance(value, list):
            yield (*prefix, key), value


def _key_values(mapping: dict) -> list[str]:
    lines = ["| | |", "|---|---|"]
    for path, value in _flatten(mapping):
        lines.append(f"| {'.'.join(path)} | {_shown(value)} |")
    return lines


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    return str(value).replace("|", "\\|")


def _number(value: float) -> str:
    """Return 1,234 or 12.35 or 123.5: two decimals below 100, one above, no trailing zeros."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"
    return text.rstrip("0").rstrip(".")


# --- The chart ------------------------------------------------------------------------------


def draw_latency_chart(http: dict | None, path: Path) -> None:
    """Draw p50, p95 and p99 per query kind (and overall) at concurrency 1 and 8 as a PNG."""
    # The Agg canvas is attached to the figure directly: no pyplot, no display, no global
    # backend switch in a process that may have chosen another one.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    http = http if isinstance(http, dict) else {}
    figure_ = Figure(figsize=(11, 4.8), layout="constrained")
    FigureCanvasAgg(figure_)
    # Each panel its own scale: queueing at concurrency 8 would flatten the other.
    axes = figure_.subplots(1, len(HTTP_RUNS))
    groups = ["overall", *_kinds(http)]
    width = 0.8 / len(LATENCY_PERCENTILES)
    for axis, (key, label) in zip(axes, HTTP_RUNS.items(), strict=True):
        axis.set_title(label)
        run = http.get(key)
        if not isinstance(run, dict) or run.get("p50_ms") is None:
            axis.text(0.5, 0.5, NOT_MEASURED, ha="center", va="center", transform=axis.transAxes)
            axis.set_xticks([])
            axis.set_yticks([])
            continue
        for offset, name in enumerate(LATENCY_PERCENTILES):
            heights = [
                (run if group == "overall" else run.get("kinds", {}).get(group, {})).get(name) or 0
                for group in groups
            ]
            positions = [number + (offset - 1) * width for number in range(len(groups))]
            axis.bar(positions, heights, width, label=name.removesuffix("_ms"))
        axis.set_xticks(range(len(groups)), groups, rotation=30, ha="right")
        axis.grid(axis="y", alpha=0.3)
        if key == "c1":
            for target in TARGETS:
                if target.path[:2] == ("http", "c1") and target.unit == "ms":
                    axis.axhline(target.limit, color="grey", linestyle="--", linewidth=0.8)
                    axis.annotate(
                        f"{target.path[2].removesuffix('_ms')} target",
                        (len(groups) - 0.5, target.limit),
                        ha="right",
                        va="bottom",
                        fontsize=8,
                        color="grey",
                    )
        axis.set_ylabel("ms, send to last byte")
        axis.legend(fontsize=8)
    figure_.suptitle("Search latency under gunicorn")
    figure_.savefig(path, format="png", dpi=100)
