"""gunicorn settings for production (`gunicorn config.wsgi --config config/gunicorn.conf.py`)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two workers suit the 2-core machines the archive is sized for; WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A sync worker cannot report in while it streams a response, and an export of the whole
# archive streams for about a minute per 100,000 articles (make bench-full measures it): a
# shorter timeout would kill those downloads midway.
timeout = 300
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# Workers import the app after fork so each opens its own database connection and search index.
preload_app = False
