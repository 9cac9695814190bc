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

from django.contrib import admin, messages
from django.db.models import Count, Q

from archive.models import TAG_KINDS, Article, Country, CrimeType, TagAssignment
from archive.taxonomy import descendant_ids, normalize_name

# Matches of an admin search listed at most: more than a curator pages through, few enough that
# the list and its facet counts stay fast at 100,000 articles.
ADMIN_SEARCH_LIMIT = 2000


def public_counts(kind_key: str) -> dict[int, int]:
    """Return {entry id: reports the public search counts for it}: live subject tags, and for a
    crime type those of the types below it too (each report once)."""
    kind = TAG_KINDS[kind_key]
    subjects = kind.model.objects.live().filter(role=TagAssignment.Role.SUBJECT).order_by()
    counts = dict(
        subjects.values_list(kind.target_field).annotate(count=Count("article", distinct=True))
    )
    if kind_key == "crime_type":
        parent_of = dict(CrimeType.objects.values_list("pk", "parent_id"))
        for parent in {p for p in parent_of.values() if p is not None}:
            below = descendant_ids(parent_of, [parent])
            counts[parent] = (
                subjects.filter(crime_type__in=below).values("article").distinct().count()
            )
    return counts


class TagListFilter(admin.SimpleListFilter):
    """Filter articles by a live tag (subject or mention; a crime type with those below it)."""

    tag_kind_key: str = ""

    def lookups(self, request, model_admin):
        kind = TAG_KINDS[self.tag_kind_key]
        used_ids = set(kind.model.objects.live().values_list(kind.target_field, flat=True))
        if self.tag_kind_key == "crime_type":
            # A broad type is offered when a type below it is used: it finds those reports.
            parent_of = dict(CrimeType.objects.values_list("pk", "parent_id"))
            for pk in list(used_ids):
                while (pk := parent_of.get(pk)) is not None and pk not in used_ids:
                    used_ids.add(pk)
        used = kind.taxonomy.objects.filter(pk__in=used_ids)
        if any(field.name == "country" for field in kind.taxonomy._meta.concrete_fields):
            # A ministry's label names its country: one query, not one per ministry (and the
            # admin builds these choices again for every filter's counts).
            used = used.select_related("country")
        public = public_counts(self.tag_kind_key)
        return [
            (str(entry.pk), f"{entry} · {public.get(entry.pk, 0)} public")
            for entry in used.order_by("name", "pk")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        entries = self.entries(self.value())
        if not entries:
            messages.warning(
                request,
                f"No {TAG_KINDS[self.tag_kind_key].label.lower()} is called {self.value()!r}; "
                "the list is empty. Pick one in the filter.",
            )
            return queryset.none()
        if self.tag_kind_key == "crime_type":
            parent_of = dict(CrimeType.objects.values_list("pk", "parent_id"))
            entries = sorted(descendant_ids(parent_of, entries))
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
        tags = kind.model.objects.live().filter(article__in=filtered.values("pk")).order_by()
        counts = dict(
            tags.values_list(kind.target_field).annotate(count=Count("article", distinct=True))
        )
        if self.tag_kind_key == "crime_type":
            parent_of = dict(CrimeType.objects.values_list("pk", "parent_id"))
            for parent in {p for p in parent_of.values() if p is not None}:
                below = descendant_ids(parent_of, [parent])
                counts[parent] = (
                    tags.filter(crime_type__in=below).values("article").distinct().count()
                )
        return {
            f"{index}__c": counts.get(int(pk), 0)
            for index, (pk, _label) in enumerate(self.lookup_choices)
        }


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
        proposed = Q()
        for kind in TAG_KINDS.values():
            proposed |= Q(**{f"{kind.related_name}__status": TagAssignment.Status.PROPOSED})
        ids = Article.objects.filter(proposed).values("pk")
        return (
            queryset.filter(pk__in=ids) if self.value() == "yes" else queryset.exclude(pk__in=ids)
        )


class IndexSearchMixin:
    """A ModelAdmin whose search box asks the search index (the public query language)."""

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
        return queryset.filter(pk__in=ids), False

    def _search_index(self, request, term: str) -> list[int] | None:
        from search.service import best_matching_ids  # the search app builds on this one

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
                "listed. Add words or filters to narrow the search.",
            )
        return ids
