"""The database unreachable: a clear 503 (a page, or JSON under /api/) with Retry-After, logged
once, and the same server process back to 200 by itself once the database returns."""

import logging
import shutil
import sqlite3
import urllib.error
import urllib.request
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError, ProgrammingError

from bench import http_load
from config import middleware
from tests import factories
from tests.faults.conftest import database_url
from tests.faults.tcp_proxy import TcpProxy

PAGE_TEXT = "The archive is temporarily unavailable"
API_ARTICLE = "/api/v1/articles/{pk}"


@pytest.fixture(autouse=True)
def fresh_outage(monkeypatch):
    """Each test starts outside an outage (the record is per process)."""
    monkeypatch.setattr(middleware, "outage", middleware.DatabaseOutage())
    monkeypatch.setattr("config.health.outage", middleware.outage)


@contextmanager
def database_down(error=OperationalError):
    """Make every query fail as it does when the server cannot be reached."""
    message = "connection to server at 127.0.0.1, port 5432 failed: Connection refused"
    with mock.patch.object(BaseDatabaseWrapper, "_cursor", side_effect=error(message)):
        yield


# --- in this process ------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_api_and_health_answer_503_while_queries_fail_and_log_it_once(client, caplog):
    article = factories.make_article()
    with caplog.at_level(logging.INFO), database_down():
        page = client.get("/articles/999999/")
        api = client.get(API_ARTICLE.format(pk=article.pk))
        health = client.get("/healthz")
        again = client.get(f"/articles/{article.pk}/")

    assert page.status_code == again.status_code == 503
    assert PAGE_TEXT in page.content.decode()
    assert "try again" in page.content.decode()
    assert api.status_code == 503
    assert api.json()["error"]["status"] == 503
    assert "database" in api.json()["error"]["message"]
    assert api["Access-Control-Allow-Origin"] == "*"
    assert health.status_code == 503
    for response in (page, api, health, again):
        assert response["Retry-After"] == str(middleware.RETRY_AFTER_SECONDS)
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [record.getMessage()[:20] for record in errors] == ["Database unavailable"]
    assert not errors[0].exc_info

    assert client.get(f"/articles/{article.pk}/").status_code == 200
    recovered = [record.getMessage() for record in caplog.records if "again" in record.message]
    assert recovered and "4 requests were answered 503" in recovered[0]


@pytest.mark.django_db
def test_a_signed_in_curator_gets_the_503_page_too(client, settings, django_user_model):
    """Middleware that reads the user before the view (rate limits exempt staff) would meet
    the error outside the view, where only a 500 and a traceback would come of it."""
    settings.RATE_LIMIT_ENABLED = True
    curator = django_user_model.objects.create_user("curator", password="a long passphrase")
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    with database_down():
        response = client.get("/api/v1/countries")
    assert response.status_code == 503
    assert response.json()["error"]["status"] == 503


@pytest.mark.django_db
def test_other_database_errors_are_not_taken_for_an_outage(client):
    with database_down(ProgrammingError), pytest.raises(ProgrammingError):
        client.get("/articles/1/")
    assert not middleware.outage.active


# --- a real server ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Collected static files, shared by the servers of this module (production pages name
    the collected, hashed files)."""
    return tmp_path_factory.mktemp("static")


@contextmanager
def served(database: str, tmp_path, static_root):
    """Run the archive under gunicorn (one worker, so every request meets the same process
    and its persistent connection) against `database`."""
    with http_load.serve(
        database_url=database,
        index_dir=tmp_path / "index",
        workers=1,
        workdir=tmp_path / "server",
        env={"STATIC_ROOT": str(static_root), "VAR_DIR": str(tmp_path / "var")},
    ) as server:
        yield server


def fetch(server, path: str) -> tuple[int, dict, str]:
    """Return (status, headers, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(server.base_url + path, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


def assert_served_through_the_outage(server, article_id: int, *, cut, restore) -> None:
    paths = ("/api/v1/countries", f"/articles/{article_id}/", API_ARTICLE.format(pk=article_id))
    for path in (*paths, "/healthz"):
        assert fetch(server, path)[0] == 200, path  # a persistent connection is open now

    cut()
    for _ in range(2):
        for path in paths:
            status, headers, body = fetch(server, path)
            assert status == 503, (path, body[:500])
            assert int(headers["Retry-After"]) > 0
            assert "Traceback" not in body
        assert PAGE_TEXT in fetch(server, f"/articles/{article_id}/")[2]
        assert "database" in fetch(server, paths[2])[2]
        assert fetch(server, "/healthz")[0] == 503

    restore()
    for path in (*paths, "/healthz"):
        assert fetch(server, path)[0] == 200, path

    log = server.log.read_text()
    assert log.count("Database unavailable") == 1
    assert "Database reachable again" in log
    assert "Traceback" not in log


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_served_site_rides_out_postgresql_going_away_and_coming_back(tmp_path, static_root):
    article = factories.make_article(title="Harbour raid")
    database = settings.DATABASES["default"]
    target = (database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    with TcpProxy(target) as proxy:
        address = database_url(database, host="127.0.0.1", port=proxy.port)
        with served(address, tmp_path, static_root) as server:
            assert_served_through_the_outage(
                server, article.pk, cut=proxy.stop, restore=proxy.start
            )


@pytest.mark.django_db(transaction=True)
def test_a_served_site_rides_out_its_sqlite_file_going_away_and_coming_back(tmp_path, static_root):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite run covers this; the PostgreSQL run cuts a real connection")
    article = factories.make_article(title="Harbour raid")
    path = tmp_path / "archive.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    away = tmp_path / "moved-away"
    away.mkdir()

    def cut():
        for file in tmp_path.glob("archive.sqlite3*"):
            file.rename(away / file.name)
        path.mkdir()  # in the file's place: SQLite cannot open it, nor create a new one

    def restore():
        path.rmdir()
        for file in away.iterdir():
            shutil.move(file, tmp_path / file.name)

    with served(f"sqlite:///{path}", tmp_path, static_root) as server:
        assert_served_through_the_outage(server, article.pk, cut=cut, restore=restore)
