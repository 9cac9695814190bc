import time

from django.core.management.base import BaseCommand, CommandError

from search.backends.base import SearchUnavailable
from search.index.sync import apply_pending
from search.management.disk import disk_full_explained


class Command(BaseCommand):
    help = (
        "Apply the change log to this host's search index. Web processes do this after each "
        "commit already; run it with --watch on hosts that only read, or with "
        "SEARCH_SYNC_ON_COMMIT=0. An index that cannot be read is not replaced: the command "
        "stops and asks for rebuild_index (with --watch it waits for one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="keep applying until stopped")
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="seconds between looks at the log with --watch",
        )

    def handle(self, *args, watch, interval, **options):
        while True:
            try:
                with disk_full_explained(
                    "update_index", "Nothing was lost: the changes wait in the log."
                ):
                    applied = apply_pending()
            except SearchUnavailable as error:
                if not watch:
                    raise CommandError(f"{error} Run `python manage.py rebuild_index`.") from None
                applied = 0  # logged once by the backend; the changes wait in the log
            if applied or not watch:
                self.stdout.write(f"{applied} changes applied.")
            if not watch:
                return
            time.sleep(interval)
