"""One state in the URL: shared names, typed filters, every facet value, bounded repeats."""

import pytest
from django.urls import reverse

from archive.models import Ministry
from search.index.sync import apply_pending
from search.pages.facets import OPTIONS_SHOWN
from search.service.url_state import MAX_SELECTED
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = reverse("search:search")
API = reverse("search:api_search")


def titles(response) -> set[str]:
    return {article.title for _hit, article in response.context["results"]}


@pytest.fixture
def interiors(search_index):
    """Reports tagged with Cambodia's and Thailand's Ministry of Interior."""
    kh = Ministry.objects.get(name="Ministry of Interior", country__code="KH")
    th = Ministry.objects.get(name="Ministry of Interior", country__code="TH")
    for number in range(4):
        factories.tag(factories.make_article(title=f"Phnom Penh order {number}"), kh)
    factories.tag(factories.make_article(title="Bangkok order"), th)
    apply_pending()
    return kh, th


# --- 2. A name two entries share --------------------------------------------------------------


def test_a_shared_name_searches_every_entry_and_offers_each_alone(client, interiors):
    kh, th = interiors
    response = client.get(PAGE, {"ministry": "Ministry of Interior"})
    assert len(titles(response)) == 5  # the four Cambodian reports are not lost
    (name,) = response.context["ambiguous_names"]
    assert [choice.label for choice in name.choices] == [
        "Ministry of Interior (Cambodia)",
        "Ministry of Interior (Thailand)",
    ]
    page = response.content.decode()
    assert "is the name of 2 ministries or agencies, so all of them are searched" in page
    cambodia_only = client.get(PAGE + name.choices[0].url)
    assert len(titles(cambodia_only)) == 4
    assert cambodia_only.context["ambiguous_names"] == []
    ministries = next(g for g in response.context["facets"] if g.key == "ministry")
    assert {o.value for o in ministries.options if o.selected} == {kh.slug, th.slug}


def test_a_shared_name_typed_in_the_box_is_the_same(client, interiors):
    response = client.get(PAGE, {"q": 'ministry:"Ministry of Interior"'})
    assert response.status_code == 200  # not redirected: the page says what the name meant
    assert len(titles(response)) == 5
    (name,) = response.context["ambiguous_names"]
    assert name.choices[1].url == "?ministry=ministry-of-interior-th"
    chips = [chip.label for chip in response.context["chips"]]
    assert chips == [
        "Ministry or agency: Ministry of Interior (KH)",
        "Ministry or agency: Ministry of Interior (TH)",
    ]


def test_the_api_answers_a_shared_name_with_every_entry_and_says_so(client, interiors):
    data = client.get(API, {"ministry": "Ministry of Interior"}).json()
    assert data["total"] == 5
    assert data["ambiguous"] == [
        {
            "parameter": "ministry",
            "value": "Ministry of Interior",
            "matches": [
                {"value": "ministry-of-interior-kh", "label": "Ministry of Interior (Cambodia)"},
                {"value": "ministry-of-interior-th", "label": "Ministry of Interior (Thailand)"},
            ],
        }
    ]
    assert any("ministry=ministry-of-interior-kh" in notice for notice in data["notices"])
    single = client.get(API, {"ministry": "ministry-of-interior-kh"}).json()
    assert single["total"] == 4 and single["ambiguous"] == []


# --- 6. Typed filters and ticked filters are one state ---------------------------------------


def test_a_filter_typed_in_the_box_becomes_a_ticked_one(client, interiors):
    kh = factories.country("KH")
    article = factories.make_article(title="Casino raid", body="A casino was raided.", year=2022)
    factories.tag(article, kh)
    apply_pending()
    response = client.get(PAGE, {"q": "casino country:KH year:2022"})
    assert response.status_code == 302
    assert response["Location"] == "/?q=casino&country=KH&year=2022"
    page = client.get(response["Location"])
    assert titles(page) == {"Casino raid"}
    assert [chip.label for chip in page.context["chips"]] == ["Country: Cambodia", "Year: 2022"]
    countries = next(g for g in page.context["facets"] if g.key == "country")
    assert [(o.value, o.selected) for o in countries.options] == [("KH", True)]
    assert 'value="casino"' in page.content.decode()  # the box keeps the words alone
    # The API reads the same query the same way, without a redirect.
    data = client.get(API, {"q": "casino country:KH year:2022"}).json()
    assert data["total"] == 1
    assert [v["value"] for v in data["facets"]["country"] if v["selected"]] == ["KH"]


