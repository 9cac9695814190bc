"""The article admin: triage lists with facet counts, tags with provenance, bulk actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from archive import curation
from archive.admin.display import highlight_evidence, html_list, local, tag_names
from archive.admin.figures import figures_table
from archive.admin.filters import (
    CountryListFilter,
    CrimeTypeListFilter,
    CuratedTextMixin,
    DistinctValuesFilter,
    ForgivingLookupsMixin,
    IndexSearchMixin,
    MinistryListFilter,
    ProposedTagsFilter,
    RelatedOnceFilter,
)
from archive.admin.groups import group_links
from archive.languages.paragraphs import paragraph_languages, paragraphs_with_languages
from archive.models import (
    TAG_KINDS,
    Article,
    ArticleCountry,
    ArticleCrimeType,
    ArticleMinistry,
    Capture,
    Country,
    CrimeType,
    Ministry,
    Origin,
    TagAssignment,
)


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
                local(assignment.reviewed_at),
            )
        else:
            reviewed = "not reviewed"
        return format_html(
            '{}, {} sure, <span class="tag-time">{}</span><div class="review-meta">{}</div>',
            who,
            f"{assignment.confidence:.0%}",
            local(assignment.assigned_at),
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


class CaptureInline(admin.TabularInline):
    """The documents the text was read from: shown and downloadable, never edited."""

    model = Capture
    extra = 0
    can_delete = False
    fields = readonly_fields = ("download", "media_type", "size", "captured_at", "url", "reading")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="document")
    def download(self, capture):
        return format_html('<a href="{}" download>download</a>', capture.get_absolute_url())


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
# The opening of a paragraph shown beside its language: enough to find it in the body.
OPENING_CHARS = 60


def _opening(text: str) -> str:
    return text if len(text) <= OPENING_CHARS else text[:OPENING_CHARS].rstrip() + "…"


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
    # The search box asks the search index (archive.admin.filters.IndexSearchMixin); Django
    # shows the box only when some field is named here.
    search_fields = ("title",)
    search_help_text = (
        'Searches titles and texts as the public search does (all words; "a phrase"; -word).'
    )
    date_hierarchy = "published_date"
    list_select_related = ("source",)
    list_per_page = 50
    inlines = (CountryTagInline, MinistryTagInline, CrimeTypeTagInline, CaptureInline)
    readonly_fields = (
        "paragraph_languages_column",
        "raw_text_column",
        "figures_column",
        "groups_column",
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
                    "paragraph_languages_column",
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
        ("Figures the report states", {"fields": ("figures_column",), "classes": ("figures",)}),
        ("Reported with", {"fields": ("groups_column",)}),
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
        return tag_names(article.country_tags.all())

    @admin.display(description="crime types")
    def crime_types_column(self, article):
        return tag_names(article.crime_type_tags.all())

    @admin.display(description="raw text (verbatim)")
    def raw_text_column(self, article):
        return format_html('<pre class="raw-text">{}</pre>', article.raw_text)

    @admin.display(description="figures")
    def figures_column(self, article):
        return figures_table(article)

    @admin.display(description="incident and story thread")
    def groups_column(self, article):
        return group_links(article)

    @admin.display(description="removed by the cleaner")
    def cleaning_log_column(self, article):
        if not article.cleaning_log:
            return "nothing"
        return html_list((item["kind"], item["text"]) for item in article.cleaning_log)

    @admin.display(description="paragraphs in another language")
    def paragraph_languages_column(self, article):
        paragraphs = paragraphs_with_languages(article.body, article.paragraph_languages)
        listed = [
            (f"paragraph {number}", f"{paragraph.language}: {_opening(paragraph.text)}")
            for number, paragraph in enumerate(paragraphs, start=1)
            if paragraph.language
        ]
        return html_list(listed) if listed else f"none: all in {article.language}"

    def save_model(self, request, obj, form, change):
        if {"published_date", "year"} & set(form.changed_data):
            obj.date_origin = Origin.CURATOR
            obj.date_confidence = 1.0
            obj.date_evidence = f"set by {request.user} in admin"
        if {"body", "language"} & set(form.changed_data):
            obj.paragraph_languages = paragraph_languages(obj.body, language=obj.language)
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
