"""Atom feeds of searches: any query and facets, so a researcher can follow "Cambodia +
gambling" in a feed reader. The feed's address is the search page's with /feeds/search.atom in
place of the path. It holds the newest reports by publication date, or with `sort=added` the
reports most recently added to the archive (a report imported today with a 2019 date among
them), which is what the search page's "Follow this search" subscribes to.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from archive.models import Article
from search.backends.base import SearchUnavailable
from search.service.article_records import TAG_LISTS, live_tags, permanent_url, site_url
from search.service.results import ResultSet
from search.service.url_state import PAGE, SORT

FEED_ITEMS = 50
NEWEST, ADDED = "newest", "added"
# Characters XML 1.0 cannot hold (Django's feed writer refuses them): a query or a report may
# carry them, and a feed leaves them out rather than fail.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Return `text` without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


@dataclass
class FeedData:
    results: ResultSet
    articles: list[Article]
    base_url: str
    query: str  # the search's parameters, without page (and sort unless "added")
    order: str  # NEWEST or ADDED


class SearchFeed(Feed):
    feed_type = Atom1Feed
    author_name = settings.ARCHIVE_NAME  # Atom wants an author for the feed or every entry

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchUnavailable as error:
            return HttpResponse(
                f"Search is unavailable: {error}\n", status=503, content_type="text/plain"
            )

    def get_object(self, request):
        params = request.GET.copy()
        params.pop(PAGE, None)
        # A feed's order is one of two: newest by publication, or latest added.
        order = ADDED if params.pop(SORT, [None])[-1] == ADDED else NEWEST
        if order == ADDED:
            params[SORT] = ADDED
        query = params.urlencode()
        params[SORT] = order
        results = ResultSet.from_params(params, page_size=FEED_ITEMS)
        response, articles = results.run()
        base_url = site_url(request)
        ordered = [articles[hit.article_id] for hit in response.hits]
        for article in ordered:
            # Item ids are permanent links (PUBLIC_URL when set); kept on the article because
            # one Feed instance serves every request.
            article.permanent_url = permanent_url(article, base_url)
        return FeedData(results, ordered, base_url, query, order)

    def title(self, obj: FeedData) -> str:
        return xml_text(f"{obj.results.title()} · {settings.ARCHIVE_NAME}")

    def subtitle(self, obj: FeedData) -> str:
        if obj.order == ADDED:
            return (
                f"The {FEED_ITEMS} reports matching this search most recently added to the "
                "archive, whatever their publication date."
            )
        return (
            f"The {FEED_ITEMS} newest reports matching this search, by publication date. "
            "Reports added later with older dates appear in the search, not always here; "
            "the same address with sort=added follows what is added."
        )

    def link(self, obj: FeedData) -> str:
        return reverse("search:search") + (f"?{obj.query}" if obj.query else "")

    def feed_url(self, obj: FeedData) -> str:
        return reverse("search:feed") + (f"?{obj.query}" if obj.query else "")

    def feed_guid(self, obj: FeedData) -> str:
        # A search's identity is its parameters; the same search is the same feed.
        return obj.base_url + self.feed_url(obj)

    def items(self, obj: FeedData) -> list[Article]:
        return obj.articles

    def item_title(self, item: Article) -> str:
        return xml_text(item.title)

    def item_description(self, item: Article) -> str:
        # Atom's summary is HTML (type="html"), which readers render: the text is escaped so
        # that markup in a report shows as written instead of running.
        return xml_text(escape(Truncator(item.body).words(60)))

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return item.permanent_url

    def item_guid_is_permalink(self, item: Article) -> bool:
        return True

    def item_pubdate(self, item: Article) -> dt.datetime:
        if item.published_date:
            return dt.datetime.combine(item.published_date, dt.time(), tzinfo=dt.UTC)
        if item.year:
            return dt.datetime(item.year, 1, 1, tzinfo=dt.UTC)
        return item.created_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at or timezone.now()

    def item_author_name(self, item: Article) -> str | None:
        name = item.authors or (item.source.name if item.source else None)
        return xml_text(name) if name else None

    def item_categories(self, item: Article) -> list[str]:
        return [
            xml_text(tag.target.name)
            for key in TAG_LISTS
            for tag in live_tags(item, key)
            if tag.role == "subject"
        ]
