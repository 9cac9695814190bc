"""What the index commands say when the disk is full, instead of an OSError's traceback."""

from __future__ import annotations

import contextlib
import errno

from django.conf import settings
from django.core.management.base import CommandError

FULL = (errno.ENOSPC, errno.EDQUOT)


@contextlib.contextmanager
def disk_full_explained(command: str, consequence: str):
    """Turn a full disk (or quota) met inside the block into a CommandError saying what
    happened, what it left behind (`consequence`) and what to do."""
    try:
        yield
    except OSError as error:
        if error.errno not in FULL:
            raise
        raise CommandError(
            f"The disk holding the search index ({settings.SEARCH_INDEX_DIR}) is full "
            f"({error.strerror}). {consequence} Free some space there (or point "
            f"SEARCH_INDEX_DIR at a larger disk), then run `python manage.py {command}` again."
        ) from None
