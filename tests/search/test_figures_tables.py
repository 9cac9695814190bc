"""The figures page, its CSV files and the reports behind its cells: confirmed figures only unless
asked, totals over a period never added to single events, any search's articles."""

import csv
import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from archive.models import FigureStatus, Origin, ReportedFigure
from search.index.sync import apply_pending
from search.service.figure_reading import CountedFigure, counted_figure
from search.service.figure_tables import (
    ARRESTS,
    SEIZURES,
    CellKey,
    figures_in_cell,
    kg_text,
)
from tests import factories

pytestmark = pytest.mark.django_db

FIGURES = reverse("search:figures")
REPORTS = reverse("search:figure_reports")
CONFIRMED, PROPOSED, REJECTED = FigureStatus.CONFIRMED, FigureStatus.PROPOSED, FigureStatus.REJECTED
SEIZURE, ARREST = ReportedFigure.Kind.SEIZURE, ReportedFigure.Kind.ARREST
TOTAL = ReportedFigure.Scope.TOTAL


def figure(article, kind=SEIZURE, *, status=CONFIRMED, **fields):
    origin = Origin.CURATOR if status == CONFIRMED else Origin.TAGGER
    defaults = {"evidence": f"A sentence stating a {kind}.", "confidence": 0.7}
    defaults.update(fields)
    return ReportedFigure.objects.create(
        article=article, kind=kind, status=status, origin=origin, **defaults
    )


@pytest.fixture
def reports(search_index, db):
    """Five indexed reports with seizures and arrests, confirmed, proposed, rejected, a total over
    a period, one with no stated year, and one in Thailand."""
    kh, th = factories.country("KH"), factories.country("TH")
    gambling, online = factories.crime_type("Gambling"), factories.crime_type("Online gambling")
    trafficking = factories.crime_type("Drug trafficking")
    made = {}

    def report(key, year, countries, crimes=(), body=""):
        article = factories.make_article(
            title=f"Report {key}", year=year, body=body or f"A report called {key}."
        )
        for target in (*countries, *crimes):
            factories.tag(article, target, status=CONFIRMED)
        made[key] = article
        return article

    port = report("port", 2021, [kh], [trafficking], "Customs at the port found drugs.")
    figure(port, drug="methamphetamine", quantity=10, unit="kg", mass_kg=10.0,
           country_code="KH", place_code="KH-18")  # fmt: skip
    figure(port, drug="methamphetamine", quantity=5000, unit="tablet", count=5000,
           country_code="KH", place_code="KH-18")  # fmt: skip
    figure(port, drug="heroin", quantity=2, unit="kg", mass_kg=2.0, country_code="KH",
           place_code="KH-18", status=PROPOSED, confidence=0.62)  # fmt: skip
    figure(port, drug="methamphetamine", quantity=300, unit="kg", mass_kg=300.0,
           country_code="KH", scope=TOTAL, period="since January")  # fmt: skip
    figure(port, ARREST, count=3, country_code="KH", place_code="KH-18")

    city = report("city", 2021, [kh], body="Police in the capital seized drugs.")
    figure(city, drug="methamphetamine", quantity=2.5, unit="kg", mass_kg=2.5,
           country_code="KH", place_code="KH-12")  # fmt: skip
    figure(city, drug="methamphetamine", quantity=100, unit="kg", mass_kg=100.0,
           country_code="KH", place_code="KH-12", status=REJECTED)  # fmt: skip

    border = report("border", 2022, [th], body="Rangers near Trat stopped a lorry.")
    figure(border, drug="methamphetamine", quantity=1, unit="kg", mass_kg=1.0,
           country_code="TH", place_code="TH-23")  # fmt: skip

    undated = report("undated", None, [kh])
    figure(undated, drug="methamphetamine", quantity=7, unit="kg", mass_kg=7.0, country_code="KH")

    casino = report("casino", 2022, [kh], [gambling, online], "A casino raid in the capital.")
    figure(casino, ARREST, count=5, country_code="KH", place_code="KH-12")
    apply_pending()
    return made


