"""The soak's bookkeeping and verdicts, as plain data: request tallies, drift, server log faults.

    tally = Tally()
    tally.record("search page", status=200, seconds=0.041)
    tally.record("search page", status=500, seconds=0.2, error="/?q=x: HTTP 500")
    tally.summary()  # {"requests": 2, "errors": 1, "kinds": {...}, "error_samples": [...]}

    drift = compare_articles(intended, database=..., index=...)  # [] when all agree

Nothing here touches the network or the database; bench/soak.py gathers the states and hands
them in.
"""

from __future__ import annotations

import heapq
import itertools
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bench.http_load import summarize
from bench.soak_forms import MARKER

# Failed requests whose reason is kept (the count is always complete).
ERROR_SAMPLES = 20
SLOWEST_KEPT = 10
CONNECTION_ERROR = "connection error"
TIMEOUT = "timeout"


# --- Requests -------------------------------------------------------------------------------


@dataclass
class _KindTally:
    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0


class Tally:
    """Requests by kind: status counts, latencies of answered requests, errors with reasons.

    Safe to share between threads. A request counts as an error when `error` is given, whatever
    its status: what is expected of each kind is the caller's to judge.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._kinds: dict[str, _KindTally] = {}
        self._slowest: list[tuple[float, int, str, str, float]] = []  # a heap, fastest first
        self.started = time.monotonic()
        self._order = itertools.count()  # breaks ties in the heap
        self.error_samples: list[str] = []
        self.errors = 0

    def record(
        self,
        kind: str,
        *,
        status: int | str,
        seconds: float | None = None,
        error: str | None = None,
        path: str = "",
    ) -> None:
        """Count one request: its status (a number, or CONNECTION_ERROR / TIMEOUT) and time."""
        with self._lock:
            tally = self._kinds.setdefault(kind, _KindTally())
            tally.statuses[str(status)] += 1
            if seconds is not None and isinstance(status, int):
                tally.latencies_ms.append(seconds * 1000)
                # When it was sent, in seconds since the tally began: to line slow requests up
                # with what else ran then (an ingest batch, say).
                sent = time.monotonic() - seconds - self.started
                entry = (seconds, next(self._order), kind, path, sent)
                if len(self._slowest) < SLOWEST_KEPT:
                    heapq.heappush(self._slowest, entry)
                else:
                    heapq.heappushpop(self._slowest, entry)
            if error is not None:
                tally.errors += 1
                self.errors += 1
                if len(self.error_samples) < ERROR_SAMPLES:
                    self.error_samples.append(f"{kind}: {error}")

    def fault(self, where: str, reason: str) -> None:
        """Count a failure that is no request's (a lost update, an ingest that failed)."""
        with self._lock:
            self.errors += 1
            if len(self.error_samples) < ERROR_SAMPLES:
                self.error_samples.append(f"{where}: {reason}")

    @property
    def requests(self) -> int:
        with self._lock:
            return sum(sum(tally.statuses.values()) for tally in self._kinds.values())

    def summary(self) -> dict:
        """Return {"requests", "errors", "statuses", "kinds": {kind: {"requests", "errors",
        "statuses", "p50_ms", "p95_ms", ...}}, "error_samples", "slowest": [{"kind", "path",
        "ms", "sent_at_s"}]}, kinds in name order, the slowest answered requests slowest first."""
        with self._lock:
            kinds = {
                kind: {
                    "requests": sum(tally.statuses.values()),
                    "errors": tally.errors,
                    "statuses": dict(sorted(tally.statuses.items())),
                    **summarize(tally.latencies_ms),
                }
                for kind, tally in sorted(self._kinds.items())
            }
            statuses: Counter = Counter()
            for tally in self._kinds.values():
                statuses.update(tally.statuses)
            return {
                "requests": sum(kind["requests"] for kind in kinds.values()),
                "errors": self.errors,
                "statuses": dict(sorted(statuses.items())),
                "kinds": kinds,
                "error_samples": list(self.error_samples),
                "slowest": [
                    {
                        "kind": kind,
                        "path": path,
                        "ms": round(seconds * 1000),
                        "sent_at_s": round(sent, 1),
                    }
                    for seconds, _order, kind, path, sent in sorted(self._slowest, reverse=True)
                ],
            }


