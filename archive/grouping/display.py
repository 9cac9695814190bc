"""What a group is, as plain data for its pages: its reports in time order, each saying how it
was matched, a thread's reports gathered by incident, and an article's groups.

    report_lines(members)
    -> [ReportLine(article_id=1, title=..., source="AKP", published=date(2023, 7, 9),
                   tier="first", tier_words="first report", confirmed=False), ...]
    thread_stages(members)
    -> [Stage(incident_id=1, incident_reports=3, reports=(ReportLine, ...)),
        Stage(incident_id=None, incident_reports=0, reports=(ReportLine,)), ...]
    article_groups(article_id)
    -> ArticleGroups(incident_id=11, also_by=("Cambodianess", "VOD"), thread_id=12)

Only live members count: a report a curator split out is left out everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from archive.grouping.queries import group_members, incident_ids, live_members
from archive.models import GroupKind, GroupMember, GroupStatus, ReportGroup

Tier = GroupMember.Tier

# A merged group points at the one it went into, which may have been merged in turn; a cycle
# would be a curator's mistake, and must not hang a page.
MAX_MERGE_HOPS = 10
UNKNOWN_SOURCE = "Unknown source"


@dataclass(frozen=True)
class ReportLine:
    article_id: int
    title: str
    language: str
    source: str  # "" when unknown
    published: dt.date | None
    year: int | None
    tier: str
    tier_words: str  # "copy of one text (0.91)", "same incident: same province KH-12, ..."
    confirmed: bool  # a curator confirmed this report belongs


@dataclass(frozen=True)
class Stage:
    """A step of a story thread: the thread's reports of one incident, or one report alone."""

    incident_id: int | None
    incident_reports: int  # the incident's live reports, the thread's and others; 0 without one
    reports: tuple[ReportLine, ...]


@dataclass(frozen=True)
class ArticleGroups:
    incident_id: int | None
    also_by: tuple[str, ...]  # the other reports' sources, each once, earliest first
    thread_id: int | None


def tier_words(tier: str, score: float | None, reasons: list | tuple) -> str:
    """Return how a report joined its group, in words a reader can check."""
    stated = ", ".join(str(reason) for reason in reasons or ())
    if tier == Tier.FIRST:
        return "first report"
    if tier == Tier.COPY:
        # The reasons already say it ("copies of one text (0.91)"); the score is the measure.
        return f"copy of one text ({score:.2f})" if score is not None else "copy of one text"
    if tier == Tier.SAME:
        return f"same incident: {stated}" if stated else "same incident"
    if tier == Tier.LATER:
        return f"a later stage of the case: {stated}" if stated else "a later stage of the case"
    return Tier(tier).label if tier in Tier.values else tier


def report_line(member: GroupMember) -> ReportLine:
    """Return one member as its group's page lists it (article and source loaded)."""
    article = member.article
    return ReportLine(
        article_id=article.pk,
        title=article.title,
        language=article.language,
        source=article.source.name if article.source else "",
        published=article.published_date,
        year=article.year,
        tier=member.tier,
        tier_words=tier_words(member.tier, member.score, member.reasons),
        confirmed=member.status == GroupStatus.CONFIRMED,
    )


def report_lines(members: list[GroupMember]) -> list[ReportLine]:
    return [report_line(member) for member in members]


def followed_merges(group: ReportGroup) -> ReportGroup:
    """Return the group a merged group's members went to, following merges of merges."""
    seen = {group.pk}
    while group.merged_into_id is not None and len(seen) <= MAX_MERGE_HOPS:
        target = ReportGroup.objects.filter(pk=group.merged_into_id).first()
        if target is None or target.pk in seen:
            break
        seen.add(target.pk)
        group = target
    return group


def threads_of(article_ids: list[int]) -> list[int]:
    """Return the live story threads these reports are in, lowest id first."""
    return sorted(set(incident_ids(article_ids, kind=GroupKind.THREAD).values()))


def thread_stages(members: list[GroupMember]) -> list[Stage]:
    """Return a thread's reports gathered by the incident each is in, in time order: a stage
    sits where its earliest report does."""
    incidents = incident_ids([member.article_id for member in members])
    sizes = Counter(
        live_members()
        .filter(group_id__in=set(incidents.values()))
        .values_list("group_id", flat=True)
    )
    stages: list[tuple[int | None, list[ReportLine]]] = []
    by_incident: dict[int, list[ReportLine]] = {}
    for member in members:  # already in time order
        line = report_line(member)
        incident = incidents.get(member.article_id)
        if incident is None:
            stages.append((None, [line]))
        elif incident in by_incident:
            by_incident[incident].append(line)
        else:
            by_incident[incident] = [line]
            stages.append((incident, by_incident[incident]))
    return [
        Stage(incident, sizes.get(incident, 0) if incident else 0, tuple(lines))
        for incident, lines in stages
    ]


def article_groups(article_id: int) -> ArticleGroups | None:
    """Return the live incident and thread a report is in, and who else reported the incident;
    None when it is in neither."""
    incident = incident_ids([article_id]).get(article_id)
    thread = incident_ids([article_id], kind=GroupKind.THREAD).get(article_id)
    if incident is None and thread is None:
        return None
    also_by: list[str] = []
    if incident is not None:
        for member in group_members([incident]).get(incident, []):
            source = member.article.source.name if member.article.source else UNKNOWN_SOURCE
            if member.article_id != article_id and source not in also_by:
                also_by.append(source)
    return ArticleGroups(incident, tuple(also_by), thread)
