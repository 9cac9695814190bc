"""What a search result says of its incident: "also reported by VOD, AKP (+2)".

A page listing each incident once shows its best report; the others are named under it, by
their sources, with a link to the incident's page. Plain data for the page and the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archive.grouping.queries import group_members

SOURCES_NAMED = 2


@dataclass(frozen=True)
class AlsoReported:
    incident: int
    reports: int  # in the incident, this one included
    named: tuple[str, ...]  # the first SOURCES_NAMED sources of the other reports
    more: int  # the other reports from sources not named
    article_ids: tuple[int, ...]  # the other reports
    confirmed: bool  # the group is a curator's, not the machine's proposal


def also_reported(hits: Iterable) -> dict[int, AlsoReported]:
    """Return {article id: AlsoReported} for the hits that are in an incident with others."""
    hits = [hit for hit in hits if hit.incident]
    members = group_members({hit.incident for hit in hits})
    found = {}
    for hit in hits:
        group = members.get(hit.incident, [])
        others = [m for m in group if m.article_id != hit.article_id]
        if not others:
            continue
        sources = [
            member.article.source.name if member.article.source_id else "an unnamed source"
            for member in others
        ]
        named = tuple(dict.fromkeys(sources))[:SOURCES_NAMED]
        found[hit.article_id] = AlsoReported(
            incident=hit.incident,
            reports=len(group),
            named=named,
            more=sum(source not in named for source in sources),
            article_ids=tuple(m.article_id for m in others),
            confirmed=group[0].group.status == "confirmed",
        )
    return found
