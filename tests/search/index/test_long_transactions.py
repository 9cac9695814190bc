"""A change committed long after later ones is indexed: no transaction length loses a change.

The index keeps, beside the highest log id it has read, the transactions PostgreSQL saw in
progress then (search.index.sync). Here a transaction saves an article and stays open while curators
save others and the index applies them several times over; once it commits, the next apply
indexes its change, and check_index never reports the open one as drift.
"""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from search.index import sync
from search.index.documents import article_document
from search.models import ArticleChange
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def indexed_stamp(backend, article) -> str | None:
    return backend.stamps().get(str(article.pk))


def test_a_transaction_open_across_many_applies_loses_nothing(search_index, settings):
    settings.SEARCH_SYNC_ON_COMMIT = False  # each apply below is this test's own
    slow = factories.make_article(title="Saved in a long transaction")
    others = [factories.make_article(title=f"Saved meanwhile {n}") for n in range(2)]
    sync.apply_pending()
    saved, release, finished = threading.Event(), threading.Event(), threading.Event()
    open_change: list[int] = []

    def long_transaction():
        try:
            with transaction.atomic():
                slow.title = "Edited in a long transaction"
                slow.save()  # its log row takes an id now, visible only at the commit
                open_change.append(ArticleChange.objects.filter(article_id=slow.pk).latest("id").id)
                saved.set()
                release.wait(timeout=120)
        finally:
            connections.close_all()
            finished.set()

    thread = threading.Thread(target=long_transaction)
    thread.start()
    assert saved.wait(timeout=60)
    for round_number in range(3):  # later changes, committed and applied while it stays open
        for article in others:
            article.title = f"Edited in round {round_number}"
            article.save()
        sync.apply_pending()
        for article in others:  # applied at once, not held behind the open change
            assert indexed_stamp(search_index, article) == article_document(article)["stamp"]
        drift = StringIO()
        call_command("check_index", stdout=drift)  # the open change is not drift
        assert "0 missing, 0 orphaned, 0 stale" in drift.getvalue()
    assert search_index.in_flight(), "the open transaction is remembered"
    # The cursor went past the open change's id; it did not wait at it.
    assert search_index.last_change() > open_change[0]
    release.set()
    assert finished.wait(timeout=60)
    thread.join()

    assert sync.apply_pending() >= 1
    slow.refresh_from_db()
    assert slow.title == "Edited in a long transaction"
    assert indexed_stamp(search_index, slow) == article_document(slow)["stamp"]
    assert search_index.in_flight() == ()
    call_command("check_index", stdout=StringIO())  # exits 0: nothing drifted
