"""Grouping in the archive: signatures stored with each report, groups proposed as reports arrive.

    Grouper(lazy=True).place(events)     # at ingest: a new report joins a group, starts one,
                                         # or stays alone; the archive is never re-clustered
    regroup(recompute=False)             # group_reports: the reports not yet placed (or all)

The Grouper keeps a MatchFinder (archive.grouping.finder) of the reports a new one may match:
at ingest it loads, once per day, the signatures of the days around each new report, and the
reports naming the same people within a thread's reach; a pass over the archive (regroup) walks
it in date order, forgetting what no later report can reach. A new report joins the incident of
the report it matches best (a copy first, then an independent report of the same raid), and
the thread of the earlier or later stage of its case it matches best; a report it matches that
is in no incident yet joins with it. Groups split by a curator stay split: a report never joins
a group it was split out of. Every change announces the reports whose group changed, for the
search index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from archive.extraction.report import ExtractionRules, read_figures
from archive.extraction.store import load_rules
from archive.grouping.finder import COPY, COPY_DAYS, LATER, SAME, MatchFinder, Proposal
from archive.grouping.incidents import THREAD_DAYS, ReportEvents, report_events
from archive.grouping.signatures import SIGNATURE_VERSION, events_from_values, signature_values
from archive.models import (
    Article,
    GroupKind,
    GroupMember,
    GroupStatus,
    ReportGroup,
    ReportSignature,
)
from archive.signals import articles_changed

# Days of signatures read at once around a new report (a block, aligned on day numbers).
LOAD_DAYS = 64
_FIELDS = ("article_id", "published", "minhash", "shingles", "events")
_UNKNOWN = object()  # a group's first publication date this run did not write
_TIER = {COPY: GroupMember.Tier.COPY, SAME: GroupMember.Tier.SAME, LATER: GroupMember.Tier.LATER}


def article_events(article: Article, *, rules: ExtractionRules) -> ReportEvents:
    """Return the events of a stored article, as ingest reads them: from its body and what the
    extractors read in it (curators' corrections of figures are not signals of its wording)."""
    return report_events(
        str(article.pk),
        published=article.published_date,
        title=article.title,
        body=article.body,
        figures=read_figures(article.body, rules=rules),
    )


def save_signature(article: Article, events: ReportEvents) -> None:
    """Store (or replace) an article's signature."""
    ReportSignature.objects.update_or_create(article=article, defaults=signature_values(events))


class Grouper:
    """Places new reports in groups; one per ingest run or regroup pass."""

    def __init__(self, *, lazy: bool = True, load_days: int = LOAD_DAYS):
        self.finder = MatchFinder()
        self.lazy = lazy  # load the days around each report from the archive
        # Days read at once: a batch reads blocks (each once per run), a report arriving
        # alone just the days it can match (load_days=1).
        self.load_days = load_days
        self._loaded_days: set[int | None] = set()  # blocks of LOAD_DAYS days
        self._loaded_people: set[str] = set()
        self._groups: dict[tuple[str, str], int | None] = {}  # (article id, kind) -> group
        self._split: set[tuple[str, int]] = set()  # (article id, group) split apart
        self.changed: set[int] = set()  # articles whose groups changed
        # The first publication date of the groups this run created (None: none yet).
        self._first_published: dict[int, dt.date | None] = {}

    def place(self, events: ReportEvents, *, new: bool = False) -> list[Proposal]:
        """Find what a report matches and write its place; return the proposals. A `new`
        report (just stored) is known to be in no group yet."""
        if self.lazy:
            self._load_around(events)
        if new:
            self._remember_groups([events.key], None)
        proposals = self.finder.matches(events)
        if not proposals:
            self.finder.add(events)
            return proposals
        self._known(events.key, [p.key for p in proposals])
        same = [p for p in proposals if p.tier in (COPY, SAME)]
        later = [p for p in proposals if p.tier == LATER]
        if same:
            self._join(events, same, GroupKind.INCIDENT)
        if later:
            self._join(events, later, GroupKind.THREAD)
        self.finder.add(events)
        return proposals

    def announce(self) -> None:
        """Tell the search index which reports' groups changed, once."""
        if self.changed:
            articles_changed.send(sender=Article, article_ids=sorted(self.changed))
            self.changed.clear()

    # Loading what a report may match ------------------------------------------------------

    def _load_around(self, events: ReportEvents) -> None:
        # Signatures are read by blocks of LOAD_DAYS days, each once per run: a batch of
        # reports spread over years costs a query per block, not one per report.
        if events.published is None:
            blocks = [None]
        else:
            reach = dt.timedelta(days=COPY_DAYS)
            first = (events.published - reach).toordinal() // self.load_days
            last = (events.published + reach).toordinal() // self.load_days
            blocks = list(range(first, last + 1))
        for block in blocks:
            if block in self._loaded_days:
                continue
            if block is None:
                found = Q(published__isnull=True)
            else:
                start = dt.date.fromordinal(block * self.load_days)
                end = dt.date.fromordinal(block * self.load_days + self.load_days - 1)
                found = Q(published__gte=start, published__lte=end)
            self._add_rows(ReportSignature.objects.filter(found))
            self._loaded_days.add(block)
        people = events.suspects - self._loaded_people
        if people and events.published:
            reach = dt.timedelta(days=THREAD_DAYS)
            named = Q()
            for person in people:
                named |= Q(people__contains=f"|{person}|")
            self._add_rows(
                ReportSignature.objects.filter(
                    named,
                    published__gte=events.published - reach,
                    published__lte=events.published + reach,
                )
            )
            self._loaded_people.update(people)

    def _add_rows(self, rows) -> None:
        read = list(rows.values(*_FIELDS))
        # The groups of the reports read come with them (one query, not one per match).
        self._remember_groups(
            [str(values["article_id"]) for values in read],
            GroupMember.objects.filter(article_id__in=rows.values("article_id")),
        )
        for values in read:
            key = str(values["article_id"])
            if key not in self.finder:
                self.finder.add(events_from_values(key, values))

    def _known(self, key: str, others: Iterable[str]) -> None:
        """Load the groups of `key` and of the reports it matched, where not yet known."""
        wanted = [k for k in (key, *others) if (k, GroupKind.INCIDENT) not in self._groups]
        if wanted:
            members = GroupMember.objects.filter(article_id__in=[int(k) for k in wanted])
            self._remember_groups(wanted, members)

    def _remember_groups(self, keys: Iterable[str], members) -> None:
        """Note the groups `members` (GroupMember rows, or None: no rows) place the reports
        `keys` in, where not yet known; a report with none is in none."""
        keys = [k for k in keys if (k, GroupKind.INCIDENT) not in self._groups]
        if not keys:
            return
        for kind in GroupKind:
            for k in keys:
                self._groups[(k, kind)] = None
        if members is None:
            return
        found = members.values_list("article_id", "group_id", "kind", "status")
        wanted = set(keys)
        for article_id, group_id, kind, status in found:
            if str(article_id) not in wanted:
                continue  # known already, perhaps placed since it was stored
            if status == GroupStatus.REJECTED:
                self._split.add((str(article_id), group_id))
            else:
                self._groups[(str(article_id), kind)] = group_id

    # Writing ---------------------------------------------------------------------------------

    def _join(self, events: ReportEvents, proposals: list[Proposal], kind: str) -> None:
        key = events.key
        if self._groups.get((key, kind)):
            return  # placed already (a regroup pass over curated groups)
        # Never into a group a curator split this report out of.
        best = next(
            (p for p in proposals if (key, self._groups.get((p.key, kind))) not in self._split),
            None,
        )
        if best is None:
            return
        members = []
        group_id = self._groups.get((best.key, kind))
        with transaction.atomic():
            if group_id is None:
                group_id = ReportGroup.objects.create(kind=kind).pk
                self._first_published[group_id] = None
                members.append(self._member(group_id, kind, best.key, GroupMember.Tier.FIRST))
            members.append(
                self._member(
                    group_id, kind, key, _TIER[best.tier], best.key, best.score, best.reasons
                )
            )
            if kind == GroupKind.INCIDENT:
                # The other reports it matches that are in no incident join with it.
                members += [
                    self._member(
                        group_id,
                        kind,
                        other.key,
                        _TIER[other.tier],
                        key,
                        other.score,
                        other.reasons,
                    )
                    for other in proposals
                    if other is not best
                    and self._groups.get((other.key, kind)) is None
                    and (other.key, group_id) not in self._split
                ]
            GroupMember.objects.bulk_create(members)
            self._date_group(group_id, [events.published, *self._published(members)])

    def _published(self, members: list[GroupMember]) -> list[dt.date | None]:
        return [known.published for m in members if (known := self.finder.get(str(m.article_id)))]

    def _date_group(self, group_id: int, dates: list[dt.date | None]) -> None:
        """Move the group's first publication date back to the earliest of `dates` (the
        database is asked only when this run does not know the group's date)."""
        dates = [day for day in dates if day]
        if not dates:
            return
        earliest = min(dates)
        known = self._first_published.get(group_id, _UNKNOWN)
        if known is not _UNKNOWN and known is not None and known <= earliest:
            return
        ReportGroup.objects.filter(
            Q(first_published__isnull=True) | Q(first_published__gt=earliest), pk=group_id
        ).update(first_published=earliest)
        if known is not _UNKNOWN:
            self._first_published[group_id] = earliest

    def _member(
        self, group_id, kind, key, tier, matched=None, score=None, reasons=()
    ) -> GroupMember:
        """Return the new member row of the report `key`, and remember where it is."""
        self._groups[(key, kind)] = group_id
        self.changed.add(int(key))
        return GroupMember(
            group_id=group_id,
            article_id=int(key),
            kind=kind,
            tier=tier,
            matched_with_id=int(matched) if matched else None,
            score=score,
            reasons=list(reasons),
        )


def missing_signatures(*, stale: bool = False):
    """Return the articles with no signature (or, with `stale`, one of an older version)."""
    articles = Article.objects.filter(signature__isnull=True)
    if stale:
        articles = Article.objects.filter(
            Q(signature__isnull=True) | ~Q(signature__version=SIGNATURE_VERSION)
        )
    return articles


def regroup(*, recompute: bool = False, on_report=None) -> dict[str, int]:
    """Store the signatures articles lack, then place every report in no group yet, walking the
    archive in date order. With `recompute`, every signature is read again and the groups no
    curator has decided on (confirmed or split a member of) are withdrawn first; those a curator
    touched stay as they are."""
    counts = {"signatures": 0, "placed": 0, "withdrawn": 0}
    rules = load_rules()
    for article in missing_signatures(stale=recompute).iterator(chunk_size=500):
        save_signature(article, article_events(article, rules=rules))
        counts["signatures"] += 1
    if recompute:
        curated = GroupMember.objects.exclude(status=GroupStatus.PROPOSED).values("group_id")
        withdrawn = GroupMember.objects.exclude(group_id__in=curated)
        changed = set(withdrawn.values_list("article_id", flat=True))
        counts["withdrawn"] = withdrawn.delete()[0]
        ReportGroup.objects.filter(members__isnull=True).delete()
        if changed:
            articles_changed.send(sender=Article, article_ids=sorted(changed))
    grouper = Grouper(lazy=False)
    placed = {
        (str(a), kind)
        for a, kind in GroupMember.objects.exclude(status=GroupStatus.REJECTED).values_list(
            "article_id", "kind"
        )
    }
    rows = ReportSignature.objects.order_by("published", "article_id").values(*_FIELDS)
    today = None
    for values in rows.iterator(chunk_size=2000):
        events = events_from_values(str(values["article_id"]), values)
        if events.published and events.published != today:
            today = events.published
            grouper.finder.forget_before(today - dt.timedelta(days=THREAD_DAYS))
        if all((events.key, kind) in placed for kind in GroupKind):
            grouper.finder.add(events)
            continue
        before = len(grouper.changed)
        grouper.place(events)
        counts["placed"] += len(grouper.changed) > before
        if on_report:
            on_report()
    grouper.announce()
    return counts


def with_key(events: ReportEvents, article_id: int) -> ReportEvents:
    """Return `events` named after the article it became (workers read it before it had an id)."""
    return dataclasses.replace(events, key=str(article_id))
