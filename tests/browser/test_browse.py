"""The researcher's and the curator's first steps, in a real browser."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from archive.models import Article
from tests import factories
from tests.browser.conftest import PHONE
from tests.conftest import SEEDS_DIR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def seeded(search_index):
    # Transactional tests empty every table afterwards, the migrated taxonomy included. The
    # seeds get an index of their own: the list is the search page.
    factories.load_initial_taxonomy()
    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())
    return Article.objects.get(origin__contains="000_")


def test_researcher_filters_opens_a_report_and_reads_the_raw_text(
    live_server, new_page, screenshot, seeded
):
    page = new_page()
    page.goto(f"{live_server.url}/articles/")  # the list is the search page
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "5 reports"
    screenshot(page, "list-desktop")

    page.locator("#facet-source + ul").get_by_role("link", name=re.compile("Khmer Times")).click()
    page.wait_for_url(re.compile(r"source=khmer-times"))
    expect(page.locator("h1")).to_have_text("1 report")
    screenshot(page, "list-filtered")

    page.get_by_role("link", name=seeded.title).click()
    assert page.locator("h1").inner_text() == seeded.title
    assert page.get_by_role("link", name="Khmer Times").is_visible()
    raw = page.locator("details.raw pre")
    assert not raw.is_visible()
    page.get_by_text("Show the text exactly as received").click()
    assert raw.is_visible() and "cellcard cellcard cellcard" in raw.inner_text()
    assert "cellcard" not in page.locator(".body").inner_text()
    screenshot(page, "article-desktop")

    page.go_back()
    expect(page.locator(".chips")).to_contain_text("Source: Khmer Times")


def test_on_a_phone_the_filters_fold_to_one_line(live_server, new_page, screenshot, seeded):
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/articles/")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".filters-panel")).not_to_have_attribute("open", "")
    filters = page.locator(".filters-summary").bounding_box()
    first_result = page.locator(".article-item").first.bounding_box()
    assert filters["height"] < 80 and filters["y"] < first_result["y"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    screenshot(page, "list-phone")


def test_curator_logs_in_and_sees_raw_text_beside_the_body(
    live_server, new_page, screenshot, seeded
):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    page = new_page()
    page.goto(f"{live_server.url}/admin/archive/article/{seeded.pk}/change/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(rf"/admin/archive/article/{seeded.pk}/change/"))
    body = page.locator("textarea[name=body]").bounding_box()
    raw = page.locator("pre.raw-text").bounding_box()
    screenshot(page, "admin-article")
    assert raw["x"] > body["x"] + body["width"] - 1, "raw text should sit beside the body"
    assert "Khuon Narim / Khmer Times Share:" in page.locator("pre.raw-text").inner_text()
    screenshot(page, "admin-article")
