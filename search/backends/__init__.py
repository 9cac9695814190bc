"""Pick the search engine named in settings.SEARCH_BACKEND, one instance per process and index."""

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from search.backends.base import SearchBackend


def get_backend() -> SearchBackend:
    """Return this process's backend for the configured engine and index folder."""
    return _backend(settings.SEARCH_BACKEND, str(settings.SEARCH_INDEX_DIR))


@lru_cache(maxsize=4)
def _backend(dotted_path: str, index_dir: str) -> SearchBackend:
    # Created on first use, so each gunicorn worker opens the index after it has forked.
    return import_string(dotted_path)(index_dir)


def forget_backends() -> None:
    """Drop this process's backends, so the next use opens the index afresh (after a fork)."""
    _backend.cache_clear()
