import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from archive.collect.following import (
    FollowingError,
    due_sources,
    follow,
    seconds_until_next_poll,
)
from archive.search_hook import index_updates_deferred

# With --watch, the longest it sleeps between looks at which sources are due, so a source a
# curator switches on is polled within a minute.
MAX_WATCH_SLEEP_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Poll the sources curators follow (admin: Sources, 'Following'): read each one's RSS or "
        "Atom feed or news sitemap, fetch the pages not seen before (robots.txt respected, a "
        "delay between requests to a host, conditional requests, size and time limits), write "
        "every response to a WARC file under FOLLOW_WARC_DIR, and ingest the new pages from it. "
        "Needs FOLLOW_CONTACT. --once polls the sources that are due and stops; --watch keeps "
        "polling each at its interval until stopped (SIGTERM or Ctrl-C ends it after the "
        "current poll)."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="poll the due sources once (default)")
        mode.add_argument("--watch", action="store_true", help="keep polling until stopped")
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            metavar="NAME",
            help="poll this followed source now, due or not (repeatable)",
        )

    def handle(self, *args, once, watch, source, verbosity, **options):
        stop = threading.Event()
        if watch:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        while True:
            self._poll_once(names=source, verbosity=verbosity)
            if not watch or stop.is_set():
                return
            wait = seconds_until_next_poll(now=timezone.now())
            stop.wait(
                MAX_WATCH_SLEEP_SECONDS if wait is None else min(wait, MAX_WATCH_SLEEP_SECONDS)
            )
            if stop.is_set():
                return

    def _poll_once(self, *, names, verbosity) -> None:
        sources = due_sources(now=timezone.now(), names=names)
        if missing := sorted(set(names) - {s.name for s in sources}):
            raise CommandError(
                f"not a followed source: {', '.join(missing)} (switch 'following' on in admin)"
            )
        if not sources:
            if verbosity > 1:
                self.stdout.write("No source is due.")
            return
        try:
            with index_updates_deferred():
                report = follow(sources)
        except FollowingError as error:
            raise CommandError(str(error)) from None
        for poll in report.polls:
            line = (
                f"{poll.source}: {len(poll.new_pages)} new page(s), "
                f"{len(poll.known_skipped)} already known, {len(poll.deferred)} left for the "
                f"next poll, {len(poll.unchanged)} listing(s) unchanged"
            )
            if poll.errors:
                line += f", {len(poll.errors)} error(s): " + "; ".join(
                    f"{error.url or error.stage} {error.reason}" for error in poll.errors[:3]
                )
            if poll.should_pause:
                line += " -- paused after repeated failures"
            self.stdout.write(line)
        if report.ingest is not None:
            ingest = report.ingest
            self.stdout.write(
                f"Ingested from {', '.join(path.name for path in report.warc_files)}: "
                f"{ingest.created} created, {ingest.updated} updated, "
                f"{ingest.unchanged} unchanged, {len(ingest.skipped)} skipped"
            )
