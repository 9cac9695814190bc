"""The figures reports state: confirm, correct, reject and add them, each beside its evidence.

A figure is listed with what it states in a few words, its article, its status (a machine
proposal says so, with how sure it was), its scope and the rule that found it. Saving a figure
from its page is a curator's review: it is confirmed (unless they set it rejected) and the
extractors never change it again. Tagger figures are rejected, never deleted: a deleted proposal
would be proposed again by the next run.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from simple_history.admin import SimpleHistoryAdmin

from archive import curation, figure_curation
from archive.admin.display import highlight_figure, html_list, local
from archive.admin.filters import DistinctValuesFilter, ForgivingLookupsMixin
from archive.models import FigureStatus, Origin, ReportedFigure

# The POST key of the Confirm / Reject buttons ("confirm:12", "reject:12").
DECIDE_KEY = "decide-figure"
# The form the buttons on an article's page belong to (templates/admin/archive/article/
# change_form.html): outside the article's own form, so Enter in a field still saves the article.
DECISIONS_FORM = "figure-decisions"
# An article's long columns, which a list of figures never needs (its body it does: the
# evidence is marked from the offsets into it).
ARTICLE_DEFERRED = ("article__raw_text", "article__cleaning_log", "article__ingested_values")


def status_label(figure: ReportedFigure) -> str:
    """Return the figure's status as a reader must take it: a proposal is never shown as fact."""
    if figure.status == FigureStatus.PROPOSED:
        return format_html(
            '<span class="figure-proposed">proposed by the machine</span>, {} sure',
            f"{figure.confidence:.0%}",
        )
    if figure.origin == Origin.CURATOR and figure.status == FigureStatus.CONFIRMED:
        return "added by a curator"
    return figure.get_status_display().lower()


def figure_buttons(figure: ReportedFigure, *, form: str = "") -> str:
    """Return Confirm and Reject buttons for one figure (plain form buttons, no JavaScript).

    They submit the form that holds them (or the one `form` names) to the figures' decide view,
    as the review queue's tag buttons do; a decided figure keeps only the button that would
    change it back.
    """
    url = reverse("admin:archive_reportedfigure_decide")
    choices = [
        (f"confirm:{figure.pk}", "Confirm", figure.status != FigureStatus.CONFIRMED),
        (f"reject:{figure.pk}", "Reject", figure.status != FigureStatus.REJECTED),
    ]
    buttons = format_html_join(
        "",
        '<button type="submit" class="button review-button" formaction="{}" formmethod="post" '
        '{}name="{}" value="{}" aria-label="{} {}">{}</button>',
        (
            (
                url,
                format_html('form="{}" ', form) if form else "",
                DECIDE_KEY,
                value,
                label,
                figure.summary() or figure.get_kind_display(),
                label,
            )
            for value, label, shown in choices
            if shown
        ),
    )
    return format_html('<span class="review-buttons">{}</span>', buttons)


def figure_link(figure: ReportedFigure) -> str:
    """Return the figure's kind and summary, linked to its page."""
    return format_html(
        '<a id="figure-{}" class="figure-link" href="{}"><b>{}</b> {}</a>',
        figure.pk,
        reverse("admin:archive_reportedfigure_change", args=[figure.pk]),
        figure.get_kind_display(),
        figure.summary() or "-",
    )


