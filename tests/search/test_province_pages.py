"""Province pages: the reports placed in a province and its counts, and the tile maps on country
pages that lead to them."""

import datetime as dt
import re

import pycountry
import pytest
from django.urls import reverse

from archive.models import FigureStatus, ReportedFigure
from search.index.sync import apply_pending
from search.pages.province_tiles import GRIDS, TILES, read_grid
from search.pages.provinces import REPORTS_PER_PAGE, shade, tile_lines, tile_map
from tests import factories

SEIZURE, ARREST, PLACE = (
    ReportedFigure.Kind.SEIZURE,
    ReportedFigure.Kind.ARREST,
    ReportedFigure.Kind.PLACE,
)
CONFIRMED, PROPOSED, REJECTED = FigureStatus.CONFIRMED, FigureStatus.PROPOSED, FigureStatus.REJECTED


def province_url(code):
    return reverse("search:province_page", args=[code])


def place(article, code, *, kind=SEIZURE, status=PROPOSED, **fields):
    return ReportedFigure.objects.create(
        article=article,
        kind=kind,
        status=status,
        place_code=code,
        country_code=code.split("-")[0],
        evidence="A sentence in our own words.",
        **fields,
    )


@pytest.fixture
def placed(db):
    """Reports placed in Preah Sihanouk (KH-18) and elsewhere, with figures of each status."""
    old = factories.make_article(title="Older coast seizure", published_date=dt.date(2020, 1, 5))
    new = factories.make_article(title="Newer coast arrests", published_date=dt.date(2023, 4, 2))
    rejected_only = factories.make_article(
        title="Wrongly placed", published_date=dt.date(2024, 1, 1)
    )
    elsewhere = factories.make_article(title="Capital raid", published_date=dt.date(2022, 1, 1))
    place(old, "KH-18", status=CONFIRMED, quantity=5, unit="kg", drug="heroin")
    place(old, "KH-18", kind=PLACE, name="Sihanoukville")
    place(new, "KH-18", quantity=2, unit="kg", drug="ketamine")
    place(new, "KH-18", kind=ARREST, status=CONFIRMED, count=4)
    place(new, "KH-18", kind=ARREST, count=7)
    # A total over a period is counted as a figure, never added to the people of single events.
    place(new, "KH-18", kind=ARREST, status=CONFIRMED, count=300, scope="total", period="in 2022")
    place(rejected_only, "KH-18", status=REJECTED, quantity=1, unit="kg")
    place(elsewhere, "KH-12", kind=ARREST, status=CONFIRMED, count=2)
    return {"old": old, "new": new, "rejected_only": rejected_only, "elsewhere": elsewhere}


def test_a_province_page_lists_its_reports_newest_first(client, placed):
    response = client.get(province_url("KH-18"))
    assert response.status_code == 200
    page = response.context["page"]
    assert [article.title for article in page.reports] == [
        "Newer coast arrests",
        "Older coast seizure",
    ]
    assert page.total == 2
    html = response.content.decode()
    assert "<h1>Preah Sihanouk</h1>" in html
    assert "Wrongly placed" not in html and "Capital raid" not in html


def test_a_province_page_names_and_links_its_country(client, placed):
    html = client.get(province_url("KH-18")).content.decode()
    assert f'<a href="{reverse("search:tag_page", args=["country", "KH"])}">Cambodia</a>' in html


def test_counts_keep_confirmed_and_proposed_figures_apart(client, placed):
    counts = {
        count.kind: count for count in client.get(province_url("KH-18")).context["page"].counts
    }
    assert (counts[SEIZURE].confirmed, counts[SEIZURE].proposed) == (1, 1)
    assert (counts[ARREST].confirmed, counts[ARREST].proposed) == (2, 1)
    # People arrested: single events only, the total over 2022 left out.
    assert (counts[ARREST].confirmed_people, counts[ARREST].proposed_people) == (4, 7)


def test_the_reports_are_paginated(client, db):
    for number in range(REPORTS_PER_PAGE + 2):
        place(factories.make_article(title=f"Crossing seizure {number}"), "KH-20")
    first = client.get(province_url("KH-20")).context["page"]
    second = client.get(province_url("KH-20"), {"page": 2}).context["page"]
    assert len(first.reports) == REPORTS_PER_PAGE
    assert len(second.reports) == 2
    assert first.total == REPORTS_PER_PAGE + 2


def test_a_code_in_lower_case_redirects_and_an_unknown_one_is_not_found(client, db):
    response = client.get(province_url("kh-18"))
    assert response.status_code == 301 and response["Location"] == province_url("KH-18")
    assert client.get(province_url("KH-99")).status_code == 404


def test_a_province_pycountry_knows_but_the_press_table_does_not_takes_iso_s_name(client, db):
    response = client.get(province_url("TH-11"))
    assert response.status_code == 200
    assert response.context["page"].name == pycountry.subdivisions.get(code="TH-11").name


# --- Tile maps --------------------------------------------------------------------------------


@pytest.mark.parametrize("country", sorted(GRIDS))
def test_every_grid_holds_each_iso_province_of_its_country_once(country):
    iso = {subdivision.code for subdivision in pycountry.subdivisions.get(country_code=country)}
    assert set(TILES[country]) == iso
    assert len(set(TILES[country].values())) == len(iso)  # no two on one square


def test_a_province_drawn_twice_is_refused():
    with pytest.raises(ValueError, match="KH-1 is drawn twice"):
        read_grid("KH", "1 2\n1 .")


def test_shades_grow_with_reports_up_to_the_busiest():
    assert [shade(n, 8) for n in (0, 1, 2, 4, 8)] == [0, 1, 1, 2, 4]


def test_the_tile_map_counts_reports_per_province(placed):
    tiles = {tile.code: tile for tile in tile_map("KH").tiles}
    assert (tiles["KH-18"].reports, tiles["KH-12"].reports, tiles["KH-1"].reports) == (2, 1, 0)
    assert (tiles["KH-18"].shade, tiles["KH-1"].shade) == (4, 0)
    assert tile_map("FR") is None


def test_a_country_page_shows_a_tile_map_linking_every_province(client, placed, search_index):
    apply_pending()
    html = client.get(reverse("search:tag_page", args=["country", "KH"])).content.decode()
    linked = set(re.findall(r'<a class="tile shade-\d" href="([^"]+)" data-code="(KH-\d+)"', html))
    assert linked == {(province_url(code), code) for code in TILES["KH"]}
    assert 'data-code="KH-18" aria-label="Preah Sihanouk: 2 reports"' in html


def test_a_country_outside_the_region_has_no_tile_map(client, placed, search_index):
    apply_pending()
    response = client.get(reverse("search:tag_page", args=["country", "FR"]))
    assert response.status_code == 200
    assert "<h1>France</h1>" in response.content.decode()
    assert "tile-map" not in response.content.decode()


def test_a_tile_shows_the_whole_name_in_at_most_three_lines():
    lines = tile_lines("Phra Nakhon Si Ayutthaya")
    assert [line.text for line in lines] == ["Phra", "Nakhon Si", "Ayutthaya"]
    (long,) = tile_lines("Kanchanaburi")
    assert long.text == "Kanchanaburi" and long.squeezed
