"""The review queue: machine proposals waiting for a curator, oldest doubt first."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme

from archive import curation
from archive.admin.articles import mark_reviewed_action
from archive.admin.display import highlight_evidence, highlight_figure
from archive.admin.figures import figure_buttons, figure_link, status_label
from archive.admin.filters import (
    ForgivingLookupsMixin,
    IndexSearchMixin,
)
from archive.kinds import BY_KEY
from archive.models import (
    TAG_KINDS,
    Article,
    FigureStatus,
    ReportedFigure,
    ReviewItem,
    TagAssignment,
)


@admin.register(ReviewItem)
class ReviewQueueAdmin(ForgivingLookupsMixin, IndexSearchMixin, admin.ModelAdmin):
    """Articles the tagger was unsure of, newest first, each proposal beside its evidence.

    Every proposal (tags, and the figures the report states) has Confirm and Reject buttons
    (plain form buttons, no JavaScript needed), and each article Confirm all / Reject all. An
    article leaves the queue once nothing is pending and its year is known, or when a curator
    marks it reviewed with the year left unknown.
    """

    list_display = ("article_column", "year_column", "proposals_column", "figures_column")
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
                *(f"{kind.related_name}__{kind.target_field}" for kind in TAG_KINDS.values()),
                Prefetch(
                    "figures",
                    ReportedFigure.objects.filter(status=FigureStatus.PROPOSED).order_by(
                        "confidence", "start", "id"
                    ),
                    to_attr="pending_figures",
                ),
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
                    BY_KEY[kind.key].label.lower(),
                    assignment.get_role_display().lower(),
                    f"{assignment.confidence:.0%}",
                    self._tag_buttons(kind.key, assignment),
                    highlight_evidence(assignment.evidence),
                )
                for kind, assignment in pending
            ),
        )
        return format_html('<ul class="proposals">{}</ul>', rows)

    @admin.display(description="proposed figures, least certain first, with their evidence")
    def figures_column(self, article):
        if not article.pending_figures:
            return "nothing pending"
        rows = format_html_join(
            "",
            '<li class="proposal">{} · {} {}<div class="evidence">{}</div></li>',
            (
                (
                    figure_link(figure),
                    status_label(figure),
                    figure_buttons(figure),
                    highlight_figure(figure, body=article.body),
                )
                for figure in article.pending_figures
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
        description="Confirm every proposed tag and figure of the selected articles",
        permissions=["change"],
    )
    def confirm_all_action(self, request, queryset):
        count = curation.decide_proposals(queryset, confirm=True, user=request.user)
        self.message_user(request, f"{count} proposals confirmed.", messages.SUCCESS)

    @admin.action(
        description="Reject every proposed tag and figure of the selected articles",
        permissions=["change"],
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
