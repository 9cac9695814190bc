"""Incidents and story threads: what the machine grouped, for a curator to confirm or correct.

A group's page lists every report that was ever in it, each with the report it was matched
with, how strongly and why, so a curator can check the machine's words against the texts. The
decisions themselves are archive.grouping.curation's; this module only shows them and sends
the buttons there. A report leaving a group stays listed, split out: nothing is deleted.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from archive.admin.display import local
from archive.grouping import curation
from archive.grouping.queries import live_members
from archive.models import Article, GroupMember, GroupStatus, ReportGroup

# The POST key of the group page's buttons: "confirm", "add", or "split:<member id>".
DECIDE_KEY = "decide-group"
# The article number typed beside the Add button.
ARTICLE_KEY = "article"
# The forms the buttons belong to (templates/admin/archive/reportgroup/change_form.html), outside
# the group's own form: there, the first Split button was the default one, so Enter in the note
# split a report out. The Add box has a form of its own, so Enter in it adds, never splits.
DECISIONS_FORM, ADD_FORM = "group-decisions", "group-add"
# Sources named in a list row before "and N more": enough to tell a wire story from a raid.
SOURCES_SHOWN = 3
# A group's live members, counted in the database so the list can sort by them.
LIVE_COUNT = Count("members", filter=~Q(members__status=GroupStatus.REJECTED))
# An article's long columns, which a group's table of reports never shows.
ARTICLE_DEFERRED = ("body", "raw_text", "cleaning_log", "ingested_values")


def article_link(article_id: int, text: str) -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("admin:archive_article_change", args=[article_id]), text
    )


def group_link(group: ReportGroup, live: int) -> str:
    """Return "Incident #3 (4 reports)", linked to the group's page."""
    return format_html(
        '<a href="{}">{}</a> ({} report{})',
        reverse("admin:archive_reportgroup_change", args=[group.pk]),
        capfirst(str(group)),
        live,
        "" if live == 1 else "s",
    )


def group_links(article: Article) -> str:
    """Return the incident and story thread the article is in, each linked to its page."""
    groups = (
        ReportGroup.objects.filter(pk__in=live_members().filter(article=article).values("group"))
        .annotate(live=LIVE_COUNT)
        .order_by("kind")
    )
    links = [group_link(group, group.live) for group in groups]
    if not links:
        return "in no incident or story thread"
    return format_html_join(" · ", "{}", ((link,) for link in links))


def decided(member: GroupMember) -> str:
    if member.decided_at is None:
        return "-"
    return f"{member.decided_by or 'a former user'}, {local(member.decided_at)}"


def members_table(group: ReportGroup, *, buttons: bool) -> str:
    """Return every report ever in the group, live ones first, with the machine's reasons and
    the curator's decisions; with `buttons`, Split buttons, Confirm and Add a report."""
    members = sorted(
        group.members.select_related("article__source", "decided_by").defer(
            *(f"article__{name}" for name in ARTICLE_DEFERRED)
        ),
        key=lambda m: (not m.live, m.article.published_date is None, m.article.published_date),
    )
    rows = format_html_join(
        "",
        '<tr class="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                "live" if member.live else "split-out",
                article_link(member.article_id, f"#{member.article_id} {member.article.title}"),
                member.article.source or "-",
                member.article.published_date or "-",
                member.get_tier_display(),
                article_link(member.matched_with_id, f"#{member.matched_with_id}")
                if member.matched_with_id
                else "-",
                "-" if member.score is None else f"{member.score:.2f}",
                "; ".join(map(str, member.reasons)) or "-",
                member.get_status_display(),
                decided(member),
                split_button(member) if buttons and member.live else "",
            )
            for member in members
        ),
    )
    headings = format_html_join(
        "",
        '<th scope="col">{}</th>',
        ((h,) for h in ("report", "source", "published", "tier", "matched with", "score",
                        "reasons", "status", "decided by", "decide")),
    )  # fmt: skip
    table = format_html(
        '<table id="members" class="group-table"><thead><tr>{}</tr></thead><tbody>{}</tbody>'
        "</table>",
        headings,
        rows,
    )
    if not buttons or group.merged_into_id:
        return table
    return format_html("{}{}{}", confirm_button(group), table, add_box(group))


def split_button(member: GroupMember) -> str:
    return format_html(
        '<button type="submit" class="button" form="{}" name="{}" value="split:{}" '
        'aria-label="Split article #{} out">Split out</button>',
        DECISIONS_FORM,
        DECIDE_KEY,
        member.pk,
        member.article_id,
    )


def confirm_button(group: ReportGroup) -> str:
    return format_html(
        '<p><button type="submit" class="button" form="{}" name="{}" value="confirm">Confirm '
        "this {} and all its reports</button></p>",
        DECISIONS_FORM,
        DECIDE_KEY,
        group.get_kind_display(),
    )


def add_box(group: ReportGroup) -> str:
    return format_html(
        '<p class="group-add"><label for="add-article">Add a report the machine missed, by its '
        'article number:</label> <input id="add-article" form="{}" name="{}" inputmode="numeric" '
        'size="8"> <button type="submit" class="button" form="{}" name="{}" value="add">Add to '
        "this {}</button></p>",
        ADD_FORM,
        ARTICLE_KEY,
        ADD_FORM,
        DECIDE_KEY,
        group.get_kind_display(),
    )


