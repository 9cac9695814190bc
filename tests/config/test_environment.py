"""Settings come from the environment, in one place, and refuse what is unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.environment import (
    ConfigurationError,
    read_bool,
    read_database,
    read_int,
    read_list,
    read_secret_key,
)
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("yes", True), ("Off", False), ("", False)]
)
def test_booleans(value, expected):
    assert read_bool({"DEBUG": value}, "DEBUG", default=not expected) is expected


def test_a_misspelt_boolean_is_refused():
    with pytest.raises(ConfigurationError, match="DEBUG='ture' is not a boolean"):
        read_bool({"DEBUG": "ture"}, "DEBUG", default=False)


def test_numbers_and_lists():
    assert read_int({}, "N", default=7) == 7
    assert read_int({"N": "12"}, "N", default=7) == 12
    with pytest.raises(ConfigurationError, match="at least 1"):
        read_int({"N": "0"}, "N", default=7, minimum=1)
    assert read_list({"HOSTS": " a.org, ,b.org "}, "HOSTS", default=[]) == ["a.org", "b.org"]


def test_secret_key_is_required_unless_debugging():
    key = "a-long-random-looking-key-for-this-test-0123456789abcdef"
    assert read_secret_key({"SECRET_KEY": key}, debug=False) == key
    assert read_secret_key({}, debug=True).startswith("django-insecure")
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        read_secret_key({"SECRET_KEY": "  "}, debug=False)


def test_database_defaults_to_a_sqlite_file(tmp_path):
    config = read_database({}, default_sqlite_path=tmp_path / "a.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]) == tmp_path / "a.sqlite3"


def test_postgres_url_is_parsed_for_psycopg(tmp_path):
    config = read_database(
        {"DATABASE_URL": "postgres://arch:pw@db.internal:5433/archive", "DB_CONN_MAX_AGE": "30"},
        default_sqlite_path=tmp_path / "unused",
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.internal",
        5433,
        "archive",
        "arch",
    )
    assert config["CONN_MAX_AGE"] == 30 and config["CONN_HEALTH_CHECKS"] is True


def test_a_nonsense_database_url_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="DATABASE_URL could not be understood"):
        read_database({"DATABASE_URL": "nonsense://x"}, default_sqlite_path=tmp_path / "a")


def _settings_in_subprocess(env: dict, expression: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "SECRET_KEY",
            "DEBUG",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "SEARCH_INDEX_DIR",
            "VAR_DIR",
        )
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(({expression})))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _settings_in_subprocess({"DEBUG": "0"}, "settings.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_read_every_variable_from_the_environment(tmp_path):
    result = _settings_in_subprocess(
        {
            "SECRET_KEY": os.environ["SECRET_KEY"],  # the suite's public test key
            "DEBUG": "0",
            "ALLOWED_HOSTS": "archive.example.org",
            "SEARCH_INDEX_DIR": str(tmp_path / "idx"),
            "VAR_DIR": str(tmp_path),
            "INGEST_MAX_FILE_MB": "3",
        },
        "settings.DEBUG, settings.ALLOWED_HOSTS, str(settings.SEARCH_INDEX_DIR), "
        "settings.DATABASES['default']['NAME'], settings.INGEST_MAX_FILE_BYTES, "
        "settings.SESSION_COOKIE_SECURE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(
        (
            False,
            ["archive.example.org"],
            str(tmp_path / "idx"),
            str(tmp_path / "archive.sqlite3"),
            3 * 2**20,
            True,
        )
    )


def test_debug_defaults_keep_state_under_var():
    result = _settings_in_subprocess(
        {"DEBUG": "1"}, "str(settings.SEARCH_INDEX_DIR), settings.DATABASES['default']['NAME']"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(
        (str(REPO_ROOT / "var" / "index"), str(REPO_ROOT / "var" / "archive.sqlite3"))
    )


def test_a_fresh_checkout_migrates_and_ingests_into_a_new_var_folder(tmp_path):
    var_dir = tmp_path / "not-yet-there" / "var"
    env = {
        key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DATABASE_URL")
    }
    env.update(DEBUG="1", VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings")
    for command in (["migrate", "--noinput", "-v", "0"], ["ingest", "seeds/"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert "5 created, 0 updated, 0 unchanged, 0 skipped" in result.stdout
    assert (var_dir / "archive.sqlite3").is_file()
