"""Browse pages per tag and the overview: every number shown is what its linked search finds."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive import curation
from archive.models import ArticleCountry, TagAssignment
from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
BROWSE = reverse("search:browse")
OVERVIEW = reverse("search:overview")
QUEUE = reverse("admin:archive_reviewitem_changelist")


def tag_url(facet, value):
    return reverse("search:tag_page", args=[facet, value])


class _Links(HTMLParser):
    """Collect every link's href and text (nested text, SVG <title> and hidden words included)."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open.append([dict(attrs).get("href") or "", ""])

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, " ".join(text.split())))

    def handle_data(self, data):
        for link in self._open:
            link[1] += data


def numbered_search_links(html: str) -> list[tuple[str, int]]:
    """Return (search URL, the number its link text starts with) for every counted link."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href, text in parser.links:
        number = re.search(r"\d[\d,]*", text)
        if (href == SEARCH or href.startswith(SEARCH + "?")) and number:
            found.append((href, int(number[0].replace(",", ""))))
    return found


def assert_numbers_match_their_searches(client, html: str, *, at_least: int) -> list:
    """Follow every counted link to the search page and compare its total with the number."""
    links = numbered_search_links(html)
    assert len(links) >= at_least, links
    totals: dict[str, int] = {}
    for href, number in links:
        if href not in totals:
            response = client.get(href)
            assert response.status_code == 200
            totals[href] = response.context["response"].total
        assert totals[href] == number, f"{href} finds {totals[href]}, the page says {number}"
    return links


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


def related(tag_page, facet):
    return {
        item.label: item
        for group in tag_page.related
        if group.facet == facet
        for item in group.items
    }


# --- Tag pages ---------------------------------------------------------------------------------


def test_a_country_page_counts_match_the_searches_they_link_to(client, archive):
    response = page(client, tag_url("country", "KH"))
    data = response.context["page"]
    assert data.total.count == 6
    assert data.total.search_url == f"{SEARCH}?country=KH"
    html = response.content.decode()
    assert "Search all 6 reports" in html
    links = assert_numbers_match_their_searches(client, html, at_least=15)
    assert (f"{SEARCH}?country=KH&year_from=2021&year_to=2021", 2) in links


def test_the_timeline_shows_empty_years_between_the_first_and_the_last(client, archive):
    data = page(client, tag_url("country", "KH")).context["page"]
    assert [(year.label, year.count) for year in data.years] == [
        ("2019", 2),
        ("2020", 0),
        ("2021", 2),
        ("2022", 0),
        ("2023", 1),
    ]
    assert data.years[1].search_url == ""
    assert [bar.label for bar in data.timeline.bars] == ["2019", "2020", "2021", "2022", "2023"]
    assert data.undated  # the report waiting for its year counts in the total only


def test_the_timeline_is_an_accessible_svg_of_links_with_a_table_beside_it(client, archive):
    html = page(client, tag_url("country", "KH")).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'aria-labelledby="timeline-title"' in svg
    assert '<title id="timeline-title">Reports about Cambodia per year</title>' in svg
    assert '<desc id="timeline-desc">' in svg
    assert svg.count('<a class="chart-bar" href=') == 3  # the empty years have nothing to open
    assert "2 reports in 2019" in svg
    table = html[html.index('<table class="numbers">') : html.index("</table>")]
    assert '<th scope="row">2020</th><td>0</td>' in table
    assert "<script" not in html.split("<main", 1)[1]


def test_a_parent_crime_type_is_counted_as_its_search_counts_it(client, archive):
    """On Cambodia's page, Gambling's search includes Online gambling: 4 reports, not the 3
    tagged Gambling itself, nor the 5 a sum of the two would give."""
    data = page(client, tag_url("country", "KH")).context["page"]
    crimes = related(data, "crime_type")
    assert crimes["Gambling"].count == 4
    assert crimes["Online gambling"].count == 2
    assert crimes["Gambling"].search_url == f"{SEARCH}?country=KH&crime_type=gambling"
    assert client.get(crimes["Gambling"].search_url).context["response"].total == 4
    # A type only reached through a narrower one is listed with what its search finds.
    assert crimes["Drug trafficking"].count == 1
    assert "Kidnapping" in crimes  # the rejected kidnapping tag is not counted
    assert crimes["Kidnapping"].count == 1


def test_co_occurring_tags_are_ranked_and_link_to_their_pages(client, archive):
    data = page(client, tag_url("country", "KH")).context["page"]
    assert [group.facet for group in data.related] == ["crime_type", "ministry", "source"]
    ministries = list(related(data, "ministry").values())
    assert [(m.label, m.count) for m in ministries] == [
        ("Ministry of Interior (KH)", 3),
        ("General Commissariat of National Police (KH)", 2),
    ]
    assert ministries[0].page_url == tag_url("ministry", "ministry-of-interior-kh")
    sources = related(data, "source")
    assert {label: s.count for label, s in sources.items()} == {"Daily Test": 4, "Wire Test": 2}
    assert sources["Daily Test"].page_url == ""  # sources have no browse page


def test_only_the_most_frequent_co_occurring_tags_are_listed(client, archive):
    kh = factories.country("KH")
    sources = [factories.make_source(f"Paper {n}") for n in range(10)]
    for index, source in enumerate(sources):
        for _ in range(index + 1):
            factories.tag(factories.make_article(year=2020, source=source), kh)
    apply_pending()
    data = page(client, tag_url("country", "KH")).context["page"]
    (group,) = [group for group in data.related if group.facet == "source"]
    assert len(group.items) == 8 and group.truncated
    assert [item.label for item in group.items[:2]] == ["Paper 9", "Paper 8"]


def test_the_mentions_link_counts_reports_that_only_mention_the_tag(client, archive):
    response = page(client, tag_url("country", "KH"))
    data = response.context["page"]
    assert data.with_mentions.count == 7
    assert data.with_mentions.search_url == f"{SEARCH}?country=KH&mentions=1"
    assert "Include reports that only mention Cambodia (7 in all)" in response.content.decode()


def test_latest_reports_are_the_ten_newest_with_date_and_source(client, archive):
    kh, daily = factories.country("KH"), factories.make_source("Newer Daily")
    for day in range(1, 13):
        article = factories.make_article(
            title=f"March {day}", year=2024, published_date=dt.date(2024, 3, day), source=daily
        )
        factories.tag(article, kh)
    apply_pending()
    response = page(client, tag_url("country", "KH"))
    latest = response.context["page"].latest
    assert [article.title for article in latest] == [f"March {day}" for day in range(12, 2, -1)]
    html = response.content.decode()
    assert f'<a href="{latest[0].get_absolute_url()}">March 12</a>' in html
    assert '<time datetime="2024-03-12">12 March 2024</time>' in html
    assert "· Newer Daily" in html


def test_a_crime_type_page_includes_narrower_types(client, archive):
    response = page(client, tag_url("crime_type", "gambling"))
    data = response.context["page"]
    assert data.total.count == 5  # Gambling, Online gambling and Illegal lottery reports
    assert {item.label: item.count for item in data.narrower} == {
        "Illegal lottery": 1,
        "Online gambling": 2,
    }
    assert [group.facet for group in data.related] == ["country", "ministry", "source"]
    assert {label: c.count for label, c in related(data, "country").items()} == {
        "Cambodia": 4,
        "Vietnam": 1,
    }
    assert [(y.label, y.count) for y in data.years] == [
        ("2019", 2),
        ("2020", 0),
        ("2021", 1),
        ("2022", 1),
    ]
    assert_numbers_match_their_searches(client, response.content.decode(), at_least=10)


def test_a_narrow_crime_type_page_names_the_types_above_it(client, archive):
    data = page(client, tag_url("crime_type", "methamphetamine-trafficking")).context["page"]
    assert [(link.label, link.url) for link in data.context] == [
        ("Drug trafficking", tag_url("crime_type", "drug-trafficking")),
        ("Drug offences", tag_url("crime_type", "drug-offences")),
    ]
    assert data.total.count == 2 and data.narrower == []


def test_a_ministry_page(client, archive):
    response = page(client, tag_url("ministry", "ministry-of-interior-kh"))
    data = response.context["page"]
    assert data.total.count == 3
    assert data.context[0].label == "Cambodia"
    assert data.context[0].url == tag_url("country", "KH")
    units = {item.label: item.count for item in data.narrower}
    assert units["General Commissariat of National Police (KH)"] == 2
    assert {label: c.count for label, c in related(data, "crime_type").items()}["Gambling"] == 3
    html = response.content.decode()
    assert "Interior Ministry" in html  # an alias
    assert_numbers_match_their_searches(client, html, at_least=8)


def test_a_tag_without_reports_has_a_page_without_numbers(client, archive):
    response = page(client, tag_url("country", "MM"))
    data = response.context["page"]
    assert data.total.count == 0 and data.years == [] and data.latest == []
    assert numbered_search_links(response.content.decode()) == []


@pytest.mark.parametrize(
    "facet, value",
    [
        ("source", "daily-test"),
        ("year", "2021"),
        ("country", "XX"),
        ("ministry", "no-such-ministry"),
        ("crime_type", "gambling-but-not-quite"),
    ],
)
def test_unknown_facets_and_values_are_not_found(client, archive, facet, value):
    assert client.get(tag_url(facet, value)).status_code == 404


def test_a_lowercase_country_code_redirects_to_the_page(client, archive):
    response = client.get(tag_url("country", "kh"))
    assert response.status_code == 301
    assert response["Location"] == tag_url("country", "KH")


def test_taxonomy_entries_link_to_their_tag_pages(client, archive):
    entries = [
        factories.country("KH"),
        factories.ministry("Royal Thai Police", "TH"),
        factories.crime_type("Online gambling"),
    ]
    urls = [entry.get_absolute_url() for entry in entries]
    assert urls == [
        tag_url("country", "KH"),
        tag_url("ministry", "royal-thai-police-th"),
        tag_url("crime_type", "online-gambling"),
    ]
    for url, entry in zip(urls, entries, strict=True):
        assert page(client, url).context["page"].entry == entry


def test_article_pages_link_their_tags_to_tag_pages(client, archive):
    html = page(client, archive["casino"].get_absolute_url()).content.decode()
    assert f'href="{tag_url("country", "KH")}"' in html
    assert f'href="{tag_url("crime_type", "gambling")}"' in html


# --- The browse index --------------------------------------------------------------------------


def test_the_browse_index_lists_every_entry_with_its_search_count(client, archive):
    response = page(client, BROWSE)
    index = response.context["index"]
    countries = {entry.label: entry for entry in index.countries}
    assert countries["Cambodia"].count == 6
    assert countries["Cambodia"].page_url == tag_url("country", "KH")
    assert "Myanmar" not in countries
    quiet = {entry.label: entry for entry in index.countries_without_reports}
    assert quiet["Myanmar"].count == 0 and quiet["Myanmar"].search_url == ""
    assert index.total.count == 8
    html = response.content.decode()
    assert_numbers_match_their_searches(client, html, at_least=15)


def test_entries_without_reports_are_shown_muted(client, archive):
    html = page(client, BROWSE).content.decode()
    myanmar = re.search(
        r'<li class="browse-entry depth-0( is-empty)?">\s*<a href="[^"]*">Myanmar', html
    )
    assert myanmar and myanmar[1] == " is-empty"
    cambodia = re.search(
        r'<li class="browse-entry depth-0( is-empty)?">\s*<a href="[^"]*">Cambodia', html
    )
    assert cambodia and cambodia[1] is None


def test_ministries_are_grouped_by_country_and_international_bodies_come_last(client, archive):
    groups = dict(page(client, BROWSE).context["index"].ministries)
    names = list(groups)
    assert names[-1] == "Regional and international bodies"
    assert "Interpol" in {entry.label for entry in groups[names[-1]]}
    cambodian = {entry.label: entry.count for entry in groups["Cambodia"]}
    assert cambodian["Ministry of Interior"] == 3
    assert cambodian["Ministry of Justice"] == 0
    assert {entry.label for entry in groups["Thailand"]} >= {"Royal Thai Police"}


def test_crime_types_form_a_tree_with_parents_counting_their_children(client, archive):
    crime_types = page(client, BROWSE).context["index"].crime_types
    rows = [(entry.label, entry.depth, entry.count) for entry in crime_types]
    drugs = rows.index(("Drug offences", 0, 2))
    assert rows[drugs + 1] == ("Drug production", 1, 0)
    assert ("Drug trafficking", 1, 2) in rows
    assert ("Methamphetamine trafficking", 2, 2) in rows
    gambling = rows.index(("Gambling", 0, 5))
    assert rows[gambling + 1 : gambling + 3] == [
        ("Illegal lottery", 1, 1),
        ("Online gambling", 1, 2),
    ]
    assert len(rows) == len({label for label, _, _ in rows})  # each type once


# --- The overview ------------------------------------------------------------------------------


def test_overview_numbers_match_their_searches(client, archive):
    response = page(client, OVERVIEW)
    assert_numbers_match_their_searches(client, response.content.decode(), at_least=40)


def test_the_crime_type_table_has_a_row_per_type_with_reports(client, archive):
    table = page(client, OVERVIEW).context["overview"].crime_types
    assert table.years == [2019, 2020, 2021, 2022, 2023]
    rows = {row.label: row for row in table.rows}
    assert "Homicide" not in rows  # no reports
    gambling = rows["Gambling"]
    assert gambling.total.count == 5 and gambling.depth == 0
    assert [cell.count for cell in gambling.cells] == [2, 0, 1, 1, 0]
    assert gambling.cells[0].url == f"{SEARCH}?crime_type=gambling&year_from=2019&year_to=2019"
    assert gambling.cells[1].url == "" and gambling.cells[1].level == 0
    assert gambling.cells[0].level == 5 and 0 < gambling.cells[2].level < 5
    assert rows["Online gambling"].depth == 1
    assert [cell.count for cell in table.all_reports.cells] == [2, 0, 2, 2, 1]
    assert table.all_reports.total.count == 8


def test_the_overview_chart_draws_the_most_reported_top_level_types(client, archive):
    overview = page(client, OVERVIEW).context["overview"]
    series = overview.crime_chart.series
    assert [line.label for line in series] == ["Gambling", "Drug offences", "Violent crime"]
    assert [point.count for point in series[0].points] == [2, 0, 1, 1, 0]


def test_a_type_with_only_undated_reports_has_a_row_but_no_line(client, archive):
    factories.tag(factories.make_article(), factories.crime_type("Fraud"))
    apply_pending()
    overview = page(client, OVERVIEW).context["overview"]
    fraud = next(row for row in overview.crime_types.rows if row.label == "Fraud")
    assert fraud.total.count == 1 and not any(cell.count for cell in fraud.cells)
    assert "Fraud" not in [line.label for line in overview.crime_chart.series]


def test_the_source_table_shows_gaps_per_source(client, archive):
    response = page(client, OVERVIEW)
    table = response.context["overview"].sources
    rows = {row.label: [cell.count for cell in row.cells] for row in table.rows}
    assert rows == {"Daily Test": [1, 0, 2, 0, 0], "Wire Test": [1, 0, 0, 1, 1]}
    assert "not necessarily a drop in enforcement" in response.content.decode()


def test_review_counts_reflect_proposed_tags_and_years(client, archive):
    review = page(client, OVERVIEW).context["overview"].review
    assert review.needs_review == 1
    assert review.proposed_years == 1
    assert [(p.kind, p.tags, p.articles) for p in review.proposed_tags] == [
        ("Country", 1, 1),
        ("Ministry or agency", 1, 1),
        ("Crime type", 1, 1),
    ]
    curator = User.objects.create_user("curator", is_staff=True)
    curation.decide_tag(
        ArticleCountry.objects.get(article=archive["undated"]), confirm=True, user=curator
    )
    factories.tag(archive["casino"], factories.country("TH"), status=TagAssignment.Status.PROPOSED)
    factories.tag(archive["raid"], factories.country("VN"), status=TagAssignment.Status.PROPOSED)
    review = page(client, OVERVIEW).context["overview"].review
    assert review.proposed_tags[0].tags == 2 and review.proposed_tags[0].articles == 2


def test_only_staff_see_the_link_to_the_review_queue(client, archive):
    assert QUEUE not in page(client, OVERVIEW).content.decode()
    User.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert QUEUE not in page(client, OVERVIEW).content.decode()
    User.objects.create_user("curator", password="pw", is_staff=True)
    client.login(username="curator", password="pw")
    assert f'href="{QUEUE}"' in page(client, OVERVIEW).content.decode()


def test_overview_queries_do_not_grow_with_the_number_of_rows(client, archive):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, OVERVIEW)
        return len(captured)

    page(client, OVERVIEW)  # the taxonomy is loaded once, then only its stamp is checked
    before = queries()
    for name in ("Paper A", "Paper B", "Paper C"):
        article = factories.make_article(year=2018, source=factories.make_source(name))
        factories.tag(article, factories.crime_type("Fraud"))
        factories.tag(article, factories.crime_type("Corruption"))
    apply_pending()
    assert len(page(client, OVERVIEW).context["overview"].sources.rows) == 5
    assert queries() == before


def test_pages_say_so_when_the_index_cannot_be_read(client, archive, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "missing"
    for url in (BROWSE, OVERVIEW, tag_url("country", "KH")):
        assert client.get(url).status_code == 503
