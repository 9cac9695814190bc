"""Every page works under the Content-Security-Policy: the browser reports no violation."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from archive.models import Article
from tests import factories
from tests.conftest import SEEDS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium reports each blocked script, style or form as a console message naming the policy.
VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy")


@pytest.fixture
def seeded():
    # Transactional tests empty every table afterwards, the migrated taxonomy included.
    factories.load_initial_taxonomy()
    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())
    return Article.objects.get(origin__contains="000_")


def watch_violations(page) -> list[str]:
    """Return a list that fills with the page's console messages about the policy."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if VIOLATION.search(message.text) else None,
    )
    return violations


def test_public_pages_and_the_admin_run_without_a_policy_violation(live_server, new_page, seeded):
    User.objects.create_superuser("boss", password="a-long-test-password")
    kh = seeded.country_tags.first().country
    page = new_page()
    violations = watch_violations(page)
    for path in (
        "/",
        "/?q=police&country=KH",
        "/articles/",
        f"/articles/{seeded.pk}/",
        "/browse/",
        f"/browse/country/{kh.code}/",
        "/overview/",
        "/figures/?figures=all",
        "/no-such-page/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() >= 1, path
    # The citation box's Copy button is shown by static/js/copy.js: the script ran.
    page.goto(f"{live_server.url}/articles/{seeded.pk}/")
    page.wait_for_load_state("load")
    assert page.locator("button[data-copy]").first.is_visible()

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/archive/article/")
    page.locator("#action-toggle").check()  # the changelist's own script selects every row
    assert page.locator("tr.selected").count() == Article.objects.count()
    page.goto(f"{live_server.url}/admin/archive/article/{seeded.pk}/change/")
    page.goto(f"{live_server.url}/admin/archive/article/{seeded.pk}/history/")
    assert violations == []


def test_the_watch_sees_a_violation(live_server, new_page, seeded):
    """The check above can fail: an inline style set on a public page is reported."""
    page = new_page()
    violations = watch_violations(page)
    page.goto(f"{live_server.url}/articles/")
    # Console messages arrive asynchronously: wait for the one the style makes.
    with page.expect_console_message(lambda message: VIOLATION.search(message.text)):
        page.evaluate("document.body.setAttribute('style', 'color: red')")
    assert violations and "style" in violations[0]
