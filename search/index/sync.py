"""Keep the index in step with the database through the ArticleChange log.

Writing: a signal handler adds a log row for every article whose index document may have changed
(the article, one of its tags or figures, its source), inside the transaction that changed it; bulk
`.update()` calls that bypass signals call `log_article_changes` themselves. After the transaction
commits, the process tries to apply the log.

Applying: only the process holding the index's write lock applies, and nobody waits for it. A
process that finds the lock taken leaves at once; the holder, after releasing the lock, looks for
rows written meanwhile and takes the lock again if there are any. Since a row is committed before
its writer tries the lock, and the holder looks after releasing it, no row is left behind.

The cursor: log ids are handed out when a row is inserted but become visible when its transaction
commits, so id 101 can be visible while 100 is not yet, and 100 may stay invisible for as long as
its transaction stays open (an admin bulk action over thousands of articles, a script). So the
index keeps, beside the highest id it has read, the database transactions that were still in
progress when it read them (PostgreSQL's snapshot lists them; each row records its transaction):
the next read takes the rows above that id and the rows those transactions have committed since.
No row is skipped however long its transaction lasts, and none is read twice once applied. On
SQLite one transaction writes at a time, so ids become visible in order and none is ever in
progress behind the cursor. Applying is idempotent (re-read the article, upsert or delete it).

Web requests: the holder's loop would make a curator's save wait for everything an import running
meanwhile logs (and, past gunicorn's timeout, lose the worker). After a commit in a web request
the process therefore applies for at most AFTER_COMMIT_SECONDS, then hands the loop to one
background thread of its own, which goes on until no row is left: the same promise, kept off the
request. A search also checks, at most every CATCH_UP_SECONDS, that the index is not behind the
log (an import killed before it applied its changes leaves it so) and wakes that thread if it is.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models.signals import post_delete, post_save

from archive.lean_inserts import row_inserter
from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.index.documents import article_document, articles_for_indexing
from search.models import ArticleChange

logger = logging.getLogger(__name__)

# How often a process's searches check that the index has applied the whole log.
CATCH_UP_SECONDS = 5.0
# Rows applied per index commit.
APPLY_BATCH = 500
# Longest the process that committed a change applies the log before answering its request; the
# rest continues in a background thread (see the module's docstring).
AFTER_COMMIT_SECONDS = 2.0

_local = threading.local()


def log_article_changes(article_ids: Iterable[int]) -> None:
    """Record that these articles' index documents must be refreshed."""
    rows = [ArticleChange(article_id=article_id) for article_id in set(article_ids)]
    if not rows:
        return
    # Every saved article and tag comes through here: the lean insert costs a third of
    # bulk_create's compiling, which an import of a hundred thousand articles notices.
    row_inserter(ArticleChange).insert(rows)
    _schedule_apply()


def _schedule_apply() -> None:
    if not settings.SEARCH_SYNC_ON_COMMIT or getattr(_local, "deferred", 0):
        return
    # One attempt after this commit is enough. The transaction's own list of callbacks says
    # whether it has one: a flag of our own would stay set when the transaction rolls back
    # (dropping the callback that was to clear it), and this thread would never apply again.
    pending = transaction.get_connection().run_on_commit
    if any(callback is _apply_after_commit for _, callback, _ in pending):
        return
    transaction.on_commit(_apply_after_commit)


def _apply_after_commit() -> None:
    apply_pending_safely(budget_seconds=AFTER_COMMIT_SECONDS)


@contextlib.contextmanager
def deferred():
    """Log changes as usual but apply them once, when the block ends (for batch commands)."""
    _local.deferred = getattr(_local, "deferred", 0) + 1
    try:
        yield
    finally:
        _local.deferred -= 1
        if not _local.deferred:
            apply_pending_safely(create=True)


