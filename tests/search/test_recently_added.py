"""A report added today with an old date is found as new: on the page, in the API, in the feed."""

import datetime as dt

import feedparser
import pytest
from django.urls import reverse

from search.exports.feeds import FEED_ITEMS
from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(search_index):
    """FEED_ITEMS + 5 recent reports, then one from 2019 added last."""
    for number in range(FEED_ITEMS + 5):
        factories.make_article(
            title=f"Recent raid {number}", published_date=dt.date(2026, 1, 1 + number % 28)
        )
    old = factories.make_article(
        title="Archive find from 2019", published_date=dt.date(2019, 3, 4), year=2019
    )
    apply_pending()
    return old


def test_the_page_orders_by_when_reports_were_added(client, archive):
    response = client.get(reverse("search:search"), {"sort": "added"})
    first = response.context["results"][0][1]
    assert first.title == "Archive find from 2019"
    assert "Recently added" in response.content.decode()
    by_date = client.get(reverse("search:search"), {"sort": "newest"})
    assert "Archive find from 2019" not in {a.title for _h, a in by_date.context["results"]}


def test_the_api_orders_by_when_reports_were_added(client, archive):
    data = client.get(reverse("search:api_search"), {"sort": "added", "page_size": 1}).json()
    assert data["results"][0]["title"] == "Archive find from 2019"


def test_the_feed_a_page_offers_follows_what_is_added(client, archive):
    page = client.get(reverse("search:search"), {"sort": "newest"})
    feed_url = page.context["feed_url"]
    assert "sort=added" in feed_url
    titles = [entry.title for entry in feedparser.parse(client.get(feed_url).content).entries]
    assert titles[0] == "Archive find from 2019" and len(titles) == FEED_ITEMS
    # By publication date, the 2019 report is past the feed's newest FEED_ITEMS.
    by_date = client.get(reverse("search:feed"))
    assert "Archive find from 2019" not in by_date.content.decode()
