"""axe-core checks every kind of page, public and curator, at desktop and phone widths.

axe-core comes from npm (package.json pins it; `make install-dev` runs `npm ci`). Each page's
full results are written to test-artifacts/axe/ (git-ignored) for the record; the test fails on
any violation axe rates serious or critical and prints every violation found, whatever its impact.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from archive.models import Article
from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.conftest import IN_CI, REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RESULTS_DIR = REPO_ROOT / "test-artifacts" / "axe"
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one h1, heading order, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_source():
    """Return axe-core's script, or skip (fail in CI) with the command that installs it."""
    if not AXE_SCRIPT.is_file():
        message = (
            f"axe-core is not installed ({AXE_SCRIPT.relative_to(REPO_ROOT)} is missing): "
            "run `make install-dev` or `npm ci --no-audit --no-fund` in the repository root"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return AXE_SCRIPT.read_text(encoding="utf-8")


def run_axe(page, axe_source, name):
    """Return axe's violations on the page as loaded, after saving its results as JSON."""
    # Evaluated through the DevTools protocol, the script is not subject to the page's CSP
    # (add_script_tag would insert an inline <script>, which the CSP rightly refuses); the
    # site's own CSP stays on for everything the page itself loads.
    page.evaluate(axe_source)
    results = page.evaluate(
        """async (tags) => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations", "incomplete"],
        })""",
        AXE_TAGS,
    )
    AXE_RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (AXE_RESULTS_DIR / f"{name}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results["violations"]


def describe(violations):
    """Return each violation as lines naming its impact, rule, help and offending elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])} element{'s' if len(violation['nodes']) != 1 else ''})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"      {' '.join(node['target'])}: {node['html'][:160]}")
    return lines


def public_pages(article):
    """Return (name, path) for every kind of public page, with data on each."""
    return [
        ("home", "/"),
        ("search", "/?q=police&country=KH&crime_type=drug-trafficking"),
        # The notices of words the index leaves out: in passing, and when nothing is searched.
        ("search-word-ignored", "/?q=the+police"),
        ("search-nothing-searched", "/?q=the+of"),
        ("article", article.get_absolute_url()),
        ("browse", "/browse/"),
        ("tag-page", "/browse/country/KH/"),
        ("province-page", "/browse/province/KH-12/"),
        ("overview", "/overview/"),
        # The seeds' figures are machine proposals: counted only when asked.
        ("figures", "/figures/?figures=all"),
        ("figures-provinces", "/figures/?figures=all&provinces=KH"),
        ("figure-reports", "/figures/reports/?figures=all&table=seizures"),
        ("article-list", "/articles/?country=KH"),
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_or_critical_accessibility_violations(
    live_server, new_page, screenshot, axe_source, seeded_archive, curator, viewport
):
    width = "desktop" if viewport is DESKTOP else "phone"
    article = Article.objects.get(origin__contains="000_")
    page = new_page(viewport)
    pages = public_pages(article)
    found = {}
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response.ok, f"{path} answered {response.status}"
        found[name] = run_axe(page, axe_source, f"{name}-{width}")
        screenshot(page, f"a11y-{name}-{width}")

    log_in(page, live_server.url, curator.username)
    response = page.goto(f"{live_server.url}/admin/archive/reviewitem/")
    assert response.ok and page.locator("#result_list").count() == 1, "no review queue rows"
    found["review-queue"] = run_axe(page, axe_source, f"review-queue-{width}")
    screenshot(page, f"a11y-review-queue-{width}")

    report = [f"axe-core on {width} ({viewport['width']} px); results in test-artifacts/axe/"]
    blocking = []
    for name, violations in found.items():
        if violations:
            report.append(f"{name}:")
            report.extend(describe(violations))
        blocking += [
            f"{name}: {violation['id']}"
            for violation in violations
            if violation["impact"] in BLOCKING_IMPACTS
        ]
    assert not blocking, "\n".join(report)


def test_a_chart_is_one_described_image_with_its_numbers_in_a_table(
    live_server, new_page, seeded_archive
):
    page = new_page()
    page.goto(f"{live_server.url}/browse/country/KH/")
    chart = page.get_by_role("img", name="Reports about Cambodia per year")
    expect(chart).to_have_accessible_description(
        "One bar: 1 report in 2022. The table below lists every year."
    )
    # The marks' links are for the mouse: hidden from assistive technology, out of the tab order,
    # and still under the pointer although the drawing lies above them.
    bar = page.locator("a.chart-bar").first
    assert bar.get_attribute("tabindex") == "-1"
    assert bar.evaluate("link => link.closest('[aria-hidden=true]') !== null")
    href = bar.get_attribute("href")
    box = page.locator("svg.chart-svg").bounding_box()
    bar_box = bar.bounding_box()
    page.mouse.click(bar_box["x"] + bar_box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(re.escape(href.lstrip("?")) + "$"))

    # The same numbers, with the same links, as a table a keyboard and a screen reader can use.
    page.goto(f"{live_server.url}/browse/country/KH/")
    page.get_by_text("Show the numbers").click()
    table = page.get_by_role("table", name="Reports about Cambodia per year")
    expect(table.get_by_role("link", name="1")).to_have_attribute("href", href)

    # The overview's line chart sums up each line, and lists every point in its own table.
    page.goto(f"{live_server.url}/overview/")
    lines = page.get_by_role("img", name="The most reported crime types per year")
    expect(lines).to_have_accessible_description(
        re.compile(
            r"^One line per crime type in 2022: .*: 1 report with a year, most in 2022 \(1\)"
        )
    )
    page.get_by_text("Show the numbers").click()
    numbers = page.get_by_role("table", name=re.compile("most reported crime types"))
    expect(numbers.get_by_role("columnheader")).to_have_text(["Crime type", "2022"])
    expect(numbers.get_by_role("row")).to_have_count(1 + page.locator(".chart-legend li").count())
