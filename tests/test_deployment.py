"""No Docker engine runs here, so docker-compose.yml is checked for what it promises."""

import re
import shlex

import pytest
import yaml
from django.core.management import get_commands

from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_with_a_healthcheck_and_a_volume(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert set(compose["volumes"]) == {"pgdata", "index", "captures"}


def test_compose_web_waits_for_a_healthy_database_and_keeps_the_index_on_a_volume(compose):
    web = compose["services"]["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    environment = web["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["DEBUG"] == "0"
    assert f"index:{environment['SEARCH_INDEX_DIR']}" in web["volumes"]
    assert "healthz" in " ".join(web["healthcheck"]["test"])


def test_compose_commands_exist_in_the_repo(compose):
    web = compose["services"]["web"]
    script = REPO_ROOT / web["command"][-1]
    assert script.is_file()
    text = script.read_text()
    manage_commands = re.findall(r"python manage\.py (\w+)", text)
    assert {"migrate", "ingest"} <= set(manage_commands)
    assert set(manage_commands) <= set(get_commands())
    for argument in re.findall(r"manage\.py ingest (\S+)", text):
        assert (REPO_ROOT / argument).is_dir()
    gunicorn_line = next(line for line in text.splitlines() if line.startswith("exec gunicorn"))
    words = shlex.split(gunicorn_line)
    assert "config.wsgi" in words
    assert (REPO_ROOT / words[words.index("--config") + 1]).is_file()


def test_compose_follower_polls_sources_into_kept_web_archives(compose):
    follower = compose["services"]["follower"]
    assert follower["command"][-3:] == ["manage.py", "follow_sources", "--watch"]
    assert "follow_sources" in get_commands()
    environment = follower["environment"]
    assert environment["DATABASE_URL"] == compose["services"]["web"]["environment"]["DATABASE_URL"]
    assert f"captures:{environment['FOLLOW_WARC_DIR']}" in follower["volumes"]
    assert f"index:{environment['SEARCH_INDEX_DIR']}" in follower["volumes"]
    assert "FOLLOW_CONTACT" in environment
    assert follower["depends_on"]["web"]["condition"] == "service_healthy"


def test_dockerfile_builds_from_the_pinned_requirements_and_runs_the_same_script():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", dockerfile, re.MULTILINE)
    assert "pip install -r requirements.txt" in dockerfile
    assert 'CMD ["bash", "scripts/start-web"]' in dockerfile


def test_gunicorn_config_is_valid_python_with_workers_and_bind():
    namespace: dict = {}
    exec((REPO_ROOT / "config" / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["workers"] >= 1 and namespace["bind"].endswith(":8000")


def test_requirements_are_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO_ROOT / name).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-r"):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), f"{name}: {line}"


def test_whoosh_is_never_installed_twice():
    text = (REPO_ROOT / "requirements.txt").read_text().lower()
    assert not ("whoosh-reloaded" in text and re.search(r"^whoosh==", text, re.MULTILINE))


@pytest.mark.django_db
def test_health_check_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
