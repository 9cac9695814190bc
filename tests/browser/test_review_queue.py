"""A curator works through the review queue in a real browser (buttons need no JavaScript)."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from archive.models import Article, ArticleCountry
from archive.models import TagAssignment as Tag
from archive.permissions import CURATOR_GROUP, ensure_curator_group
from tests import factories
from tests.conftest import SEEDS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_curator_confirms_and_rejects_proposals_then_a_retag_keeps_the_decisions(
    live_server, new_page, screenshot
):
    factories.load_initial_taxonomy()
    ensure_curator_group()
    call_command("ingest", str(SEEDS_DIR), stdout=StringIO())
    curator = User.objects.create_user("curator", password="a-long-test-password", is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATOR_GROUP))
    vod = Article.objects.get(origin__contains="002_")
    cambodia = ArticleCountry.objects.get(article=vod, country__code="KH")
    thailand = ArticleCountry.objects.get(article=vod, country__code="TH")

    page = new_page()
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    assert "5 articles in the review queue" in page.locator("#review-summary").inner_text()
    page.get_by_role("link", name=re.compile("articles in the review queue")).click()
    screenshot(page, "review-queue")

    page.locator(f'button[value="confirm:country:{cambodia.pk}"]').click()
    assert "confirmed on" in page.locator(".messagelist").inner_text()
    page.locator(f'button[value="reject:country:{thailand.pk}"]').click()
    assert "rejected on" in page.locator(".messagelist").inner_text()
    screenshot(page, "review-queue-after-decisions")

    call_command("retag", "--all", stdout=StringIO())
    cambodia.refresh_from_db()
    thailand.refresh_from_db()
    assert (cambodia.status, thailand.status) == (Tag.Status.CONFIRMED, Tag.Status.REJECTED)
    assert ArticleCountry.objects.filter(article=vod, country__code="TH").count() == 1
