"""Reading groups back: which incident or thread a report is in, and who else reported it.

incident_ids([3, 8, 9])            -> {3: 12, 8: 12}     (reports in no incident left out)
group_members([12])                -> {12: [GroupMember, ...]} live members, in time order
"""

from __future__ import annotations

from collections.abc import Iterable

from archive.models import GroupKind, GroupMember, GroupStatus


def live_members():
    """Return every member a group counts: proposed or confirmed, not split out."""
    return GroupMember.objects.exclude(status=GroupStatus.REJECTED)


def incident_ids(article_ids: Iterable[int], *, kind: str = GroupKind.INCIDENT) -> dict[int, int]:
    """Return {article id: its live group of `kind`} for the articles that are in one."""
    return dict(
        live_members()
        .filter(kind=kind, article_id__in=list(article_ids))
        .values_list("article_id", "group_id")
    )


def group_members(group_ids: Iterable[int]) -> dict[int, list[GroupMember]]:
    """Return {group id: its live members, earliest report first}, articles and sources loaded."""
    found: dict[int, list[GroupMember]] = {}
    members = (
        live_members()
        .filter(group_id__in=list(group_ids))
        .select_related("group", "article__source", "matched_with")
        .order_by("article__published_date", "article_id")
    )
    for member in members:
        found.setdefault(member.group_id, []).append(member)
    return found
