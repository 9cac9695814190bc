"""Django settings: the one place that reads the process environment.

Every variable is documented in README.md under "Configuration".
"""

import os
from pathlib import Path

from config.environment import (
    read_bool,
    read_database,
    read_int,
    read_list,
    read_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (SQLite file, search index) lives here by default; the folder is git-ignored.
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")

DEBUG = read_bool(os.environ, "DEBUG", default=False)
SECRET_KEY = read_secret_key(os.environ, debug=DEBUG)
ALLOWED_HOSTS = read_list(os.environ, "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = read_list(os.environ, "CSRF_TRUSTED_ORIGINS", default=[])
# The address researchers reach the archive at ("https://reports.example.org"): permanent links,
# citations, exports and feeds use it. Empty: taken from each request.
PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
ARCHIVE_NAME = "Enforcement Reports Archive"

DATABASES = {"default": read_database(os.environ, default_sqlite_path=VAR_DIR / "archive.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"]:
    # SQLite creates its file but not the folder; a fresh checkout has no var/ yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL: readers (the site) carry on while an ingest writes, and with synchronous=NORMAL a
    # commit no longer waits for the disk (fsync happens at checkpoints). A power cut may lose
    # the last commits, never corrupt the file or keep half a transaction.
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )

SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR") or VAR_DIR / "index")
# The search engine, as a dotted path to a search.backends.base.SearchBackend subclass.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "search.backends.whoosh.WhooshBackend")
# Apply index changes right after each commit in the process that made them. Off, a separate
# `manage.py update_index --watch` (or the next search) applies them instead.
SEARCH_SYNC_ON_COMMIT = read_bool(os.environ, "SEARCH_SYNC_ON_COMMIT", default=True)

# Files larger than this are refused by ingestion with a message naming the limit.
INGEST_MAX_FILE_BYTES = read_int(os.environ, "INGEST_MAX_FILE_MB", default=10, minimum=1) * 2**20

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "archive",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing so a fresh
        # checkout runs without `collectstatic`.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Tests and `runserver` without collectstatic still find files through the finders.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cookies only travel over HTTPS in production; SECURE_COOKIES=0 allows plain HTTP (for example
# docker-compose on a laptop) and should never be used on a public host.
SECURE_COOKIES = read_bool(os.environ, "SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if read_bool(os.environ, "BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
