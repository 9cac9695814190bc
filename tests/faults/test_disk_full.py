"""A full disk while the index is written: a sentence saying what happened and what to do, no
traceback, and the old index still serving."""

import errno
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.backends.whoosh.backend import WhooshBackend
from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_rebuild_on_a_full_disk_says_so_and_the_old_index_serves(search_index, monkeypatch):
    article = factories.make_article(title="Already indexed")
    apply_pending()
    monkeypatch.setattr(WhooshBackend, "rebuild", full_disk)
    with pytest.raises(CommandError) as raised:
        call_command("rebuild_index", verbosity=0, stdout=StringIO())
    message = str(raised.value)
    assert "is full (No space left on device)" in message
    assert "the old index still serves searches" in message
    assert "run `python manage.py rebuild_index` again" in message
    assert str(article.pk) in search_index.stamps()


@pytest.mark.parametrize("command", ["update_index", "check_index"])
def test_applying_on_a_full_disk_says_the_changes_wait(search_index, monkeypatch, command):
    apply_pending()
    factories.make_article(title="Waiting")
    monkeypatch.setattr(WhooshBackend, "open_writer", full_disk)
    with pytest.raises(CommandError, match="changes wait in the log"):
        call_command(command, stdout=StringIO())


def test_other_errors_are_not_taken_for_a_full_disk(search_index, monkeypatch):
    monkeypatch.setattr(
        WhooshBackend,
        "open_writer",
        lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EIO, "I/O")),
    )
    with pytest.raises(OSError, match="I/O"):
        call_command("update_index", stdout=StringIO())


def test_a_rebuild_that_fills_the_disk_midway_removes_its_copy(search_index, monkeypatch):
    """The disk fills while the new copy's segment files are written (the real rebuild, with
    Whoosh's file creation failing): the copy is removed and the index in service stays."""
    from whoosh.filedb.filestore import FileStorage

    article = factories.make_article(title="Already indexed")
    apply_pending()
    folders_before = sorted(path.name for path in search_index.root.iterdir())
    create_file = FileStorage.create_file

    def full_for_segments(self, name, *args, **kwargs):
        if not name.endswith(".toc") and "_MAIN" not in name and "LOCK" not in name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return create_file(self, name, *args, **kwargs)

    monkeypatch.setattr(FileStorage, "create_file", full_for_segments)
    with pytest.raises(CommandError, match="unfinished copy was removed"):
        call_command("rebuild_index", verbosity=0, stdout=StringIO())
    monkeypatch.setattr(FileStorage, "create_file", create_file)
    assert sorted(path.name for path in search_index.root.iterdir()) == folders_before
    assert str(article.pk) in search_index.stamps()
