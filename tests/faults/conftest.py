"""Fixtures for running parts of the archive in other processes, against this test's database."""

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]


def database_url(database: dict, *, host: str | None = None, port: int | None = None) -> str:
    """Return a DATABASE_URL naming this PostgreSQL database, optionally at another address."""
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    address = f"{host or database['HOST'] or '127.0.0.1'}:{port or database['PORT'] or 5432}"
    return f"postgres://{credentials}@{address}/{database['NAME']}"


@pytest.fixture
def process_environment(tmp_path):
    """Return a function giving the environment in which another process sees this test's
    database and search index.

    PostgreSQL: the test database itself (use a transactional test, so that rows are committed).
    SQLite: the test database is in this process's memory, so each call copies it to a file;
    the other process may then change only the index, not the database, or the two part ways.
    """

    def environment(**extra: str) -> dict[str, str]:
        database = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            copy = tmp_path / "archive.sqlite3"
            copy.unlink(missing_ok=True)
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            url = f"sqlite:///{copy}"
        else:
            url = database_url(database)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": url,
            "SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
            "SEARCH_SYNC_ON_COMMIT": "0",
            "DEBUG": "0",
            **extra,
        }

    return environment
