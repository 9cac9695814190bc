"""The content hash that makes re-importing idempotent."""

import hashlib

from archive.text import fold_text


def normalize_for_hash(text: str) -> str:
    """Return text with the differences that do not make another article folded away."""
    return fold_text(text)


def content_hash(text: str) -> str:
    """Return the sha256 hex digest of the normalized text."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def text_digest(text: str) -> str:
    """Return the sha256 hex digest of text exactly as it is."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
