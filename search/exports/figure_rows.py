"""What reports state, one figure a row, in the archive's own shape and two that join other data.

A row is plain data, the same for the CSV and JSON exports and the API:
    {"id": 7, "article_id": 12, "article_url": ..., "report_url": ..., "title": ..., "source": ...,
     "year": 2021, "published_date": "2021-05-03", "incident_id": 4, "kind": "seizure",
     "scope": "single", "status": "confirmed", "reading": "confirmed by a curator",
     "drug": "methamphetamine",
     "quantity": 12.0, "unit": "kg", "mass_kg": 12.0, "country_iso2": "KH", "country_iso3": "KHM",
     "admin1_code": "KH-18", "admin1": "Preah Sihanouk", "nationalities": ["CN"], ...}

Besides the full row, two named shapes put a figure in the columns of data sets researchers join
it with: "unodc-ids", in the spirit of UNODC's Individual Drug Seizures, and "acled", in ACLED's
event columns (see acled_row for what is filled and why the rest stays empty). Both hold single
events only: a total over a period is not an event, and adding it to events would count them twice.

Only confirmed figures are exported unless proposals are asked for (`figures=all`); every row
says its status, and a proposal reads "proposed by the machine" with its confidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import pycountry
from django.urls import reverse

from archive.extraction import places
from archive.extraction.places import province_name
from archive.grouping.queries import incident_ids
from archive.models import TAG_KINDS, Article, FigureStatus, Origin, ReportedFigure, TagAssignment

CHUNK = 200  # articles whose figures are read from the database at a time

# The query string's keys and values: which figures, and in which shape.
FIGURES, SHAPE = "figures", "shape"
CONFIRMED, ALL = "confirmed", "all"
WHICH = {
    CONFIRMED: (FigureStatus.CONFIRMED,),
    ALL: (FigureStatus.CONFIRMED, FigureStatus.PROPOSED),  # rejected figures never leave
}


# --- Places ----------------------------------------------------------------------------------


def _country(iso2: str):
    return pycountry.countries.get(alpha_2=iso2) if len(iso2 or "") == 2 else None


def country_iso3(iso2: str) -> str:
    """Return the ISO 3166-1 alpha-3 code of an alpha-2 code, or "" when it is none."""
    country = _country(iso2)
    return country.alpha_3 if country else ""


def country_name(iso2: str) -> str:
    """Return a country's common name (ACLED's spelling for the region: "Vietnam", "Laos")."""
    name = places.country_name(iso2)
    return "" if name == iso2 else name


def country_numeric(iso2: str) -> str:
    """Return the ISO 3166-1 numeric code ACLED's `iso` column holds ("116"), or ""."""
    country = _country(iso2)
    return str(int(country.numeric)) if country else ""


def admin1_name(code: str) -> str:
    """Return a province's name as the press writes it (KH-18: "Preah Sihanouk"), else ISO's;
    "" for a code neither knows."""
    name = province_name(code)
    return "" if name == code else name


def figure_country(figure: ReportedFigure) -> str:
    """Return the figure's ISO alpha-2 country: its own, or its province's."""
    if figure.country_code:
        return figure.country_code.upper()
    return figure.place_code.split("-", 1)[0].upper() if figure.place_code else ""


# --- The full row ----------------------------------------------------------------------------


def reading(status: str, origin: str, confidence: float) -> str:
    """Return how far a figure can be trusted, in words: a proposal is never shown as fact."""
    if status == FigureStatus.PROPOSED:
        return f"proposed by the machine, confidence {confidence:.2f}"
    if status == FigureStatus.REJECTED:
        return "rejected by a curator"
    return "added by a curator" if origin == Origin.CURATOR else "confirmed by a curator"


@dataclass(frozen=True)
class ArticleFacts:
    """What every row of one article repeats."""

    id: int
    title: str
    url: str  # the report's original address
    year: int | None
    published_date: str | None
    source: str
    agencies: tuple[str, ...]  # its subject ministry and agency tags, by name
    incident_id: int | None  # the live incident it is grouped in, if any


