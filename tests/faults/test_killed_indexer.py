"""An indexer killed (SIGKILL) at any point of a batch loses no change and applies none twice.

Each test runs the real command in another process (tests/faults/crashing_indexer.py), which
kills itself at one dangerous point; this process then restarts the command normally and checks
the index against the database. The applied-change cursor is written in the same Whoosh commit
as the documents (the table of contents names both), so "after the documents, before the
cursor" is the table of contents not yet written, or half written.
"""

import signal
import subprocess
import sys
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from whoosh import index as whoosh_index

from archive.models import Article
from search.backends.base import SearchRequest
from search.index import sync
from search.index.documents import article_document, articles_for_indexing
from search.models import ArticleChange
from tests import factories
from tests.faults.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db(transaction=True)

DRIVER = REPO_ROOT / "tests" / "faults" / "crashing_indexer.py"
# Log rows per index commit in the killed process, so that its batch is one of several.
BATCH = 3
# A word that appears only in the edited articles' new text.
EDITED_WORD = "zanzibarite"


@pytest.fixture
def pending_changes(search_index, settings):
    """An indexed archive, then edits, new articles, deletions and a tag change that are logged
    but not applied: EDITED first, CREATED next, so the killed process's second batch adds
    documents."""
    settings.SEARCH_SYNC_ON_COMMIT = False
    factories.load_initial_taxonomy()  # a transactional test starts without it
    articles = [factories.make_article(title=f"Steady report {n}") for n in range(8)]
    sync.apply_pending()
    assert search_index.last_change() == latest_change()
    for article in articles[:3]:
        article.title = f"Edited report {article.pk}"
        article.body = f"The {EDITED_WORD} seizure, as corrected by the editor."
        article.save()
    for n in range(3):
        factories.make_article(title=f"New report {n}")
    for article in articles[3:5]:
        article.delete()
    factories.tag(articles[5], factories.country("TH"))
    return {"edited": {a.pk for a in articles[:3]}, "deleted": {a.pk for a in articles[3:5]}}


def latest_change() -> int:
    return ArticleChange.objects.order_by("-id").values_list("id", flat=True).first()


def run_until_killed(environment, command: str, point: str, on: int) -> None:
    """Run `command` in the driver, which must kill itself at `point` the `on`-th time."""
    process = subprocess.run(
        [sys.executable, str(DRIVER), command, "--verbosity=0"],
        env={**environment, "CRASH_AT": point, "CRASH_ON": str(on), "APPLY_BATCH": str(BATCH)},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # only stops a hung process
    )
    assert process.returncode == -signal.SIGKILL, process.stderr


def live_article_documents(index_dir) -> Counter:
    """Return how many live index documents each article id has, read straight from Whoosh."""
    ix = whoosh_index.open_dir(index_dir / "current")
    with ix.searcher() as searcher:
        return Counter(
            int(fields["id"])
            for fields in searcher.reader().all_stored_fields()
            if fields["id"].isdigit()
        )


def assert_index_matches_database(backend, changes) -> None:
    counts = live_article_documents(backend.root)
    assert [pk for pk, count in counts.items() if count > 1] == []  # nothing applied twice
    expected = {article.pk: article_document(article) for article in articles_for_indexing()}
    assert set(counts) == set(expected)
    assert not changes["deleted"] & set(counts)
    assert backend.stamps() == {str(pk): document["stamp"] for pk, document in expected.items()}
    found = backend.matching_ids(SearchRequest(query=EDITED_WORD))
    assert sorted(found) == sorted(changes["edited"])
    assert backend.last_change() == latest_change()
    out = StringIO()
    call_command("check_index", stdout=out)
    assert "0 missing, 0 orphaned, 0 stale." in out.getvalue()
    assert "The index matches the database." in out.getvalue()


def restart_update_index() -> int:
    out = StringIO()
    call_command("update_index", stdout=out)
    return int(out.getvalue().split()[0])


@pytest.mark.parametrize(
    ("point", "on"),
    [
        ("upsert", 5),  # two documents into the second batch
        ("segment", 2),
        ("toc-write", 2),
        ("toc-written", 2),
    ],
)
def test_a_killed_update_index_resumes_from_its_last_commit(
    point, on, pending_changes, search_index, process_environment
):
    pending = ArticleChange.objects.filter(id__gt=search_index.last_change()).count()
    assert pending > 2 * BATCH  # the kill falls in the middle, not at the end
    run_until_killed(process_environment(), "update_index", point, on)

    unapplied = ArticleChange.objects.filter(id__gt=search_index.last_change()).count()
    # Only whole batches that were committed count: the first one, or two once the second
    # batch's table of contents was in place.
    assert pending - unapplied == BATCH * (2 if point == "toc-written" else 1)
    generation = (search_index.root / "current").resolve()
    assert (generation / "MAIN_WRITELOCK").exists()  # left behind, and must not block
    half_written = list(generation.glob("_MAIN_*.toc.*"))
    assert len(half_written) == (1 if point == "toc-write" else 0)

    assert restart_update_index() == unapplied
    assert not list(generation.glob("_MAIN_*.toc.*"))  # the restart removed it
    assert_index_matches_database(search_index, pending_changes)
    assert restart_update_index() == 0


@pytest.mark.parametrize("point", ["rebuild-document", "rebuild-swap"])
def test_a_killed_rebuild_leaves_the_old_index_serving_and_a_rerun_cleans_up(
    point, pending_changes, search_index, process_environment
):
    serving = (search_index.root / "current").resolve()
    run_until_killed(process_environment(), "rebuild_index", point, 4 if "document" in point else 1)

    assert (search_index.root / "current").resolve() == serving
    assert len(list(search_index.root.glob("gen-*"))) == 2  # the abandoned one is still there
    assert restart_update_index() > 0  # the old index catches up from the log meanwhile
    assert_index_matches_database(search_index, pending_changes)

    call_command("rebuild_index", stdout=StringIO(), verbosity=0)
    assert [path.name for path in search_index.root.glob("gen-*")] == [
        (search_index.root / "current").resolve().name
    ]
    assert_index_matches_database(search_index, pending_changes)
    assert Article.objects.count() == 9
