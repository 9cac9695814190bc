"""Typed readers for configuration values.

`config.settings` is the only module that passes `os.environ` in; everything here works on any
mapping so it can be tested without touching the process environment.
"""

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


def read_secret_key(environ: Mapping[str, str], *, debug: bool) -> str:
    """Return SECRET_KEY; only a DEBUG run may fall back to a fixed development key."""
    key = environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if debug:
        return "django-insecure-development-key-never-use-in-production"
    raise ConfigurationError(
        "SECRET_KEY is not set. Set SECRET_KEY to a long random string (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set DEBUG=1 for local "
        "development."
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
