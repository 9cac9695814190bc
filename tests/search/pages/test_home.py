"""The search page's welcome (search/pages/home.py) and the results fragment its script fetches."""

import pytest
from django.urls import reverse

from search.pages.search import FRAGMENT_HEADER, FRAGMENT_VALUE

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
FRAGMENT = {f"HTTP_{FRAGMENT_HEADER.upper().replace('-', '_')}": FRAGMENT_VALUE}


def welcome_of(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["welcome"], response.content.decode()


def counts(links) -> dict[str, tuple[int, str]]:
    return {link.label: (link.count, link.url) for link in links}


def test_the_welcome_counts_the_whole_archive_by_country_and_year(client, corpus):
    welcome, html = welcome_of(client)
    assert welcome.total == 6
    assert (welcome.first_year, welcome.last_year, welcome.undated) == (2020, 2023, 0)
    # Subject tags only, as the filters count them (the mentions of Vietnam and Laos are not).
    assert counts(welcome.countries) == {
        "Cambodia": (4, "?country=KH"),
        "Thailand": (1, "?country=TH"),
        "Vietnam": (1, "?country=VN"),
    }
    assert welcome.countries[0].label == "Cambodia"  # most reports first
    assert "What the archive holds" in html and "from 2020 to 2023" in html
    assert '<a href="?country=KH">Cambodia</a> <span class="count">4</span>' in html


def test_a_broad_crime_type_counts_the_narrower_types_its_search_finds(client, corpus):
    welcome, _html = welcome_of(client)
    by_label = counts(welcome.crime_types)
    # Gambling (3 tagged) and Online gambling (1) below it: its search finds all 4.
    assert by_label["Gambling"] == (4, "?crime_type=gambling")
    assert "Online gambling" not in by_label  # narrower types are on the browse page
    for link in welcome.crime_types:
        assert client.get(URL + link.url).context["response"].total == link.count, link.label


def test_the_welcome_lists_the_latest_reports_and_the_query_syntax(client, corpus):
    welcome, html = welcome_of(client)
    titles = [report.title for report in welcome.latest]
    assert len(titles) == 4  # LATEST_SHOWN of the 6, newest first
    assert set(titles[:2]) == {"Kidnapping gang arrested", "Lottery sellers fined"}  # 2023
    assert set(titles[2:]) == {"Online betting ring broken up", "Crystal meth seized at the border"}
    assert welcome.latest[0].url.startswith("/articles/")
    assert f'<a href="{welcome.latest[0].url}">{titles[0]}</a>' in html
    assert '<details class="syntax-help" open>' in html
    for example in ('"crystal meth"', "gambling OR lottery", "traffick*", "title:crackdown"):
        assert f"<code>{example.replace(chr(34), '&quot;')}</code>" in html, example


@pytest.mark.parametrize(
    "params",
    [{"q": "casino"}, {"country": "KH"}, {"year_from": "2021"}, {"sort": "oldest"}, {"page": "2"}],
)
def test_the_welcome_is_absent_once_anything_is_asked(client, corpus, params):
    welcome, html = welcome_of(client, **params)
    assert welcome is None
    assert "What the archive holds" not in html
    assert '<details class="syntax-help">' in html  # the help stays, folded


def test_the_fragment_is_the_content_block_alone(client, corpus):
    full = client.get(URL, {"country": "KH"})
    fragment = client.get(URL, {"country": "KH"}, **FRAGMENT)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="search-page"')
    assert "<html" not in html and "<header" not in html and "<script" not in html
    assert 'data-page-title="Search · Enforcement Reports Archive"' in html
    assert "4 reports" in html and 'aria-current="true"' in html
    # The same region, byte for byte, as in the full page.
    assert html.strip() in full.content.decode()
    # Caches keep the two apart.
    assert "X-Requested-With" in fragment["Vary"] and "X-Requested-With" in full["Vary"]


def test_no_results_say_why_and_offer_a_way_out(client, corpus):
    _welcome, html = welcome_of(client, q="gamblng")
    assert "No report matches “gamblng”" in html
    assert "Check the spelling" in html
    _welcome, html = welcome_of(client, country="TH", crime_type="kidnapping")
    assert "No report has all of these filters together" in html
    _welcome, html = welcome_of(client, page="9")
    assert "This page is past the last result" in html and 'href="?"' in html
