"""The article admin's tag filters and search: public names, honest counts, the search index.

Curators follow links and type addresses made for the public pages (`?country=KH`,
`?crime_type=gambling`), so a filter takes an entry's id, code, slug or name, and an unknown
value lists nothing with a message, never an error page. Two numbers stand beside each entry,
each saying what it counts: the admin's own count (any live tag on the article: subject or
mention, proposed or confirmed, which is what curation works through) and the public count
(subject tags only, as the search page counts). A crime type counts the types below it in both,
as the public search does.

Searching the list uses the search index, not a scan of every text for every facet value (15 to
35 seconds at 4,000 articles). Its best ADMIN_SEARCH_LIMIT matches are listed, in the list's own
order, with a message saying how many match in all.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_FACETS_VAR, IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.exceptions import EmptyResultSet
from django.db import DataError, connection, models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.http import HttpResponseRedirect

from archive.kinds import BY_KEY
from archive.models import TAG_KINDS, Country, TagAssignment
from archive.search_hook import best_matching_ids, tag_counts
from archive.taxonomy import ancestor_ids, narrower_by_broad, normalize_name
from archive.taxonomy_loader import crime_type_parents, crime_types_with_narrower

# Matches of an admin search listed at most: more than a curator pages through, few enough that
# the list and its facet counts stay fast at 100,000 articles.
ADMIN_SEARCH_LIMIT = 1000


def public_counts(kind_key: str, request=None) -> dict[int, int]:
    """Return {entry id: reports the public search counts for it}: live subject tags, and for a
    crime type those of the types below it too (each report once). Read from the search index
    (milliseconds), or from the tag table while it cannot be read."""
    counted = _index_counts(request, include_mentions=False)
    if counted is not None:
        return counted[kind_key]
    kind = TAG_KINDS[kind_key]
    return entry_counts(kind_key, kind.model.objects.live().filter(role=TagAssignment.Role.SUBJECT))


def live_tag_counts(kind_key: str, request=None) -> dict[int, int]:
    """Return {entry id: articles holding a live tag on it, subject or mention, proposed or
    confirmed} (a crime type with those below it), from the index or the tag table."""
    counted = _index_counts(request, include_mentions=True)
    if counted is not None:
        return counted[kind_key]
    return entry_counts(kind_key, TAG_KINDS[kind_key].model.objects.live())


def used_entries(kind_key: str, request=None) -> set[int]:
    """Return the entries some article holds a live tag on, and the broad crime types above
    them (they find those articles)."""
    counted = _index_counts(request, include_mentions=True)
    if counted is not None:
        return set(counted[kind_key])
    kind = TAG_KINDS[kind_key]
    live = kind.model.objects.live().order_by()
    used = set(live.values_list(kind.target_field, flat=True).distinct())
    if kind_key == "crime_type":
        used = ancestor_ids(crime_type_parents(), used)
    return used


def _index_counts(request, *, include_mentions: bool):
    """Return the search index's tag counts, once per request."""

    known = request.__dict__.setdefault("_index_tag_counts", {}) if request is not None else {}
    if include_mentions not in known:
        known[include_mentions] = tag_counts(include_mentions=include_mentions)
    return known[include_mentions]


def entry_counts(kind_key: str, tags) -> dict[int, int]:
    """Return {entry id: articles among `tags` (a queryset of one kind's tag rows) holding it};
    a broad crime type counts the articles holding it or a type below it, each once."""
    target = TAG_KINDS[kind_key].target_field
    tags = tags.order_by()
    counts = dict(tags.values_list(target).annotate(count=Count("article", distinct=True)))
    if kind_key == "crime_type":
        counts.update(_broad_type_counts(tags))
    return counts


