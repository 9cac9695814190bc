"""/api/v1/incidents and /api/v1/incidents/<id>: reports grouped by incident and story thread.

Parameters of the list (each once):
    kind       incident or thread; both when absent
    status     proposed (by the machine) or confirmed (by a curator)
    since      first reported on or after this day (YYYY-MM-DD)
    until      first reported on or before this day
    page, page_size

Strict like the other endpoints: a malformed value or an unknown name answers 400 and names the
parameter. Groups come in the order they were first reported, then by id; groups a curator
merged into another are left out of the list, and their address redirects to that group.
A group's members are its live reports (a report split out is not one), each with how it was
matched and the figures it states, proposals included and each saying so.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from math import ceil

from django.db.models import Count, F, Q
from django.http import QueryDict
from django.urls import reverse

from archive.grouping.queries import group_members
from archive.models import GroupKind, GroupStatus, ReportedFigure, ReportGroup
from search.api.errors import ApiError
from search.api.params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_SIZE, shown
from search.exports.figure_rows import rows_for
from search.service.url_state import PAGE, url_with

KIND, STATUS, SINCE, UNTIL = "kind", "status", "since", "until"
INCIDENT_KEYS = (KIND, STATUS, SINCE, UNTIL, PAGE, PAGE_SIZE)
KINDS = tuple(GroupKind.values)
STATUSES = (GroupStatus.PROPOSED, GroupStatus.CONFIRMED)  # a group is never rejected
TOO_MANY_DIGITS = 9  # past every page
# fromisoformat takes "20240101" and week dates too: the API asks for one spelling.
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class IncidentQuery:
    kind: str  # "" for both
    status: str  # "" for both
    since: dt.date | None
    until: dt.date | None
    page: int
    page_size: int


def check_incident_params(params: QueryDict) -> IncidentQuery:
    """Return the query asked for; raise ApiError(400) naming the first malformed parameter.
    An empty value counts as absent."""
    for name in params:
        if name not in INCIDENT_KEYS:
            close = difflib.get_close_matches(name, INCIDENT_KEYS, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ApiError(
                400,
                f"Unknown parameter {shown(name)}.{hint} The incidents take: "
                f"{', '.join(INCIDENT_KEYS)}.",
                name,
            )
        if len(params.getlist(name)) > 1:
            raise ApiError(400, f"'{name}' was given more than once; give it once.", name)
    since, until = _day(params, SINCE), _day(params, UNTIL)
    if since and until and since > until:
        raise ApiError(400, f"'since' ({since}) is later than 'until' ({until}); swap them.", SINCE)
    return IncidentQuery(
        kind=_one_of(params, KIND, KINDS),
        status=_one_of(params, STATUS, STATUSES),
        since=since,
        until=until,
        page=_whole(params, PAGE, default=1, high=None),
        page_size=_whole(params, PAGE_SIZE, default=DEFAULT_PAGE_SIZE, high=MAX_PAGE_SIZE),
    )


def _one_of(params: QueryDict, name: str, allowed: tuple[str, ...]) -> str:
    value = params.get(name, "")
    if value and value not in allowed:
        raise ApiError(400, f"'{name}' must be {' or '.join(allowed)}, not {shown(value)}.", name)
    return value


def _day(params: QueryDict, name: str) -> dt.date | None:
    value = params.get(name, "")
    if not value:
        return None
    if DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # 2024-02-30
            pass
    raise ApiError(400, f"'{name}' must be a day as YYYY-MM-DD, not {shown(value)}.", name)


def _whole(params: QueryDict, name: str, *, default: int, high: int | None) -> int:
    value = params.get(name, "")
    if not value:
        return default
    limit = f"from 1 to {high}" if high else "of 1 or more"
    if not value.isdigit() or len(value) > TOO_MANY_DIGITS or int(value) < 1:
        raise ApiError(400, f"'{name}' must be a whole number {limit}, not {shown(value)}.", name)
    if high is not None and int(value) > high:
        raise ApiError(400, f"'{name}' must be a whole number {limit}, not {value}.", name)
    return int(value)


# --- The answers -----------------------------------------------------------------------------


def group_queryset(query: IncidentQuery):
    """Return the live groups the query names, each with its count of live reports."""
    groups = ReportGroup.objects.filter(merged_into__isnull=True).annotate(
        reports=Count("members", filter=~Q(members__status=GroupStatus.REJECTED))
    )
    if query.kind:
        groups = groups.filter(kind=query.kind)
    if query.status:
        groups = groups.filter(status=query.status)
    if query.since:
        groups = groups.filter(first_published__gte=query.since)
    if query.until:
        groups = groups.filter(first_published__lte=query.until)
    # Nulls last on both databases (PostgreSQL would put them first in descending order only,
    # SQLite first in ascending): pages must hold the same groups on either.
    return groups.order_by(F("first_published").asc(nulls_last=True), "id")


def group_links(group: ReportGroup, base_url: str) -> dict:
    page = "search:incident" if group.kind == GroupKind.INCIDENT else "search:thread"
    return {
        "self": base_url + reverse("search:api_incident", args=[group.pk]),
        "html": base_url + reverse(page, args=[group.pk]),
    }


def group_summary(group: ReportGroup, base_url: str) -> dict:
    return {
        "id": group.pk,
        "kind": group.kind,
        "status": group.status,
        "first_published": group.first_published.isoformat() if group.first_published else None,
        "report_count": group.reports,
        "links": group_links(group, base_url),
    }


def incidents_payload(params: QueryDict, base_url: str) -> dict:
    """Return one page of groups, their total and links to the pages beside it."""
    query = check_incident_params(params)
    groups = group_queryset(query)
    total = groups.count()
    pages = ceil(total / query.page_size)
    if query.page > max(pages, 1):
        raise ApiError(
            400,
            f"'page' {query.page} is past the last page ({max(pages, 1)}) of {total} groups.",
            PAGE,
        )
    start = (query.page - 1) * query.page_size
    path = reverse("search:api_incidents")

    def link(page: int) -> str:
        changed = url_with(params, **{PAGE: page if page > 1 else None})
        return base_url + path + ("" if changed == "?" else changed)

    return {
        "total": total,
        "page": query.page,
        "page_size": query.page_size,
        "pages": pages,
        "results": [
            group_summary(group, base_url) for group in groups[start : start + query.page_size]
        ],
        "links": {
            "self": link(query.page),
            "next": link(query.page + 1) if query.page < pages else None,
            "previous": link(query.page - 1) if query.page > 1 else None,
        },
    }


def incident_payload(group: ReportGroup, base_url: str) -> dict:
    """Return a live group with its members, each with the figures its report states."""
    members = group_members([group.pk]).get(group.pk, [])
    ids = [member.article_id for member in members]
    figures: dict[int, list[dict]] = {}
    for row in rows_for(ReportedFigure.objects.live(), ids, base_url=base_url):
        figures.setdefault(row["article_id"], []).append(row)
    record = group_summary(group, base_url)
    record["members"] = [
        {
            "article_id": member.article_id,
            "url": base_url + reverse("archive:article_detail", args=[member.article_id]),
            "title": member.article.title,
            "source": member.article.source.name if member.article.source else None,
            "published": (
                member.article.published_date.isoformat() if member.article.published_date else None
            ),
            "tier": member.tier,
            "matched_with": member.matched_with_id,
            "score": member.score,
            "reasons": [str(reason) for reason in member.reasons or []],
            "status": member.status,
            "figures": figures.get(member.article_id, []),
        }
        for member in members
    ]
    return record


def live_group(pk: int) -> ReportGroup:
    """Return the group with its count of live reports; ApiError(404) when there is none."""
    group = (
        ReportGroup.objects.filter(pk=pk)
        .annotate(reports=Count("members", filter=~Q(members__status=GroupStatus.REJECTED)))
        .first()
    )
    if group is None:
        raise ApiError(404, f"There is no incident or story thread {pk}.")
    return group