# --- Drift ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleState:
    """An article as one party sees it: its title and its live tags (kind -> entry ids)."""

    title: str
    tags: Mapping[str, frozenset[int]]


@dataclass(frozen=True)
class IndexView:
    """What the served search answers for a marker word.

    `found`: the ids of every hit; `tags`: kind -> entry ids the facets count for the hits
    (subjects and mentions), read from the index, so meaningful when there is one hit. (The
    hits' titles and tags in the answer come from the database, not the index.)
    """

    found: tuple[int, ...]
    tags: Mapping[str, frozenset[int]] = field(default_factory=dict)


def compare_articles(
    intended: Mapping[int, ArticleState],
    *,
    database: Mapping[int, ArticleState],
    index: Mapping[int, IndexView],
    replaced: Mapping[str, tuple[int, ...]] | None = None,
    counted_as: Callable[[Mapping[str, frozenset[int]]], Mapping[str, frozenset[int]]] = dict,
) -> list[dict]:
    """Return every disagreement between what curators last saved, the database and the index.

    `counted_as` turns an article's tags into the entries the search's facets count it under
    (a crime type also counts under the types above it); the identity by default.

    `index` holds the served search's answer for the marker word of each article's last save;
    `replaced` maps the markers of earlier saves (gone from every title since) to the ids a
    search for them still finds. A database that differs from a curator's last save is a lost
    update; an index that differs from the database is drift. Returns [{"article", "kind",
    "expected", "found"}], where kind is "lost update", "missing from database", "not found by
    its marker", "found more than once", "found with another article", "stale title" (the
    marker finds an article whose title no longer has it), "found by a replaced marker" (the
    index kept an old title) or "stale tags".
    """
    problems = []

    def problem(article_id, kind, expected, found):
        problems.append({"article": article_id, "kind": kind, "expected": expected, "found": found})

    for article_id, wanted in sorted(intended.items()):
        stored = database.get(article_id)
        if stored is None:
            problem(article_id, "missing from database", wanted.title, None)
            continue
        if stored.title != wanted.title or _tags(stored.tags) != _tags(wanted.tags):
            problem(
                article_id,
                "lost update",
                {"title": wanted.title, "tags": _tags(wanted.tags)},
                {"title": stored.title, "tags": _tags(stored.tags)},
            )
        view = index.get(article_id)
        found = tuple(view.found) if view is not None else ()
        if article_id not in found:
            problem(article_id, "not found by its marker", [article_id], list(found))
            continue
        if found.count(article_id) > 1:
            problem(article_id, "found more than once", [article_id], list(found))
        elif len(found) > 1:
            problem(article_id, "found with another article", [article_id], list(found))
            continue
        marker = MARKER.findall(wanted.title)[-1:]
        if marker and marker[0] not in stored.title.split():
            # The database lost the word, the index kept it.
            problem(article_id, "stale title", stored.title, f"found by {marker[0]}")
        if _tags(view.tags) != _tags(counted_as(stored.tags)):
            problem(article_id, "stale tags", _tags(counted_as(stored.tags)), _tags(view.tags))
    for marker, ids in sorted((replaced or {}).items()):
        if ids:
            problem(ids[0], "found by a replaced marker", {marker: []}, {marker: list(ids)})
    return problems


def with_broader_crime_types(
    parent_of: Mapping[int, int | None],
) -> Callable[[Mapping[str, frozenset[int]]], dict[str, frozenset[int]]]:
    """Return a function adding, to tags, every crime type above each one (as facets count)."""

    def counted_as(tags: Mapping[str, frozenset[int]]) -> dict[str, frozenset[int]]:
        crime_types = set()
        for pk in tags.get("crime_type", ()):
            while pk is not None and pk not in crime_types:
                crime_types.add(pk)
                pk = parent_of.get(pk)
        return {**tags, "crime_type": frozenset(crime_types)} if crime_types else dict(tags)

    return counted_as


