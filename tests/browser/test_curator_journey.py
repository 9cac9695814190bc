"""A curator's journey in a real browser, at desktop and phone widths, with a screenshot per step.

Sign in, open the review queue, confirm one proposed tag and reject another, correct the report's
publication date, save; the public search shows the change within seconds, and a retag does not
bring the rejected tag back.
"""

import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from archive.models import ArticleCrimeType, Origin
from archive.models import TagAssignment as Tag
from tests.browser.conftest import VIEWPORTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A deadline, not a pace: the index is usually updated before the save's redirect is answered,
# and a busy machine may take far longer.
PUBLIC_CHANGE_WAIT_SECONDS = 60


def wait_for_public_page(page, url, heading):
    """Reload `url` until its first heading reads `heading`; fail naming what it read instead.

    Each reload waits for the page to load, which paces the loop; no fixed pause between them.
    """
    deadline = time.monotonic() + PUBLIC_CHANGE_WAIT_SECONDS
    while True:
        page.goto(url, wait_until="load")
        seen = page.locator("h1").first.inner_text().strip()
        if seen == heading or time.monotonic() > deadline:
            break
    assert seen == heading, f"{url} still reads {seen!r} after {PUBLIC_CHANGE_WAIT_SECONDS} s"


@pytest.mark.parametrize("width", VIEWPORTS)
def test_curator_reviews_corrects_a_date_and_the_public_search_follows(
    width, live_server, new_page, screenshot, seeded_archive, curator
):
    # The Sar Sokha report: gambling proposed with high confidence, human trafficking with less,
    # and no year stated: "the past six months of the seventh-mandate government" (from August
    # 2023) proposes 2024, which researchers do not see until a curator decides.
    sokha = ArticleCrimeType.objects.get(
        crime_type__name="Gambling", article__origin__contains="003_"
    ).article
    gambling = sokha.crime_type_tags.get(crime_type__name="Gambling")
    trafficking = sokha.crime_type_tags.get(crime_type__name="Human trafficking")
    assert (gambling.status, trafficking.status, sokha.year) == (Tag.Status.PROPOSED,) * 2 + (None,)
    assert sokha.proposed_year == 2024
    base = live_server.url
    step = iter(range(1, 100))

    def shot(page, name):
        screenshot(page, f"curator-{width}-{next(step):02d}-{name}")

    public = new_page(VIEWPORTS[width])
    public.goto(f"{base}/?crime_type=human-trafficking")
    expect(public.locator("h1").first).to_have_text("2 reports")

    page = new_page(VIEWPORTS[width])
    page.goto(f"{base}/admin/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    shot(page, "login")
    log_in(page, base, curator.username)
    summary = page.locator("#review-summary")
    expect(summary).to_contain_text("5 articles in the review queue")
    shot(page, "admin-home")

    summary.get_by_role("link", name=re.compile("articles in the review queue")).click()
    expect(page.locator("h1")).to_contain_text(re.compile("review", re.IGNORECASE))
    row = page.locator("#result_list tbody tr", has_text=sokha.title[:40])
    expect(row).to_have_count(1)
    expect(row.locator("td.field-year_column")).to_contain_text("2024? (proposed)")
    expect(row.locator("td.field-year_column")).to_contain_text("seventh-mandate")
    shot(page, "review-queue")

    def proposal(name):
        return row.locator("li.proposal", has=page.locator("b", has_text=re.compile(f"^{name}$")))

    # Each decision brings the curator back to the same article, not to the top of the queue.
    proposal("Gambling").get_by_role("button", name="Confirm").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Gambling: confirmed on #{sokha.pk}")
    expect(proposal("Gambling")).to_have_count(0)  # decided: no longer listed as a proposal
    assert page.url.endswith(f"#review-{sokha.pk}")
    expect(row.get_by_role("link", name=sokha.title)).to_be_in_viewport()
    shot(page, "confirmed")

    # Narrowed by a search, the queue stays narrowed after a decision.
    page.locator("#searchbar").fill("Sokha")
    page.locator("#changelist-search").get_by_role("button", name="Search").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    proposal("Human trafficking").get_by_role("button", name="Reject").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Human trafficking: rejected on #{sokha.pk}"
    )
    expect(proposal("Human trafficking")).to_have_count(0)
    assert "q=Sokha" in page.url and page.url.endswith(f"#review-{sokha.pk}")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    shot(page, "rejected")

    row.get_by_role("link", name=sokha.title).click()
    page.wait_for_url(re.compile(rf"/admin/archive/article/{sokha.pk}/change/"))
    # The report was made at a meeting on 26 March; the text never names the year.
    page.get_by_label("Published date").fill("2025-03-26")
    page.get_by_label(re.compile(r"^Year:?$")).fill("2025")
    shot(page, "article-form")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    shot(page, "saved")

    sokha.refresh_from_db()
    gambling.refresh_from_db()
    trafficking.refresh_from_db()
    assert (sokha.year, sokha.date_origin) == (2025, Origin.CURATOR)
    assert (gambling.status, trafficking.status) == (Tag.Status.CONFIRMED, Tag.Status.REJECTED)
    assert (gambling.reviewed_by, trafficking.reviewed_by) == (curator, curator)

    # The public search, in the researcher's own browser, follows within seconds.
    wait_for_public_page(public, f"{base}/?year_from=2025&year_to=2025", "1 report")
    expect(public.locator("ol.article-list h2 a")).to_have_text(sokha.title)
    expect(public.get_by_role("link", name=re.compile(r"^Year: 2025–2025"))).to_be_visible()
    shot(public, "public-year")
    wait_for_public_page(public, f"{base}/?crime_type=human-trafficking", "1 report")
    expect(public.locator("ol.article-list")).not_to_contain_text(sokha.title)
    shot(public, "public-rejected-tag")

    call_command("retag", str(sokha.pk), stdout=StringIO())
    trafficking.refresh_from_db()
    gambling.refresh_from_db()
    sokha.refresh_from_db()
    assert (gambling.status, trafficking.status) == (Tag.Status.CONFIRMED, Tag.Status.REJECTED)
    assert sokha.crime_type_tags.filter(crime_type__name="Human trafficking").count() == 1
    assert sokha.year == 2025

    public.goto(f"{base}/?crime_type=human-trafficking")
    expect(public.locator("h1").first).to_have_text("1 report")
    public.goto(f"{base}/articles/{sokha.pk}/")
    expect(public.locator("h1").first).to_have_text(sokha.title)
    expect(public.locator("dl.facts")).to_contain_text("26 March 2025")
    crimes = public.locator("dl.tag-groups div", has=public.get_by_text("Crime types"))
    expect(crimes.get_by_role("link", name="Gambling", exact=True)).not_to_have_class(
        re.compile("chip-proposed")
    )
    expect(crimes).not_to_contain_text("Human trafficking")
    shot(public, "public-article-after-retag")
