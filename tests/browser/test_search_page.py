"""A researcher searches, narrows with facets, removes a chip and goes back, in a real browser."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests import factories
from tests.browser.conftest import PHONE
from tests.conftest import SEEDS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def indexed_seeds(search_index):
    factories.load_initial_taxonomy()
    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())


def test_search_facets_chips_and_back(live_server, new_page, screenshot, indexed_seeds):
    page = new_page()
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "5 reports"
    page.get_by_label("Search the reports").fill("drug trafficking")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=drug\+trafficking"))
    heading = page.locator("h1").inner_text()
    assert heading.endswith("for “drug trafficking”")
    assert page.locator("mark").count() > 0
    screenshot(page, "search-results")

    page.locator("#facet-country ~ ul a", has_text="Vietnam").click()
    page.wait_for_url(re.compile(r"country=VN"))
    assert page.locator("h1").inner_text().startswith("1 result")
    assert page.get_by_role("link", name=re.compile("Country: Vietnam")).is_visible()
    screenshot(page, "search-faceted")

    page.get_by_role("link", name=re.compile("Country: Vietnam")).click()
    # With scripts on, the results are fetched and the address follows once they are shown.
    page.wait_for_url(lambda url: "country=" not in url)
    page.go_back()
    assert "country=VN" in page.url and page.locator("h1").inner_text().startswith("1 result")


def test_search_page_fits_a_phone(live_server, new_page, screenshot, indexed_seeds):
    page = new_page(PHONE)
    page.goto(live_server.url + "/?q=gambling")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "search-phone")
