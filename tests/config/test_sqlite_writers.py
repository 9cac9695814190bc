"""On SQLite a save that reads first waits for another process's write instead of failing.

WAL mode lets readers carry on during an import, but a transaction that began as a reader and
then wrote failed at once with "database is locked" while the import held the write lock (the
soak's curator saves did, on a busy machine). Transactions now take the lock when they begin
and wait for it (config/settings.py): two real processes on one database file show it.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's locking; PostgreSQL locks rows"
)

SETUP = "import django; django.setup(); from django.db import transaction, connection\n"
# Holds the write lock until the curator's process is inside its transaction (given GRACE
# seconds to read), then commits. Before the fix, the curator's write then failed at once: its
# transaction had begun as a reader, and its view of the database was older than the import's.
IMPORTER = SETUP + textwrap.dedent(
    """
    import pathlib, time
    from archive.models import Article
    GRACE = 2
    with transaction.atomic():
        Article.objects.filter(pk=1).update(title="written by the import")
        pathlib.Path(READY).write_text("locked")
        while not pathlib.Path(WAITING).exists():
            time.sleep(POLL)
        time.sleep(GRACE)
    print("import committed")
    """
)
CURATOR = SETUP + textwrap.dedent(
    """
    import pathlib, time
    from archive.models import Article
    while not pathlib.Path(READY).exists():
        time.sleep(POLL)
    pathlib.Path(WAITING).write_text("waiting")
    with transaction.atomic():
        article = Article.objects.get(pk=1)  # a read first, as a form's save does
        article.body = "saved by the curator"
        article.save()
    print("curator saved", Article.objects.get(pk=1).title)
    """
)


def test_a_curator_s_save_waits_for_an_import_instead_of_failing(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        "SEARCH_SYNC_ON_COMMIT": "0",
        "VAR_DIR": str(tmp_path),
    }
    run = {"cwd": REPO_ROOT, "env": environment, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, **run)
    make = SETUP + "from tests import factories; factories.make_article(title='first')"
    subprocess.run([sys.executable, "-c", make], check=True, timeout=120, **run)
    names = (
        f"READY = {str(tmp_path / 'ready')!r}; WAITING = {str(tmp_path / 'waiting')!r}; "
        "POLL = 0.05\n"
    )
    importer = subprocess.Popen([sys.executable, "-c", names + IMPORTER], **_popen(run))
    curator = subprocess.Popen([sys.executable, "-c", names + CURATOR], **_popen(run))
    curator_out, curator_err = curator.communicate(timeout=120)
    _, importer_err = importer.communicate(timeout=120)
    assert importer.returncode == 0, importer_err
    assert curator.returncode == 0, curator_err  # not "database is locked"
    assert "curator saved written by the import" in curator_out


def _popen(run: dict) -> dict:
    return {
        "cwd": run["cwd"],
        "env": run["env"],
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "text": True,
    }
