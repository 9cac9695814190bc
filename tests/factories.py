"""Small factories: each call makes one valid record, overrides name what a test cares about."""

import importlib
import itertools

from django.apps import apps

from archive.ingest.hashing import content_hash
from archive.models import (
    Article,
    Country,
    CrimeType,
    FigureStatus,
    Ministry,
    Origin,
    ReportedFigure,
    Source,
    TagAssignment,
)

_numbers = itertools.count(1)


def make_article(**fields) -> Article:
    number = next(_numbers)
    body = fields.pop("body", f"Police in Phnom Penh seized drugs in raid number {number}.")
    defaults = {
        "title": f"Report {number}",
        "body": body,
        "raw_text": body,
        "content_hash": content_hash(f"{body} {number}"),
        "origin": f"test/{number}.txt",
    }
    defaults.update(fields)
    return Article.objects.create(**defaults)


def make_source(name="Test Gazette", **fields) -> Source:
    return Source.objects.create(
        name=name, slug=fields.pop("slug", name.lower().replace(" ", "-")), **fields
    )


def country(code="KH") -> Country:
    return Country.objects.get(code=code)


def crime_type(name) -> CrimeType:
    return CrimeType.objects.get(name=name)


def ministry(name, code="KH") -> Ministry:
    return Ministry.objects.get(name=name, country__code=code)


def tag(
    article,
    target,
    *,
    origin=Origin.TAGGER,
    status=TagAssignment.Status.PROPOSED,
    role=TagAssignment.Role.SUBJECT,
    confidence=0.8,
    **fields,
):
    """Attach `target` (a Country, Ministry or CrimeType) to `article` as a tag assignment."""
    from archive.curation import kind_of

    kind = kind_of(target)
    return kind.model.objects.create(
        article=article,
        origin=origin,
        status=status,
        role=role,
        confidence=confidence,
        evidence=fields.pop("evidence", "test evidence"),
        **{kind.target_field: target},
        **fields,
    )


def make_figure(
    article,
    kind=ReportedFigure.Kind.SEIZURE,
    *,
    status=FigureStatus.CONFIRMED,
    origin=Origin.TAGGER,
    confidence=0.9,
    **fields,
) -> ReportedFigure:
    """Attach one figure to `article`; by default a confirmed seizure the tagger proposed."""
    return ReportedFigure.objects.create(
        article=article,
        kind=kind,
        status=status,
        origin=origin,
        confidence=confidence,
        evidence=fields.pop("evidence", "Test evidence sentence."),
        **fields,
    )


def load_initial_taxonomy() -> None:
    """Add the taxonomy the data migration ships (it only adds what is missing)."""
    importlib.import_module("archive.migrations.0002_initial_taxonomy").add_taxonomy(apps, None)
    importlib.import_module(
        "archive.migrations.0003_country_demonyms_article_proposed_year"
    ).move_demonyms(apps, None)
    importlib.import_module("archive.migrations.0008_names_in_the_regions_scripts").add_names(
        apps, None
    )
    importlib.import_module("archive.migrations.0009_every_iso_country").add_countries(apps, None)
