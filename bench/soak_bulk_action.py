"""A curator's bulk action held open: tag many articles in one transaction, then wait to commit.

    python bench/soak_bulk_action.py --ids 3,5,8 --hold 90 --user NAME --slug SLUG

The soak runs this beside its load (bench/soak.py). It does what admin's "Add a tag to the
selected articles" does (archive.curation.add_tag, in one transaction), but keeps the
transaction open for --hold seconds after the writes, as a slow bulk action on thousands of
articles would. Meanwhile the curators and the ingest commit changes whose log ids come after
this one's: the index must apply those at once and this one when it commits, however late (the
sync once skipped a change held open longer than 60 seconds).

It prints one JSON line: how many articles it tagged, how long the transaction was open, its
first log id and the highest log id committed by others while it was open.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ENTRY_NAME = "Soak bulk action"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ids", required=True, help="article ids, comma-separated")
    parser.add_argument("--hold", type=float, required=True, help="seconds to keep it open")
    parser.add_argument("--user", required=True, help="the curator who acts")
    parser.add_argument("--slug", required=True, help="the crime type to create and add")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections, transaction

    from archive import curation
    from archive.models import Article, CrimeType
    from search.models import ArticleChange

    ids = [int(pk) for pk in options.ids.split(",")]
    user = get_user_model().objects.get(username=options.user)
    entry, _ = CrimeType.objects.get_or_create(slug=options.slug, defaults={"name": ENTRY_NAME})
    logged_before = ArticleChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    opened = time.monotonic()
    with transaction.atomic():
        tagged = curation.add_tag(Article.objects.filter(pk__in=ids), entry, user=user)
        first_change = (
            ArticleChange.objects.filter(article_id__in=ids, id__gt=logged_before)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        time.sleep(max(0.0, options.hold - (time.monotonic() - opened)))
        # Others' changes committed meanwhile, read on a second connection (this one's snapshot
        # would not see them).
        others_last = _committed_elsewhere(connections)
    print(
        json.dumps(
            {
                "tagged": tagged,
                "open_seconds": round(time.monotonic() - opened, 1),
                "first_change_id": first_change,
                "last_change_id_committed_meanwhile": others_last,
            }
        ),
        flush=True,
    )


def _committed_elsewhere(connections) -> int | None:
    """Return the highest committed log id, read outside this transaction."""
    from django.db import DEFAULT_DB_ALIAS
    from django.db.utils import ConnectionHandler

    settings = dict(connections.settings[DEFAULT_DB_ALIAS])
    handler = ConnectionHandler({DEFAULT_DB_ALIAS: settings})
    connection = handler[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT MAX(id) FROM search_articlechange")
            (highest,) = cursor.fetchone()
        return highest
    finally:
        connection.close()


if __name__ == "__main__":
    main()
