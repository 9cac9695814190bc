"""Playwright driving Debian's chromium against the live test server.

Screenshots of each step land in test-artifacts/screenshots/ (git-ignored) to be looked at.
"""

import os
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from archive.permissions import CURATOR_GROUP, ensure_curator_group
from tests import factories
from tests.browser.chromium import CHROMIUM_ARGS, MISSING_CHROMIUM, find_chromium
from tests.conftest import IN_CI, REPO_ROOT, SEEDS_DIR

SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
CURATOR_PASSWORD = "a-long-test-password"


@pytest.fixture(scope="session")
def chromium_path():
    path = find_chromium()
    if not path:
        if IN_CI:
            pytest.fail(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's guard against ORM use inside async code does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Return a function that opens a page in a fresh context of the given viewport size."""
    contexts = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def seeded_archive(search_index):
    """The migrated taxonomy and the seed reports, ingested and indexed.

    Needs a transactional test (the live server reads what the test wrote), which empties every
    table afterwards, the migrated taxonomy included: hence loading it again here.
    """
    factories.load_initial_taxonomy()
    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())


@pytest.fixture
def curator():
    """Return a staff user in the Curators group, signing in with CURATOR_PASSWORD."""
    ensure_curator_group()
    user = User.objects.create_user("curator", password=CURATOR_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    return user


def log_in(page, base_url, username, password=CURATOR_PASSWORD):
    """Sign in through the admin's login form and wait for the admin's home page."""
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