def figure_row(figure: ReportedFigure, article: ArticleFacts, *, base_url: str) -> dict:
    """Return one figure as a full row (JSON-ready values; nationalities a list)."""
    values = figure.values if isinstance(figure.values, dict) else {}
    iso2 = figure_country(figure)
    return {
        "id": figure.pk,
        "article_id": article.id,
        "article_url": base_url + reverse("archive:article_detail", args=[article.id]),
        "report_url": article.url or None,
        "title": article.title,
        "source": article.source or None,
        "year": article.year,
        "published_date": article.published_date,
        "incident_id": article.incident_id,
        "kind": figure.kind,
        "scope": figure.scope,
        "period": figure.period or None,
        "status": figure.status,
        "origin": figure.origin,
        "confidence": round(figure.confidence, 3),
        "reading": reading(figure.status, figure.origin, figure.confidence),
        "rule": figure.rule or None,
        "evidence": figure.evidence,
        "as_written": figure.as_written or None,
        "drug": figure.drug or None,
        "quantity": figure.quantity,
        "unit": figure.unit or None,
        "mass_kg": figure.mass_kg,
        "count": figure.count,
        "approximate": figure.approximate,
        "country_iso2": iso2 or None,
        "country_iso3": country_iso3(iso2) or None,
        "admin1_code": figure.place_code or None,
        "admin1": admin1_name(figure.place_code) or None,
        "nationalities": [str(code) for code in values.get("nationalities", []) or []],
        "name": figure.name or None,
        "role": figure.role or None,
        "agencies": list(article.agencies),
    }


FULL_COLUMNS = (
    "id",
    "article_id",
    "article_url",
    "report_url",
    "title",
    "source",
    "year",
    "published_date",
    "incident_id",
    "kind",
    "scope",
    "period",
    "status",
    "origin",
    "confidence",
    "reading",
    "rule",
    "evidence",
    "as_written",
    "drug",
    "quantity",
    "unit",
    "mass_kg",
    "count",
    "approximate",
    "country_iso2",
    "country_iso3",
    "admin1_code",
    "admin1",
    "nationalities",
    "name",
    "role",
    "agencies",
)


# --- Shapes that join other data sets --------------------------------------------------------


def unodc_ids_row(row: dict) -> dict:
    """Return a seizure in the spirit of UNODC's Individual Drug Seizures: when, where, what
    and how much. The date is the report's (its day, else its year): a report rarely dates the
    seizure itself, and is published on the day or soon after."""
    return {
        "seizure_date": row["published_date"] or row["year"],
        "country_iso3": row["country_iso3"],
        "drug": row["drug"],
        "quantity": row["quantity"],
        "unit": row["unit"],
        "quantity_kg": row["mass_kg"],
        "location": row["admin1"],
        "status": row["status"],
        "confidence": row["confidence"],
        "report_url": row["report_url"],
        "evidence": row["evidence"],
        "incident_id": row["incident_id"],
    }


# ACLED files an arrest under Strategic developments / Arrests, and has no sub-event type for
# a seizure of goods: "Looting/property destruction" is taking by force outside the law, so a
# seizure by the police is Strategic developments / Other.
ACLED_EVENT_TYPE = "Strategic developments"
ACLED_SUB_EVENT_TYPES = {
    ReportedFigure.Kind.ARREST: "Arrests",
    ReportedFigure.Kind.SEIZURE: "Other",
}


def acled_row(row: dict) -> dict:
    """Return an arrest or a seizure in ACLED's event columns.

    Filled: event_date (the report's publication date, ACLED's closest stand-in: the day the
    event was reported, not always the day it happened), year, disorder_type and event_type
    ("Strategic developments"), sub_event_type (Arrests, or Other for a seizure), actor1 (the
    report's subject ministries and agencies, "; "), country (its common name), iso (ISO 3166-1
    numeric, as ACLED's `iso`) and iso3, admin1 (the province's name), notes (the sentence that
    states it), source (the publication) and source_url (the report).
    Left empty: fatalities (a report of a raid does not count deaths; an empty cell is not
    ACLED's 0), and every column this archive does not read (event_id_cnty, actor2, inter1/2,
    interaction, admin2/3, location, latitude/longitude, geo_precision, time_precision, tags),
    which are left out rather than guessed. Our own status, confidence and incident_id columns
    follow: reports of one event share an incident_id, so that the event is counted once.
    """
    return {
        "event_date": row["published_date"] or "",
        "year": row["year"],
        "disorder_type": ACLED_EVENT_TYPE,
        "event_type": ACLED_EVENT_TYPE,
        "sub_event_type": ACLED_SUB_EVENT_TYPES[row["kind"]],
        "actor1": "; ".join(row["agencies"]),
        "country": country_name(row["country_iso2"] or ""),
        "iso": country_numeric(row["country_iso2"] or ""),
        "iso3": row["country_iso3"],
        "admin1": row["admin1"],
        "fatalities": None,
        "notes": row["evidence"],
        "source": row["source"],
        "source_url": row["report_url"],
        "status": row["status"],
        "confidence": row["confidence"],
        "incident_id": row["incident_id"],
    }


