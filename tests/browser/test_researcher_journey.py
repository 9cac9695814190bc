"""A researcher's journey in a real browser, at desktop and phone widths, a screenshot per step.

Search "gambling", tick a country and two crime types, pick a year on the histogram, open a result
and a related report, copy its citation, come back to the search, export it as CSV, find its feed,
and use the back button. Facet clicks may load a new page or update this one in place, so every
step waits for what the researcher sees (the heading, the chips), never for a navigation.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from archive.models import TagAssignment
from search.index.sync import deferred as index_updates_deferred
from tests import factories
from tests.browser.conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNTRY = "Thailand"
CRIMES = ("Online gambling", "Illegal lottery")


@dataclass(frozen=True)
class Report:
    title: str
    country: str
    crime_type: str
    year: int


# Every report mentions gambling; country, crime type and year cycle at different periods, so each
# country holds several crime types and years (Thailand: 9 reports, 6 of them in CRIMES).
PLACES = {"KH": "Poipet", "TH": "Pattaya", "PH": "Manila", "VN": "Mong Cai"}
STORIES = {
    "Online gambling": (
        "Online gambling ring broken up in {place} (case {n})",
        "Police in {place} broke up an online gambling ring run from rented villas.",
    ),
    "Illegal lottery": (
        "Illegal lottery sellers fined in {place} (case {n})",
        "Officers fined sellers of illegal lottery tickets, a gambling trade that persists.",
    ),
    "Online scams": (
        "Scam compound raided in {place} (case {n})",
        "A compound that ran scams and gambling websites was raided; workers were freed.",
    ),
}
COUNTRY_NAMES = {"KH": "Cambodia", "TH": "Thailand", "PH": "Philippines", "VN": "Vietnam"}


def make_reports(count=36) -> list[Report]:
    reports = []
    for n in range(count):
        code, crime = list(PLACES)[n % 4], list(STORIES)[n % 3]
        title = STORIES[crime][0].format(place=PLACES[code], n=n + 1)
        reports.append(Report(title, COUNTRY_NAMES[code], crime, 2019 + n % 5))
    return reports


REPORTS = make_reports()


@pytest.fixture
def gambling_archive(seeded_archive):
    """Add REPORTS, dated and tagged, to the indexed seeds."""
    countries = {name: factories.country(code) for code, name in COUNTRY_NAMES.items()}
    crimes = {name: factories.crime_type(name) for name in STORIES}
    sources = [factories.make_source(name) for name in ("Mekong Wire", "Gulf Daily")]
    with index_updates_deferred():  # one index commit for all, not one per row
        for number, report in enumerate(REPORTS):
            add_report(number, report, countries, crimes, sources)


def add_report(number, report, countries, crimes, sources):
    place = report.title.split(" in ")[1].split(" (")[0]
    article = factories.make_article(
        title=report.title,
        body=STORIES[report.crime_type][1].format(place=place)
        + f" Case {number + 1} on the {place} court's list.",
        year=report.year,
        published_date=dt.date(report.year, 1 + number % 12, 1 + number % 28),
        source=sources[number // 3 % 2],  # not in step with the countries
    )
    factories.tag(article, countries[report.country], status=TagAssignment.Status.CONFIRMED)
    factories.tag(article, crimes[report.crime_type])


def revealed(page, control):
    """Return `control` once visible, unfolding the filters first where they are folded (on a
    phone they may be, to one line above the results)."""
    folded = page.locator("#filters details:not([open]) > summary")
    if folded.count():
        folded.first.click()
    expect(control).to_be_visible()
    return control


def facet_option(page, facet, label):
    """Return a facet's option (a link, or a checkbox) whose name starts with `label`."""
    region = page.get_by_role("region", name=facet, exact=True)
    name = re.compile(rf"^\W*{re.escape(label)}\b")
    option = region.get_by_role("link", name=name).or_(region.get_by_role("checkbox", name=name))
    return revealed(page, option)


def shown_count(option, label):
    """Return the number an option shows after its label."""
    text = option.text_content().replace(label, "", 1)
    return int(re.search(r"\d[\d,]*", text).group().replace(",", ""))


def year_bar(page, year):
    histogram = page.get_by_role("list", name="Matching articles per year")
    return revealed(page, histogram.get_by_role("link", name=re.compile(rf"^{year}\b")))


def results_heading(total):
    return re.compile(rf"^\s*{total} results? for “gambling”\s*$")


def chip(page, label):
    return page.get_by_role("link", name=re.compile(rf"^{re.escape(label)}"))


