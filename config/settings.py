"""Django settings: the one place that reads the process environment.

Every variable is documented in README.md under "Configuration".
"""

import os
from datetime import timedelta
from pathlib import Path

from config.environment import (
    read_bool,
    read_database,
    read_int,
    read_list,
    read_rate,
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
# How long an SQLite writer waits for another's lock before giving up (a web request then
# answers 503, an import retries its article).
SQLITE_BUSY_SECONDS = 30
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"]:
    # SQLite creates its file but not the folder; a fresh checkout has no var/ yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL: readers (the site) carry on while an ingest writes, and with synchronous=NORMAL a
    # commit no longer waits for the disk (fsync happens at checkpoints). A power cut may lose
    # the last commits, never corrupt the file or keep half a transaction.
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
    # A transaction takes the write lock when it begins, and waits up to this long for it. By
    # default it began as a reader and failed at once ("database is locked") when it came to
    # write while an import held the lock: a curator's save now waits for the import's article.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", SQLITE_BUSY_SECONDS)

SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR") or VAR_DIR / "index")
# The search engine, as a dotted path to a search.backends.base.SearchBackend subclass.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "search.backends.whoosh.WhooshBackend")
# Apply index changes right after each commit in the process that made them. Off, a separate
# `manage.py update_index --watch` (or the next search) applies them instead.
SEARCH_SYNC_ON_COMMIT = read_bool(os.environ, "SEARCH_SYNC_ON_COMMIT", default=True)

# Files larger than this are refused by ingestion with a message naming the limit.
INGEST_MAX_FILE_BYTES = read_int(os.environ, "INGEST_MAX_FILE_MB", default=10, minimum=1) * 2**20
# Web archives (WARC, WACZ) are read record by record, so they may be far larger; each page or
# PDF inside one is still held to INGEST_MAX_FILE_MB.
INGEST_MAX_ARCHIVE_BYTES = (
    read_int(os.environ, "INGEST_MAX_ARCHIVE_MB", default=4096, minimum=1) * 2**20
)

# Following sources (manage.py follow_sources): who the archive says it is when it fetches, and
# where every response it fetches is written (WARC files an ingest can read again).
FOLLOW_CONTACT = os.environ.get("FOLLOW_CONTACT", "")
FOLLOW_WARC_DIR = Path(os.environ.get("FOLLOW_WARC_DIR") or VAR_DIR / "captures")
# Seconds between two requests to one host (a site's robots.txt Crawl-delay can ask for more).
FOLLOW_HOST_DELAY_SECONDS = read_int(os.environ, "FOLLOW_HOST_DELAY_SECONDS", default=5, minimum=0)
# Tries again after a timeout, a dropped connection, a 5xx or a 429, waiting longer each time.
FOLLOW_RETRIES = read_int(os.environ, "FOLLOW_RETRIES", default=3, minimum=0)
# New pages fetched from one source per poll: a first poll of a busy feed is spread over several.
FOLLOW_MAX_PAGES_PER_POLL = read_int(os.environ, "FOLLOW_MAX_PAGES_PER_POLL", default=50, minimum=1)

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
    "axes",
    "simple_history",
    "archive",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that answers on its own (the 503 page, WhiteNoise's static files), so
    # every answer carries the Content-Security-Policy.
    "config.security.SecurityHeadersMiddleware",
    # Before anything renders: OPTIONS and TRACE never get a page's body.
    "config.methods.AllowedMethodsMiddleware",
    # Outermost after security: a database outage answers 503 through every other middleware.
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication, so signed-in staff are known and not counted.
    "search.ratelimit.RateLimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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

# --- Security (README.md, "Security") ---------------------------------------------------------

# Cookies only travel over HTTPS in production; SECURE_COOKIES=0 allows plain HTTP (for example
# docker-compose on a laptop) and should never be used on a public host.
SECURE_COOKIES = read_bool(os.environ, "SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads the token; forms carry it
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# A curator's working day; after it the admin asks for the password again.
SESSION_COOKIE_AGE = 8 * 3600
# A site served over HTTPS answers plain HTTP with a redirect, except the health check, which
# docker-compose and load balancers call over plain HTTP inside the private network.
SECURE_SSL_REDIRECT = read_bool(os.environ, "SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers that once saw the site over HTTPS never use plain HTTP for it again. A year with
# subdomains and preload is what `check --deploy` and the preload list ask for; a new domain
# can start lower (README.md, "Security"). Sent on HTTPS answers only, so never while DEBUG.
SECURE_HSTS_SECONDS = read_int(
    os.environ, "SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = read_bool(
    os.environ, "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = read_bool(os.environ, "SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Searches are in our URLs; the original publications a reader follows need not see them.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A TLS-terminating proxy in front: trust its X-Forwarded-Proto, and take the client's address
# from the X-Forwarded-For entry it adds (search/ratelimit.py, client_address).
BEHIND_TLS_PROXY = read_bool(os.environ, "BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Failed sign-ins (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused for AXES_COOLOFF_TIME, even with the right password. Keyed on
# the pair so that a stranger guessing a curator's password cannot lock the curator out of their
# own address too. `manage.py axes_reset` lifts every lockout (README.md, "Security").
AXES_ENABLED = read_bool(os.environ, "LOGIN_LOCKOUT_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_CLIENT_IP_CALLABLE = "search.ratelimit.client_address"
# Lockouts and failed attempts are still logged; this only drops the banner axes would print at
# the start of every `manage.py` command.
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out pair before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Rate limits on the costly public answers (search/ratelimit.py): requests per client per
# window, as (requests, seconds). Signed-in staff are never limited.
RATE_LIMIT_ENABLED = read_bool(os.environ, "RATE_LIMIT_ENABLED", default=True)
RATE_LIMITS = {
    "search": read_rate(os.environ, "RATE_LIMIT_SEARCH", default="120/minute"),
    "export": read_rate(os.environ, "RATE_LIMIT_EXPORT", default="10/minute"),
}
# The counters live in files, so every gunicorn worker of a host sees the same counts (a
# per-process memory cache would let each worker grant the full limit). Not the database: a
# write per search would queue behind an import's writes on SQLite.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "cache" / "ratelimit",
        # One small file per client and limit, removed once its window is over and it is read
        # again; past this many files a third are dropped at random (those clients start afresh).
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
