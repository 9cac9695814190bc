"""gunicorn settings for production (`gunicorn config.wsgi --config config/gunicorn.conf.py`)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two workers suit the 2-core machines the archive is sized for; WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 30
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# Workers import the app after fork so each opens its own database connection and search index.
preload_app = False
