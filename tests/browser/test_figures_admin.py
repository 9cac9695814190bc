"""A curator decides a report's figures on its page, in a real browser (no JavaScript needed)."""

import re

import pytest
from playwright.sync_api import expect

from archive.extraction.store import extract_article, load_rules
from archive.models import FigureStatus
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import (  # axe_source: the fixture that loads axe-core
    BLOCKING_IMPACTS,
    axe_source,  # noqa: F401
    describe,
    run_axe,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_figures(page, node) -> bool:
    """Return whether an element axe reported stands in the article page's figures."""
    element = page.locator(" ".join(node["target"])).first
    return element.evaluate("element => element.closest('fieldset.figures') !== null")


def test_figure_buttons_decide_and_enter_in_a_field_still_saves_the_article(
    live_server,
    new_page,
    screenshot,
    axe_source,  # noqa: F811 (the fixture imported above)
    curator,
):
    factories.load_initial_taxonomy()
    article = factories.make_article(
        title="Kampot seizure",
        body="Police in Kampot seized 100 kilograms of methamphetamine on Monday.",
    )
    extract_article(article, rules=load_rules())
    seizure = article.figures.get(kind="seizure")
    page = new_page()
    log_in(page, live_server.url, curator.username)
    page.goto(f"{live_server.url}/admin/archive/article/{article.pk}/change/")
    figures = page.locator("#figures")
    expect(figures.locator("mark", has_text="100 kilograms of methamphetamine")).to_have_count(1)
    expect(figures).to_contain_text("proposed by the machine, 90% sure")
    # The figures' part of the page: the rest of the article form is not this test's to judge.
    violations = [
        violation
        for violation in run_axe(page, axe_source, "article-figures")
        if any(in_figures(page, node) for node in violation["nodes"])
    ]
    screenshot(page, "article-figures")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "\n".join(describe(violations))

    # Enter in the title saves the article: the figures' buttons are not the form's default.
    page.get_by_role("textbox", name="Title:").fill("Kampot seizure, corrected")
    page.get_by_role("textbox", name="Title:").press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    seizure.refresh_from_db()
    assert seizure.status == FigureStatus.PROPOSED

    page.goto(f"{live_server.url}/admin/archive/article/{article.pk}/change/")
    page.get_by_role("button", name="Confirm 100 kg methamphetamine").click()
    expect(page.locator(".messagelist")).to_contain_text("100 kg methamphetamine (#")
    assert re.search(rf"/article/{article.pk}/change/#figures$", page.url)
    seizure.refresh_from_db()
    assert (seizure.status, seizure.reviewed_by) == (FigureStatus.CONFIRMED, curator)
    expect(page.get_by_role("button", name="Confirm 100 kg methamphetamine")).to_have_count(0)

    page.goto(f"{live_server.url}/admin/archive/reportedfigure/")
    violations = run_axe(page, axe_source, "figure-list")
    screenshot(page, "figure-list")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "\n".join(describe(violations))