def _broad_type_counts(tags) -> dict[int, int]:
    """Return {broad crime type: distinct articles among `tags` on it or below it}, in one query:
    the tag rows joined to a (type, broad type above it or itself) table written as VALUES."""
    pairs = [
        (below, broad)
        for broad, narrower in narrower_by_broad(crime_type_parents()).items()
        for below in narrower
    ]
    if not pairs:
        return {}
    try:
        rows, row_params = tags.values("article_id", "crime_type_id").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing: no query to run
        return {}
    table = ", ".join(["(%s, %s)"] * len(pairs))
    sql = (
        "SELECT m.broad, COUNT(DISTINCT t.article_id) FROM (" + rows + ") t "
        "JOIN (SELECT column1 AS below, column2 AS broad FROM (VALUES " + table + ") AS v) m "
        "ON m.below = t.crime_type_id GROUP BY m.broad"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*row_params, *(value for pair in pairs for value in pair)])
        return dict(cursor.fetchall())


def among(queryset, ids: list[int]):
    """Return `queryset` narrowed to these article ids, sent as one parameter (a list of two
    thousand ids costs as many placeholders in every query of the change list otherwise)."""
    if connection.vendor == "postgresql":
        subquery = RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    else:
        subquery = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
    return queryset.filter(pk__in=subquery)


