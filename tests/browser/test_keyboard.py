"""The search page with a keyboard alone: every control reachable with Tab, each operated with
Enter or Space, and the focused element always showing where focus is."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH = "/?q=police"
# Every control of the search page a keyboard must reach, by what it is.
CONTROLS = {
    "search box": "#q",
    "search button": "form[role=search] button[type=submit]",
    "facet option": "a.facet-option",
    "year bar": ".histogram a",
    "year range": ".year-range input:not([type=hidden]), .year-range button",
    "sort": "nav.sorts a",
    "export": ".exports a",
    "page link": ".pagination a",
}
# Enough for the search page's ~60 stops and the footer; a walk that never ends is a focus trap.
MAX_TABS = 150

# What the focused element is and whether a reader can see that it has focus: an outline or a
# box shadow, on a box that is on screen.
DESCRIBE_FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        control: element.dataset.control || "",
        html: element.outerHTML.slice(0, 120),
        indicator: outline || style.boxShadow !== "none",
        visible: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0,
    };
}"""


@pytest.fixture
def focus_screenshot():
    """Return a function saving what the window shows: a scrolled panel as the reader sees it."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"))

    return take


@pytest.fixture
def paged_results(seeded_archive, monkeypatch):
    """Show two results a page, so that the police search among the seeds has pages."""
    monkeypatch.setattr("search.service.url_state.PAGE_SIZE", 2)


def mark_controls(page):
    """Label every control the page must let a keyboard reach; return how many of each."""
    return page.evaluate(
        """(controls) => {
            const counts = {};
            for (const [name, selector] of Object.entries(controls)) {
                const found = document.querySelectorAll(selector);
                found.forEach((element, index) => {
                    element.dataset.control = `${name} ${index}`;
                });
                counts[name] = found.length;
            }
            return counts;
        }""",
        CONTROLS,
    )


def tab_through(page):
    """Press Tab from the top of the page until focus leaves it; return each stop described."""
    page.locator("body").focus()
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(DESCRIBE_FOCUS)
        if stop is None:  # focus went past the last control, to the browser's own interface
            return stops
        stops.append(stop)
    pytest.fail(f"Focus never left the page after {MAX_TABS} presses of Tab: a focus trap?")


def tab_to(page, selector, *, limit=MAX_TABS):
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_tab_reaches_every_search_control_and_each_shows_its_focus(
    live_server, new_page, paged_results
):
    page = new_page()
    page.goto(live_server.url + SEARCH)
    counts = mark_controls(page)
    assert all(counts.values()), f"the page lacks some controls to test: {counts}"

    stops = tab_through(page)
    first = stops[0]
    assert "Skip to content" in first["html"] and 'href="#main"' in first["html"], (
        f"the first Tab should reach a link skipping to the main content, not {first['html']}"
    )
    reached = {stop["control"] for stop in stops if stop["control"]}
    missed = [
        f"{name} {index}"
        for name, count in counts.items()
        for index in range(count)
        if f"{name} {index}" not in reached
    ]
    assert not missed, f"Tab never reaches: {missed}"
    unseen = [stop["html"] for stop in stops if not (stop["indicator"] and stop["visible"])]
    assert not unseen, "these take focus without showing it:\n" + "\n".join(unseen)
    # Focus moves as the page reads: the search, the filters on the left, then the results.
    kinds = [stop["control"].rsplit(" ", 1)[0] for stop in stops if stop["control"]]
    first_stops = sorted(CONTROLS, key=kinds.index)
    assert first_stops == list(CONTROLS), f"controls are reached in this order: {first_stops}"


def test_the_skip_link_moves_focus_past_the_header(
    live_server, new_page, focus_screenshot, paged_results
):
    page = new_page()
    page.goto(live_server.url + SEARCH)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    focus_screenshot(page, "keyboard-1-skip-link")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is the first control inside <main>, not the header's navigation.
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("document.activeElement.id") == "q"


def test_search_filter_sort_and_page_with_the_keyboard_alone(
    live_server, new_page, focus_screenshot, paged_results
):
    page = new_page()
    page.goto(live_server.url + "/")
    heading = page.locator("#results-heading")

    tab_to(page, "#q")
    focus_screenshot(page, "keyboard-2-search-box")
    page.keyboard.type("police")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=police"))
    expect(heading).to_contain_text("for “police”")

    # The Search button, pressed with Space, runs the query typed into the box.
    page.locator("#q").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("gambling")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Search"
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"q=gambling"))

    # On the home page, "How to search" folds and unfolds with Enter.
    page.goto(live_server.url + "/")
    assert heading.inner_text() == "5 reports"
    tab_to(page, "details.syntax-help > summary")
    was_open = page.locator("details.syntax-help").evaluate("details => details.open")
    page.keyboard.press("Enter")
    expect(page.locator("details.syntax-help")).to_have_js_property("open", not was_open)

    # Tick a country with Enter: the results narrow, and focus stays on the option ticked.
    tab_to(page, '#facet-country ~ ul a.facet-option[href*="country=VN"]')
    focus_screenshot(page, "keyboard-3-facet-option")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"country=VN"))
    expect(heading).to_have_text("1 report")
    expect(page.locator("a.facet-option.is-selected", has_text="Vietnam")).to_have_count(1)
    focused = page.evaluate("document.activeElement.dataset.focusKey || ''")
    assert focused == "country:VN", "focus should stay on the option just ticked"
    focus_screenshot(page, "keyboard-4-facet-ticked")

    # A year bar, a sort and the next page, each with Enter.
    page.goto(live_server.url + SEARCH)
    tab_to(page, ".histogram a")
    focus_screenshot(page, "keyboard-5-year-bar")
    year = page.evaluate("document.activeElement.dataset.focusKey").split(":")[1]
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"year_from={year}"))

    page.goto(live_server.url + SEARCH)
    tab_to(page, "nav.sorts a")
    focus_screenshot(page, "keyboard-6-sort")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort="))

    tab_to(page, ".pagination a[rel=next]")
    focus_screenshot(page, "keyboard-7-next-page")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    page.wait_for_selector("text=Page 2 of")
