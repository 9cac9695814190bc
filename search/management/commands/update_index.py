import time

from django.core.management.base import BaseCommand

from search.sync import apply_pending


class Command(BaseCommand):
    help = (
        "Apply the change log to this host's search index. Web processes do this after each "
        "commit already; run it with --watch on hosts that only read, or with "
        "SEARCH_SYNC_ON_COMMIT=0."
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
            applied = apply_pending()
            if applied or not watch:
                self.stdout.write(f"{applied} changes applied.")
            if not watch:
                return
            time.sleep(interval)
