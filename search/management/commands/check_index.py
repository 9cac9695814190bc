from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.index.documents import article_document, articles_for_indexing
from search.index.sync import apply_pending, log_article_changes, pending_article_ids
from search.management.disk import disk_full_explained


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: articles missing from the index, index "
        "entries whose article is gone (orphans), and entries that differ from the article "
        "(stale). Pending changes are applied first; articles whose changes another process is "
        "still applying are counted apart, never as drift. --repair re-indexes every drifted "
        "article; the exit status is 1 when drift remains."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what is found")

    def handle(self, *args, repair, **options):
        try:
            with disk_full_explained(
                "check_index", "Nothing was checked; the changes wait in the log."
            ):
                apply_pending()
            drift, pending = find_drift_and_pending()
        except SearchUnavailable as error:
            raise CommandError(f"{error} Run `python manage.py rebuild_index`.") from None
        self.stdout.write(
            f"{len(drift['missing'])} missing, {len(drift['orphaned'])} orphaned, "
            f"{len(drift['stale'])} stale."
        )
        if pending:
            self.stdout.write(
                f"{len(pending)} articles have changes the index is still applying (another "
                "process holds it); they are not counted. Run check_index again to see them."
            )
        for name, ids in drift.items():
            if ids:
                shown = ", ".join(map(str, sorted(ids)[:20]))
                self.stdout.write(f"  {name}: {shown}{' …' if len(ids) > 20 else ''}")
        if not any(drift.values()):
            self.stdout.write(self.style.SUCCESS("The index matches the database."))
            return
        if not repair:
            raise CommandError("The index has drifted; run with --repair to fix it.")
        log_article_changes(set().union(*drift.values()))
        apply_pending()
        remaining = find_drift()
        if any(remaining.values()):
            raise CommandError(f"Drift remains after repair: {remaining}")
        self.stdout.write(self.style.SUCCESS("Repaired: the index matches the database."))


def find_drift() -> dict[str, set[int]]:
    """Return the article ids missing from, orphaned in, or stale in the index."""
    return find_drift_and_pending()[0]


def find_drift_and_pending() -> tuple[dict[str, set[int]], set[int]]:
    """Return (drift as find_drift gives it, the articles left out of it because their logged
    changes are not applied yet: the index is behind on them, not wrong)."""
    backend = get_backend()
    pending = pending_article_ids(backend.last_change(), backend.in_flight())
    indexed = {int(key): stamp for key, stamp in backend.stamps().items()}
    expected = {
        article.pk: article_document(article)["stamp"]
        for article in articles_for_indexing().iterator(chunk_size=500)
    }
    drift = {
        "missing": set(expected) - set(indexed),
        "orphaned": set(indexed) - set(expected),
        "stale": {pk for pk in set(expected) & set(indexed) if expected[pk] != indexed[pk]},
    }
    return {name: ids - pending for name, ids in drift.items()}, pending