def rows_of(table):
    """Return {(place, row label): row} of a table."""
    return {(row.group, row.label): row for row in table.rows}


def cell(table, place, label, year):
    return rows_of(table)[(place, label)].cells[table.years.index(year)]


def test_only_confirmed_figures_count_by_default_and_the_page_says_so(client, reports):
    response = client.get(FIGURES)
    seizures = response.context["page"].tables.seizures
    meth = cell(seizures, "Cambodia", "methamphetamine", 2021)
    assert (meth.kg, meth.tablets, meth.reports, meth.proposed) == (12.5, 5000, 2, 0)
    assert ("Cambodia", "heroin") not in rows_of(seizures)
    html = response.content.decode()
    assert "Only figures a curator has <strong>confirmed</strong> are counted" in html
    assert "proposed by the machine that no curator has checked" not in html


def test_the_switch_counts_proposals_too_and_the_page_says_so_prominently(client, reports):
    response = client.get(FIGURES, {"figures": "all"})
    seizures = response.context["page"].tables.seizures
    heroin = cell(seizures, "Cambodia", "heroin", 2021)
    assert (heroin.kg, heroin.reports, heroin.proposed) == (2.0, 1, 1)
    # A rejected figure never counts: the city's 100 kg stays out.
    assert cell(seizures, "Cambodia", "methamphetamine", 2021).kg == 12.5
    html = response.content.decode()
    assert '<p class="notice figures-counting" role="status"><strong>These tables include' in html
    assert "1 of 1 proposed by the machine" in html


def test_totals_over_a_period_are_listed_apart_and_never_summed(client, reports):
    page = client.get(FIGURES).context["page"]
    every_kg = [c.kg for row in page.tables.seizures.rows for c in [*row.cells, row.total]]
    assert max(every_kg) == 12.5  # the 300 kg "since January" is in no cell
    assert [(total.what, total.figure.period) for total in page.totals] == [
        ("300 kg methamphetamine", "since January")
    ]


def test_rows_become_one_countrys_provinces(client, reports):
    page = client.get(FIGURES, {"provinces": "KH"}).context["page"]
    seizures = page.tables.seizures
    assert seizures.by_province
    assert set(rows_of(seizures)) == {
        ("Preah Sihanouk", "methamphetamine"),
        ("Phnom Penh", "methamphetamine"),
    }
    assert cell(seizures, "Preah Sihanouk", "methamphetamine", 2021).kg == 10.0
    assert cell(seizures, "Phnom Penh", "methamphetamine", 2021).kg == 2.5
    assert seizures.years == [2021]  # Thailand's 2022 seizure is not Cambodia's


def test_a_countrys_row_links_to_its_provinces(client, reports):
    page = client.get(FIGURES).context["page"]
    row = rows_of(page.tables.seizures)[("Thailand", "methamphetamine")]
    assert parse_qs(urlsplit(row.group_url).query) == {"provinces": ["TH"]}


def test_reports_without_a_stated_year_are_left_out_and_counted(client, reports):
    page = client.get(FIGURES).context["page"]
    assert page.tables.seizures.undated_reports == 1
    listed = client.get(page.tables.seizures.undated_url).context["reports"]
    assert [report.article for report in listed] == [reports["undated"]]
    assert "1 report</a> with seizures but no stated year" in client.get(FIGURES).content.decode()


def test_a_cells_link_lists_exactly_the_reports_behind_it(client, reports):
    page = client.get(FIGURES, {"figures": "all"}).context["page"]
    meth = cell(page.tables.seizures, "Cambodia", "methamphetamine", 2021)
    response = client.get(meth.url)
    listed = response.context["reports"]
    assert {report.article.pk for report in listed} == {reports["port"].pk, reports["city"].pk}
    # Each report shows the figures of the cell only: not the port's heroin nor its total,
    # nor the city's rejected 100 kg.
    shown = {(r.article.pk, f.quantity) for r in listed for f in r.figures}
    assert shown == {
        (reports["port"].pk, 10),
        (reports["port"].pk, 5000),
        (reports["city"].pk, 2.5),
    }
    heroin = cell(page.tables.seizures, "Cambodia", "heroin", 2021)
    html = client.get(heroin.url).content.decode()
    assert "proposed by the machine, confidence 0.62" in html


