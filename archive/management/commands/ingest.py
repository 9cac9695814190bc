import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.ingest.batch import ingest_paths, suggested_workers
from archive.ingest.readers import FORMATS, find_input_files
from archive.models import ImportBatch
from archive.search_hook import index_updates_deferred

# Below this many files a progress bar is noise.
PROGRESS_BAR_MIN_FILES = 20


class Command(BaseCommand):
    help = (
        "Import articles from files and folders (folders are walked recursively). Formats: "
        f"{' '.join(sorted(FORMATS))}. Plain text may start with a '---' YAML header of metadata. "
        "Running it again on the same files changes nothing; a changed header updates the record. "
        "Bad files are reported with the reason and skipped; files over INGEST_MAX_FILE_MB "
        "(default 10) are refused unread, and symbolic links are not followed out of a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders to import")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen without writing"
        )
        parser.add_argument("--label", default="", help="a name for this import batch")
        parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
        parser.add_argument(
            "--workers",
            type=int,
            help="processes that parse and tag while this one writes (default: one less than "
            "the cores for inputs over 2 MB, none for smaller ones; 0: none)",
        )

    def handle(self, *args, paths, dry_run, label, no_progress, workers, verbosity, **options):
        longest = ImportBatch._meta.get_field("label").max_length
        if len(label) > longest:
            raise CommandError(
                f"--label is {len(label)} characters long; an import batch's label holds at most "
                f"{longest}. Shorten it."
            )
        if workers is None:
            workers = suggested_workers(paths)
        elif workers < 0:
            raise CommandError(f"--workers must be 0 or more, got {workers}")
        total = sum(1 for _ in find_input_files(paths))
        show_bar = not no_progress and verbosity > 0 and total >= PROGRESS_BAR_MIN_FILES
        with (
            tqdm(total=total, unit="file", disable=not show_bar, file=sys.stderr) as bar,
            index_updates_deferred(),
        ):
            report = ingest_paths(
                paths,
                dry_run=dry_run,
                label=label,
                on_file_done=lambda _item: bar.update(),
                workers=workers,
            )
        for problem in report.skipped:
            self.stderr.write(f"skipped {printable(problem.origin)}: {problem.reason}")
        if verbosity > 1:
            for warning in report.warnings:
                self.stderr.write(f"warning {printable(warning.origin)}: {warning.reason}")
        elif report.warnings:
            self.stderr.write(
                f"{len(report.warnings)} warnings (unknown fields or taxonomy names); "
                "run with -v 2 to list them."
            )
        style = self.style.WARNING if report.skipped else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        if report.batch_id:
            self.stdout.write(f"Import batch #{report.batch_id} is listed in admin.")


def printable(name: str) -> str:
    """Return a file name with its unprintable characters escaped, so one report is one line.

    A name may hold a line break or an invisible character (a zero-width space, a direction
    mark); shown as escapes, the reader sees exactly which file is meant.
    """
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in name)