class StatedValuesFilter(DistinctValuesFilter):
    """A column's values as a filter, without the empty one: "" means not stated (an arrest has
    no drug), and as a choice it was a link with no words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup_choices = [value for value in self.lookup_choices if value != ""]


# --- The form: corrections, and the codes they must be written in -------------------------------


class ReportedFigureForm(forms.ModelForm):
    class Meta:
        model = ReportedFigure
        fields = (
            "article", "kind", "status", "scope", "period", "drug", "quantity", "unit",
            "mass_kg", "count", "approximate", "as_written", "place_code", "country_code",
            "name", "role", "evidence",
        )  # fmt: skip
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "unit": "kg, g, t (tonnes), lb, oz, litre, ml, tablet, plant, package, bag, block...",
            "mass_kg": "Worked out from the quantity and unit when you leave it as it was.",
            "evidence": "The sentence that states it, copied from the report's text.",
        }

    def clean_place_code(self):
        code = self.cleaned_data["place_code"].strip().upper()
        problem = code and figure_curation.place_code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_country_code(self):
        code = self.cleaned_data["country_code"].strip().upper()
        problem = code and figure_curation.country_code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_unit(self):
        written = self.cleaned_data["unit"].strip()
        if not written:
            return ""
        unit = figure_curation.canonical_unit(written)
        if unit is None:
            raise forms.ValidationError(
                f'"{written}" is not a unit figures are kept in. Write one of: '
                f"{', '.join(figure_curation.known_units())}."
            )
        return unit

    def clean(self):
        data = super().clean()
        place, country = data.get("place_code"), data.get("country_code")
        changed = {"place_code", "country_code"} & set(self.changed_data)
        if changed and place and country and not place.startswith(f"{country}-"):
            self.add_error(
                "country_code",
                f"{place} is a province of {place.split('-')[0]}, not of {country}: correct "
                "the place or the country (or empty the country when the place is enough).",
            )
        return data


# --- Figures --------------------------------------------------------------------------------------


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ForgivingLookupsMixin, SimpleHistoryAdmin):
    form = ReportedFigureForm
    list_display = (
        "figure_column",
        "article_column",
        "status_column",
        "scope",
        "confidence_column",
        "rule",
        "place_column",
        "country_column",
        "evidence_column",
    )
    list_display_links = None  # the figure column links to the figure, the article to its page
    list_filter = (
        "kind",
        "status",
        "scope",
        "origin",
        ("drug", StatedValuesFilter),
        ("country_code", StatedValuesFilter),
        "approximate",
    )
    # Evidence, drugs and names, as typed. (No help text under the box: axe then takes its
    # description for its only label.)
    search_fields = ("evidence", "drug", "name")
    list_per_page = 50
    # Newest reports first, each one's figures in the order its text states them. By the column,
    # not the relation: "article" would sort by the article's own ordering, through a join.
    ordering = ("-article_id", "start", "id")
    show_full_result_count = False
    autocomplete_fields = ("article",)
    actions = ("confirm_action", "reject_action")

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").defer(*ARTICLE_DEFERRED)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # tagger figures are rejected, never deleted
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.origin == Origin.TAGGER:
            return False  # the next run would propose it again: reject it instead
        return super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        stated = (
            ("drug", "approximate"),
            ("quantity", "unit"),
            ("mass_kg", "count"),
            ("place_code", "country_code"),
            ("name", "role"),
        )
        if obj is None:  # added by hand
            return (
                (None, {"fields": ("article", "kind", ("scope", "period"))}),
                ("What the report states", {"fields": (*stated, "as_written")}),
                ("Evidence", {"fields": ("evidence",)}),
            )
        return (
            (None, {"fields": ("article_column", "kind", "status", ("scope", "period"))}),
            ("What the report states", {"fields": stated}),
            ("Evidence", {"fields": ("evidence_column", "as_written", "values_column")}),
            ("Provenance", {"fields": ("provenance_column", "signature")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "article_column",
            "kind",
            "evidence_column",
            "as_written",
            "values_column",
            "provenance_column",
            "signature",
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("kind", ReportedFigure.Kind.SEIZURE)
        return initial

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if change:
            figure_curation.save_correction(obj, changed=form.changed_data, user=request.user)
        else:
            figure_curation.add_figure(obj, user=request.user)
        curation.settle_review(obj.article, user=request.user)

    # Columns.

    @admin.display(description="figure", ordering="kind")
    def figure_column(self, figure):
        return figure_link(figure)

    @admin.display(description="article", ordering="article")
    def article_column(self, figure):
        return format_html(
            '<a href="{}">{}</a> <span class="review-meta">#{}</span>',
            reverse("admin:archive_article_change", args=[figure.article_id]),
            figure.article.title,
            figure.article_id,
        )

    @admin.display(description="status", ordering="status")
    def status_column(self, figure):
        return status_label(figure)

    # Short headings: "ISO 3166-2 code" and "ISO 3166-1 code" pushed the evidence off the page.
    @admin.display(description="place", ordering="place_code")
    def place_column(self, figure):
        return figure.place_code or "-"

    @admin.display(description="country", ordering="country_code")
    def country_column(self, figure):
        return figure.country_code or "-"

    @admin.display(description="confidence", ordering="confidence")
    def confidence_column(self, figure):
        return f"{figure.confidence:.0%}"

    @admin.display(description="evidence, the stated words marked")
    def evidence_column(self, figure):
        return format_html('<div class="evidence">{}</div>', highlight_figure(figure))

    @admin.display(description="other values stated")
    def values_column(self, figure):
        values = figure.values if isinstance(figure.values, dict) else {}
        if not values:
            return "none"
        return html_list((key, _plain(value)) for key, value in sorted(values.items()))

    @admin.display(description="proposed and reviewed")
    def provenance_column(self, figure):
        who = figure.get_origin_display()
        rule = f", rule {figure.rule}" if figure.rule else ""
        if figure.reviewed_at:
            who_reviewed = figure.reviewed_by or "a former user"
            reviewed = format_html("reviewed by {}, {}", who_reviewed, local(figure.reviewed_at))
        else:
            reviewed = "not reviewed"
        return format_html(
            "{}, {} sure{}, {}; {}",
            who,
            f"{figure.confidence:.0%}",
            rule,
            local(figure.assigned_at),
            reviewed,
        )

    # Decisions: the list's actions, and one figure's buttons on the article page and the queue.

    @admin.action(description="Confirm the selected figures", permissions=["change"])
    def confirm_action(self, request, queryset):
        count = self._decide(request, queryset, confirm=True)
        self.message_user(request, f"{count} figures confirmed.", messages.SUCCESS)

    @admin.action(description="Reject the selected figures", permissions=["change"])
    def reject_action(self, request, queryset):
        count = self._decide(request, queryset, confirm=False)
        self.message_user(request, f"{count} figures rejected.", messages.SUCCESS)

    def _decide(self, request, queryset, *, confirm: bool) -> int:
        figures = list(queryset)
        for figure in figures:
            figure._history_user = request.user
        count = figure_curation.decide_figures(figures, confirm=confirm, user=request.user)
        for article in {figure.article for figure in figures}:
            curation.settle_review(article, user=request.user)
        return count

    def get_urls(self):
        decide = path(
            "decide/",
            self.admin_site.admin_view(self.decide_view),
            name="archive_reportedfigure_decide",
        )
        return [decide, *super().get_urls()]

    def decide_view(self, request):
        """Apply one figure's Confirm/Reject button, then return to the page it was pressed on."""
        if request.method != "POST":
            return HttpResponseBadRequest("Decisions are sent with the figures' buttons.")
        if not self.has_change_permission(request):
            raise PermissionDenied
        verb, _, pk = request.POST.get(DECIDE_KEY, "").partition(":")
        if verb not in ("confirm", "reject"):
            return HttpResponseBadRequest("Unknown decision.")
        try:
            figure = ReportedFigure.objects.select_related("article").get(pk=int(pk))
        except (ValueError, OverflowError, ObjectDoesNotExist):
            return HttpResponseBadRequest("That figure no longer exists; reload the page.")
        figure._history_user = request.user
        figure_curation.decide_figure(figure, confirm=verb == "confirm", user=request.user)
        curation.settle_review(figure.article, user=request.user)
        self.message_user(request, f"{figure}: {verb}ed.", messages.SUCCESS)
        return HttpResponseRedirect(self._back_url(request, figure))

    def _back_url(self, request, figure: ReportedFigure) -> str:
        """Return the page the button was pressed on (filters kept), at the figure's article.

        From the review queue, its article's row; from an article's page, its figures; from
        anywhere else (or no trusted referer), the figures list.
        """
        came_from = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(came_from, allowed_hosts={request.get_host()}):
            return reverse("admin:archive_reportedfigure_changelist")
        parts = urlsplit(came_from)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path == reverse("admin:archive_reviewitem_changelist"):
            return f"{back}#review-{figure.article_id}"
        if parts.path == reverse("admin:archive_article_change", args=[figure.article_id]):
            return f"{back}#figures"
        return back


