"""The search page with and without JavaScript: facet clicks swap the results in place, the
address and the back button follow, and everything also works as plain links and forms.

Screenshots of every step, at desktop and phone widths, land in test-artifacts/screenshots/.
"""

import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import SEEDS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": DESKTOP, "phone": PHONE}
FACET = "#facet-{} ~ ul a"


@pytest.fixture
def indexed_seeds(search_index):
    factories.load_initial_taxonomy()
    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())


def heading(page) -> str:
    return page.locator("#results-heading").inner_text().strip()


def mark_window(page) -> None:
    """Set a marker that only survives as long as the page is never reloaded."""
    page.evaluate("window.searchTestMarker = 'same page'")


def same_window(page) -> bool:
    return page.evaluate("window.searchTestMarker") == "same page"


def option(page, facet, label):
    return page.locator(FACET.format(facet), has_text=label)


def open_filters_on_phones(page) -> None:
    summary = page.locator(".filters-summary")
    if summary.is_visible():
        summary.click()


@pytest.mark.parametrize("size", SIZES)
def test_facet_clicks_swap_the_results_and_back_restores_them(
    size, live_server, new_page, screenshot, indexed_seeds
):
    page = new_page(SIZES[size])
    page.goto(live_server.url + "/")
    assert heading(page) == "5 reports"
    assert page.locator(".welcome").is_visible()
    mark_window(page)
    screenshot(page, f"enhance-1-home-{size}")

    open_filters_on_phones(page)
    option(page, "country", "Vietnam").click()
    page.wait_for_url(re.compile(r"\?country=VN$"))
    expect_heading(page, "1 report")
    assert same_window(page), "the facet click reloaded the page"
    assert option(page, "country", "Vietnam").get_attribute("aria-current") == "true"
    # The new count is announced to screen readers through a polite live region.
    page.wait_for_function(
        "() => document.getElementById('search-announcer').textContent === '1 report'"
    )
    assert page.title() == "Search · Enforcement Reports Archive"
    assert page.locator(".welcome").count() == 0
    screenshot(page, f"enhance-2-vietnam-{size}")

    # The keyboard works the same, and focus stays on the option just toggled.
    crime = option(page, "crime_type", "Drug trafficking")
    crime.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"crime_type=drug-trafficking"))
    expect_heading(page, "1 report")
    assert page.evaluate("document.activeElement.dataset.focusKey") == (
        "crime_type:drug-trafficking"
    )
    assert option(page, "crime_type", "Drug trafficking").get_attribute("aria-current") == "true"
    assert same_window(page)
    screenshot(page, f"enhance-3-two-filters-{size}")

    page.go_back()
    page.wait_for_url(re.compile(r"\?country=VN$"))
    page.wait_for_selector("[data-focus-key='crime_type:drug-trafficking']:not([aria-current])")
    expect_heading(page, "1 report")
    assert option(page, "crime_type", "Drug trafficking").get_attribute("aria-current") is None
    assert option(page, "country", "Vietnam").get_attribute("aria-current") == "true"
    page.go_back()
    page.wait_for_url(live_server.url + "/")
    expect_heading(page, "5 reports")
    assert option(page, "country", "Vietnam").get_attribute("aria-current") is None
    assert page.locator(".welcome").is_visible()
    assert same_window(page), "going back reloaded the page"
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshot(page, f"enhance-4-back-home-{size}")


def expect_heading(page, text: str) -> None:
    """Wait until the results are in place (not merely until the old heading reads the same).

    Predicates are functions: Playwright evaluates a bare expression with eval(), which the
    page's Content-Security-Policy refuses."""
    page.wait_for_function(
        """text => document.querySelector('#search-page').getAttribute('aria-busy') !== 'true'
            && document.querySelector('#results-heading').textContent.trim() === text""",
        arg=text,
    )


def test_sort_and_pages_swap_in_place_and_a_failed_fetch_falls_back_to_navigation(
    live_server, new_page, screenshot, indexed_seeds
):
    page = new_page()
    page.goto(live_server.url + "/?q=police")
    mark_window(page)
    page.get_by_role("link", name="Oldest first").click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    page.wait_for_selector(".sorts strong:text('Oldest first')")
    assert same_window(page)

    # A fetch that fails (the network, a 503, a rate limit) becomes an ordinary page load.
    page.route(
        "**/*",
        lambda route: (
            route.abort()
            if route.request.headers.get("x-requested-with") == "fetch"
            else route.continue_()
        ),
    )
    option(page, "country", "Cambodia").click()
    page.wait_for_url(re.compile(r"country=KH"))
    page.wait_for_load_state("load")
    assert not same_window(page), "the failed fetch should have loaded the page instead"
    assert option(page, "country", "Cambodia").get_attribute("aria-current") == "true"


