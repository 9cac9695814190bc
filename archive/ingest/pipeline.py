"""RawRecord -> ParsedArticle: check the metadata, clean the text, decide every field. Pure."""

from __future__ import annotations

import datetime as dt
import re

from archive.ingest.cleaning import clean_text
from archive.ingest.hashing import content_hash
from archive.ingest.metadata import canonical_fields, check_metadata
from archive.ingest.non_articles import non_article_reason
from archive.ingest.records import IngestError, ParsedArticle, RawRecord
from archive.languages.identify import identify_language
from archive.languages.paragraphs import paragraph_languages

# The longest title Article.title can hold.
MAX_TITLE_CHARS = 500
# The longest file name (and record number) Article.origin can hold.
MAX_ORIGIN_CHARS = 1000
# The raw text is stored exactly as received, so text no database column can hold is refused:
# PostgreSQL's text holds no NUL, and neither database stores half of a UTF-16 pair (which only
# a JSON escape such as "\ud800" can produce).
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def parse_record(record: RawRecord, *, today: dt.date | None = None) -> ParsedArticle:
    """Return the article a raw record holds; explicit metadata wins over what the text says.

    Raises IngestError with the reason when the record cannot become an article.
    """
    if len(record.origin) > MAX_ORIGIN_CHARS:
        raise IngestError(
            f"its name is {len(record.origin):,} characters long; the archive records where an "
            f"article came from in at most {MAX_ORIGIN_CHARS:,}: move the file to a shorter path"
        )
    if not record.text.strip():
        raise IngestError("the article text is empty")
    if unstorable := _UNSTORABLE.search(record.text):
        raise IngestError(
            f"the article text holds {unstorable[0]!r} at character {unstorable.start()}, "
            "which cannot be stored; remove it (or fix the escape that produced it)"
        )
    fields, unknown = canonical_fields(record.metadata)
    fields.pop("body", None)
    metadata = check_metadata(fields, today=today)
    cleaned = clean_text(record.text, given_title=metadata.title or "")
    if not cleaned.body.strip():
        raise IngestError(
            "nothing is left of the text once adverts, captions and navigation are removed"
        )
    if reason := non_article_reason(cleaned.body):
        raise IngestError(f"not a report: {reason}")
    warnings = [f"unknown field {name!r} ignored" for name in unknown]
    title = metadata.title or cleaned.title
    if len(title) > MAX_TITLE_CHARS:
        warnings.append(f"title shortened to {MAX_TITLE_CHARS} characters")
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    language = metadata.language or identify_language(cleaned.body).code
    return ParsedArticle(
        origin=record.origin,
        raw_text=record.text,
        body=cleaned.body,
        title=title,
        title_derived=not metadata.title and cleaned.title_derived,
        content_hash=content_hash(record.text),
        source_name=metadata.source or cleaned.source_name,
        authors=metadata.authors or cleaned.authors,
        url=metadata.url,
        published_date=metadata.published_date,
        year=metadata.year,
        language=language,
        paragraph_languages=tuple(paragraph_languages(cleaned.body, language=language)),
        countries=metadata.countries,
        ministries=metadata.ministries,
        crime_types=metadata.crime_types,
        removals=cleaned.removals,
        warnings=tuple(warnings),
        explicit_fields=metadata.given(),
        document=record.document,
    )
