import os
import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.backends import get_backend
from search.index.documents import article_document, articles_for_indexing
from search.index.sync import apply_pending, current_log_cursor
from search.management.disk import disk_full_explained

# Below this many articles a second indexing process costs more to start than it saves.
PARALLEL_FROM = 5000


class Command(BaseCommand):
    help = (
        "Build the search index afresh from the database, into a new folder beside the one in "
        "use, and swap it in only when complete: searches keep working meanwhile, and a failed "
        "or interrupted rebuild leaves the old index serving. Changes made during the rebuild "
        "are applied from the change log afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="articles read from the database at a time"
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help=f"indexing processes (default: one per CPU core from {PARALLEL_FROM} articles)",
        )
        parser.add_argument(
            "--if-outdated",
            action="store_true",
            help="rebuild only when the index is missing or was built by an earlier version "
            "(as after an upgrade that changes how words are indexed)",
        )

    def handle(self, *args, batch_size, processes, if_outdated, verbosity, **options):
        if if_outdated and not get_backend().outdated():
            self.stdout.write("The index is up to date: nothing to rebuild.")
            return
        # Everything logged up to here is in the rebuilt documents (they are read afterwards);
        # later changes are applied from the log once the new index is in place.
        cursor, in_flight = current_log_cursor()
        articles = articles_for_indexing()
        total = articles.count()
        if processes is None:
            processes = (os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
        with (
            disk_full_explained(
                "rebuild_index",
                "The rebuild stopped and its unfinished copy was removed; the old index still "
                "serves searches.",
            ),
            tqdm(total=total, unit="article", disable=verbosity == 0, file=sys.stderr) as bar,
        ):
            get_backend().rebuild(
                (article_document(a) for a in articles.iterator(chunk_size=batch_size)),
                last_change=cursor,
                in_flight=in_flight,
                on_document=bar.update,
                processes=max(processes, 1),
            )
        with disk_full_explained(
            "update_index", "The new index serves; changes made during the rebuild wait in the log."
        ):
            applied = apply_pending()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the index with {total} articles; {applied} later changes applied."
            )
        )
