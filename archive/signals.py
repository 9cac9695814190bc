"""Signals the archive sends for changes that bypass model signals (bulk updates)."""

from django.dispatch import Signal

# Sent with article_ids=[...] after a bulk update changed what those articles are made of.
articles_changed = Signal()