@pytest.mark.parametrize("size", SIZES)
def test_without_javascript_facets_and_forms_work_as_links(
    size, browser, live_server, screenshot, indexed_seeds
):
    context = browser.new_context(viewport=SIZES[size], java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.locator(".filters-panel").get_attribute("open") is not None
        screenshot(page, f"nojs-1-home-{size}")
        option(page, "country", "Vietnam").click()
        page.wait_for_url(re.compile(r"\?country=VN$"))
        assert heading(page) == "1 report"
        page.get_by_label("From").fill("2022")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(re.compile(r"country=VN&year_from=2022"))
        assert heading(page) == "0 reports"
        assert "No report has all of these filters together" in page.inner_text(".empty-state")
        screenshot(page, f"nojs-2-no-results-{size}")
        page.get_by_role("link", name="Clear all filters").first.click()
        page.wait_for_url(live_server.url + "/?")
        assert heading(page) == "5 reports"
        page.go_back()
        assert heading(page) == "0 reports"
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_no_results_say_why_and_what_to_try(size, live_server, new_page, screenshot, indexed_seeds):
    page = new_page(SIZES[size])
    page.goto(live_server.url + "/?q=gamblng")
    screenshot(page, f"enhance-no-results-{size}")
    empty = page.locator(".empty-state")
    assert "No report matches “gamblng”" in empty.inner_text()
    assert empty.get_by_role("link").first.inner_text().startswith("gambl")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshot(page, f"enhance-no-results-{size}")


def test_filters_fold_into_one_line_on_a_phone(live_server, new_page, screenshot, indexed_seeds):
    page = new_page(PHONE)
    page.goto(live_server.url + "/?q=police")
    summary = page.locator(".filters-summary")
    assert summary.is_visible()
    assert not option(page, "country", "Cambodia").is_visible()
    # The folded filters come before the results, so no jump link is needed.
    assert summary.bounding_box()["y"] < page.locator("#results-heading").bounding_box()["y"]
    screenshot(page, "enhance-phone-folded")
    summary.click()
    option(page, "country", "Cambodia").click()
    page.wait_for_url(re.compile(r"country=KH"))
    assert option(page, "country", "Cambodia").is_visible(), "the open panel stays open"
    assert "1 selected" in summary.inner_text()
    screenshot(page, "enhance-phone-open")


def test_error_pages_say_what_to_do_next(live_server, new_page, screenshot, indexed_seeds):
    from search.backends import get_backend

    for size, viewport in SIZES.items():
        page = new_page(viewport)
        page.goto(live_server.url + "/no-such-page/")
        assert page.locator("h1").inner_text() == "That page is not in the archive"
        assert page.get_by_label("Search the reports").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"error-404-{size}")
    shutil.rmtree(get_backend().root)
    for size, viewport in SIZES.items():
        page = new_page(viewport)
        answer = page.goto(live_server.url + "/?q=casino")
        assert answer.status == 503
        assert page.locator("h1").inner_text() == "Search is being rebuilt"
        assert page.get_by_role("link", name="the article list").is_visible()
        screenshot(page, f"error-503-index-{size}")


@pytest.fixture
def many_sources(search_index):
    for number in range(16):
        source = factories.make_source(f"Provincial Gazette {number:02}")
        factories.make_article(title=f"Raid {number}", source=source)
    factories.make_article(title="Harbour raid", source=factories.make_source("Harbour Times"))
    from search.index.sync import apply_pending

    apply_pending()


def test_show_all_lists_every_source_and_typing_narrows_the_list(
    live_server, new_page, screenshot, many_sources
):
    page = new_page(DESKTOP)
    page.goto(live_server.url + "/")
    sources = page.locator(FACET.format("source"))
    assert sources.count() == 12
    page.get_by_role("link", name="Show all 17 sources").click()
    expect(page).to_have_url(re.compile(r"show=source"))
    expect(sources).to_have_count(17)
    page.get_by_role("searchbox", name="Find sources").fill("harb")
    visible = page.locator("#facet-source ~ ul li:not([hidden])")
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("Harbour Times")
    screenshot(page, "facet-find")
    # Ticking it still swaps the results in place (by keyboard: the sticky filter panel moves
    # under a pointer that scrolls to it).
    page.get_by_role("link", name=re.compile(r"^Harbour Times")).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"source=harbour-times"))
    expect(page.locator("#results-heading")).to_have_text("1 report")
