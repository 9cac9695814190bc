from django.db.models import Prefetch
from django.views.generic import DetailView
from django_filters.views import FilterView

from archive.browse import filter_groups
from archive.filters import COUNTRY, CRIME_TYPE, MINISTRY, SOURCE, ArticleFilter
from archive.models import TAG_KINDS, Article

# Long enough to scan, short enough to load fast on a phone.
ARTICLES_PER_PAGE = 25


def _live_tags(key: str) -> Prefetch:
    """Return a prefetch of an article's tags of one kind, rejected ones left out."""
    kind = TAG_KINDS[key]
    return Prefetch(
        kind.related_name,
        queryset=kind.model.objects.live()
        .select_related(kind.target_field)
        .order_by("-role", f"{kind.target_field}__name"),
    )


class ArticleListView(FilterView):
    """Browse the archive by country, ministry, crime type, year and source."""

    filterset_class = ArticleFilter
    paginate_by = ARTICLES_PER_PAGE
    template_name = "archive/article_list.html"
    queryset = (
        Article.objects.select_related("source")
        .prefetch_related(_live_tags(COUNTRY), _live_tags(CRIME_TYPE))
        .order_by("-published_date", "-year", "-id")
    )

    def get_context_data(self, **kwargs):
        """Return the page context plus the sidebar options and the query string sans page."""
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        selected = {key: params.getlist(key) for key in (COUNTRY, MINISTRY, CRIME_TYPE, SOURCE)}
        query = params.copy()
        query.pop("page", None)
        context.update(
            filter_groups=filter_groups(selected),
            query_without_page=query.urlencode(),
            total=context["paginator"].count if context.get("paginator") else 0,
            has_filters=any(value for key, value in params.items() if key not in ("page", "sort")),
        )
        return context


class ArticleDetailView(DetailView):
    template_name = "archive/article_detail.html"
    queryset = Article.objects.select_related("source", "import_batch").prefetch_related(
        _live_tags(COUNTRY), _live_tags(MINISTRY), _live_tags(CRIME_TYPE)
    )
