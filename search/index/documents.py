"""One function decides what the index knows about an article."""

from __future__ import annotations

import hashlib
import json

from archive.kinds import FIGURE_FACETS
from archive.models import (
    TAG_KINDS,
    Article,
    FigureStatus,
    GroupKind,
    GroupStatus,
    ReportedFigure,
    TagAssignment,
)
from search.backends.base import FIGURE_VALUE_SEPARATOR, INCIDENT, MAX_KG


def articles_for_indexing():
    """Return the queryset article_document expects (tags and figures loaded with it)."""
    return Article.objects.prefetch_related(
        *(kind.related_name for kind in TAG_KINDS.values()), "figures", "group_members"
    ).order_by("pk")


def article_document(article: Article) -> dict:
    """Return the index document for an article: ids, text, facet values and a content stamp.

    `<kind>` holds the live subject tags, `<kind>_all` subjects and mentions; rejected tags are
    left out. Facet fields hold taxonomy ids, so renaming an entry needs no re-indexing; labels
    come from the database when a page is drawn. The figure facets (archive.kinds.FIGURE_FACETS)
    and `max_kg` are read from the live figures (figure_fields). The stamp is a digest of
    everything else, so check_index can find stale entries.
    """
    document = {
        "id": str(article.pk),
        "title": article.title,
        "body": article.body,
        "source": str(article.source_id or ""),
        "year": article.year,
        "sort_date": _sort_key(article),
    }
    for key, kind in TAG_KINDS.items():
        live = [
            t
            for t in getattr(article, kind.related_name).all()
            if t.status != TagAssignment.Status.REJECTED
        ]
        target_id = f"{kind.target_field}_id"
        document[key] = " ".join(
            sorted(str(getattr(t, target_id)) for t in live if t.role == TagAssignment.Role.SUBJECT)
        )
        document[f"{key}_all"] = " ".join(sorted(str(getattr(t, target_id)) for t in live))
    document.update(figure_fields(article.figures.all()))
    document[INCIDENT] = next(
        (
            member.group_id
            for member in article.group_members.all()
            if member.kind == GroupKind.INCIDENT and member.status != GroupStatus.REJECTED
        ),
        0,
    )
    document["stamp"] = document_stamp(document)
    return document


def figure_fields(figures) -> dict:
    """Return the index fields read from an article's figures, rejected ones left out:
    {"province": "KH-12,KH-18", "drug": "heroin,methamphetamine", "person": "...",
    "max_kg": 12.5 or None}. `max_kg` is the largest mass of one seizure: a total over a
    period is no seizure of that size."""
    live = [figure for figure in figures if figure.status != FigureStatus.REJECTED]
    fields: dict = {}
    for facet in FIGURE_FACETS:
        values = {
            facet_value(getattr(figure, facet.column))
            for figure in live
            if not facet.figure_kind or figure.kind == facet.figure_kind
        }
        fields[facet.key] = FIGURE_VALUE_SEPARATOR.join(sorted(values - {""}))
    masses = [
        figure.mass_kg
        for figure in live
        if figure.kind == ReportedFigure.Kind.SEIZURE
        and figure.scope == ReportedFigure.Scope.SINGLE
        and figure.mass_kg
    ]
    fields[MAX_KG] = max(masses, default=None)
    return fields


def facet_value(text: str) -> str:
    """Return a figure's value as its facet holds it: spaces collapsed, no separator in it."""
    return " ".join((text or "").replace(FIGURE_VALUE_SEPARATOR, " ").split())


def document_stamp(document: dict) -> str:
    content = {key: value for key, value in document.items() if key != "stamp"}
    return hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _sort_key(article: Article) -> int:
    """Return YYYYMMDD for sorting by date; an unknown day sorts as the year's last."""
    if article.published_date:
        date = article.published_date
        return date.year * 10000 + date.month * 100 + date.day
    if article.year:
        return article.year * 10000 + 1231
    return 0