@admin.register(ReportGroup)
class ReportGroupAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "status",
        "first_published",
        "live_column",
        "sources_column",
        "title_column",
    )
    list_filter = ("kind", "status")
    search_fields = ("members__article__title",)
    search_help_text = "Searches the titles of the reports ever in a group."
    ordering = ("-first_published", "-id")
    list_per_page = 50
    show_full_result_count = False
    actions = ("merge_action", "confirm_action")
    readonly_fields = ("kind", "status", "first_published", "merged_into", "created_at")

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        # Each row's sources and title come from its live reports, loaded for the page at once.
        reports = (
            live_members()
            .select_related("article__source")
            .only("group", "article__title", "article__published_date", "article__source__name")
            .order_by("article__published_date", "article_id")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(live=LIVE_COUNT)
            .prefetch_related(Prefetch("members", queryset=reports, to_attr="live_rows"))
        )

    def get_fieldsets(self, request, obj=None):
        reports = "members_column" if self.has_change_permission(request, obj) else "members_view"
        return (
            (None, {"fields": (("kind", "status"), ("first_published", "created_at"),
                               "merged_into", "note")}),
            ("Reports, with why the machine grouped them", {"fields": (reports,)}),
        )  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "members_column", "members_view")

    def has_add_permission(self, request):
        return False  # groups are proposed at ingest, or made by merging

    def has_delete_permission(self, request, obj=None):
        return False  # a split keeps the rows: grouping must not propose them again

    # Columns.

    @admin.display(description="reports", ordering="live")
    def live_column(self, group):
        return group.live

    @admin.display(description="sources")
    def sources_column(self, group):
        names = list(dict.fromkeys(str(m.article.source or "-") for m in group.live_rows))
        more = f" and {len(names) - SOURCES_SHOWN} more" if len(names) > SOURCES_SHOWN else ""
        return ", ".join(names[:SOURCES_SHOWN]) + more or "-"

    @admin.display(description="first report")
    def title_column(self, group):
        if group.live_rows:
            return group.live_rows[0].article.title
        if group.merged_into_id:
            return f"(merged into {group.get_kind_display()} #{group.merged_into_id})"
        return "-"

    @admin.display(description="reports")
    def members_column(self, group):
        return members_table(group, buttons=True)

    @admin.display(description="reports")
    def members_view(self, group):
        return members_table(group, buttons=False)

    # Decisions: the list's actions, and the buttons of a group's page.

    @admin.action(description="Merge the selected groups into the earliest", permissions=["change"])
    def merge_action(self, request, queryset):
        groups = list(queryset.select_related("merged_into"))
        problem = curation.merge_problem(groups)
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return
        target = curation.merge_target(groups)
        others = [group for group in groups if group.pk != target.pk]
        moved = curation.merge_groups(target, others, user=request.user)
        names = ", ".join(str(other) for other in others)
        self.message_user(
            request, f"Merged {names} into {target}: {moved} reports moved.", messages.SUCCESS
        )

    @admin.action(
        description="Confirm the selected groups and their reports", permissions=["change"]
    )
    def confirm_action(self, request, queryset):
        groups = list(queryset)
        for group in groups:
            curation.confirm_group(group, user=request.user)
        self.message_user(request, f"Confirmed {len(groups)} groups.", messages.SUCCESS)

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="archive_reportgroup_decide",
        )
        return [decide, *super().get_urls()]

    def decide_view(self, request, object_id):
        """Apply one of a group page's buttons, then return to that page."""
        if request.method != "POST":
            return HttpResponseBadRequest("Decisions are sent with the group page's buttons.")
        group = get_object_or_404(ReportGroup.objects.select_related("merged_into"), pk=object_id)
        if not self.has_change_permission(request, group):
            raise PermissionDenied
        verb, _, pk = request.POST.get(DECIDE_KEY, "").partition(":")
        try:
            done = self._decide(request, group, verb, pk)
        except curation.GroupingRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            if done is None:
                return HttpResponseBadRequest("Unknown decision.")
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:archive_reportgroup_change", args=[group.pk]))

    def _decide(self, request, group: ReportGroup, verb: str, pk: str) -> str | None:
        """Make the decision; return what happened, in words, or None for an unknown one."""
        user = request.user
        if verb == "confirm":
            count = curation.confirm_group(group, user=user)
            return f"Confirmed {group}: {count} reports confirmed."
        if verb == "split":
            member = group.members.filter(pk=pk if pk.isdigit() else None).first()
            if member is None:
                raise curation.GroupingRefused(f"That report is not in {group}; reload the page.")
            curation.split_member(member, user=user)
            return f"Split article #{member.article_id} out of {group}."
        if verb == "add":
            written = request.POST.get(ARTICLE_KEY, "").strip().lstrip("#")
            article = Article.objects.filter(pk=written).first() if written.isdigit() else None
            if article is None:
                raise curation.GroupingRefused(
                    f'"{written}" is not the number of an article: write the number its page '
                    "shows (#12 is 12)."
                )
            curation.add_report(group, article, user=user)
            return f"Added article #{article.pk} to {group}."
        return None
