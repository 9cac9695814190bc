"""Reports that share an article's subject country and crime type, nearest in date first."""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.functions import Abs, Coalesce

from archive.models import Article, TagAssignment

# "Near the same date": within this many years either side.
NEAR_YEARS = 1


def subject_ids(article: Article, related_name: str, target_field: str) -> list[int]:
    return [
        getattr(tag, f"{target_field}_id")
        for tag in getattr(article, related_name).all()
        if tag.role == TagAssignment.Role.SUBJECT and tag.status != TagAssignment.Status.REJECTED
    ]


def same_story(article: Article, *, limit: int, exclude: set[int] = frozenset()):
    """Return reports with one of the article's subject countries and one of its subject crime
    types, within NEAR_YEARS of its year (any year when it has none), nearest first."""
    countries = subject_ids(article, "country_tags", "country")
    crimes = subject_ids(article, "crime_type_tags", "crime_type")
    if not countries or not crimes:
        return []
    queryset = (
        Article.objects.tagged("country", countries)
        .tagged("crime_type", crimes)
        .exclude(pk__in={article.pk, *exclude})
        .select_related("source")
    )
    if article.year:
        queryset = (
            queryset.filter(
                year__gte=article.year - NEAR_YEARS, year__lte=article.year + NEAR_YEARS
            )
            .annotate(distance=Abs(Coalesce(F("year"), Value(0)) - article.year))
            .order_by("distance", F("published_date").desc(nulls_last=True), "-id")
        )
    else:
        queryset = queryset.order_by(F("published_date").desc(nulls_last=True), "-year", "-id")
    return list(queryset[:limit])
