"""The change log and its application: nothing lost, nothing waits on the write lock."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.merges import merge_entries
from archive.models import Article
from search.backends.base import SearchRequest, SearchUnavailable
from search.index import sync
from search.index.documents import article_document
from search.models import ArticleChange
from tests import factories

pytestmark = pytest.mark.django_db


def indexed_ids(backend) -> set[int]:
    return {int(key) for key in backend.stamps()}


def test_saving_an_article_or_a_tag_logs_a_change():
    article = factories.make_article()
    assert ArticleChange.objects.filter(article_id=article.pk).count() == 1
    factories.tag(article, factories.country("KH"))
    assert ArticleChange.objects.filter(article_id=article.pk).count() == 2
    article_id = article.pk
    article.delete()
    assert ArticleChange.objects.filter(article_id=article_id).count() >= 3


def test_a_bulk_source_merge_is_logged_too():
    keep, extra = factories.make_source("Keep"), factories.make_source("Extra")
    article = factories.make_article(source=extra)
    before = ArticleChange.objects.count()
    merge_entries(keep, [extra])
    assert ArticleChange.objects.filter(id__gt=0, article_id=article.pk).count() >= 2
    assert ArticleChange.objects.count() > before


def test_applying_indexes_updates_and_deletes(search_index):
    first, second = factories.make_article(title="First"), factories.make_article(title="Second")
    assert sync.apply_pending() >= 2
    assert indexed_ids(search_index) == {first.pk, second.pk}
    second.delete()
    first.title = "First, changed"
    first.save()
    sync.apply_pending()
    assert indexed_ids(search_index) == {first.pk}
    first.refresh_from_db()
    assert search_index.stamps()[str(first.pk)] == article_document(first)["stamp"]
    sync.apply_pending()
    assert search_index.last_change() == ArticleChange.objects.order_by("-id").first().id


def test_a_writer_that_finds_the_lock_taken_leaves_at_once(search_index):
    factories.make_article()
    sync.apply_pending()
    held = search_index.open_writer()
    try:
        waiting = factories.make_article()
        assert sync.apply_pending() == 0  # the lock is taken: it leaves, it does not wait
    finally:
        held.cancel()
    assert waiting.pk not in indexed_ids(search_index)
    assert sync.apply_pending() >= 1  # picked up once the lock is free
    assert waiting.pk in indexed_ids(search_index)


def test_the_cursor_moves_to_the_highest_row_read_and_reads_each_row_once(
    search_index, monkeypatch
):
    sync.apply_pending()
    monkeypatch.setattr(sync, "APPLY_BATCH", 1)
    articles = [factories.make_article(title=f"Report {n}") for n in range(3)]
    rounds = []
    read_log = sync.read_log
    monkeypatch.setattr(sync, "read_log", lambda *a: rounds.append(read_log(*a)) or rounds[-1])
    sync.apply_pending()
    assert {a.pk for a in articles} <= indexed_ids(search_index)
    assert search_index.last_change() == ArticleChange.objects.order_by("-id").first().id
    read_ids = [row.id for rows, _, _ in rounds for row in rows]
    assert len(read_ids) == len(set(read_ids))  # no row read twice


def test_deferred_applies_once_at_the_end(search_index, monkeypatch):
    calls = []
    monkeypatch.setattr(sync, "apply_pending", lambda **kw: calls.append(kw) or 0)
    with sync.deferred():
        factories.make_article()
        factories.make_article()
    assert calls == [{"create": True, "budget_seconds": None}]


def test_web_requests_do_not_build_a_missing_index(search_index):
    factories.make_article()
    assert sync.apply_pending(create=False) == 0
    assert not search_index.exists()


def test_rebuild_swaps_in_a_complete_index(search_index):
    articles = [factories.make_article() for _ in range(3)]
    call_command("rebuild_index", stdout=StringIO(), verbosity=0)
    assert indexed_ids(search_index) == {a.pk for a in articles}


def test_an_index_built_by_an_earlier_version_is_rebuilt_when_outdated(search_index, monkeypatch):
    from search.backends.whoosh import schema, storage

    article = factories.make_article(title="Rebuilt after an upgrade")

    def earlier_schema():
        earlier = schema.build_schema()
        earlier.remove("words_by_script")  # an index from before words were cut by script
        return earlier

    with monkeypatch.context() as patched:
        patched.setattr(storage, "build_schema", earlier_schema)
        call_command("rebuild_index", stdout=StringIO(), verbosity=0)
    assert search_index.outdated()
    with pytest.raises(SearchUnavailable, match="earlier version"):
        search_index.search(SearchRequest(query="upgrade"), texts_of=lambda ids: {})

    out = StringIO()
    call_command("rebuild_index", "--if-outdated", stdout=out, verbosity=0)
    assert "Rebuilt the index with 1 articles" in out.getvalue()
    assert not search_index.outdated()
    assert indexed_ids(search_index) == {article.pk}

    out = StringIO()
    call_command("rebuild_index", "--if-outdated", stdout=out, verbosity=0)
    assert out.getvalue().strip() == "The index is up to date: nothing to rebuild."


def test_an_interrupted_rebuild_leaves_the_old_index_serving(search_index, monkeypatch):
    kept = factories.make_article()
    call_command("rebuild_index", stdout=StringIO(), verbosity=0)
    generations = sorted(p.name for p in search_index.root.glob("gen-*"))
    factories.make_article()

    def crash_midway(article):
        if article.pk != kept.pk:
            raise KeyboardInterrupt("operator pressed Ctrl-C")
        return article_document(article)

    monkeypatch.setattr("search.management.commands.rebuild_index.article_document", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        call_command("rebuild_index", stdout=StringIO(), verbosity=0)
    assert sorted(p.name for p in search_index.root.glob("gen-*")) == generations
    assert kept.pk in indexed_ids(search_index)


def test_check_index_finds_and_repairs_drift(search_index):
    kept, stale = factories.make_article(), factories.make_article()
    sync.apply_pending()
    # Corrupt the index behind the log's back: a stale entry, an orphan, a missing article.
    writer = search_index.open_writer()
    document = article_document(stale)
    writer.upsert({**document, "stamp": "tampered"})
    writer.upsert({**article_document(kept), "id": "999999"})
    writer.delete(str(kept.pk))
    writer.commit(last_change=writer.last_change)
    out = StringIO()
    with pytest.raises(CommandError, match="drifted"):
        call_command("check_index", stdout=out)
    assert "1 missing, 1 orphaned, 1 stale." in out.getvalue()
    call_command("check_index", "--repair", stdout=out)
    assert "Repaired: the index matches the database." in out.getvalue()
    assert indexed_ids(search_index) == {kept.pk, stale.pk}


def test_update_index_applies_the_log(search_index):
    article = factories.make_article()
    out = StringIO()
    call_command("update_index", stdout=out)
    assert "changes applied." in out.getvalue()
    assert article.pk in indexed_ids(search_index)


def test_ingest_builds_the_index_once_at_the_end(search_index):
    from tests.conftest import SEEDS_DIR

    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())
    assert len(indexed_ids(search_index)) == Article.objects.count() == 5


def test_the_rebuild_cursor_is_the_newest_row():
    rows = [ArticleChange.objects.create(article_id=n) for n in (1, 2, 3)]
    last, in_flight = sync.current_log_cursor()
    assert last == rows[-1].id and in_flight == ()  # none but this test's transaction is open


@pytest.mark.django_db(transaction=True)
def test_a_spent_budget_hands_the_rest_to_the_background_applier(search_index, monkeypatch):
    """A web request applies for a bounded time; the process's background thread does the rest."""
    monkeypatch.setattr(sync, "APPLY_BATCH", 1)  # one row per round: four rounds in all
    sync.apply_pending()
    articles = [factories.make_article(title=f"Backlog {n}") for n in range(4)]
    with monkeypatch.context() as patch:
        patch.setattr(sync, "apply_pending", lambda **kwargs: 0)  # no apply on commit
        articles.append(factories.make_article(title="Backlog 5"))
    applied_by_request = sync.apply_pending(create=False, budget_seconds=0)
    assert applied_by_request == 1  # one round, then the budget was spent
    assert sync.background_applier.wait(timeout=60)
    assert {article.pk for article in articles} <= indexed_ids(search_index)


@pytest.mark.django_db(transaction=True)
def test_within_its_budget_a_request_applies_everything_itself(search_index, monkeypatch):
    monkeypatch.setattr(sync, "APPLY_BATCH", 1)
    sync.apply_pending()
    woken = []
    monkeypatch.setattr(sync.background_applier, "wake", lambda: woken.append(True))
    with monkeypatch.context() as patch:
        patch.setattr(sync, "apply_pending", lambda **kwargs: 0)
        articles = [factories.make_article(title=f"Backlog {n}") for n in range(3)]
    assert sync.apply_pending(create=False, budget_seconds=600) >= 3
    assert {article.pk for article in articles} <= indexed_ids(search_index)
    assert woken == []
