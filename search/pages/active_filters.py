"""The database-backed article list's filters in force, as plain data the template renders.

The list answers only while the search index cannot be read (search.pages.articles.ArticleListView):
it applies the URL's filters without counting them, since counts that disagreed with the
search page's would be worse than none. Each filter can be removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from archive.kinds import FIGURE_FACETS, KINDS
from search.pages.article_filters import (
    YEAR,
    YEAR_FROM,
    YEAR_TO,
)
from search.service.figure_names import figure_label
from search.service.url_state import MIN_KG, figure_value


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str  # "?..." without this filter


def active_filters(params: QueryDict) -> list[ActiveFilter]:
    """Return one removable entry per filter value in the URL (unknown values named as typed)."""
    found = []
    for kind in KINDS:
        values = list(dict.fromkeys(params.getlist(kind.key)))
        names = {
            getattr(entry, kind.url_field): str(entry)
            for entry in kind.model.objects.filter(**{f"{kind.url_field}__in": values})
        }
        for value in values:
            found.append(
                ActiveFilter(
                    f"{kind.label}: {names.get(value, value)}", _without(params, kind.key, value)
                )
            )
    for year in dict.fromkeys(params.getlist(YEAR)):
        found.append(ActiveFilter(f"Year: {year}", _without(params, YEAR, year)))
    for key, label in ((YEAR_FROM, "From year"), (YEAR_TO, "To year")):
        if params.get(key):
            found.append(ActiveFilter(f"{label}: {params[key]}", _without(params, key, None)))
    for facet in FIGURE_FACETS:
        for value in dict.fromkeys(params.getlist(facet.key)):
            label = figure_label(facet.key, figure_value(facet.key, value))
            found.append(
                ActiveFilter(f"{facet.label}: {label}", _without(params, facet.key, value))
            )
    if params.get(MIN_KG):
        found.append(
            ActiveFilter(f"Seized at least {params[MIN_KG]} kg", _without(params, MIN_KG, None))
        )
    return found


def _without(params: QueryDict, key: str, value: str | None) -> str:
    query = params.copy()
    query.pop("page", None)
    kept = [v for v in query.getlist(key) if value is not None and v != value]
    query.setlist(key, kept)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
