"""The embedded search engine: a Whoosh index on local disk (the default SEARCH_BACKEND)."""

from search.backends.whoosh.backend import WhooshBackend

__all__ = ["WhooshBackend"]
