"""Curation in Django admin: triage lists with facet counts, tags with provenance, bulk actions."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from simple_history.admin import SimpleHistoryAdmin

from archive import curation
from archive.admin_filters import (
    CountryListFilter,
    CrimeTypeListFilter,
    CuratedTextMixin,
    DistinctValuesFilter,
    ForgivingLookupsMixin,
    IndexSearchMixin,
    MinistryListFilter,
    ProposedTagsFilter,
    RelatedOnceFilter,
    live_tag_counts,
    public_counts,
)
from archive.merges import merge_entries, merge_preview, merge_problem, undo_merge
from archive.models import (
    TAG_KINDS,
    Article,
    ArticleCountry,
    ArticleCrimeType,
    ArticleMinistry,
    Country,
    CrimeType,
    ImportBatch,
    Ministry,
    Origin,
    ReviewItem,
    Source,
    TagAssignment,
    TaxonomyMerge,
)

admin.site.site_header = "Enforcement Reports Archive: curation"
admin.site.site_title = "Archive curation"
admin.site.index_title = "Curate the archive"


@admin.action(description="Mark reviewed (an unknown year stays unknown)", permissions=["change"])
def mark_reviewed_action(modeladmin, request, queryset):
    count = curation.mark_reviewed(queryset, user=request.user)
    modeladmin.message_user(request, f"{count} articles marked reviewed.", messages.SUCCESS)


# --- Tag inlines ----------------------------------------------------------------------------------


class TagInline(admin.TabularInline):
    extra = 0
    # Who proposed a tag, how sure, when and who reviewed it share one column: as four columns
    # they left the evidence a word wide and pushed the table past the page's edge.
    readonly_fields = ("provenance", "evidence_column")
    autocomplete_fields: tuple = ()

    def get_fields(self, request, obj=None):
        return (self.model.target_field, "role", "status", *self.readonly_fields)

    @admin.display(description="assigned and reviewed")
    def provenance(self, assignment):
        if not assignment.pk:
            return "-"
        who = assignment.assigned_by or assignment.get_origin_display()
        if assignment.reviewed_at:
            reviewed = format_html(
                'reviewed by {}, <span class="tag-time">{}</span>',
                assignment.reviewed_by,
                _local(assignment.reviewed_at),
            )
        else:
            reviewed = "not reviewed"
        return format_html(
            '{}, {} sure, <span class="tag-time">{}</span><div class="review-meta">{}</div>',
            who,
            f"{assignment.confidence:.0%}",
            _local(assignment.assigned_at),
            reviewed,
        )

    @admin.display(description="evidence")
    def evidence_column(self, assignment):
        return highlight_evidence(assignment.evidence) if assignment.pk else "-"


class CountryTagInline(TagInline):
    model = ArticleCountry
    autocomplete_fields = ("country",)


class MinistryTagInline(TagInline):
    model = ArticleMinistry
    autocomplete_fields = ("ministry",)


class CrimeTypeTagInline(TagInline):
    model = ArticleCrimeType
    autocomplete_fields = ("crime_type",)


# --- Bulk action forms --------------------------------------------------------------------------


class TagActionForm(forms.Form):
    """Pick one or more tags for a bulk add or reject."""

    country = forms.ModelChoiceField(Country.objects.all(), required=False)
    ministry = forms.ModelChoiceField(
        Ministry.objects.select_related("country"), required=False, label="Ministry or agency"
    )
    crime_type = forms.ModelChoiceField(CrimeType.objects.all(), required=False)
    role = forms.ChoiceField(choices=TagAssignment.Role.choices, initial="subject", required=False)

    def clean(self):
        data = super().clean()
        if not any(data.get(key) for key in TAG_KINDS):
            raise forms.ValidationError("Choose at least one country, ministry or crime type.")
        return data

    def targets(self):
        return [self.cleaned_data[key] for key in TAG_KINDS if self.cleaned_data.get(key)]


class ArticleAdminForm(forms.ModelForm):
    url = forms.URLField(
        label="Original URL", required=False, max_length=2000, assume_scheme="https"
    )

    class Meta:
        model = Article
        fields = (
            "title",
            "title_derived",
            "source",
            "authors",
            "url",
            "language",
            "review_status",
            "published_date",
            "year",
            "body",
        )

    def clean(self):
        data = super().clean()
        published, year = data.get("published_date"), data.get("year")
        if published and year and published.year != year:
            self.add_error("year", f"The publication date says {published.year}.")
        if published and not year:
            data["year"] = published.year
        return data


# The long columns of an article, which its list never shows.
LIST_DEFERRED = ("body", "raw_text", "cleaning_log", "ingested_values", "date_evidence")


# --- Articles -----------------------------------------------------------------------------------


@admin.register(Article)
class ArticleAdmin(CuratedTextMixin, ForgivingLookupsMixin, IndexSearchMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    formfield_overrides = {
        **CuratedTextMixin.formfield_overrides,
        models.URLField: {"assume_scheme": "https"},
    }
    list_display = (
        "title_column",
        "year",
        "source",
        "countries_column",
        "crime_types_column",
        "review_status",
        "updated_at",
    )
    list_display_links = ("title_column",)
    list_filter = (
        "review_status",
        ProposedTagsFilter,
        CountryListFilter,
        MinistryListFilter,
        CrimeTypeListFilter,
        ("year", DistinctValuesFilter),
        ("source", RelatedOnceFilter),
        "title_derived",
        ("language", DistinctValuesFilter),
        ("import_batch", RelatedOnceFilter),
    )
    show_facets = admin.ShowFacets.ALWAYS
    # "N results (M total)" counts the whole archive again on every filtered page.
    show_full_result_count = False
    # The search box asks the search index (archive.admin_filters.IndexSearchMixin); Django
    # shows the box only when some field is named here.
    search_fields = ("title",)
    search_help_text = (
        'Searches titles and texts as the public search does (all words; "a phrase"; -word).'
    )
    date_hierarchy = "published_date"
    list_select_related = ("source",)
    list_per_page = 50
    inlines = (CountryTagInline, MinistryTagInline, CrimeTypeTagInline)
    readonly_fields = (
        "raw_text_column",
        "content_hash",
        "origin",
        "import_batch",
        "cleaning_log_column",
        "proposed_year",
        "date_origin",
        "date_confidence",
        "date_evidence",
        "created_at",
        "updated_at",
    )
    autocomplete_fields = ("source",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("title", "title_derived"),
                    ("source", "authors"),
                    "url",
                    ("language", "review_status"),
                )
            },
        ),
        (
            "Date",
            {
                "fields": (
                    ("published_date", "year", "proposed_year"),
                    ("date_origin", "date_confidence"),
                    "date_evidence",
                )
            },
        ),
        (
            "Text: cleaned body (editable) beside the raw text as received",
            {"fields": (("body", "raw_text_column"),), "classes": ("text-compare",)},
        ),
        (
            "Provenance",
            {
                "fields": (
                    "origin",
                    "import_batch",
                    "content_hash",
                    "cleaning_log_column",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )
    actions = ("add_tag_action", "reject_tag_action", mark_reviewed_action, "reclean_action")

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related("country_tags__country", "crime_type_tags__crime_type")
        )
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            # The list shows none of the long texts: fifty raw texts were most of its reading.
            queryset = queryset.defer(*LIST_DEFERRED)
        return queryset

    def action_checkbox(self, obj):
        # Django's renders a form widget through the template engine for each row (45 ms of a
        # 50-row page at 100,000 articles); this writes the same element directly.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            f"Select this object for an action - {obj}",
        )

    @admin.display(description="title", ordering="title")
    def title_column(self, article):
        # <bdi>: a right-to-left override in a title cannot reorder the row around it.
        if article.title_derived:
            return format_html(
                '<bdi>{}</bdi> <span class="derived-flag">(derived title)</span>', article.title
            )
        return format_html("<bdi>{}</bdi>", article.title)

    @admin.display(description="countries")
    def countries_column(self, article):
        return _tag_names(article.country_tags.all())

    @admin.display(description="crime types")
    def crime_types_column(self, article):
        return _tag_names(article.crime_type_tags.all())

    @admin.display(description="raw text (verbatim)")
    def raw_text_column(self, article):
        return format_html('<pre class="raw-text">{}</pre>', article.raw_text)

    @admin.display(description="removed by the cleaner")
    def cleaning_log_column(self, article):
        if not article.cleaning_log:
            return "nothing"
        return _html_list((item["kind"], item["text"]) for item in article.cleaning_log)

    def save_model(self, request, obj, form, change):
        if {"published_date", "year"} & set(form.changed_data):
            obj.date_origin = Origin.CURATOR
            obj.date_confidence = 1.0
            obj.date_evidence = f"set by {request.user} in admin"
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Record who added or reviewed each tag row saved from the article page."""
        instances = formset.save(commit=False)
        now = timezone.now()
        for assignment in instances:
            if assignment.pk is None:
                assignment.origin = Origin.CURATOR
                assignment.assigned_by = request.user
                assignment.confidence = 1.0
                assignment.evidence = "added by a curator"
                if assignment.status == TagAssignment.Status.PROPOSED:
                    assignment.status = TagAssignment.Status.CONFIRMED
            assignment.reviewed_by = request.user
            assignment.reviewed_at = now
            assignment.save()
        for assignment in formset.deleted_objects:
            assignment.delete()
        formset.save_m2m()

    # Bulk actions. Each takes the selected articles; the tag ones first ask which tags.

    @admin.action(description="Add a tag to the selected articles…", permissions=["change"])
    def add_tag_action(self, request, queryset):
        return self._tag_action(request, queryset, verb="add")

    @admin.action(
        description="Reject (remove) a tag on the selected articles…", permissions=["change"]
    )
    def reject_tag_action(self, request, queryset):
        return self._tag_action(request, queryset, verb="reject")

    @admin.action(description="Re-run cleaning from the raw text", permissions=["change"])
    def reclean_action(self, request, queryset):
        count = curation.reclean(queryset)
        self.message_user(
            request,
            f"{count} of {queryset.count()} articles changed by re-cleaning.",
            messages.SUCCESS,
        )

    def _tag_action(self, request, queryset, *, verb):
        form = TagActionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            total = 0
            for target in form.targets():
                if verb == "add":
                    total += curation.add_tag(
                        queryset, target, user=request.user, role=form.cleaned_data["role"] or None
                    )
                else:
                    total += curation.reject_tag(queryset, target, user=request.user)
            names = ", ".join(str(target) for target in form.targets())
            done = "added to" if verb == "add" else "rejected on"
            self.message_user(request, f"{names}: {done} {total} articles.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Add a tag" if verb == "add" else "Reject a tag",
            "verb": verb,
            "form": form,
            "articles": queryset,
            "action": request.POST.get("action"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/archive/article/tag_action.html", context)


def highlight_evidence(evidence: str) -> str:
    """Return the evidence sentence with the matched words marked ("«Thai police» This week...")."""
    if not evidence.startswith("«") or "» " not in evidence:
        return format_html("{}", evidence)
    surface, sentence = evidence[1:].split("» ", 1)
    before, found, after = sentence.partition(surface)
    if not found:
        return format_html("{}", sentence)
    return format_html("{}<mark>{}</mark>{}", before, found, after)


def _html_list(pairs) -> str:
    """Return (label, text) pairs as an escaped HTML list."""
    return format_html(
        '<ul class="plain-list">{}</ul>', format_html_join("", "<li><b>{}</b>: {}</li>", pairs)
    )


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _tag_names(assignments) -> str:
    names = [
        str(assignment.target) + ("?" if assignment.status == TagAssignment.Status.PROPOSED else "")
        for assignment in assignments
        if assignment.status != TagAssignment.Status.REJECTED
    ]
    return ", ".join(names) or "-"


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
    search_fields = ("name", "code", "aliases", "places")
    fields = ("name", "code", "slug", "aliases", "places", "description")


@admin.register(Ministry)
class MinistryAdmin(TaxonomyAdmin):
    list_display = ("name", "kind", "country", "parent", "article_count", "public_count")
    list_filter = ("country", "kind")
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
    list_display = ("name", "country", "homepage", "article_count")
    list_select_related = ("country",)
    autocomplete_fields = ("country",)
    fields = ("name", "slug", "homepage", "country", "aliases", "description")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "started_at",
        "finished_at",
        "created_count",
        "updated_count",
        "unchanged_count",
        "skipped_count",
    )
    readonly_fields = (
        "label",
        "paths",
        "started_at",
        "finished_at",
        "created_count",
        "updated_count",
        "unchanged_count",
        "skipped_count",
        "problems_list",
    )
    exclude = ("problems",)

    @admin.display(description="skipped, with reasons")
    def problems_list(self, batch):
        if not batch.problems:
            return "none"
        return _html_list((p["origin"], p["reason"]) for p in batch.problems)

    def has_add_permission(self, request):
        return False  # batches are made by `manage.py ingest`


# --- Review queue ---------------------------------------------------------------------------------


@admin.register(ReviewItem)
class ReviewQueueAdmin(ForgivingLookupsMixin, IndexSearchMixin, admin.ModelAdmin):
    """Articles the tagger was unsure of, newest first, each proposal beside its evidence.

    Every proposal has Confirm and Reject buttons (plain form buttons, no JavaScript needed), and
    each article Confirm all / Reject all. An article leaves the queue once nothing is pending and
    its year is known, or when a curator marks it reviewed with the year left unknown.
    """

    list_display = ("article_column", "year_column", "proposals_column")
    # The article column holds its own link and buttons; Django's row link around it would be an
    # empty <a> that screen readers announce as a nameless link.
    list_display_links = None
    list_filter = (("source", admin.RelatedOnlyFieldListFilter), "import_batch")
    search_fields = ("title", "body")
    list_per_page = 20
    actions = (
        "confirm_all_action",
        "reject_all_action",
        "accept_year_action",
        mark_reviewed_action,
    )

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(review_status=Article.ReviewStatus.NEEDS_REVIEW)
            .select_related("source")
            .prefetch_related(
                *(f"{kind.related_name}__{kind.target_field}" for kind in TAG_KINDS.values())
            )
            .order_by("-created_at", "-id")
        )

    def has_add_permission(self, request):
        return False  # articles arrive through ingestion

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        from django.urls import path

        decide = path(
            "decide/",
            self.admin_site.admin_view(self.decide_view),
            name="archive_reviewitem_decide",
        )
        return [decide, *super().get_urls()]

    @admin.display(description="article")
    def article_column(self, article):
        change_url = reverse("admin:archive_article_change", args=[article.pk])
        source = f" · {article.source}" if article.source_id else ""
        return format_html(
            '<a id="review-{}" href="{}">{}</a><div class="review-meta">#{}{}</div>{}',
            article.pk,
            change_url,
            article.title,
            article.pk,
            source,
            self._article_buttons(article),
        )

    @admin.display(description="year")
    def year_column(self, article):
        if article.year:
            value = str(article.year)
        elif article.proposed_year:
            value = f"{article.proposed_year}? (proposed)"
        else:
            value = "unknown"
        confidence = (
            f" · {article.date_confidence:.0%}" if article.date_confidence is not None else ""
        )
        return format_html(
            '<b>{}</b>{}<div class="evidence">{}</div>', value, confidence, article.date_evidence
        )

    @admin.display(description="proposed tags, least certain first, with their evidence")
    def proposals_column(self, article):
        pending = [
            (kind, assignment)
            for kind in TAG_KINDS.values()
            for assignment in getattr(article, kind.related_name).all()
            if assignment.status == TagAssignment.Status.PROPOSED
        ]
        if not pending:
            return "nothing pending"
        pending.sort(key=lambda item: item[1].confidence)
        rows = format_html_join(
            "",
            '<li class="proposal"><b>{}</b> {} · {} · {} {}<div class="evidence">{}</div></li>',
            (
                (
                    assignment.target,
                    kind.label.lower(),
                    assignment.get_role_display().lower(),
                    f"{assignment.confidence:.0%}",
                    self._tag_buttons(kind.key, assignment),
                    highlight_evidence(assignment.evidence),
                )
                for kind, assignment in pending
            ),
        )
        return format_html('<ul class="proposals">{}</ul>', rows)

    def _tag_buttons(self, kind_key, assignment):
        return self._buttons(
            (f"confirm:{kind_key}:{assignment.pk}", "Confirm"),
            (f"reject:{kind_key}:{assignment.pk}", "Reject"),
        )

    def _article_buttons(self, article):
        return self._buttons(
            (f"confirm-all:{article.pk}", "Confirm all"), (f"reject-all:{article.pk}", "Reject all")
        )

    def _buttons(self, *choices):
        url = reverse("admin:archive_reviewitem_decide")
        buttons = format_html_join(
            "",
            '<button type="submit" class="button review-button" formaction="{}" '
            'formmethod="post" name="decide" value="{}">{}</button>',
            ((url, value, label) for value, label in choices),
        )
        # Kept together: a Reject button wrapped alone onto the next line reads as a new item.
        return format_html('<span class="review-buttons">{}</span>', buttons)

    def decide_view(self, request):
        """Apply one Confirm/Reject button, then return to the queue."""
        from django.core.exceptions import PermissionDenied
        from django.http import HttpResponseBadRequest, HttpResponseRedirect

        if request.method != "POST":
            return HttpResponseBadRequest("Decisions are sent with the queue's buttons.")
        if not self.has_change_permission(request):
            raise PermissionDenied
        verb, _, rest = request.POST.get("decide", "").partition(":")
        try:
            if verb in ("confirm", "reject"):
                kind_key, _, pk = rest.partition(":")
                assignment = TAG_KINDS[kind_key].model.objects.get(pk=int(pk))
                curation.decide_tag(assignment, confirm=verb == "confirm", user=request.user)
                message = f"{assignment.target}: {verb}ed on #{assignment.article_id}."
                article_id = assignment.article_id
            elif verb in ("confirm-all", "reject-all"):
                article = Article.objects.get(pk=int(rest))
                count = curation.decide_proposals(
                    [article], confirm=verb == "confirm-all", user=request.user
                )
                message = f"#{article.pk}: {count} proposals {verb.split('-')[0]}ed."
                article_id = article.pk
            else:
                return HttpResponseBadRequest("Unknown decision.")
        except (KeyError, ValueError, ObjectDoesNotExist):
            return HttpResponseBadRequest("That proposal no longer exists; reload the queue.")
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._queue_url(request, article_id))

    def _queue_url(self, request, article_id: int) -> str:
        """Return the queue as the curator left it (filters, page), scrolled to the article.

        The queue is a long page: sent back to its top after every button, a curator had to find
        their place again. Once the article has left the queue the anchor matches nothing and
        the page opens at its top, where the message says what happened.
        """
        queue = reverse("admin:archive_reviewitem_changelist")
        came_from = request.headers.get("referer", "")
        query = ""
        if url_has_allowed_host_and_scheme(came_from, allowed_hosts={request.get_host()}):
            parts = urlsplit(came_from)
            if parts.path == queue and parts.query:
                query = f"?{parts.query}"
        return f"{queue}{query}#review-{article_id}"

    @admin.action(
        description="Confirm every proposed tag of the selected articles", permissions=["change"]
    )
    def confirm_all_action(self, request, queryset):
        count = curation.decide_proposals(queryset, confirm=True, user=request.user)
        self.message_user(request, f"{count} proposals confirmed.", messages.SUCCESS)

    @admin.action(
        description="Reject every proposed tag of the selected articles", permissions=["change"]
    )
    def reject_all_action(self, request, queryset):
        count = curation.decide_proposals(queryset, confirm=False, user=request.user)
        self.message_user(request, f"{count} proposals rejected.", messages.SUCCESS)

    @admin.action(
        description="Accept the proposed year of the selected articles", permissions=["change"]
    )
    def accept_year_action(self, request, queryset):
        count = curation.accept_proposed_year(queryset, user=request.user)
        self.message_user(request, f"{count} proposed years accepted.", messages.SUCCESS)