@dataclass(frozen=True)
class Shape:
    """A table of figures: its columns, the figures it holds, and how a full row becomes one."""

    name: str
    label: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...] | None = None  # None: every kind
    single_events_only: bool = False
    reshape: Callable[[dict], dict] | None = None  # None: the full row

    def row(self, full: dict) -> dict:
        return self.reshape(full) if self.reshape else full


SHAPES = {
    shape.name: shape
    for shape in (
        Shape("full", "Every figure, every column", FULL_COLUMNS),
        Shape(
            "unodc-ids",
            "Seizures, as UNODC's Individual Drug Seizures",
            tuple(unodc_ids_row(dict.fromkeys(FULL_COLUMNS))),
            kinds=(ReportedFigure.Kind.SEIZURE,),
            single_events_only=True,
            reshape=unodc_ids_row,
        ),
        Shape(
            "acled",
            "Arrests and seizures, as ACLED events",
            tuple(acled_row({**dict.fromkeys(FULL_COLUMNS), "kind": "arrest", "agencies": []})),
            kinds=tuple(ACLED_SUB_EVENT_TYPES),
            single_events_only=True,
            reshape=acled_row,
        ),
    )
}
DEFAULT_SHAPE = "full"


# --- Reading rows from the database ----------------------------------------------------------


def figures_for(which: str, shape: Shape):
    """Return the figures `which` (confirmed or all) names that `shape` holds."""
    figures = ReportedFigure.objects.filter(status__in=WHICH[which])
    if shape.kinds is not None:
        figures = figures.filter(kind__in=shape.kinds)
    if shape.single_events_only:
        figures = figures.single_events()
    return figures


def article_facts(article_ids: list[int]) -> dict[int, ArticleFacts]:
    """Return {id: ArticleFacts} for these articles in three queries."""
    ministry = TAG_KINDS["ministry"]
    agencies: dict[int, list[str]] = {}
    tags = (
        ministry.model.objects.live()
        .filter(article_id__in=article_ids, role=TagAssignment.Role.SUBJECT)
        .order_by("article_id", f"{ministry.target_field}__name")
        .values_list("article_id", f"{ministry.target_field}__name")
    )
    for article_id, name in tags:
        agencies.setdefault(article_id, []).append(name)
    incidents = incident_ids(article_ids)
    rows = Article.objects.filter(pk__in=article_ids).values_list(
        "pk", "title", "url", "year", "published_date", "source__name"
    )
    return {
        pk: ArticleFacts(
            id=pk,
            title=title,
            url=url,
            year=year,
            published_date=published.isoformat() if published else None,
            source=source or "",
            agencies=tuple(agencies.get(pk, ())),
            incident_id=incidents.get(pk),
        )
        for pk, title, url, year, published, source in rows
    }


def rows_for(figures, article_ids: Iterable[int], *, base_url: str) -> Iterator[dict]:
    """Yield the full row of each of `figures` whose article is listed, article by article in
    the order given, each article's figures in the order of its text; CHUNK articles at a time."""
    iterator = iter(article_ids)
    while chunk := list(islice(iterator, CHUNK)):
        found: dict[int, list[ReportedFigure]] = {}
        for figure in figures.filter(article_id__in=chunk).order_by("article_id", "start", "id"):
            found.setdefault(figure.article_id, []).append(figure)
        facts = article_facts(list(found))
        for pk in chunk:
            for figure in found.get(pk, ()):
                yield figure_row(figure, facts[pk], base_url=base_url)


def rows_of_article(article: Article, *, base_url: str) -> list[dict]:
    """Return the full rows of one article's live figures (confirmed and proposed)."""
    figures = ReportedFigure.objects.live().filter(article=article)
    return list(rows_for(figures, [article.pk], base_url=base_url))
