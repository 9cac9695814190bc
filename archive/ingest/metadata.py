"""Explicit metadata: front matter, JSON fields and CSV columns, named in many ways.

`canonical_fields` maps whatever names a file uses onto ours; `check_metadata` turns the values
into typed data or raises IngestError naming the field and what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from archive.ingest.records import IngestError

# Our field name -> the names files use for it (compared case-insensitively, "-"/" " as "_").
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("body", "content", "text", "article", "full_text", "fulltext", "story"),
    "url": ("url", "link", "permalink", "source_url", "canonical_url"),
    "source": ("source", "publication", "publisher", "outlet", "newspaper", "site"),
    "authors": ("author", "authors", "byline", "by"),
    "published": (
        "published",
        "published_at",
        "published_date",
        "publication_date",
        "pubdate",
        "date",
        "datetime",
    ),
    "country": ("country", "countries"),
    "ministry": ("ministry", "ministries", "agency", "agencies"),
    "crime_type": ("crime_type", "crime_types", "crime", "crimes"),
    "language": ("language", "lang"),
}
_FIELD_BY_NAME = {name: field for field, names in FIELD_NAMES.items() for name in names}
TEXT_FIELDS = ("title", "body", "url", "source", "language")

# Years outside this range are typing errors, not archive material.
EARLIEST_YEAR = 1900
MAX_URL_LENGTH = 2000  # Article.url's max_length
MAX_SOURCE_LENGTH = 200  # Source.name's max_length

# Control characters mean nothing in a name or a title; each becomes a space.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Half of a UTF-16 pair, which only a JSON or YAML escape ("\ud800") can produce: no database
# stores it.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

_LIST_SEPARATORS = re.compile(r"\s*[;,|]\s*")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %B %d, %Y",
    "%a, %d %b %Y",
)


def field_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def field_for(name: object) -> str | None:
    """Return our field name for a name a file uses, or None when it means nothing to us."""
    return _FIELD_BY_NAME.get(field_key(str(name)))


def canonical_fields(mapping: dict) -> tuple[dict[str, object], list[str]]:
    """Return (our field -> value, names that mean nothing to us) for a record's fields."""
    fields: dict[str, object] = {}
    unknown = []
    for name, value in mapping.items():
        field = field_for(name)
        if field is None:
            unknown.append(str(name))
        elif field not in fields or fields[field] in (None, ""):
            fields[field] = value
    return fields, unknown


@dataclass(frozen=True)
class Metadata:
    """Typed, checked explicit metadata; empty values mean "not given"."""

    title: str = ""
    url: str = ""
    source: str = ""
    authors: tuple[str, ...] = ()
    published_date: dt.date | None = None
    year: int | None = None
    language: str = ""
    countries: tuple[str, ...] = ()
    ministries: tuple[str, ...] = ()
    crime_types: tuple[str, ...] = ()

    def given(self) -> frozenset[str]:
        """Return the names of the fields that hold a value."""
        return frozenset(
            name for name, value in self.__dict__.items() if value not in ("", (), None)
        )


def check_metadata(fields: dict[str, object], *, today: dt.date | None = None) -> Metadata:
    """Return typed metadata, or raise IngestError naming the first field that is wrong."""
    today = today or dt.date.today()
    text = {name: _as_text(name, fields.get(name)) for name in TEXT_FIELDS if name != "body"}
    url = text["url"]
    if url and not re.match(r"^https?://\S+$", url):
        raise IngestError(f"field 'url': {url[:80]!r} is not an http(s) address")
    if len(url) > MAX_URL_LENGTH:
        raise IngestError(f"field 'url' is longer than {MAX_URL_LENGTH} characters")
    if len(text["source"]) > MAX_SOURCE_LENGTH:
        raise IngestError(f"field 'source' is longer than {MAX_SOURCE_LENGTH} characters")
    published_date, year = parse_published(fields.get("published"), today=today)
    language = text["language"].lower()
    if language and not re.match(r"^[a-z]{2,3}([-_][a-z0-9]{2,8})?$", language):
        raise IngestError(f"field 'language': {language[:40]!r} is not a language code like 'en'")
    return Metadata(
        title=text["title"],
        url=url,
        source=text["source"],
        authors=_as_list("authors", fields.get("authors")),
        published_date=published_date,
        year=year,
        language=language,
        countries=_as_list("country", fields.get("country")),
        ministries=_as_list("ministry", fields.get("ministry")),
        crime_types=_as_list("crime_type", fields.get("crime_type")),
    )


def parse_published(value: object, *, today: dt.date) -> tuple[dt.date | None, int | None]:
    """Return (date, year) from a date, a datetime, 'YYYY', 'YYYY-MM' or a written date."""
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _plausible(value, today=today), value.year
    if isinstance(value, int) and not isinstance(value, bool):
        return None, _plausible_year(value, today=today)
    if not isinstance(value, str):
        raise IngestError(f"field 'published' should be a date, got {_type_name(value)}")
    text = value.strip()
    if re.fullmatch(r"\d{4}", text):
        return None, _plausible_year(int(text), today=today)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return None, _plausible_year(int(text[:4]), today=today)
    iso = text.replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(iso).date()
        return _plausible(parsed, today=today), parsed.year
    except ValueError:
        pass
    for date_format in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
        return _plausible(parsed, today=today), parsed.year
    raise IngestError(
        f"field 'published': could not read {text[:60]!r} as a date; use YYYY-MM-DD "
        "(or YYYY when only the year is known)"
    )


def _plausible(value: dt.date, *, today: dt.date) -> dt.date:
    _plausible_year(value.year, today=today)
    if value > today + dt.timedelta(days=1):
        raise IngestError(f"field 'published': {value.isoformat()} is in the future")
    return value


def _plausible_year(year: int, *, today: dt.date) -> int:
    if not EARLIEST_YEAR <= year <= today.year:
        raise IngestError(
            f"field 'published': the year {year} is outside {EARLIEST_YEAR}-{today.year}"
        )
    return year


def _as_text(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, list, tuple, dict, set)):
        raise IngestError(f"field '{name}' should be text, got {_type_name(value)}")
    return _one_line(name, str(value))


def _one_line(name: str, text: str) -> str:
    """Return `text` with control characters and runs of white space as single spaces."""
    if surrogate := _LONE_SURROGATE.search(text):
        raise IngestError(
            f"field '{name}' holds {surrogate[0]!r}, half of a UTF-16 character escape; "
            "write the character itself, or its full escape pair"
        )
    return re.sub(r"\s+", " ", _CONTROL_CHARACTERS.sub(" ", text)).strip()


def _as_list(name: str, value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    given_as_list = isinstance(value, (list, tuple))
    items = value if given_as_list else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, (dict, list, tuple, set, bool)):
            raise IngestError(
                f"field '{name}' should be a name or a list of names, "
                f"got {_type_name(item)} inside it"
            )
        if item is None:
            continue
        text = _one_line(name, str(item))
        if given_as_list:
            # A list gives each name whole: "National Steering Committee for Drug, AIDS and
            # Prostitution Prevention and Control" is one agency.
            names.extend([text] if text else [])
            continue
        # In one text (a CSV cell, a front matter line) "Cambodia; Vietnam" and "Cambodia,
        # Vietnam" both mean two names. "and" does not split: names such as "Ministry of
        # Economy and Finance" contain it.
        names.extend(part for part in _LIST_SEPARATORS.split(text) if part)
    return tuple(dict.fromkeys(names))


def _type_name(value: object) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        tuple: "a list",
        set: "a set",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