def test_arrests_count_under_each_crime_type_of_their_report(client, reports):
    page = client.get(FIGURES).context["page"]
    arrests = page.tables.arrests
    assert cell(arrests, "Cambodia", "Gambling", 2022).arrested == 5
    assert cell(arrests, "Cambodia", "Online gambling", 2022).arrested == 5
    assert cell(arrests, "Cambodia", "Drug trafficking", 2021).arrested == 3
    # The chart counts each arrest once.
    assert [bar.count for bar in page.arrest_chart.chart.bars] == [3, 5]
    gambling = cell(arrests, "Cambodia", "Gambling", 2022)
    listed = client.get(gambling.url).context["reports"]
    assert [report.article for report in listed] == [reports["casino"]]


def test_a_search_restricts_the_articles_counted(client, reports):
    by_words = client.get(FIGURES, {"q": "Trat lorry"}).context["page"]
    assert set(rows_of(by_words.tables.seizures)) == {("Thailand", "methamphetamine")}
    assert not by_words.tables.arrests.rows
    by_tag = client.get(FIGURES, {"country": "TH"}).context["page"]
    assert set(rows_of(by_tag.tables.seizures)) == {("Thailand", "methamphetamine")}
    # The cell's link keeps the search: its list holds the search's reports only.
    meth = cell(by_tag.tables.seizures, "Thailand", "methamphetamine", 2022)
    assert parse_qs(urlsplit(meth.url).query)["country"] == ["TH"]
    listed = client.get(meth.url)
    assert [r.article for r in listed.context["reports"]] == [reports["border"]]
    assert "Among the reports matching the search" in listed.content.decode()