def apply_pending_safely(*, create: bool = False, budget_seconds: float | None = None) -> int:
    """Apply pending changes; an index problem is logged, never raised into a web request."""
    try:
        return apply_pending(create=create, budget_seconds=budget_seconds)
    except SearchUnavailable as error:
        # Already logged, once, by the backend; the changes wait in the log for rebuild_index.
        logger.warning("Pending changes stay in the log: %s", error)
        return 0
    except Exception:
        logger.exception("Could not apply pending changes to the search index")
        return 0


def apply_pending(*, create: bool = True, budget_seconds: float | None = None) -> int:
    """Apply every change the index has not applied yet, unless another process is at it.

    Without an index, `create` builds one from the whole log; web requests pass False and leave
    a missing index to `rebuild_index`. With `budget_seconds`, rows still waiting once that time
    is spent are left to this process's background applier. Returns the number of log rows
    applied by this call.
    """
    backend = get_backend()
    applied = 0
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    while True:
        writer = backend.open_writer(create=create)
        if writer is None:
            return applied  # the lock holder will pick up what we logged
        with writer:
            rows, last, in_flight = read_log(writer.last_change, writer.in_flight)
            if not rows and (last, in_flight) == (writer.last_change, writer.in_flight):
                writer.cancel()
            else:
                _apply_rows(writer, rows)
                writer.commit(last_change=last, in_flight=in_flight)
                applied += len(rows)
        # Look again after releasing the lock: rows committed while we held it.
        if not rows or not has_unread(last, in_flight):
            return applied
        if deadline is not None and time.monotonic() >= deadline:
            background_applier.wake()
            return applied


def read_log(
    last: int, in_flight: tuple[int, ...]
) -> tuple[list[ArticleChange], int, tuple[int, ...]]:
    """Return (the rows not yet read, the new highest id, the transactions in progress now).

    The rows are those above `last` (at most APPLY_BATCH of them) and those that transactions
    in progress at the previous read (`in_flight`) have committed since. On PostgreSQL the ids
    and the transactions in progress come from one statement, so from one snapshot: read apart,
    a transaction committing between the two reads would be in neither.
    """
    if connection.vendor != "postgresql":
        rows = list(ArticleChange.objects.filter(id__gt=last).order_by("id")[:APPLY_BATCH])
        return rows, max([last, *(row.id for row in rows)]), ()
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_READ, [last, APPLY_BATCH, list(in_flight), last])
        now_in_flight, newer, committed = cursor.fetchone()
    ids = [*newer, *committed]
    rows = list(ArticleChange.objects.filter(id__in=ids).order_by("id")) if ids else []
    return rows, max([last, *newer]), tuple(sorted(now_in_flight))


# The transactions in progress, the ids above the cursor, and the rows of the transactions in
# progress at the previous read that are visible now: one statement, one snapshot.
_SNAPSHOT_READ = """
    SELECT
        array(SELECT pg_snapshot_xip(pg_current_snapshot())::text::bigint),
        array(SELECT id FROM search_articlechange WHERE id > %s ORDER BY id LIMIT %s),
        array(
            SELECT id FROM search_articlechange
            WHERE transaction_id = ANY(%s::bigint[]) AND id <= %s
        )
"""


def has_unread(last: int, in_flight: tuple[int, ...]) -> bool:
    """Return whether the log holds rows an index at this cursor has not read."""
    newer = ArticleChange.objects.filter(id__gt=last)
    if in_flight:
        newer = newer | ArticleChange.objects.filter(transaction_id__in=in_flight)
    return newer.exists()


def pending_article_ids(last: int, in_flight: tuple[int, ...]) -> set[int]:
    """Return the articles with a logged change an index at this cursor has not applied."""
    rows = ArticleChange.objects.filter(id__gt=last)
    if in_flight:
        rows = rows | ArticleChange.objects.filter(transaction_id__in=in_flight)
    return set(rows.values_list("article_id", flat=True))


_last_check = {"at": float("-inf")}