def compare_counts(*, database: int, served_total: int, unique_ids: int, documents: int) -> list:
    """Return disagreements between the number of articles and the index's documents.

    `served_total`: what the served search reports for no query at all, counting every report
    (not each incident once); `unique_ids`: distinct article ids in the index; `documents`: its
    live documents (more than unique_ids means some article is indexed twice).
    """
    problems = []
    for kind, found in (
        ("served total", served_total),
        ("indexed ids", unique_ids),
        ("indexed documents", documents),
    ):
        if found != database:
            problems.append(
                {"article": None, "kind": f"{kind} differs", "expected": database, "found": found}
            )
    return problems


def missing_choices(
    offered: Mapping[str, Iterable[int]], existing: Mapping[str, Iterable[int]]
) -> dict[str, list[int]]:
    """Return, per kind, the entries that exist but were never offered (kinds missing none
    left out)."""
    missing = {
        kind: sorted(set(ids) - set(offered.get(kind, ()))) for kind, ids in existing.items()
    }
    return {kind: ids for kind, ids in missing.items() if ids}


def _tags(tags: Mapping[str, Iterable[int]]) -> dict[str, list[int]]:
    """Return tags in a comparable, printable form: kinds without entries left out."""
    return {kind: sorted(ids) for kind, ids in sorted(tags.items()) if ids}


# --- Output of other processes --------------------------------------------------------------

_INGEST_SUMMARY = re.compile(
    r"(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) skipped", re.IGNORECASE
)
_CHECK_INDEX = re.compile(r"(\d+) missing, (\d+) orphaned, (\d+) stale")
# Lines of gunicorn's log that mean something went wrong in the server: Django's log format
# ("... ERROR django.request: ...") and gunicorn's ("[...] [ERROR] ..."), tracebacks, and
# workers killed for taking too long or exiting.
_SERVER_FAULT = re.compile(
    r"\b(ERROR|CRITICAL)\b|\[(ERROR|CRITICAL)\]|^Traceback|WORKER TIMEOUT|Worker \(pid:\d+\) "
    r"(was sent|exited)"
)


def ingest_counts(output: str) -> dict[str, int] | None:
    """Return the counts of `manage.py ingest`'s summary line, None when there is none."""
    match = _INGEST_SUMMARY.search(output)
    if match is None:
        return None
    return dict(
        zip(("created", "updated", "unchanged", "skipped"), map(int, match.groups()), strict=True)
    )


def check_index_counts(output: str) -> dict[str, int] | None:
    """Return the counts of `manage.py check_index`'s first line, None when it has none."""
    match = _CHECK_INDEX.search(output)
    if match is None:
        return None
    return dict(zip(("missing", "orphaned", "stale"), map(int, match.groups()), strict=True))


def server_faults(log_lines: Iterable[str]) -> list[str]:
    """Return the log lines that report an error, a traceback or a lost worker; a traceback
    is said with its last frame and the exception it ended in, so that a report read far from
    the server's log still says what failed and where."""
    lines = [line.rstrip() for line in log_lines]
    faults = []
    for number, line in enumerate(lines):
        if not _SERVER_FAULT.search(line):
            continue
        if line.startswith("Traceback"):
            line += _traceback_ending(lines[number + 1 :])
        faults.append(line)
    return faults


def _traceback_ending(following: list[str]) -> str:
    """Return " ... <last frame> -> <exception>" of the traceback whose lines follow."""
    frame = ""
    for line in following:
        if line.lstrip().startswith("File "):
            frame = line.strip()
        elif line and not line[0].isspace():
            # A line of its own before any frame: the traceback was cut, not ended.
            return f" ... {frame} -> {line}" if frame else ""
    return ""
