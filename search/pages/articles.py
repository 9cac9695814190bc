import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from archive.figures_display import figure_groups
from archive.grouping.display import article_groups
from archive.languages.names import people_named
from archive.languages.paragraphs import paragraphs_with_languages
from archive.models import Article, Capture
from archive.related import same_story
from search.exports.citations import bibtex_entry, citation_key, plain_citation, ris_entry
from search.pages.active_filters import active_filters
from search.pages.article_filters import COUNTRY, CRIME_TYPE, MINISTRY, ArticleFilter
from search.pages.counting import search_url
from search.service.article_records import article_record, live_tag_prefetch, site_url
from search.service.results import search_is_available, similar_articles
from search.service.url_state import Q

# Long enough to scan, short enough to load fast on a phone.
ARTICLES_PER_PAGE = 25
RELATED_SHOWN = 5
# The only addresses an article page links to: any other scheme (javascript:, data:) would run
# or show whatever the address holds.
WEB_SCHEMES = ("http", "https")


def web_address(url: str) -> str:
    """Return the address if a browser would open it as a web page, else ""."""
    url = url.strip()
    # urlsplit drops tabs and newlines inside the address, as browsers do ("java\tscript:").
    parts = urlsplit(url)
    return url if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else ""


class ArticleListView(FilterView):
    """The article list: the search page, or, while the search index cannot be read, the same
    filters answered by the database alone.

    The list and the search page once counted differently (a broad crime type without the
    types below it, counts that ignored the selection): one set of numbers everywhere means
    one page. /articles/ addresses keep working; their parameters are the search page's.
    """

    filterset_class = ArticleFilter
    paginate_by = ARTICLES_PER_PAGE
    template_name = "archive/article_list.html"
    queryset = (
        Article.objects.select_related("source")
        .prefetch_related(live_tag_prefetch(COUNTRY), live_tag_prefetch(CRIME_TYPE))
        .order_by("-published_date", "-year", "-id")
    )

    def get(self, request, *args, **kwargs):
        """Send the visitor to the search page, unless search is down."""
        if search_is_available():
            query = request.GET.urlencode()
            return redirect(reverse("search:search") + (f"?{query}" if query else ""))
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """Return (paginator, page, its articles, whether there are other pages); a page that
        is not a number or is past the end gives the first or the last page, not a 404."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        """Return the page context plus the filters in force and the query string sans page."""
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        query = params.copy()
        query.pop("page", None)
        context.update(
            # Words need the search index: while it is rebuilt, the filters alone are applied.
            words_ignored=" ".join(params.get("q", "").split()),
            active_filters=active_filters(params),
            query_without_page=query.urlencode(),
            total=context["paginator"].count if context.get("paginator") else 0,
            has_filters=any(value for key, value in params.items() if key not in ("page", "sort")),
        )
        return context


class ArticleDetailView(DetailView):
    template_name = "archive/article_detail.html"
    queryset = Article.objects.select_related("source", "import_batch").prefetch_related(
        live_tag_prefetch(COUNTRY), live_tag_prefetch(MINISTRY), live_tag_prefetch(CRIME_TYPE)
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        similar = similar_articles(article, limit=RELATED_SHOWN)
        shown_above = {other.pk for other in similar}
        same = same_story(article, limit=RELATED_SHOWN + len(shown_above))
        context.update(
            similar=similar,
            same_story=[other for other in same if other.pk not in shown_above][:RELATED_SHOWN],
            # Reports of the same story that are all listed among the similar ones already: the
            # page says so rather than "no other report".
            same_story_all_above=bool(same) and all(other.pk in shown_above for other in same),
            citations=citations(article, site_url(self.request)),
            permanent_url=site_url(self.request) + article.get_absolute_url(),
            # Ingest accepts only web addresses; one that came another way is shown, not linked.
            original_url=web_address(article.url),
            captures=capture_links(article),
            ocr_confidence_percent=(
                None if article.text_confidence is None else round(article.text_confidence * 100)
            ),
            # A paragraph in another language than the report's carries its own `lang`.
            paragraphs=paragraphs_with_languages(article.body, article.paragraph_languages),
            # What the report states: live figures by kind, proposals marked as such.
            figure_groups=figure_groups(article),
            # The incident and story thread it is in, and who else reported the incident.
            groups=article_groups(article.pk),
            # (person, the search for every report naming them, in any of their names' forms)
            people=[
                (person, search_url([(Q, person.query)]))
                for person in people_named(f"{article.title}\n\n{article.body}")
            ],
        )
        return context


# The file name ending a capture is downloaded with, by media type.
CAPTURE_SUFFIXES = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf"}


def capture_links(article: Article) -> list[dict[str, object]]:
    """Return the documents the article's text was read from, newest first, as links."""
    captures = article.captures.defer("content").order_by("-captured_at", "-id")
    return [
        {
            "url": capture.get_absolute_url(),
            "kind": "PDF" if capture.media_type == "application/pdf" else "web page",
            "media_type": capture.media_type,
            "size": capture.size,
            "captured_at": capture.captured_at,
            "captured_url": web_address(capture.url),
        }
        for capture in captures
    ]


def capture_file(request, pk: int, capture_pk: int):
    """A document the article's text was read from, byte for byte, as a download.

    Sent as an attachment, typed as stored and never sniffed, in a sandbox: a captured page's
    scripts must not run on the archive's own address.
    """
    capture = get_object_or_404(Capture, pk=capture_pk, article_id=pk)
    response = HttpResponse(capture.data(), content_type=capture.media_type)
    suffix = CAPTURE_SUFFIXES.get(capture.media_type, "bin")
    response["Content-Disposition"] = (
        f'attachment; filename="article-{pk}-capture-{capture.pk}.{suffix}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def citations(article: Article, base_url: str) -> dict[str, str]:
    record = article_record(article, base_url=base_url, text=False)
    options = {"archive_name": settings.ARCHIVE_NAME, "accessed": dt.date.today()}
    return {
        "text": plain_citation(record, **options),
        "bib": bibtex_entry(record, **options),
        "ris": ris_entry(record, **options),
    }


CITATION_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}


def citation_file(request, pk: int, fmt: str):
    """One article's citation as a file a reference manager imports."""
    if fmt not in CITATION_TYPES:
        raise Http404("Citations come as .bib, .ris or .txt.")
    article = get_object_or_404(ArticleDetailView.queryset, pk=pk)
    text = citations(article, site_url(request))["text" if fmt == "txt" else fmt]
    response = HttpResponse(text, content_type=CITATION_TYPES[fmt])
    key = citation_key(article_record(article, base_url="", text=False))
    response["Content-Disposition"] = f'attachment; filename="{key}.{fmt}"'
    return response


def raw_text(request, pk: int):
    """The text exactly as it was received, byte for byte as stored."""
    article = get_object_or_404(Article.objects.only("raw_text"), pk=pk)
    response = HttpResponse(article.raw_text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="article-{pk}-raw.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
