"""The taxonomy admins (countries, ministries, crime types, sources) and their recorded merges."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from archive.admin.filters import (
    CuratedTextMixin,
    live_tag_counts,
    public_counts,
)
from archive.merges import merge_entries, merge_preview, merge_problem, undo_merge
from archive.models import (
    Country,
    CrimeType,
    Ministry,
    Source,
    TagAssignment,
    TaxonomyMerge,
)

# --- Taxonomy -----------------------------------------------------------------------------------


class TaxonomyAdmin(CuratedTextMixin, SimpleHistoryAdmin):
    formfield_overrides = {
        **CuratedTextMixin.formfield_overrides,
        models.URLField: {"assume_scheme": "https"},
    }
    # Explicit, and ending in a unique column: the article counts below make the query a GROUP
    # BY, where Django drops Meta.ordering, and the tag autocomplete pages through it 20 at a
    # time; unordered, PostgreSQL offered some entries twice and others never.
    ordering = ("name", "pk")
    search_fields = ("name", "aliases")
    prepopulated_fields = {"slug": ("name",)}
    actions = ("merge_action",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(self.model, "article_tags"):
            return queryset.annotate(
                tagged_articles=Count(
                    "article_tags", filter=~Q(article_tags__status=TagAssignment.Status.REJECTED)
                )
            )
        return queryset.annotate(tagged_articles=Count("articles"))

    @admin.display(description="articles (any live tag)", ordering="tagged_articles")
    def article_count(self, entry):
        """Articles with a live tag on the entry: subject or mention, proposed or confirmed (a
        crime type's, those below it too, as its filter finds them)."""
        if isinstance(entry, CrimeType):
            return self._counts("crime_type", live_tag_counts).get(entry.pk, 0)
        return entry.tagged_articles

    @admin.display(description="public count (subject tags)")
    def public_count(self, entry):
        """What the public search counts for the entry (a crime type with those below it)."""
        kind = {Country: "country", Ministry: "ministry", CrimeType: "crime_type"}.get(type(entry))
        return "-" if kind is None else self._counts(kind, public_counts).get(entry.pk, 0)

    def _counts(self, kind: str, count) -> dict[int, int]:
        known = self.__dict__.setdefault("_counts_shown", {})
        if (kind, count) not in known:
            known[kind, count] = count(kind)
        return known[kind, count]

    def changelist_view(self, request, extra_context=None):
        self._counts_shown = {}  # worked out once per list shown
        return super().changelist_view(request, extra_context)

    @admin.action(description="Merge the selected entries into one…", permissions=["change"])
    def merge_action(self, request, queryset):
        entries = list(queryset)
        problem = merge_problem(entries)
        survivor_id = request.POST.get("survivor")
        survivor = next((e for e in entries if str(e.pk) == survivor_id), None)
        if "apply" in request.POST and survivor is not None and not problem:
            others = [entry for entry in entries if entry.pk != survivor.pk]
            record = merge_entries(survivor, others, user=request.user)
            moves = record.moves
            moved = len(moves["assignments"]) + len(moves["articles"])
            self.message_user(
                request,
                f"Merged {', '.join(e.name for e in others)} into {survivor.name}: {moved} tags "
                f"or articles moved, their names kept as aliases. Merge #{record.pk} can be "
                "undone under Taxonomy merges.",
                messages.SUCCESS,
            )
            return None
        if problem and len(entries) < 2:
            self.message_user(request, problem, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {self.model._meta.verbose_name_plural}",
            "entries": entries,
            "preview": merge_preview(entries),
            "problem": problem,
            "action": request.POST.get("action"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/archive/merge.html", context)


@admin.register(TaxonomyMerge)
class TaxonomyMergeAdmin(admin.ModelAdmin):
    """Every merge of taxonomy entries, with what it moved; a merge can be undone from here."""

    list_display = ("__str__", "model_name", "merged_entries", "merged_at", "merged_by", "undone")
    list_filter = ("model_name",)
    actions = ("undo_action",)
    readonly_fields = (
        "model_name",
        "survivor_name",
        "merged_entries",
        "moved",
        "merged_at",
        "merged_by",
        "undone_at",
        "undone_by",
    )
    fields = readonly_fields

    @admin.display(description="merged entries")
    def merged_entries(self, record):
        return ", ".join(record.merged_names())

    @admin.display(description="moved")
    def moved(self, record):
        moves = record.moves
        return (
            f"{len(moves.get('assignments', []))} tags, {len(moves.get('articles', []))} articles, "
            f"{len(moves.get('children', []))} sub-entries; "
            f"{len(moves.get('deleted_assignments', []))} duplicate tags set aside"
        )

    @admin.display(description="undone", boolean=True)
    def undone(self, record):
        return record.undone_at is not None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Undo the selected merges", permissions=["change"])
    def undo_action(self, request, queryset):
        done = []
        for record in queryset.filter(undone_at=None).order_by("-merged_at", "-id"):
            undo_merge(record, user=request.user)
            done.append(f"#{record.pk}")
        self.message_user(
            request,
            f"Undone: {', '.join(done)}; the entries, their tags and links are back."
            if done
            else "Nothing to undo: the selected merges were undone already.",
            messages.SUCCESS if done else messages.WARNING,
        )


@admin.register(Country)
class CountryAdmin(TaxonomyAdmin):
    list_display = ("name", "code", "article_count", "public_count")
    search_fields = ("name", "code", "aliases", "demonyms", "places")
    fields = ("name", "code", "slug", "aliases", "demonyms", "places", "description")


@admin.register(Ministry)
class MinistryAdmin(TaxonomyAdmin):
    list_display = ("name", "kind", "country", "parent", "article_count", "public_count")
    # Only the countries that have agencies, not all ~250.
    list_filter = (("country", admin.RelatedOnlyFieldListFilter), "kind")
    list_select_related = ("country", "parent")
    autocomplete_fields = ("parent", "country")
    fields = ("name", "slug", "kind", "country", "parent", "aliases", "description")


@admin.register(CrimeType)
class CrimeTypeAdmin(TaxonomyAdmin):
    list_display = ("name", "parent", "article_count", "public_count")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    fields = ("name", "slug", "parent", "aliases", "description")


@admin.register(Source)
class SourceAdmin(TaxonomyAdmin):
    list_display = ("name", "country", "homepage", "article_count", "following_column")
    list_filter = ("following", "paused")
    list_select_related = ("country",)
    autocomplete_fields = ("country",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "homepage", "country", "aliases", "description")}),
        (
            "Following (manage.py follow_sources)",
            {
                "fields": (
                    "following",
                    "feed_url",
                    "sitemap_url",
                    "language_hint",
                    "poll_minutes",
                    "paused",
                    "last_polled_at",
                    "last_new_count",
                    "consecutive_failures",
                    "last_error",
                )
            },
        ),
    )
    readonly_fields = ("last_polled_at", "last_new_count", "consecutive_failures", "last_error")
    actions = (*TaxonomyAdmin.actions, "resume_action")

    @admin.display(description="following")
    def following_column(self, source):
        if not source.following:
            return "—"
        if source.paused:
            return f"paused after {source.consecutive_failures} failures"
        if source.last_polled_at is None:
            return "not polled yet"
        error = " (last poll failed)" if source.last_error else ""
        return f"{source.last_new_count} new at the last poll{error}"

    @admin.action(description="Resume following (clear the pause)", permissions=["change"])
    def resume_action(self, request, queryset):
        count = queryset.filter(paused=True).update(paused=False, consecutive_failures=0)
        self.message_user(request, f"{count} source(s) will be polled again.", messages.SUCCESS)