def catch_up_if_behind() -> None:
    """Wake this process's background applier if the index lags the log (checked at most every
    CATCH_UP_SECONDS): an import killed before applying, or a host whose --watch has stopped,
    is caught up by the next search instead of by a person."""
    now = time.monotonic()
    if now - _last_check["at"] < CATCH_UP_SECONDS or not settings.SEARCH_SYNC_ON_COMMIT:
        return
    _last_check["at"] = now
    backend = get_backend()
    try:
        behind = has_unread(backend.last_change(), backend.in_flight())
    except SearchUnavailable:
        return  # a missing or damaged index waits for rebuild_index
    if behind:
        background_applier.wake()


class BackgroundApplier:
    """One thread per process that applies the log until no row is left, then ends.

    `wake()` asks for a pass; a pass asked for while one runs makes the thread go round again,
    so a row handed over is never left behind. The thread is not a daemon: a command that
    handed rows over finishes applying them before the interpreter exits.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._asked = False

    def wake(self) -> None:
        with self._lock:
            self._asked = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="search-index-applier", daemon=False
                )
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to finish; return False if it is still running (for tests)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._asked:
                        self._thread = None
                        return
                    self._asked = False
                apply_pending_safely()
        finally:
            # This thread's own database connections.
            connections.close_all()


background_applier = BackgroundApplier()


def _apply_rows(writer, rows: list[ArticleChange]) -> None:
    wanted = {row.article_id for row in rows}
    present = set()
    for article in articles_for_indexing().filter(pk__in=wanted):
        writer.upsert(article_document(article))
        present.add(article.pk)
    for article_id in wanted - present:
        writer.delete(str(article_id))


def current_log_cursor() -> tuple[int, tuple[int, ...]]:
    """Return the cursor of an index built from what the database holds now: the highest log id
    visible, and the transactions in progress, whose rows may still appear below it."""
    if connection.vendor != "postgresql":
        return ArticleChange.objects.order_by("-id").values_list("id", flat=True).first() or 0, ()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT pg_snapshot_xip(pg_current_snapshot())::text::bigint), "
            "(SELECT max(id) FROM search_articlechange)"
        )
        in_flight, last = cursor.fetchone()
    return last or 0, tuple(sorted(in_flight))


# --- signals --------------------------------------------------------------------------------


def connect_signals() -> None:
    from archive.models import TAG_KINDS, Article, ReportedFigure, Source
    from archive.signals import articles_changed

    post_save.connect(_article_changed, sender=Article, dispatch_uid="search-article-save")
    post_delete.connect(_article_changed, sender=Article, dispatch_uid="search-article-delete")
    for kind in TAG_KINDS.values():
        post_save.connect(_tag_changed, sender=kind.model, dispatch_uid=f"search-{kind.key}-save")
        post_delete.connect(
            _tag_changed, sender=kind.model, dispatch_uid=f"search-{kind.key}-delete"
        )
    # A figure's provinces, drugs, people and masses are facets (documents.figure_fields): a
    # curator confirming, correcting or rejecting one changes what its article is found by.
    post_save.connect(_tag_changed, sender=ReportedFigure, dispatch_uid="search-figure-save")
    post_delete.connect(_tag_changed, sender=ReportedFigure, dispatch_uid="search-figure-delete")
    post_delete.connect(_source_deleted, sender=Source, dispatch_uid="search-source-delete")
    articles_changed.connect(_bulk_changed, dispatch_uid="search-bulk-change")


def _article_changed(sender, instance, **kwargs):
    log_article_changes([instance.pk])


def _tag_changed(sender, instance, **kwargs):
    log_article_changes([instance.article_id])


def _bulk_changed(sender, article_ids, **kwargs):
    log_article_changes(article_ids)


def _source_deleted(sender, instance, **kwargs):
    # Articles keep a PROTECT foreign key to their source, so this only happens to unused ones;
    # logged anyway in case that rule changes.
    log_article_changes(instance.articles.values_list("pk", flat=True))
