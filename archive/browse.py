"""The article list's filter options as plain data: the template only renders them.

Each option carries its count (articles with a live subject tag on it, across the whole archive)
and whether it is selected. Counts that follow the other filters belong to the search pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from archive.filters import COUNTRY, CRIME_TYPE, MINISTRY, SOURCE
from archive.models import TAG_KINDS, Article, Source, TagAssignment


@dataclass(frozen=True)
class FilterOption:
    value: str  # what goes in the query string
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FilterGroup:
    key: str  # the query-string key
    label: str
    options: list[FilterOption]


def filter_groups(selected: dict[str, list[str]]) -> list[FilterGroup]:
    """Return the option groups for the list's sidebar; unused entries only when selected."""
    groups = []
    url_value = {COUNTRY: "code", MINISTRY: "slug", CRIME_TYPE: "slug"}
    for key in (COUNTRY, CRIME_TYPE, MINISTRY):
        kind = TAG_KINDS[key]
        counts = dict(
            kind.model.objects.live()
            .filter(role=TagAssignment.Role.SUBJECT)
            .order_by()
            .values_list(kind.target_field)
            .annotate(count=Count("article", distinct=True))
        )
        groups.append(
            _group(
                key,
                kind.label,
                kind.taxonomy.objects.all(),
                counts,
                url_value[key],
                selected.get(key, []),
            )
        )
    source_counts = dict(
        Article.objects.exclude(source=None)
        .order_by()
        .values_list("source")
        .annotate(count=Count("id"))
    )
    groups.append(
        _group(
            SOURCE, "Source", Source.objects.all(), source_counts, "slug", selected.get(SOURCE, [])
        )
    )
    return groups


def _group(key, label, entries, counts, value_field, selected_values) -> FilterGroup:
    options = [
        FilterOption(
            value=getattr(entry, value_field),
            label=str(entry),
            count=counts.get(entry.pk, 0),
            selected=getattr(entry, value_field) in selected_values,
        )
        for entry in entries
    ]
    options = [option for option in options if option.count or option.selected]
    options.sort(key=lambda option: (-option.count, option.label))
    return FilterGroup(key=key, label=label, options=options)
