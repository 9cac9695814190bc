"""Suite-wide setup: which database the run uses, and what to do when it is unreachable.

The suite runs on whatever DATABASE_URL names (SQLite by default). When it names PostgreSQL and
the server cannot be reached, a CI run (CI=true) stops with the error; elsewhere every test that
needs the database is skipped with a message saying how to start PostgreSQL.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_postgres_problem: str | None = None

# Property tests: no per-example deadline (a Django request on a busy 2-core machine varies a lot),
# and in CI a fixed seed so a red run can be replayed; locally each run explores new examples.
hypothesis_settings.register_profile(
    "archive",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=IN_CI,
    print_blob=True,
)
hypothesis_settings.load_profile("archive")


def pytest_configure(config):
    global _postgres_problem
    # Production serves hashed files from `collectstatic`'s manifest; the suite does not run
    # collectstatic, so it serves the files as they are, through the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Indexes written by transactional tests go to a throw-away folder, never var/index.
    settings.SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="archive-test-index-"))
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg

    try:
        psycopg.connect(
            host=database["HOST"] or None,
            port=database["PORT"] or None,
            user=database["USER"] or None,
            password=database["PASSWORD"] or None,
            dbname=database["NAME"],
            connect_timeout=5,
        ).close()
    except psycopg.Error as error:
        message = (
            f"PostgreSQL at {database['HOST']}:{database['PORT']} is unreachable: "
            f"{str(error).strip()}. Start it (for example `pg_ctlcluster "
            "--skip-systemctl-redirect $(ls /etc/postgresql) main start`) or unset DATABASE_URL."
        )
        if IN_CI:
            pytest.exit(message, returncode=3)
        _postgres_problem = message


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})"


def pytest_collection_modifyitems(config, items):
    if _postgres_problem:
        skip = pytest.mark.skip(reason=_postgres_problem)
        for item in items:
            if "django_db" in item.keywords or "db" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def seeds_copy(tmp_path):
    """Return a writable copy of the seed folder."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


@pytest.fixture
def search_index(settings, tmp_path):
    """Point the search backend at a fresh, empty index folder for this test."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    from search.backends import get_backend

    backend = get_backend()
    yield backend
    backend.close()


@pytest.fixture(autouse=True)
def _close_search_backends(monkeypatch):
    """Close every Whoosh backend a test made, so no index file is left for the garbage
    collector to close (a ResourceWarning, an error here)."""
    from search.backends.whoosh.backend import WhooshBackend

    made = []
    original = WhooshBackend.__init__

    def remembered(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(WhooshBackend, "__init__", remembered)
    yield
    for backend in made:
        backend.close()
