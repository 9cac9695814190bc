"""Typed readers for configuration values.

`config.settings` is the only module that passes `os.environ` in; everything here works on any
mapping so it can be tested without touching the process environment.
"""

import re
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigurationError(ImproperlyConfigured):
    """A configuration value is missing or malformed; the message says how to fix it."""


def read_bool(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    """Return the boolean value of `name`, accepting 1/0, true/false, yes/no, on/off."""
    if name not in environ:
        return default
    word = environ[name].strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(
        f"{name}={environ[name]!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def read_int(environ: Mapping[str, str], name: str, *, default: int, minimum: int = 0) -> int:
    """Return the integer value of `name`, refusing values below `minimum`."""
    if name not in environ or not environ[name].strip():
        return default
    try:
        value = int(environ[name])
    except ValueError:
        raise ConfigurationError(f"{name}={environ[name]!r} is not a whole number.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}.")
    return value


def read_list(environ: Mapping[str, str], name: str, *, default: list[str]) -> list[str]:
    """Return a comma-separated value as a list of non-empty, stripped items."""
    if name not in environ:
        return list(default)
    return [item.strip() for item in environ[name].split(",") if item.strip()]


# The key `DEBUG=1` runs fall back to. It is public (it is in this file), so a run with DEBUG off
# refuses it, as it refuses any key Django itself would call insecure.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-never-use-in-production"
# pyproject.toml gives it to the test suite: public, being in the repository, so refused anywhere
# TEST_SUITE=1 is not set.
TEST_SUITE_SECRET_KEY = "public-test-suite-only-key-it-is-in-the-repository-never-deploy-it"
# Django's own deploy check (security.W009) asks for the same: at least 50 characters, at least 5
# different ones, and not Django's generated "django-insecure-" placeholder.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARS = 5
SECRET_KEY_INSECURE_PREFIX = "django-insecure"
HOW_TO_MAKE_A_KEY = (
    "Set SECRET_KEY to a long random string, for example the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
)


def read_secret_key(environ: Mapping[str, str], *, debug: bool) -> str:
    """Return SECRET_KEY; only a DEBUG run may do without one or use a weak one, and only the
    test suite (TEST_SUITE=1, which pyproject.toml sets for pytest) may use its own key."""
    key = environ.get("SECRET_KEY", "").strip()
    if not key:
        if debug:
            return DEVELOPMENT_SECRET_KEY
        raise ConfigurationError(
            f"SECRET_KEY is not set. {HOW_TO_MAKE_A_KEY}, or set DEBUG=1 for local development."
        )
    problem = secret_key_weakness(key)
    if key == TEST_SUITE_SECRET_KEY and environ.get("TEST_SUITE") == "1":
        problem = None
    if problem and not debug:
        raise ConfigurationError(
            f"SECRET_KEY {problem}, so it cannot protect sessions and signed links in "
            f"production. {HOW_TO_MAKE_A_KEY}."
        )
    return key


def secret_key_weakness(key: str) -> str | None:
    """Return why `key` is unfit for production ("is too short ..."), or None if it is fit."""
    if key == DEVELOPMENT_SECRET_KEY:
        return "is the development key, which is public"
    if key == TEST_SUITE_SECRET_KEY:
        return "is the test suite's key, which is in the repository for anyone to read"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"starts with {SECRET_KEY_INSECURE_PREFIX!r}, the mark of a placeholder key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is too short ({len(key)} characters; at least {SECRET_KEY_MIN_LENGTH} are needed)"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARS:
        return (
            f"uses too few different characters ({len(set(key))}; at least "
            f"{SECRET_KEY_MIN_UNIQUE_CHARS} are needed)"
        )
    return None


RATE_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def read_rate(environ: Mapping[str, str], name: str, *, default: str) -> tuple[int, int]:
    """Return a rate such as "120/minute" or "10/5minutes" as (requests, seconds)."""
    text = environ.get(name, "").strip() or default
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?", text.lower())
    if match and match.group(3) in RATE_UNITS and int(match.group(1)) and int(match.group(2) or 1):
        requests, periods, unit = match.groups()
        return int(requests), int(periods or 1) * RATE_UNITS[unit]
    raise ConfigurationError(
        f"{name}={text!r} is not a rate: write requests per period, such as 120/minute, "
        f"10/5minutes or 1000/hour (periods: {', '.join(RATE_UNITS)}), with numbers above 0."
    )


def read_database(environ: Mapping[str, str], *, default_sqlite_path: Path) -> dict:
    """Return Django's DATABASES['default'] from DATABASE_URL, or a local SQLite file."""
    url = environ.get("DATABASE_URL", "").strip() or f"sqlite:///{default_sqlite_path}"
    try:
        config = dj_database_url.parse(
            url,
            conn_max_age=read_int(environ, "DB_CONN_MAX_AGE", default=60),
            conn_health_checks=True,
        )
    except ValueError as error:
        raise ConfigurationError(
            f"DATABASE_URL could not be understood ({error}). Expected for example "
            "postgres://user:password@host:5432/dbname or sqlite:////absolute/path.sqlite3."
        ) from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Persistent connections buy nothing with SQLite and keep file handles open in tests.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})
        # Wait for a concurrent writer (an ingest while the site runs) instead of failing at once.
        config["OPTIONS"].setdefault("timeout", 20)
    return config
