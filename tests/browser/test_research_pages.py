"""The article page, a tag's browse page and the overview, in a real browser, with screenshots."""

import datetime as dt
import random
import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from archive.models import Article, TagAssignment
from search.index import sync
from tests import factories
from tests.browser.conftest import PHONE
from tests.conftest import SEEDS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORIES = [
    (
        "Casino raided in {place}",
        "Police raided an illegal casino in {place} and detained gamblers.",
    ),
    ("Online scam compound closed in {place}", "Officers freed workers held in a scam compound."),
    ("Methamphetamine seized near {place}", "Anti-drug police seized methamphetamine pills."),
    ("Lottery sellers fined in {place}", "Provincial officials fined illegal lottery sellers."),
]
PLACES = ["Poipet", "Sihanoukville", "Bavet", "Phnom Penh", "Kampot", "Siem Reap"]


@pytest.fixture
def archive_with_years(search_index):
    """The seeds plus forty dated reports across ten years, indexed."""
    factories.load_initial_taxonomy()
    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())
    rng = random.Random(5)
    kh, th = factories.country("KH"), factories.country("TH")
    crimes = {
        "Casino": factories.crime_type("Gambling"),
        "Online": factories.crime_type("Online scams"),
        "Methamphetamine": factories.crime_type("Methamphetamine trafficking"),
        "Lottery": factories.crime_type("Illegal lottery"),
    }
    sources = [factories.make_source(name) for name in ("Phnom Penh Daily", "Mekong Wire")]
    # Indexed once at the end, as a batch command does, not after every one of 80 commits.
    with sync.deferred():
        _add_dated_reports(rng, sources, kh, th, crimes)
    return Article.objects.get(origin__contains="002_")


def _add_dated_reports(rng, sources, kh, th, crimes):
    for number in range(40):
        title, body = rng.choice(STORIES)
        place = rng.choice(PLACES)
        year = 2015 + number % 10 if number % 7 else 2019  # a gap-free spread, a busy 2019
        article = factories.make_article(
            title=title.format(place=place),
            body=body + f" The raid in {place} was the {number}th this year.",
            year=year,
            published_date=dt.date(year, 1 + number % 12, 1 + number % 28),
            source=sources[number % 2],
        )
        factories.tag(article, kh if number % 5 else th, status=TagAssignment.Status.CONFIRMED)
        factories.tag(article, crimes[title.split()[0]])


def test_article_page_cites_and_relates(live_server, new_page, screenshot, archive_with_years):
    article = archive_with_years
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    assert page.locator("h1").first.inner_text() == article.title
    related = page.locator("section.related")
    assert related.get_by_role("heading", name="Most similar text").is_visible()
    assert related.locator("ol.related-list li").count() >= 4
    reference = page.get_by_label("Reference (APA style)")
    assert f"/articles/{article.pk}/" in reference.input_value()
    screenshot(page, "article-cite-related")

    copy = page.locator("button[data-copy=citation-text]")
    assert copy.is_visible()  # shown only where JavaScript can copy
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == reference.input_value()

    page.get_by_text("BibTeX", exact=True).click()
    assert page.get_by_label("BibTeX entry").input_value().startswith("@article{")
    page.get_by_text("RIS (EndNote, Zotero, Mendeley)").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .ris").click()
    assert download.value.suggested_filename.endswith(".ris")

    page.locator("ol.related-list a").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    assert page.url != f"{live_server.url}/articles/{article.pk}/"


def test_article_page_on_a_phone_does_not_scroll_sideways(
    live_server, new_page, screenshot, archive_with_years
):
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/articles/{archive_with_years.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "article-phone")


def test_browse_page_timeline_links_to_its_searches(
    live_server, new_page, screenshot, archive_with_years
):
    page = new_page()
    page.goto(f"{live_server.url}/browse/country/KH/")
    chart = page.locator("svg").first
    assert chart.is_visible()
    screenshot(page, "browse-cambodia")
    bar = chart.locator("a").first
    href = bar.get_attribute("href") or bar.get_attribute("xlink:href")
    assert "country=KH" in href and "year_from=" in href
    page.goto(live_server.url + href if href.startswith("/") else href)
    assert page.locator("h1").first.inner_text().endswith(("report", "reports"))

    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/browse/country/KH/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "browse-cambodia-phone")


def test_overview_page(live_server, new_page, screenshot, archive_with_years):
    page = new_page()
    page.goto(f"{live_server.url}/overview/")
    assert page.locator("table").count() >= 2
    screenshot(page, "overview")
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/overview/")
    screenshot(phone, "overview-phone")
