"""Run a management command in this process and SIGKILL it at a chosen point of index writing.

    CRASH_AT=<point> CRASH_ON=<n> python tests/faults/crashing_indexer.py update_index

The database and index come from the environment as for manage.py (DATABASE_URL,
SEARCH_INDEX_DIR). APPLY_BATCH, when set, replaces search.index.sync.APPLY_BATCH so that a
handful of changes spans several commits. The points, each reached for the CRASH_ON-th time
(from 1):

    upsert       a document was added to the open writer; nothing of its batch is committed
    segment      the batch's segment files are written, the table of contents naming them
                 (which also holds the applied-change cursor) is not
    toc-write    part of the new table of contents is on disk, under its temporary name
    toc-written  the new table of contents is in place; old files not yet cleaned, lock held
    rebuild-document  a rebuild has indexed this many articles into its new generation
    rebuild-swap      a rebuild's new generation is complete but not yet swapped in

The process flushes what it wrote to the operating system first, as a crash would leave it,
then kills itself: no `finally`, no `atexit`, no lock released by Python.
"""

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def crash() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class Countdown:
    """Call crash() the CRASH_ON-th time it is ticked."""

    def __init__(self, times: int):
        self.left = times

    def tick(self) -> None:
        self.left -= 1
        if self.left == 0:
            crash()


def install(point: str, countdown: Countdown) -> None:
    """Patch the code that `point` names so that it crashes when its countdown runs out."""
    from whoosh import index as whoosh_index

    from search.backends.whoosh import storage

    if point == "upsert":
        upsert = storage.WhooshWriter.upsert

        def upsert_then_crash(self, document):
            upsert(self, document)
            countdown.tick()

        storage.WhooshWriter.upsert = upsert_then_crash
    elif point == "segment":
        write_toc = whoosh_index.TOC.write

        def crash_before_toc(self, storage, indexname):
            countdown.tick()
            write_toc(self, storage, indexname)

        whoosh_index.TOC.write = crash_before_toc
    elif point == "toc-write":
        write_toc = whoosh_index.TOC.write

        def crash_inside_toc(self, storage, indexname):
            if countdown.left == 1:
                storage = _StorageCrashingMidFile(storage)
            else:
                countdown.tick()
            write_toc(self, storage, indexname)

        whoosh_index.TOC.write = crash_inside_toc
    elif point == "toc-written":
        clean_files = whoosh_index.clean_files

        def crash_before_cleaning(*args, **kwargs):
            countdown.tick()
            clean_files(*args, **kwargs)

        whoosh_index.clean_files = crash_before_cleaning
    elif point == "rebuild-document":
        from search.management.commands import rebuild_index

        document = rebuild_index.article_document

        def document_then_crash(article):
            countdown.tick()
            return document(article)

        rebuild_index.article_document = document_then_crash
    elif point == "rebuild-swap":
        swap_in = storage.swap_in

        def crash_before_swap(root, generation):
            countdown.tick()
            swap_in(root, generation)

        # Where a rebuild's last step looks it up (storage.write_new_generation).
        storage.swap_in = crash_before_swap
    else:
        raise SystemExit(f"Unknown CRASH_AT={point!r}; see this file's docstring.")


class _StorageCrashingMidFile:
    """A Whoosh storage whose new files crash the process after their first few writes."""

    WRITES_BEFORE_CRASH = 3

    def __init__(self, storage):
        self._storage = storage

    def __getattr__(self, name):
        return getattr(self._storage, name)

    def create_file(self, name, **kwargs):
        stream = self._storage.create_file(name, **kwargs)
        write, writes = stream.write, [0]

        def write_then_crash(data):
            write(data)
            writes[0] += 1
            if writes[0] == self.WRITES_BEFORE_CRASH:
                stream.flush()  # what was written reaches the file, as it would in a crash
                crash()

        stream.write = write_then_crash
        return stream


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from search.index import sync

    if os.environ.get("APPLY_BATCH"):
        sync.APPLY_BATCH = int(os.environ["APPLY_BATCH"])
    if os.environ.get("CRASH_AT"):
        install(os.environ["CRASH_AT"], Countdown(int(os.environ.get("CRASH_ON", "1"))))
    call_command(*sys.argv[1:])


if __name__ == "__main__":
    main()
