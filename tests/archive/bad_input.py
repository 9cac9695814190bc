"""What the bad-input tests share: a report maker, the ingest command, and the checks that nothing
is half-written and the index matches the database."""

import signal
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command

from archive.ingest.hashing import content_hash
from archive.models import TAG_KINDS, Article, ImportBatch
from search.management.commands.check_index import find_drift
from search.models import ArticleChange

REPORT = "Police raided an illegal casino in Poipet and detained 40 people on {day}.\n"
DAYS = iter(f"day {number}" for number in range(1, 10_000))


def a_report() -> str:
    """Return a short report unlike any other this module writes (so none is a duplicate)."""
    return REPORT.format(day=next(DAYS))


def run_ingest(*paths, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    options.setdefault("workers", 0)
    call_command("ingest", *[str(path) for path in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def skipped(err: str) -> dict[str, str]:
    """Return {file name (and record): reason} from the command's "skipped ..." lines."""
    reasons = {}
    for line in err.splitlines():
        if line.startswith("skipped "):
            origin, _, reason = line.removeprefix("skipped ").partition(": ")
            reasons[origin.rsplit("/", 1)[-1]] = reason
    return reasons


def stored_names() -> set[str]:
    return {
        origin.rsplit("/", 1)[-1] for origin in Article.objects.values_list("origin", flat=True)
    }


def assert_nothing_half_written() -> None:
    """Every article is whole (text, hash, history, batch), and no row outlives a rollback."""
    articles = list(Article.objects.all())
    ids = {article.pk for article in articles}
    for article in articles:
        assert article.raw_text.strip() and article.body.strip() and article.title
        assert article.content_hash == content_hash(article.raw_text)
        assert article.import_batch_id is not None
        assert [entry.history_type for entry in article.history.all()] == ["+"]
    assert set(Article.history.values_list("id", flat=True)) == ids
    for kind in TAG_KINDS.values():
        assert set(kind.model.objects.values_list("article_id", flat=True)) <= ids
        assert set(kind.model.history.values_list("article_id", flat=True)) <= ids
    # The search index's change log names exactly the articles written, none rolled back.
    assert set(ArticleChange.objects.values_list("article_id", flat=True)) == ids
    for import_batch in ImportBatch.objects.exclude(finished_at=None):
        assert import_batch.skipped_count == len(import_batch.problems)


def assert_index_matches_the_database() -> None:
    assert find_drift() == {"missing": set(), "orphaned": set(), "stale": set()}


@contextmanager
def fails_if_hung(seconds: int = 60):
    """Stop a test that hangs (reading a pipe waits for a writer for ever) instead of the run."""

    def hung(signum, frame):
        raise TimeoutError(f"still running after {seconds}s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


BAD_FILES = {
    # name: (content, the reason the report gives)
    "empty.txt": (b"", "file is empty"),
    "blank.md": (b"\xef\xbb\xbf \n\t\n", "file is empty"),
    "image.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
    "late-nul.txt": (b"Police raided a bar. " * 500 + b"\x00", "binary file"),
    "invalid.txt": (b"Police \xc3\x28 raided a bar.", "not valid UTF-8 (byte 0xc3 at offset 7)"),
    "latin1.txt": ("Café raid in Poipet.".encode("latin-1"), "not valid UTF-8 (byte 0xe9"),
    "utf16.txt": ("Police raided a bar.".encode("utf-16"), "UTF-16 or UTF-32 text"),
    "truncated.json": (b'[{"title": "Raid", "body": "Police raided', "malformed JSON at line 1"),
    "malformed.json": (b'{"articles": [{"body": "x",}]}', "malformed JSON at line 1, column 28"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "JSON is nested too deeply to read"),
    "huge-number.json": (b'[{"body": "Police.", "id": ' + b"9" * 5000 + b"}]", "cannot be read"),
    "empty-list.json": (b"[]", "JSON holds no records"),
    "truncated.csv": (
        b'title,body\nRaid,"Police raided a bar',
        "malformed CSV: a quoted field after line 1 is never closed",
    ),
    "header-only.csv": (b"\xef\xbb\xbftitle,body\n", "CSV holds a header but no rows"),
    "no-text.csv": (b"title,url\nRaid,https://example.org\n", "CSV header has no text column"),
}
