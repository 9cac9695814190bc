"""The plain data that flows through ingestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


class IngestError(Exception):
    """A file or record cannot be imported; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Problem:
    """A file or record that was skipped, and why."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Document:
    """The bytes an article's text was read from (a page, a PDF), kept verbatim as a capture."""

    data: bytes
    media_type: str  # "text/html", "application/pdf"
    url: str = ""  # where it was fetched from, when it was
    captured_at: datetime | None = None
    # How the text was read: extractor, character set, OCR confidence per page (plain JSON).
    reading: dict[str, object] = field(default_factory=dict)
    # How sure the text is right where OCR read it (0-1); None for a text layer or a page.
    text_confidence: float | None = None


@dataclass(frozen=True)
class RawRecord:
    """One article as found in a file, before any checking or cleaning."""

    origin: str  # "seeds/000.txt", or "feed.jsonl#3" for the third record of a file
    text: str  # the article text exactly as received (or as read from `document`)
    metadata: dict[str, object] = field(default_factory=dict)  # explicit fields, as given
    document: Document | None = None  # the page or PDF the text was read from


@dataclass(frozen=True)
class Removal:
    """A piece of the raw text the cleaner left out of the body, and what it was."""

    kind: str  # "advert", "byline", "caption", "navigation", "footer", "read_time", "headline"...
    text: str


@dataclass(frozen=True)
class ParsedArticle:
    """Everything needed to store one article; built without touching the database."""

    origin: str
    raw_text: str
    body: str
    title: str
    title_derived: bool
    content_hash: str
    source_name: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    published_date: date | None = None
    year: int | None = None
    language: str = "en"
    # Paragraphs in another language than the report's (archive.languages.paragraphs).
    paragraph_languages: tuple[dict[str, object], ...] = ()
    countries: tuple[str, ...] = ()
    ministries: tuple[str, ...] = ()
    crime_types: tuple[str, ...] = ()
    removals: tuple[Removal, ...] = ()
    warnings: tuple[str, ...] = ()
    # Which fields came from explicit metadata rather than from reading the text.
    explicit_fields: frozenset[str] = frozenset()
    document: Document | None = None  # kept as the article's capture


def unexpected_error(what: str, error: Exception) -> str:
    """Return the reason shown for a file or record that failed in a way no check foresaw."""
    return f"{what} ({type(error).__name__}: {error})"