class TagListFilter(admin.SimpleListFilter):
    """Filter articles by a live tag (subject or mention; a crime type with those below it)."""

    tag_kind_key: str = ""

    def lookups(self, request, model_admin):
        # The change list makes its filters again for every filter's counts: once a request.
        made = request.__dict__.setdefault("_tag_filter_choices", {})
        if self.tag_kind_key not in made:
            made[self.tag_kind_key] = self._choices(request)
        return made[self.tag_kind_key]

    def _choices(self, request) -> list[tuple[str, str]]:
        kind = TAG_KINDS[self.tag_kind_key]
        used = kind.taxonomy.objects.filter(pk__in=used_entries(self.tag_kind_key, request))
        if any(field.name == "country" for field in kind.taxonomy._meta.concrete_fields):
            # A ministry's label names its country: one query, not one per ministry (and the
            # admin builds these choices again for every filter's counts).
            used = used.select_related("country")
        public = public_counts(self.tag_kind_key, request)
        return [
            (str(entry.pk), f"{entry} · {public.get(entry.pk, 0)} public")
            for entry in used.order_by("name", "pk")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        entries = self.entries(self.value())
        if not entries:
            # The change list asks every filter again for each filter's counts: warn once.
            warned = request.__dict__.setdefault("_unknown_filter_values", set())
            if (self.tag_kind_key, self.value()) not in warned:
                warned.add((self.tag_kind_key, self.value()))
                messages.warning(
                    request,
                    f"No {BY_KEY[self.tag_kind_key].label.lower()} is called "
                    f"{self.value()!r}; the list is empty. Pick one in the filter.",
                )
            return queryset.none()
        if self.tag_kind_key == "crime_type":
            entries = sorted(crime_types_with_narrower(entries))
        return queryset.tagged(self.tag_kind_key, entries, include_mentions=True)

    def entries(self, value: str) -> list[int]:
        """Return the entries `value` names: an id, a code or slug, or a name (all bearing it)."""
        taxonomy = TAG_KINDS[self.tag_kind_key].taxonomy
        if value.isascii() and value.isdigit() and len(value) < 12:
            return list(taxonomy.objects.filter(pk=int(value)).values_list("pk", flat=True))
        key = "code" if taxonomy is Country else "slug"
        found = list(
            taxonomy.objects.filter(**{f"{key}__iexact": value}).values_list("pk", flat=True)
        )
        if found:
            return found
        wanted = normalize_name(value)
        return [
            pk
            for pk, name, aliases in taxonomy.objects.values_list("pk", "name", "aliases")
            if wanted == normalize_name(name)
            or wanted in {normalize_name(alias) for alias in (aliases or "").splitlines()}
        ]

    def get_facet_queryset(self, changelist):
        """Return {"<choice>__c": count}: one grouped query over the tag table, instead of
        Django's one conditional count per entry (a subquery each)."""
        filtered = changelist.get_queryset(
            self.request, exclude_parameters=self.expected_parameters()
        )
        kind = TAG_KINDS[self.tag_kind_key]
        tags = kind.model.objects.live().filter(article__in=filtered.values("pk"))
        counts = entry_counts(self.tag_kind_key, tags)
        return {
            f"{index}__c": counts.get(int(pk), 0)
            for index, (pk, _label) in enumerate(self.lookup_choices)
        }


class RelatedOnceFilter(admin.RelatedFieldListFilter):
    """Django's filter for a foreign key, its choices read once per request (the change list
    makes every filter again for each filter's counts: eleven queries for one list)."""

    def field_choices(self, field, request, model_admin):
        made = request.__dict__.setdefault("_related_filter_choices", {})
        if field.name not in made:
            made[field.name] = super().field_choices(field, request, model_admin)
        return made[field.name]


class DistinctValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter listing a column's values, read once per request and, on PostgreSQL,
    by walking the column's index from one value to the next: "SELECT DISTINCT" read every row
    (90-100 ms for the year and the language at 100,000 articles, on every page of the list)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        made = request.__dict__.setdefault("_distinct_filter_choices", {})
        if field_path not in made:
            made[field_path] = distinct_values(model, field_path)
        self.lookup_choices = made[field_path]


def distinct_values(model, field_name: str) -> list:
    """Return each value of an indexed column once, in order, None last if any row has none."""
    if connection.vendor != "postgresql":
        found = model.objects.order_by(field_name).values_list(field_name, flat=True)
        values = list(found.distinct())
        # SQLite sorts NULL first, PostgreSQL last: last on both.
        return (
            [*(value for value in values if value is not None), None]
            if None in values
            else (values)
        )
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field_name).column)
    # A loose index scan: each step asks the index for the next value above the last one.
    walk = f"""
        WITH RECURSIVE walk(value) AS (
            (SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1)
            UNION ALL
            SELECT (SELECT {column} FROM {table} WHERE {column} > walk.value
                    ORDER BY {column} LIMIT 1)
            FROM walk WHERE walk.value IS NOT NULL
        )
        SELECT value FROM walk WHERE value IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(walk)
        values = [value for (value,) in cursor.fetchall()]
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} IS NULL)")
        (has_none,) = cursor.fetchone()
    return [*values, None] if has_none else values


class CountryListFilter(TagListFilter):
    title = "country (count: any tag · public: subject tags)"
    parameter_name = tag_kind_key = "country"


class MinistryListFilter(TagListFilter):
    title = "ministry or agency (count: any tag · public: subject tags)"
    parameter_name = tag_kind_key = "ministry"


class CrimeTypeListFilter(TagListFilter):
    title = "crime type, with the types below it (count: any tag · public: subject tags)"
    parameter_name = tag_kind_key = "crime_type"


class ProposedTagsFilter(admin.SimpleListFilter):
    title = "tags awaiting review"
    parameter_name = "proposed"

    def lookups(self, request, model_admin):
        return [("yes", "Has proposed tags"), ("no", "All tags reviewed")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        proposed = self.proposed()
        return queryset.filter(proposed) if self.value() == "yes" else queryset.exclude(proposed)

    @staticmethod
    def proposed() -> Q:
        # Whether each listed article has one, through the (article, entry) index of each tag
        # table: a join of the three tables made a row per tag, and "IN (every proposed tag)"
        # read all of them for a page of fifty.
        proposed = Q()
        for kind in TAG_KINDS.values():
            rows = kind.model.objects.filter(
                article=OuterRef("pk"), status=TagAssignment.Status.PROPOSED
            )
            proposed |= Q(Exists(rows))
        return proposed

    def get_facet_queryset(self, changelist):
        """Return the two counts from two counting queries: Django's way nested each choice's
        whole filter in a conditional count, the "no" one as a NOT IN over every tag table."""
        filtered = changelist.get_queryset(
            self.request, exclude_parameters=self.expected_parameters()
        )
        total, with_proposals = filtered.count(), filtered.filter(self.proposed()).count()
        return {"0__c": with_proposals, "1__c": total - with_proposals}


class CuratedText(forms.CharField):
    """A text field whose line endings are "\n" however the browser sent them: browsers send a
    textarea with "\r\n", so an untouched article saved from its page changed its body and
    its history recorded an edit nobody made."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


