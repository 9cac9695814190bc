"""Following sources with the database: which are due, what their earlier polls left, and their
new pages turned into articles by the same ingest as `manage.py ingest`, read back from the WARC
files the poll wrote (so what an ingest made can always be made again from what was fetched).

The polling itself (politeness, feeds, sitemaps, WARC) is in the pure modules beside this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from archive.collect.fetcher import Fetcher, FetchPolicy, build_user_agent
from archive.collect.poll import (
    PollLimits,
    PollReport,
    SourceSettings,
    SourceState,
    Validators,
    poll_source,
)
from archive.collect.warc_writer import WarcWriter
from archive.ingest.batch import IngestReport, ingest_paths
from archive.models import FollowedPage, Source

# How the archive names itself to the sites it fetches from, before its contact address.
USER_AGENT_PRODUCT = "EnforcementReportsArchive/1.0"
# The longest an error is kept on a source for curators to read.
MAX_ERROR_CHARS = 2000


class FollowingError(Exception):
    """Following cannot start; the message says what to set."""


@dataclass
class FollowReport:
    polls: list[PollReport] = field(default_factory=list)
    ingest: IngestReport | None = None
    warc_files: list[Path] = field(default_factory=list)


def due_sources(*, now: dt.datetime, names: Iterable[str] = ()) -> list[Source]:
    """Return the followed sources to poll now: those named (whenever they were last polled),
    else every one switched on, not paused, whose interval has passed."""
    sources = Source.objects.filter(following=True)
    if names := list(names):
        return list(sources.filter(name__in=names).order_by("name"))
    ordered = sources.filter(paused=False).order_by(F("last_polled_at").asc(nulls_first=True))
    return [
        source
        for source in ordered
        if source.last_polled_at is None
        or source.last_polled_at + dt.timedelta(minutes=source.poll_minutes) <= now
    ]


def seconds_until_next_poll(*, now: dt.datetime) -> float | None:
    """Return how long until a followed source is due, or None when none is followed."""
    waits = [
        (source.last_polled_at + dt.timedelta(minutes=source.poll_minutes) - now).total_seconds()
        if source.last_polled_at
        else 0.0
        for source in Source.objects.filter(following=True, paused=False)
    ]
    return max(0.0, min(waits)) if waits else None


def follow(
    sources: list[Source],
    *,
    now: dt.datetime | None = None,
    contact: str | None = None,
    warc_dir: Path | None = None,
    policy: FetchPolicy | None = None,
    sleep=None,
) -> FollowReport:
    """Poll each source once, ingest the new pages, and keep each source's state and status."""
    contact = settings.FOLLOW_CONTACT if contact is None else contact
    if not contact.strip():
        raise FollowingError(
            "FOLLOW_CONTACT is not set: set it to an e-mail address or web page where the sites "
            "the archive fetches from can reach its operators (it is sent in the User-Agent)."
        )
    warc_dir = Path(warc_dir or settings.FOLLOW_WARC_DIR)
    now = now or timezone.now()
    policy = policy or FetchPolicy(
        host_delay=float(settings.FOLLOW_HOST_DELAY_SECONDS), retries=settings.FOLLOW_RETRIES
    )
    limits = PollLimits(max_new_pages=settings.FOLLOW_MAX_PAGES_PER_POLL)
    report = FollowReport()
    fetcher_options = {"sleep": sleep} if sleep is not None else {}
    with (
        Fetcher(
            user_agent=build_user_agent(USER_AGENT_PRODUCT, contact),
            policy=policy,
            **fetcher_options,
        ) as fetcher,
        WarcWriter(warc_dir, prefix="follow") as writer,
    ):
        for source in sources:
            report.polls.append(
                poll_source(
                    settings_of(source),
                    state_of(source),
                    fetcher=fetcher,
                    warc=writer,
                    limits=limits,
                )
            )
        files = [warc_dir / name for name in writer.files]
    report.warc_files = files
    pages = {
        url: {"source": poll.source}
        for poll in report.polls
        for page in poll.new_pages
        for url in (page.url, page.listed_url)
    }
    if files:
        report.ingest = ingest_paths(
            [str(path) for path in files], label="follow_sources", page_metadata=pages
        )
    for source, poll in zip(sources, report.polls, strict=True):
        keep_state(source, poll, now=now)
    return report


def settings_of(source: Source) -> SourceSettings:
    return SourceSettings(
        name=source.name,
        feed_url=source.feed_url,
        sitemap_url=source.sitemap_url,
        language=source.language_hint,
        country=source.country.code if source.country_id else "",
        enabled=source.following and (not source.paused),
    )


def state_of(source: Source) -> SourceState:
    return SourceState(
        known=frozenset(source.followed_pages.values_list("url", flat=True)),
        validators={
            url: Validators(etag=pair[0], last_modified=pair[1])
            for url, pair in (source.validators or {}).items()
        },
        consecutive_failures=source.consecutive_failures,
    )


def keep_state(source: Source, poll: PollReport, *, now: dt.datetime) -> None:
    """Store what the poll learnt: the addresses now known, validators, failures, status."""
    if not poll.ran:
        return
    known = set(source.followed_pages.values_list("url", flat=True))
    FollowedPage.objects.bulk_create(
        [FollowedPage(source=source, url=url[:2000]) for url in sorted(poll.state.known - known)],
        ignore_conflicts=True,
    )
    # An update, not a save: a poll is not a curator's change, and would fill the history.
    Source.objects.filter(pk=source.pk).update(
        validators={
            url: [validators.etag, validators.last_modified]
            for url, validators in poll.state.validators.items()
        },
        consecutive_failures=poll.state.consecutive_failures,
        paused=source.paused or poll.should_pause,
        last_polled_at=now,
        last_new_count=len(poll.new_pages),
        last_error="\n".join(
            f"{error.stage} {error.url}: {error.reason} {error.detail}".strip()
            for error in poll.errors
        )[:MAX_ERROR_CHARS],
    )
    source.refresh_from_db()
