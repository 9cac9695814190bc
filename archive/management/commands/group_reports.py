from django.core.management.base import BaseCommand

from archive.grouping.store import regroup
from archive.search_hook import index_updates_deferred


class Command(BaseCommand):
    help = (
        "Group reports of one incident and the stages of one case. Ingest places each new report "
        "as it arrives; this stores the signatures articles lack (articles imported before "
        "grouping existed) and places every report in no group yet, walking the archive in date "
        "order. --recompute withdraws the machine's unconfirmed proposals and reads every "
        "report again (after the matching rules changed); groups and splits a curator decided "
        "stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--recompute",
            action="store_true",
            help="withdraw unconfirmed proposals and group the whole archive again",
        )

    def handle(self, *args, recompute, verbosity, **options):
        with index_updates_deferred():
            counts = regroup(recompute=recompute)
        if verbosity:
            self.stdout.write(
                f"Signatures stored: {counts['signatures']}; proposals withdrawn: "
                f"{counts['withdrawn']}; reports placed in a group: {counts['placed']}."
            )
