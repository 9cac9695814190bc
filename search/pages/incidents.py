"""Incident pages (/incidents/<id>/) and story thread pages (/threads/<id>/).

An incident page lists the reports of one raid or arrest in time order, each saying how the
machine matched it, and puts the figures they state side by side with their disagreements in
words. A thread page is the timeline of one case: its reports gathered by incident. Both say
when the grouping is the machine's proposal. A merged group sends the reader to the group its
reports went to; an address of the other kind, to the right page.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from archive.grouping.display import followed_merges, report_lines, thread_stages, threads_of
from archive.grouping.figure_comparison import column_labels, compare_figures
from archive.grouping.queries import group_members
from archive.models import GroupKind, GroupStatus, ReportedFigure, ReportGroup

PAGE_NAMES = {GroupKind.INCIDENT: "search:incident", GroupKind.THREAD: "search:thread"}


def _group_or_redirect(pk: int, kind: str):
    """Return (group, None) to show, or (None, a redirect) to where its reports are now."""
    group = ReportGroup.objects.filter(pk=pk).first()
    if group is None:
        raise Http404(f"There is no group #{pk}.")
    target = followed_merges(group)
    if target.pk != group.pk or target.kind != kind:
        return None, redirect(PAGE_NAMES[target.kind], pk=target.pk)
    return group, None


def incident(request, pk: int):
    """One incident: its reports, how each was matched, and their figures side by side."""
    group, elsewhere = _group_or_redirect(pk, GroupKind.INCIDENT)
    if elsewhere:
        return elsewhere
    members = group_members([group.pk]).get(group.pk, [])
    ids = [member.article_id for member in members]
    columns = column_labels(
        (m.article_id, m.article.source.name if m.article.source else "", m.article.published_date)
        for m in members
    )
    figures = ReportedFigure.objects.live().filter(article_id__in=ids).order_by("start", "id")
    return render(
        request,
        "incidents/detail.html",
        {
            "group": group,
            "proposed": group.status == GroupStatus.PROPOSED,
            "reports": report_lines(members),
            "comparison": compare_figures(columns, figures),
            "threads": threads_of(ids),
        },
    )


def thread(request, pk: int):
    """One story thread: its reports over time, gathered by incident."""
    group, elsewhere = _group_or_redirect(pk, GroupKind.THREAD)
    if elsewhere:
        return elsewhere
    members = group_members([group.pk]).get(group.pk, [])
    return render(
        request,
        "incidents/thread.html",
        {
            "group": group,
            "proposed": group.status == GroupStatus.PROPOSED,
            "report_count": len(members),
            "stages": thread_stages(members),
        },
    )