def test_the_page_s_script_is_redirected_too_and_gets_its_fragment(client, interiors):
    fetch = {"X-Requested-With": "fetch"}  # a redirected fetch sends its headers again
    response = client.get(PAGE, {"q": "order country:KH"}, headers=fetch)
    assert response.status_code == 302 and response["Location"] == "/?q=order&country=KH"
    fragment = client.get(response["Location"], headers=fetch)
    assert not fragment.content.decode().lstrip().startswith("<!DOCTYPE")


# --- 7. Every facet value one click away -----------------------------------------------------


@pytest.fixture
def many_sources(search_index):
    for number in range(OPTIONS_SHOWN + 6):
        source = factories.make_source(f"Provincial Gazette {number:02}")
        for _ in range(1 + number % 3):
            factories.make_article(title=f"Raid {number}", source=source)
    factories.make_article(title="Harbour raid", source=factories.make_source("Harbour Times"))
    apply_pending()


def test_a_facet_lists_its_top_values_and_links_to_all_of_them(client, many_sources):
    page = client.get(PAGE)
    sources = next(g for g in page.context["facets"] if g.key == "source")
    assert len(sources.options) == OPTIONS_SHOWN and sources.total == OPTIONS_SHOWN + 7
    assert "Show all 19 sources" in page.content.decode()
    everything = client.get(PAGE + sources.show_all_url)
    listed = next(g for g in everything.context["facets"] if g.key == "source")
    assert listed.expanded and len(listed.options) == OPTIONS_SHOWN + 7
    assert 'name="find"' in everything.content.decode()  # a box to narrow the long list
    found = client.get(PAGE, {"show": "source", "find": "harbour"})
    narrowed = next(g for g in found.context["facets"] if g.key == "source")
    assert [o.label for o in narrowed.options] == ["Harbour Times"]
    ticked = client.get(PAGE + narrowed.options[0].toggle_url)
    assert titles(ticked) == {"Harbour raid"}


# --- 8. Repeated and countless values --------------------------------------------------------


def test_a_repeated_value_counts_once(client, interiors):
    response = client.get(PAGE + "?" + "&".join(["country=KH"] * 370))
    assert len(response.content) < 100_000
    assert [chip.label for chip in response.context["chips"]] == ["Country: Cambodia"]
    # Once per form that keeps the filters: the search box, the year range, the seizure size.
    assert response.content.decode().count('name="country" value="KH"') <= 3


def test_hundreds_of_unknown_values_are_cut_and_named_in_one_notice(client, interiors):
    response = client.get(PAGE + "?" + "&".join(f"source=nope{n}" for n in range(300)))
    assert len(response.content) < 100_000
    notices = response.context["notices"]
    assert any(f"At most {MAX_SELECTED} sources" in notice for notice in notices)
    unknown = [notice for notice in notices if notice.startswith("No source is called")]
    assert len(unknown) == 1 and f"and {MAX_SELECTED - 5} more" in unknown[0]
    assert len(response.context["chips"]) == MAX_SELECTED
    data = client.get(API + "?" + "&".join(f"source=nope{n}" for n in range(300))).json()
    assert len(data["notices"]) == 2 and data["total"] == 0


def test_twenty_wildcards_make_one_notice(client, interiors):
    response = client.get(PAGE, {"q": " ".join(f"*x{n}" for n in range(20))})
    wildcard = [n for n in response.context["notices"] if n.startswith("Wildcards")]
    assert len(wildcard) == 1 and "and 15 more words were changed alike" in wildcard[0]
