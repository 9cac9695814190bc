"""Several processes change, re-tag and delete articles while another searches; afterwards the
index must match the database exactly, and no process may have met a LockError.

Runs on PostgreSQL only: it needs a database that separate processes share and write at once.
"""

import logging
import multiprocessing
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from archive.models import Article
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 30


class _QueueHandler(logging.Handler):
    def __init__(self, problems):
        super().__init__(level=logging.WARNING)
        self.queue = problems

    def emit(self, record):
        self.queue.append(f"{record.name}: {record.getMessage()} {record.exc_text or ''}")


def _work(role: str, seed: int, ids: list[int], problems) -> None:
    from search.backends import forget_backends
    from search.backends.base import SearchRequest

    forget_backends()  # never share the parent's open index files
    logging.getLogger().addHandler(_QueueHandler(problems))
    rng = random.Random(seed)
    try:
        for number in range(ROUNDS):
            pk = rng.choice(ids)
            if role == "editor":
                with transaction.atomic():
                    article = Article.objects.select_for_update().filter(pk=pk).first()
                    if article:
                        article.title = f"Edited by {seed} in round {number}"
                        article.save()
            elif role == "tagger":
                article = Article.objects.filter(pk=pk).first()
                if article:
                    factories_tag_toggle(article, rng)
            elif role == "deleter" and number % 6 == 0:
                Article.objects.filter(pk=pk).delete()
            elif role == "searcher":
                from search.backends import get_backend

                get_backend().search(
                    SearchRequest(query=rng.choice(["police", "drugs", ""])),
                    texts_of=lambda ids: {},
                )
    except Exception as error:  # reported to the parent, which fails the test
        problems.append(f"{role} {seed}: {type(error).__name__}: {error}")
    finally:
        connections.close_all()


def factories_tag_toggle(article, rng) -> None:
    from archive.models import ArticleCountry, Country, Origin

    country = rng.choice(list(Country.objects.filter(code__in=["KH", "TH", "VN"])))
    existing = ArticleCountry.objects.filter(article=article, country=country).first()
    if existing:
        existing.delete()
    else:
        ArticleCountry.objects.create(article=article, country=country, origin=Origin.CURATOR)


def test_concurrent_changes_leave_the_index_exactly_matching_the_database(search_index):
    factories.load_initial_taxonomy()
    ids = [factories.make_article(body=f"Police seized drugs, report {n}.").pk for n in range(40)]
    call_command("rebuild_index", stdout=StringIO(), verbosity=0)

    # Children must open their own connections: a socket shared across fork would be closed
    # under the parent's feet by the first child to finish.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    manager = context.Manager()  # a list in the manager, not a Queue: no feeder thread to drain
    problems = manager.list()
    roles = ["editor", "editor", "tagger", "deleter", "searcher"]
    workers = [
        context.Process(target=_work, args=(role, seed, ids, problems))
        for seed, role in enumerate(roles)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    reported = list(problems)
    manager.shutdown()
    assert [worker.exitcode for worker in workers] == [0] * len(workers)
    assert not [line for line in reported if "LockError" in line], reported
    assert reported == []

    from search.index.sync import apply_pending
    from search.management.commands.check_index import find_drift

    apply_pending()  # whatever the last commits left for the lock holder
    assert find_drift() == {"missing": set(), "orphaned": set(), "stale": set()}
    assert Article.objects.count() < 40  # the deleter did delete
