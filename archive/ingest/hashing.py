"""The content hash that makes re-importing idempotent."""

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalize_for_hash(text: str) -> str:
    """Return text with the differences that do not change an article folded away.

    Unicode form, typographic quotes and dashes, case, line endings and runs of white space
    (including non-breaking spaces) do not make a different article.
    """
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return _SPACES.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """Return the sha256 hex digest of the normalized text."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def text_digest(text: str) -> str:
    """Return the sha256 hex digest of text exactly as it is."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
