"""The public article list's filters; every one lives in the URL's query string."""

import django_filters
from django import forms

from archive.kinds import FIGURE_FACETS_BY_KEY
from archive.models import Article, Country, CrimeType, Ministry, ReportedFigure, Source
from archive.taxonomy_loader import crime_types_with_narrower
from search.service.url_state import MIN_MIN_KG, figure_value

# Query-string keys.
COUNTRY, MINISTRY, CRIME_TYPE, SOURCE = "country", "ministry", "crime_type", "source"
YEAR, YEAR_FROM, YEAR_TO, MENTIONS, SORT = "year", "year_from", "year_to", "mentions", "sort"

SORT_ORDERS = {
    "newest": ("-published_date", "-year", "-id"),
    "oldest": ("published_date", "year", "id"),
    "added": ("-created_at", "-id"),
}


class ArticleFilter(django_filters.FilterSet):
    """Several values of one filter widen the list (OR); different filters narrow it (AND)."""

    country = django_filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.all(), to_field_name="code", method="filter_tag"
    )
    ministry = django_filters.ModelMultipleChoiceFilter(
        queryset=Ministry.objects.all(), to_field_name="slug", method="filter_tag"
    )
    crime_type = django_filters.ModelMultipleChoiceFilter(
        queryset=CrimeType.objects.all(), to_field_name="slug", method="filter_crime_type"
    )
    source = django_filters.ModelMultipleChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", method="filter_source"
    )
    # Years, repeatable (year=2021&year=2023); read from the data, a value that is not a year
    # matches nothing.
    year = django_filters.CharFilter(method="filter_years", label="Year")
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label="From year")
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label="To year")
    # The figure facets and "seized at least N kg", read from live figures as the index reads
    # them (search.index.documents.figure_fields); repeatable like years.
    province = django_filters.CharFilter(method="filter_figures", label="Province")
    drug = django_filters.CharFilter(method="filter_figures", label="Drug seized")
    person = django_filters.CharFilter(method="filter_figures", label="Person named")
    min_kg = django_filters.NumberFilter(method="filter_min_kg", label="Seized at least (kg)")
    mentions = django_filters.BooleanFilter(
        method="filter_nothing",
        widget=forms.CheckboxInput,
        label="Also match reports that only mention a tag",
    )
    sort = django_filters.ChoiceFilter(
        choices=[
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("added", "Recently added"),
        ],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_tag(self, queryset, name, entries):
        """Return articles tagged with any of `entries` (a subject tag unless mentions count)."""
        if not entries:
            return queryset
        return queryset.tagged(
            name, [entry.pk for entry in entries], include_mentions=self._include_mentions()
        )

    def filter_crime_type(self, queryset, name, entries):
        """Return articles tagged with any of `entries` or a crime type below one of them."""
        if not entries:
            return queryset
        ids = crime_types_with_narrower(entry.pk for entry in entries)
        return queryset.tagged(name, ids, include_mentions=self._include_mentions())

    def filter_source(self, queryset, name, sources):
        """Return articles from any of `sources`."""
        return queryset.filter(source__in=sources) if sources else queryset

    def filter_years(self, queryset, name, value):
        """Return articles of any of the years the URL gives."""
        years = [int(year) for year in self.data.getlist(YEAR) if year.isascii() and year.isdigit()]
        return queryset.filter(year__in=[year for year in years if year < 10_000])

    def filter_figures(self, queryset, name, value):
        """Return articles with a live figure holding any of the URL's values of `name`."""
        facet = FIGURE_FACETS_BY_KEY[name]
        values = [figure_value(name, given) for given in self.data.getlist(name)]
        figures = ReportedFigure.objects.live().filter(**{f"{facet.column}__in": values})
        if facet.figure_kind:
            figures = figures.filter(kind=facet.figure_kind)
        return queryset.filter(pk__in=figures.values("article_id"))

    def filter_min_kg(self, queryset, name, value):
        """Return articles stating one live seizure of at least `value` kg."""
        if value is None or value < MIN_MIN_KG:
            return queryset
        figures = (
            ReportedFigure.objects.live()
            .single_events()
            .filter(kind=ReportedFigure.Kind.SEIZURE, mass_kg__gte=value)
        )
        return queryset.filter(pk__in=figures.values("article_id"))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS.get(value, SORT_ORDERS["newest"]))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by the tag filters instead

    def _include_mentions(self) -> bool:
        return bool(self.form.cleaned_data.get(MENTIONS))
