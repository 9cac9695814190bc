"""Two imports of the same folder at once, on a database that really runs them concurrently."""

import threading

import pytest
from django.db import connection

from archive.ingest.batch import ingest_paths
from archive.models import Article
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_imports_of_the_same_files_store_each_article_once(seeds_copy):
    factories.load_initial_taxonomy()
    for number in range(20):
        (seeds_copy / f"extra-{number:02}.txt").write_text(
            f"Police in Kampot arrested suspect number {number} for drug trafficking."
        )
    reports, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            reports.append(ingest_paths([seeds_copy]))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Article.objects.count() == 25
    assert sum(report.created for report in reports) == 25
    assert all(report.skipped == [] for report in reports)