def _plain(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "-"
    return str(value)


# --- Figures on an article's page -----------------------------------------------------------------


def figures_table(article) -> str:
    """Return the article's figures as a read-only table: each linked to its page (where it is
    corrected), its evidence marked, its status and Confirm / Reject buttons; then a link to add
    one by hand.

    A table, not an inline: an inline's formset made every save of the article carry the
    figures' management form, and a row of ten inputs per figure left the evidence no room.
    """
    figures = list(article.figures.all())
    add = format_html(
        '<p class="figure-add"><a class="addlink" href="{}?article={}">Add a figure this '
        'report states</a> · <a href="{}?article__id__exact={}">its figures in the list</a></p>',
        reverse("admin:archive_reportedfigure_add"),
        article.pk,
        reverse("admin:archive_reportedfigure_changelist"),
        article.pk,
    )
    if not figures:
        return format_html("<p>None found or added yet.</p>{}", add)
    rows = format_html_join(
        "",
        '<tr><td>{}</td><td class="evidence">{}</td><td>{} {}</td></tr>',
        (
            (
                figure_link(figure),
                highlight_figure(figure, body=article.body),
                status_label(figure),
                figure_buttons(figure, form=DECISIONS_FORM),
            )
            for figure in figures
        ),
    )
    return format_html(
        '<table id="figures" class="figure-table"><thead><tr><th scope="col">figure</th>'
        '<th scope="col">evidence, the stated words marked</th><th scope="col">status</th>'
        "</tr></thead><tbody>{}</tbody></table>{}",
        rows,
        add,
    )
