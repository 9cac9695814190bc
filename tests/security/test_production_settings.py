"""Production settings: Django's deploy check passes, weak keys are refused, cookies are safe."""

import json
import os
import secrets
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO_ROOT

# Only what Python itself needs; every setting the archive reads is given by each test.
BASE_ENVIRONMENT = {
    key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ
}


@pytest.fixture
def production(tmp_path) -> dict:
    """Return the environment of a production host, as README.md's Deployment describes it."""
    return {
        **BASE_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "archive.example.org",
        "VAR_DIR": str(tmp_path),
    }


def manage(environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_in(environment: dict, names: list[str]) -> dict:
    """Return the named settings as a production process started with `environment` sees them."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deploy_check_finds_nothing_to_warn_about(production):
    result = manage(production, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "identified some issues" not in output
    assert "System check identified no issues (0 silenced)." in output


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("django-insecure-development-key-never-use-in-production", "is the development key"),
        ("django-insecure-" + "x1y2z3" * 10, "starts with 'django-insecure'"),
        ("too-short-to-be-a-key", "is too short (21 characters; at least 50 are needed)"),
        (
            "public-test-suite-only-key-it-is-in-the-repository-never-deploy-it",
            "is the test suite's key, which is in the repository",
        ),
    ],
)
def test_production_refuses_to_start_with_a_weak_key(production, key, reason):
    result = manage({**production, "SECRET_KEY": key}, "check", "--deploy")
    assert result.returncode != 0
    assert f"Configuration error: SECRET_KEY {reason}" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


SESSION_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "RATE_LIMIT_ENABLED",
    "AXES_ENABLED",
]


def test_production_cookies_are_secure_and_http_is_redirected(production):
    assert settings_in(production, SESSION_SETTINGS) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 8 * 3600,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "RATE_LIMIT_ENABLED": True,
        "AXES_ENABLED": True,
    }


def test_docker_compose_serves_plain_http_on_a_laptop_with_its_own_settings(production):
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    web = dict(compose["services"]["web"]["environment"])
    # Compose fills ${...} from the shell; a key from the shell is required there.
    web["SECRET_KEY"] = production["SECRET_KEY"]
    web["DATABASE_URL"] = "sqlite:///" + production["VAR_DIR"] + "/compose.sqlite3"
    web.pop("SEARCH_INDEX_DIR")
    seen = settings_in({**production, **web}, SESSION_SETTINGS)
    assert (seen["SESSION_COOKIE_SECURE"], seen["SECURE_SSL_REDIRECT"]) == (False, False)
    assert seen["RATE_LIMIT_ENABLED"] and seen["AXES_ENABLED"]
    healthcheck = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in healthcheck  # plain HTTP: exempt from the redirect