class CuratedTextMixin:
    """A ModelAdmin whose text fields keep "\n" line endings, and whose save of a form with
    nothing changed writes nothing (no history row, no index change)."""

    # Text areas are where browsers send "\r\n"; a one-line input cannot hold a line break.
    formfield_overrides = {models.TextField: {"form_class": CuratedText, "widget": forms.Textarea}}

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)


class ForgivingLookupsMixin:
    """A ModelAdmin whose list takes any query string: a number too large for the database
    (`?import_batch=999...` overflowed SQLite and PostgreSQL) or a year 0 is a wrong filter,
    which Django answers by returning to the list with ?e=1, not a server error."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError, DataError) as error:
            raise IncorrectLookupParameters(error) from error

    def changelist_view(self, request, extra_context=None):
        # The date drill-down's links are drawn from its parameters after the list is made
        # (`?published_date__year=0` failed there): a date no calendar has is a wrong filter.
        if self.date_hierarchy and not _real_date_parts(request.GET, self.date_hierarchy):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        response = super().changelist_view(request, extra_context)
        # Facet counts run while the page renders, after the list was made: a number too large
        # for the database fails there, so the page is rendered here, where it can be caught.
        if hasattr(response, "render") and not response.is_rendered:
            try:
                response.render()
            except (OverflowError, DataError):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return response


def _real_date_parts(params, field: str) -> bool:
    """Return whether the date drill-down's year, month and day, where given, make a date."""
    limits = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}
    for part, (low, high) in limits.items():
        value = params.get(f"{field}__{part}")
        if value is None:
            continue
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            return False
    return True


class SearchedChangeList(ChangeList):
    """A change list whose filters count on request while a search is typed (the *Show counts*
    link), and always otherwise.

    A search lists the best ADMIN_SEARCH_LIMIT matches, so the counts would be of those, not of
    every match; and counting them for every filter doubled the time of a search (530 ms
    against 280 ms at 100,000 articles)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.query.strip():
            self.is_facets_optional = True
            self.add_facets = IS_FACETS_VAR in request.GET


class IndexSearchMixin:
    """A ModelAdmin whose search box asks the search index (the public query language)."""

    def get_changelist(self, request, **kwargs):
        return SearchedChangeList

    def get_search_results(self, request, queryset, search_term):
        term = " ".join(search_term.split())
        if not term:
            return queryset, False
        # The change list asks once for the list and once per filter's counts: search once.
        cache = request.__dict__.setdefault("_admin_search", {})
        if term not in cache:
            cache[term] = self._search_index(request, term)
        ids = cache[term]
        if ids is None:  # the index cannot be read: the titles, the slow way
            return queryset.filter(title__icontains=term), False
        return among(queryset, ids), False

    def _search_index(self, request, term: str) -> list[int] | None:
        found = best_matching_ids(term, limit=ADMIN_SEARCH_LIMIT)
        if found is None:
            messages.warning(
                request,
                "The search index is being rebuilt: only titles were searched, word for word.",
            )
            return None
        ids, total, any_words = found
        if any_words:
            messages.info(
                request,
                f"No article has every word of {term!r}; listed are those with some of them.",
            )
        if total > len(ids):
            messages.info(
                request,
                f"{total:,} articles match {term!r}; the {len(ids):,} that match it best are "
                "listed (and counted beside the filters, under Show counts). Add words or "
                "filters to narrow the search.",
            )
        return ids