def test_the_seizures_csv_has_one_row_per_cell(client, reports):
    response = client.get(reverse("search:figures_csv", args=["seizures"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["year", "country", "province", "drug", "total_kg", "tablets", "reports", "status_counted"],
        ["2021", "KH", "", "methamphetamine", "12.5", "5000", "2", "confirmed"],
        ["2022", "TH", "", "methamphetamine", "1", "0", "1", "confirmed"],
    ]


def test_the_csv_follows_the_pages_provinces_and_counting(client, reports):
    response = client.get(
        reverse("search:figures_csv", args=["seizures"]), {"provinces": "KH", "figures": "all"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert sorted(rows[1:]) == [
        ["2021", "KH", "KH-12", "methamphetamine", "2.5", "0", "1", "confirmed+proposed"],
        ["2021", "KH", "KH-18", "heroin", "2", "0", "1", "confirmed+proposed"],
        ["2021", "KH", "KH-18", "methamphetamine", "10", "5000", "1", "confirmed+proposed"],
    ]


def test_the_arrests_csv_names_crime_types(client, reports):
    response = client.get(reverse("search:figures_csv", args=["arrests"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "year", "country", "province", "crime_type", "arrested", "reports", "status_counted"
    ]  # fmt: skip
    assert sorted(rows[1:]) == [
        ["2021", "KH", "", "Drug trafficking", "3", "1", "confirmed"],
        ["2022", "KH", "", "Gambling", "5", "1", "confirmed"],
        ["2022", "KH", "", "Online gambling", "5", "1", "confirmed"],
    ]


def test_an_unknown_table_or_cell_is_a_404_that_says_what_to_ask(client, reports):
    assert client.get(reverse("search:figures_csv", args=["wildlife"])).status_code == 404
    assert client.get(REPORTS).status_code == 404


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def test_the_navigation_overview_and_search_page_link_to_the_figures(client, reports):
    for url in (reverse("search:overview"), reverse("search:search") + "?country=TH"):
        parser = _Links()
        parser.feed(client.get(url).content.decode())
        assert any(href.split("?")[0] == FIGURES for href in parser.hrefs), url
    parser = _Links()
    parser.feed(client.get(reverse("search:search"), {"country": "TH"}).content.decode())
    assert f"{FIGURES}?country=TH" in parser.hrefs


def test_the_page_draws_a_chart_per_drug(client, reports):
    page = client.get(FIGURES).context["page"]
    (chart,) = page.drug_charts
    assert [(bar.label, bar.count) for bar in chart.chart.bars] == [("2021", 12.5), ("2022", 1.0)]
    assert 'aria-labelledby="drug-chart-0-title"' in client.get(FIGURES).content.decode()


# --- Pure pieces -------------------------------------------------------------------------------


def _row(**fields):
    """Return a row of the columns read_figures reads, with these values."""
    row = {
        "pk": 1, "article_id": 1, "year": 2021, "kind": SEIZURE, "scope": "single",
        "status": CONFIRMED, "country": "", "place": "", "drug": "heroin", "mass_kg": None,
        "unit": "", "count": None, "quantity": None, "period": "", "confidence": 1.0,
    }  # fmt: skip
    row.update(fields)
    return list(row.values())


def test_tablets_are_a_tablet_unit_or_a_bare_count_and_other_units_are_neither():
    tablets = counted_figure(_row(unit="tablet", count=400, quantity=400))
    bare = counted_figure(_row(count=30))
    plants = counted_figure(_row(unit="plant", count=900))
    mass = counted_figure(_row(unit="g", mass_kg=0.25, quantity=250))
    assert (tablets.tablets, tablets.kg) == (400, None)
    assert (bare.tablets, bare.kg) == (30, None)
    assert (plants.tablets, plants.kg, plants.summed) == (None, None, False)
    assert (mass.tablets, mass.kg) == (None, 0.25)


def test_a_figure_placed_only_by_province_takes_its_country():
    assert counted_figure(_row(place="KH-18")).country == "KH"


def test_a_cell_key_survives_its_own_url_parameters():
    from django.http import QueryDict

    for key in (
        CellKey(SEIZURES, 2021, "KH", None, "heroin"),
        CellKey(SEIZURES, 0, "KH"),
        CellKey(ARRESTS, 2022, "KH", "", ""),
        CellKey(ARRESTS, None, "", None, "gambling"),
    ):
        params = QueryDict(mutable=True)
        for name, value in key.params():
            params.appendlist(name, value)
        assert CellKey.from_params(params) == key


def test_figures_in_a_cell_leave_out_totals_and_other_places():
    single = CountedFigure(1, 2021, SEIZURE, "single", False, "KH", "KH-18", "heroin", kg=1.0)
    total = CountedFigure(2, 2021, SEIZURE, TOTAL, False, "KH", "", "heroin", kg=50.0)
    elsewhere = CountedFigure(3, 2021, SEIZURE, "single", False, "TH", "", "heroin", kg=4.0)
    found = figures_in_cell(
        [single, total, elsewhere], CellKey(SEIZURES, 2021, "KH", None, "heroin")
    )
    assert found == [single]


def test_masses_are_written_to_the_gram_without_float_noise():
    assert [kg_text(value) for value in (12.5, 0.1 + 0.2, 1200.0, 0.0)] == [
        "12.5",
        "0.3",
        "1200",
        "0",
    ]
    assert kg_text(1234.5, grouped=True) == "1,234.5"


def test_a_cell_year_that_is_no_year_leaves_years_open(client, reports):
    for year in ("２０２１", "9" * 5000, "soon"):
        response = client.get(
            REPORTS, {"table": "seizures", "cell_year": year, "cell_drug": "heroin"}
        )
        assert response.status_code == 200
        assert response.context["key"].year is None