@pytest.mark.parametrize("width", VIEWPORTS)
def test_researcher_narrows_a_search_reads_cites_exports_and_goes_back(
    width, live_server, new_page, screenshot, gambling_archive
):
    step = iter(range(1, 100))

    def shot(name):
        screenshot(page, f"researcher-{width}-{next(step):02d}-{name}")

    page = new_page(VIEWPORTS[width])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    heading = page.locator("h1").first

    # The home page is the search page: every report, before any filter.
    page.goto(live_server.url + "/")
    expect(heading).to_have_text(re.compile(rf"^\s*{len(REPORTS) + 5} reports\s*$"))
    shot("home")

    search_box = page.get_by_label("Search the reports")
    search_box.fill("gambling")
    search_box.press("Enter")
    expect(heading).to_have_text(re.compile(r"results? for “gambling”"))
    found = int(re.search(r"\d+", heading.inner_text()).group())
    assert found >= len(REPORTS)  # every added report, and seeds that speak of gambling
    shot("searched")

    # Tick a country: the total becomes the count the option showed, a chip names it, and the
    # crime type counts shrink to that country's reports.
    thailand = facet_option(page, "Country", COUNTRY)
    in_thailand = shown_count(thailand, COUNTRY)
    assert in_thailand == sum(r.country == COUNTRY for r in REPORTS)
    lottery_everywhere = shown_count(facet_option(page, "Crime type", CRIMES[1]), CRIMES[1])
    thailand.click()
    expect(heading).to_have_text(results_heading(in_thailand))
    expect(chip(page, f"Country: {COUNTRY}")).to_be_visible()
    lottery = facet_option(page, "Crime type", CRIMES[1])
    expect(lottery).to_contain_text(
        str(sum(r.country == COUNTRY and r.crime_type == CRIMES[1] for r in REPORTS))
    )
    assert shown_count(lottery, CRIMES[1]) < lottery_everywhere
    shot("country")

    # Two crime types widen each other (OR) within the country.
    expected = {name: 0 for name in CRIMES}
    for name in CRIMES:
        option = facet_option(page, "Crime type", name)
        expected[name] = shown_count(option, name)
        option.click()
        expect(chip(page, f"Crime type: {name}")).to_be_visible()
    chosen = [r for r in REPORTS if r.country == COUNTRY and r.crime_type in CRIMES]
    assert sum(expected.values()) == len(chosen)
    expect(heading).to_have_text(results_heading(len(chosen)))
    expect(chip(page, f"Country: {COUNTRY}")).to_be_visible()
    shot("crime-types")

    # The year histogram: a bar narrows to its year, shown as a chip.
    year = max(sorted({r.year for r in chosen}), key=lambda y: sum(r.year == y for r in chosen))
    in_year = [r for r in chosen if r.year == year]
    bar = year_bar(page, year)
    assert [int(n) for n in re.findall(r"\d+", bar.text_content())] == [year, len(in_year)]
    bar.click()
    expect(heading).to_have_text(results_heading(len(in_year)))
    expect(chip(page, f"Year: {year}–{year}")).to_be_visible()
    results = page.locator("ol.article-list h2 a")
    expect(results).to_have_count(len(in_year))
    assert sorted(results.all_inner_texts()) == sorted(r.title for r in in_year)
    search_url = page.url
    shot("year")

    # Open a result, then one of its related reports, then copy that report's citation.
    first_title = results.first.inner_text()
    results.first.click()
    expect(heading).to_have_text(first_title)
    related = page.locator("section.related ol.related-list a")
    expect(related.first).to_be_visible()  # reports of the same country and crime type exist
    shot("article")
    related_title = related.first.inner_text()
    related.first.click()
    expect(heading).to_have_text(related_title)
    copy = page.locator("button[data-copy=citation-text]")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert related_title in page.evaluate("navigator.clipboard.readText()")
    shot("related-cited")

    # Back to the search: the query, the ticked facets and the results are as they were.
    page.go_back()
    expect(heading).to_have_text(first_title)
    page.go_back()
    expect(heading).to_have_text(results_heading(len(in_year)))
    assert page.url == search_url
    expect(search_box).to_have_value("gambling")
    for label in (f"Country: {COUNTRY}", *(f"Crime type: {n}" for n in CRIMES)):
        expect(chip(page, label)).to_be_visible()
    expect(results).to_have_count(len(in_year))
    shot("back-at-search")

    # Export the whole search as CSV: one row per result, each within the filters.
    with page.expect_download() as download:
        page.locator(".exports").get_by_role("link", name="CSV", exact=True).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    # The header first (its provenance is in the data package beside it).
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(in_year)
    # A row is a report: a result title, its country among the subjects, its year.
    assert sorted(row["title"] for row in rows) == sorted(r.title for r in in_year)
    assert all(COUNTRY in row["countries"].split("; ") for row in rows)
    assert all(set(row["crime_types"].split("; ")) & set(CRIMES) for row in rows)
    assert {row["year"] for row in rows} == {str(year)}

    # The subscribe link follows this very search.
    feed = page.get_by_role("link", name=re.compile("Follow this search"))
    expect(feed).to_be_visible()
    search_params = parse_qs(urlsplit(search_url).query)
    feed_url = feed.get_attribute("href")
    assert urlsplit(feed_url).path.endswith(".atom")
    # The same search, newest additions first (a report added late with an old date is news).
    assert parse_qs(urlsplit(feed_url).query) == {**search_params, "sort": ["added"]}
    atom = page.request.get(live_server.url + feed_url if feed_url.startswith("/") else feed_url)
    assert atom.ok and len(re.findall(r"<entry[ >]", atom.text())) == len(in_year)

    # Remove the year chip, then the back button brings it and its results back.
    chip(page, f"Year: {year}–{year}").click()
    expect(heading).to_have_text(results_heading(len(chosen)))
    expect(chip(page, f"Year: {year}–{year}")).to_have_count(0)
    shot("year-removed")
    page.go_back()
    expect(heading).to_have_text(results_heading(len(in_year)))
    expect(chip(page, f"Year: {year}–{year}")).to_be_visible()
    expect(results).to_have_count(len(in_year))
    assert parse_qs(urlsplit(page.url).query) == search_params
    shot("year-restored")
