import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm

from archive.extraction.store import ExtractionReport, extract_article, load_rules
from archive.models import Article
from archive.search_hook import index_updates_deferred
from archive.tagging.store import load_lexicon, retag

# Below this many articles a progress bar is noise.
PROGRESS_BAR_MIN_ARTICLES = 50


class Command(BaseCommand):
    help = (
        "Run the automatic tagger again: countries, ministries and agencies, crime types and the "
        "publication year, and the language of each paragraph written in another language than "
        "the article's; and the figures it states (seizures, arrests, cases, places). Tags and "
        "figures a curator added, confirmed, corrected or rejected, and tags and dates from "
        "import metadata or a curator, are never changed: a rejected figure does not return. "
        "The taxonomy and the calendar of anchor events are read afresh, so a new alias or "
        "anchor added in admin takes effect."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="article ids to retag")
        parser.add_argument("--all", action="store_true", dest="every", help="retag every article")
        parser.add_argument(
            "--since",
            type=dt.date.fromisoformat,
            help="retag articles added or changed on or after this date (YYYY-MM-DD)",
        )

    def handle(self, *args, ids, every, since, verbosity, **options):
        chosen = sum(bool(choice) for choice in (ids, every, since))
        if chosen != 1:
            raise CommandError("Say which articles: give ids, or --all, or --since YYYY-MM-DD.")
        articles = Article.objects.order_by("pk")
        if ids:
            articles = articles.filter(pk__in=ids)
            missing = sorted(set(ids) - set(articles.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
        elif since:
            articles = articles.filter(
                Q(created_at__date__gte=since) | Q(updated_at__date__gte=since)
            )
        total = articles.count()
        rules = load_rules()
        figures = ExtractionReport()

        def extract(article):
            figures.add(extract_article(article, rules=rules))
            bar.update()

        show_bar = verbosity > 0 and total >= PROGRESS_BAR_MIN_ARTICLES
        with (
            tqdm(total=total, unit="article", disable=not show_bar, file=sys.stderr) as bar,
            index_updates_deferred(),
        ):
            report = retag(
                articles.iterator(chunk_size=500),
                lexicon=load_lexicon(),
                on_article=extract,
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
        self.stdout.write(self.style.SUCCESS(figures.summary()))
