"""What curators decide about groups: confirm one, split a report out, merge groups, add a report.

    confirm_group(group, user)            every live member confirmed, and the group
    split_member(member, user)            the member row stays, rejected: never proposed again
    merge_groups(target, others, user)    the others' live reports move to the target
    add_report(group, article, user)      a report the machine missed joins, confirmed

Nothing is deleted: a report leaving a group keeps its row there, rejected, which is also what
stops the grouping (archive.grouping.store) from proposing it for that group again, and what
keeps a group a curator touched through `group_reports --recompute`. Every decision records who
made it and when on each row it changes, and announces the reports it touched to the search
index. A decision that cannot be made raises GroupingRefused with what to do instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from archive.grouping.queries import live_members
from archive.models import Article, GroupMember, GroupStatus, ReportGroup
from archive.signals import articles_changed


class GroupingRefused(ValueError):
    """A curator's decision the groups cannot take; the message says why and what to do."""


def confirm_group(group: ReportGroup, *, user) -> int:
    """Confirm the group and each of its live members; return how many members changed."""
    now = timezone.now()
    with transaction.atomic():
        proposed = list(group.live_members().filter(status=GroupStatus.PROPOSED))
        for member in proposed:
            _decide(member, GroupStatus.CONFIRMED, user=user, now=now)
        if group.status != GroupStatus.CONFIRMED:
            group.status = GroupStatus.CONFIRMED
            group.save(update_fields=["status", "updated_at"])
        _announce(member.article_id for member in proposed)
    return len(proposed)


def split_member(member: GroupMember, *, user) -> None:
    """Take a report out of its group; the group stays, however few reports it keeps."""
    if not member.live:
        raise GroupingRefused(
            f"Article #{member.article_id} was already split out of {member.group}."
        )
    with transaction.atomic():
        _decide(member, GroupStatus.REJECTED, user=user, now=timezone.now())
        refresh_first_published(member.group)
        _announce([member.article_id])


def merge_problem(groups: list[ReportGroup]) -> str:
    """Return why these groups cannot be merged, or ""."""
    if len(groups) < 2:
        return "Select at least two groups to merge."
    if len({group.kind for group in groups}) > 1:
        return (
            "Only groups of one kind can be merged: an incident's reports are one event, a "
            "thread's are the stages of one case. Select only incidents, or only threads."
        )
    merged = [group for group in groups if group.merged_into_id]
    if merged:
        group = merged[0]
        return f"{group} was merged into {group.merged_into} already: select that one instead."
    return ""


def merge_target(groups: Iterable[ReportGroup]) -> ReportGroup:
    """Return the group the others merge into: the one made first, so its number stays."""
    return min(groups, key=lambda group: (group.created_at, group.pk))


def merge_groups(target: ReportGroup, others: Iterable[ReportGroup], *, user) -> int:
    """Move the others' live reports into `target`; return how many moved.

    Each moved report leaves its old row rejected and gains a confirmed, curated row in the
    target that names the group it came from; each other group records where it went.
    """
    others = [other for other in others if other.pk != target.pk]
    problem = merge_problem([target, *others])
    if problem:
        raise GroupingRefused(problem)
    now = timezone.now()
    moved: list[int] = []
    with transaction.atomic():
        for other in others:
            for member in list(other.live_members()):
                # The old row first: a report may hold one live row of a kind at a time.
                _decide(member, GroupStatus.REJECTED, user=user, now=now)
                _join(target, member.article_id, f"merged from {other} by {user}", user, now)
                moved.append(member.article_id)
            other.merged_into = target
            other.save(update_fields=["merged_into", "updated_at"])
        refresh_first_published(target)
        _announce(moved)
    return len(moved)


def add_report(group: ReportGroup, article: Article, *, user) -> GroupMember:
    """Add a report to the group as a curator's decision; return its member row."""
    if group.merged_into_id:
        raise GroupingRefused(f"{group} was merged into {group.merged_into}: add the report there.")
    elsewhere = live_members().filter(article=article, kind=group.kind).first()
    if elsewhere is not None and elsewhere.group_id == group.pk:
        raise GroupingRefused(f"Article #{article.pk} is already in {group}.")
    if elsewhere is not None:
        raise GroupingRefused(
            f"Article #{article.pk} is already in {elsewhere.group}, and a report is in one "
            f"{group.get_kind_display()} at a time: split it out of {elsewhere.group} first, "
            "then add it here."
        )
    with transaction.atomic():
        member = _join(group, article.pk, f"added by {user}", user, timezone.now())
        refresh_first_published(group)
        _announce([article.pk])
    return member


def refresh_first_published(group: ReportGroup) -> None:
    """Set the group's first publication date to its earliest live report's."""
    first = group.live_members().aggregate(first=Min("article__published_date"))["first"]
    ReportGroup.objects.filter(pk=group.pk).update(first_published=first)
    group.first_published = first


def _join(group: ReportGroup, article_id: int, reason: str, user, now) -> GroupMember:
    """Make the report a confirmed, curated member of `group`.

    A report split out of this group before keeps its one row here (one row per group and
    report): the row is taken back, its earlier reasons kept before the new one.
    """
    member = GroupMember.objects.filter(group=group, article_id=article_id).first()
    if member is None:
        member = GroupMember(group=group, article_id=article_id, kind=group.kind, reasons=[])
    member.tier = GroupMember.Tier.CURATED
    member.matched_with = None
    member.score = None
    member.reasons = [*member.reasons, reason]
    _decide(member, GroupStatus.CONFIRMED, user=user, now=now)
    return member


def _decide(member: GroupMember, status: str, *, user, now) -> None:
    member.status = status
    member.decided_by = user
    member.decided_at = now
    member.save()


def _announce(article_ids: Iterable[int]) -> None:
    ids = sorted(set(article_ids))
    if ids:
        articles_changed.send(sender=Article, article_ids=ids)
