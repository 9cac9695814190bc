"""Facets read from the figures reports state: province, drug and person, and "seized at least
N kg", from the index document to the search page's options, chips and links."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import FigureStatus, ReportedFigure
from search.backends.base import SearchRequest, SearchUnavailable
from search.index.documents import article_document, figure_fields
from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
SEIZURE, ARREST, PERSON = (
    ReportedFigure.Kind.SEIZURE,
    ReportedFigure.Kind.ARREST,
    ReportedFigure.Kind.PERSON,
)
TOTAL = ReportedFigure.Scope.TOTAL


def figure(article, kind=SEIZURE, *, status=FigureStatus.PROPOSED, **fields):
    return ReportedFigure.objects.create(
        article=article,
        kind=kind,
        status=status,
        confidence=fields.pop("confidence", 0.9),
        evidence=fields.pop("evidence", "A sentence stating the figure."),
        **fields,
    )


@pytest.fixture
def seizures(search_index):
    """Five indexed reports with figures: proposed, confirmed, rejected, and a total."""
    made = {}

    def report(key, title):
        made[key] = factories.make_article(title=title, body=f"{title}. Police said so.")
        return made[key]

    coast = report("coast", "Meth found in a port warehouse")
    figure(coast, drug="methamphetamine", mass_kg=12.0, quantity=12, unit="kg", place_code="KH-18")
    figure(coast, PERSON, name="Sok  Vanna", role="suspect")
    capital = report("capital", "Heroin packets seized in the capital")
    figure(capital, drug="heroin", mass_kg=3.0, place_code="KH-12", status=FigureStatus.CONFIRMED)
    # A year's total is no single seizure of 500 kg.
    figure(capital, drug="methamphetamine", mass_kg=500.0, place_code="KH-12", scope=TOTAL)
    north = report("north", "Cannabis truck stopped in the north-east")
    figure(north, drug="cannabis", mass_kg=40.0, place_code="TH-40")
    figure(north, drug="heroin", mass_kg=900.0, place_code="KH-18", status=FigureStatus.REJECTED)
    arrests = report("arrests", "Six held after a raid in the capital")
    figure(arrests, ARREST, count=6, place_code="KH-12")
    report("plain", "A meeting on border cooperation")
    apply_pending()
    return made


def counts(backend, **request) -> dict[str, dict[str, int]]:
    return backend.search(SearchRequest(page_size=0, **request), texts_of=dict).facet_counts


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:500]
    return response


def found(response) -> set[str]:
    return {article.title for _hit, article in response.context["results"]}


def group(response, key):
    return next(g for g in response.context["facets"] if g.key == key)


def test_the_document_holds_live_figures_only_and_single_seizures_for_the_mass():
    article = factories.make_article()
    rows = [
        figure(article, drug="heroin", mass_kg=2.5, place_code="KH-12"),
        figure(article, drug="opium", mass_kg=80.0, scope=TOTAL, place_code="KH-1"),
        figure(article, drug="cocaine", mass_kg=700.0, status=FigureStatus.REJECTED),
        figure(article, PERSON, name="Chea, Dara", place_code=""),
        figure(article, ARREST, count=3, place_code="KH-2", name="Operation Dawn"),
    ]
    fields = figure_fields(rows)
    assert fields["province"] == "KH-1,KH-12,KH-2"
    assert fields["drug"] == "heroin,opium"
    assert fields["person"] == "Chea Dara"  # the separator never splits a name
    assert fields["max_kg"] == 2.5
    assert figure_fields([])["max_kg"] is None


def test_the_index_counts_each_figure_facet_value(seizures, search_index):
    found_counts = counts(search_index)
    assert found_counts["province"] == {"KH-12": 2, "KH-18": 1, "TH-40": 1}
    assert found_counts["drug"] == {"methamphetamine": 2, "heroin": 1, "cannabis": 1}
    assert found_counts["person"] == {"Sok Vanna": 1}


def test_the_page_lists_provinces_by_press_name_and_says_values_are_proposals(client, seizures):
    response = search(client)
    provinces = group(response, "province")
    labels = {option.label: option.count for option in provinces.options}
    # KH-18 by the name the press uses; TH-40 is not in the gazetteer's table, so ISO's name.
    assert labels == {"Phnom Penh": 2, "Preah Sihanouk": 1, "Khon Kaen": 1}
    assert "proposed by the machine" in provinces.note
    assert {o.label for o in group(response, "drug").options} == {
        "Methamphetamine",
        "Heroin",
        "Cannabis",
    }
    assert [o.label for o in group(response, "person").options] == ["Sok Vanna"]
    html = response.content.decode()
    assert "most of them proposed by the machine" in html
    assert 'name="min_kg"' in html


def test_selecting_a_province_narrows_and_a_second_widens(client, seizures):
    response = search(client, province="KH-12")
    assert found(response) == {
        "Heroin packets seized in the capital",
        "Six held after a raid in the capital",
    }
    provinces = group(response, "province")
    selected = [o for o in provinces.options if o.selected]
    assert [o.value for o in selected] == ["KH-12"]
    # Other provinces are counted as if this one were not selected, and toggle it in.
    other = next(o for o in provinces.options if o.value == "TH-40")
    assert other.count == 1
    assert "province=KH-12" in other.toggle_url and "province=TH-40" in other.toggle_url
    assert "province" not in selected[0].toggle_url  # ticking it again removes it
    assert len(found(search(client, province=["KH-12", "TH-40"]))) == 3


def test_a_province_code_in_lower_case_is_the_same_filter(client, seizures):
    response = search(client, province="kh-18")
    assert found(response) == {"Meth found in a port warehouse"}
    assert [chip.label for chip in response.context["chips"]] == ["Province: Preah Sihanouk"]


def test_selecting_a_drug_narrows_and_counts_other_facets_within_it(client, seizures):
    response = search(client, drug="heroin")
    assert found(response) == {"Heroin packets seized in the capital"}
    # A rejected heroin seizure in the north-east report finds nothing.
    provinces = {o.value: o.count for o in group(response, "province").options}
    assert provinces == {"KH-12": 1}


def test_selecting_a_person_narrows(client, seizures):
    assert found(search(client, person="Sok Vanna")) == {"Meth found in a port warehouse"}


def test_seized_at_least_counts_single_seizures_only(client, seizures):
    response = search(client, min_kg="10")
    # The capital's 500 kg is a total over a period; the 900 kg was rejected.
    assert found(response) == {
        "Meth found in a port warehouse",
        "Cannabis truck stopped in the north-east",
    }
    assert {o.value: o.count for o in group(response, "drug").options} == {
        "methamphetamine": 1,
        "cannabis": 1,
    }
    assert found(search(client, min_kg="2.5")) == {
        "Meth found in a port warehouse",
        "Heroin packets seized in the capital",
        "Cannabis truck stopped in the north-east",
    }
    assert found(search(client, min_kg="1000")) == set()


def test_seized_at_least_is_an_active_filter_with_a_remove_link(client, seizures):
    response = search(client, min_kg="10.0", province="KH-18")
    chips = {chip.label: chip.remove_url for chip in response.context["chips"]}
    assert chips["Seized at least 10 kg"] == "?province=KH-18"
    assert chips["Province: Preah Sihanouk"] == "?min_kg=10"
    html = response.content.decode()
    assert 'name="min_kg" min="0.001" max="1000000" step="any" value="10"' in html
    # The search box and the other forms keep it.
    assert '<input type="hidden" name="min_kg" value="10">' in html
    # Its own form keeps the other filters and not itself.
    assert response.context["min_kg_hidden_fields"] == [("province", "KH-18")]


@pytest.mark.parametrize("value", ["ten", "-3", "0", "nan", "1e12"])
def test_a_bad_mass_is_ignored_with_a_notice(client, seizures, value):
    response = search(client, min_kg=value)
    assert len(found(response)) == 5
    assert any("not a number of kg" in notice for notice in response.context["notices"])
    assert not response.context["chips"]


# Transactional: the index applies a change after its commit, as it does for a curator's save.
@pytest.mark.django_db(transaction=True)
def test_a_rejected_figure_leaves_the_facet_once_the_curator_rejects_it(
    client, seizures, search_index
):
    assert found(search(client, province="TH-40")) == {"Cannabis truck stopped in the north-east"}
    cannabis = seizures["north"].figures.get(drug="cannabis")
    cannabis.status = FigureStatus.REJECTED
    cannabis.save()
    after = counts(search_index)
    assert "TH-40" not in after["province"]
    assert "cannabis" not in after["drug"]
    assert found(search(client, min_kg="10")) == {"Meth found in a port warehouse"}
    response = search(client, province="TH-40")
    assert found(response) == set()
    # Still selected, so it stays listed (with no reports) and can be unticked.
    first = group(response, "province").options[0]
    assert (first.value, first.count, first.selected) == ("TH-40", 0, True)


@pytest.mark.django_db(transaction=True)
def test_deleting_a_figure_updates_the_index(seizures, search_index):
    seizures["coast"].figures.get(kind=PERSON).delete()
    assert counts(search_index)["person"] == {}


def test_an_index_without_the_figure_facets_is_outdated_and_rebuilt(
    seizures, search_index, monkeypatch
):
    from search.backends.whoosh import schema, storage

    new_fields = ("province", "drug", "person", "max_kg")

    def before_figure_facets():
        earlier = schema.build_schema()
        for name in new_fields:
            earlier.remove(name)
        return earlier

    def earlier_document(article):
        document = article_document(article)
        return {key: value for key, value in document.items() if key not in new_fields}

    with monkeypatch.context() as patched:
        patched.setattr(storage, "build_schema", before_figure_facets)
        patched.setattr(
            "search.management.commands.rebuild_index.article_document", earlier_document
        )
        call_command("rebuild_index", stdout=StringIO(), verbosity=0)
    assert search_index.outdated()
    with pytest.raises(SearchUnavailable, match="earlier version"):
        search_index.search(SearchRequest(page_size=0), texts_of=dict)

    call_command("rebuild_index", "--if-outdated", stdout=StringIO(), verbosity=0)
    assert not search_index.outdated()
    assert counts(search_index)["province"] == {"KH-12": 2, "KH-18": 1, "TH-40": 1}


def test_the_page_title_and_exports_name_the_figure_filters(client, seizures):
    response = search(client, province="KH-18", drug="methamphetamine", min_kg="5")
    assert response.context["search_title"] == (
        "Province: Preah Sihanouk · Drug seized: Methamphetamine · seized at least 5 kg"
    )


def test_while_the_index_is_rebuilt_the_database_list_applies_the_same_filters(
    client, settings, tmp_path
):
    settings.SEARCH_INDEX_DIR = tmp_path / "no-index"
    coast = factories.make_article(title="Coast haul")
    figure(coast, drug="methamphetamine", mass_kg=12.0, place_code="KH-18")
    capital = factories.make_article(title="Capital haul")
    figure(capital, drug="heroin", mass_kg=3.0, place_code="KH-12")
    figure(capital, drug="heroin", mass_kg=500.0, place_code="KH-12", scope=TOTAL)
    rejected = factories.make_article(title="Rejected haul")
    figure(rejected, drug="heroin", mass_kg=90.0, place_code="KH-18", status=FigureStatus.REJECTED)
    listed = reverse("archive:article_list")

    def titles(**params):
        response = client.get(listed, params)
        assert response.status_code == 200
        return {article.title for article in response.context["object_list"]}, response

    assert titles(province="kh-18")[0] == {"Coast haul"}
    assert titles(drug="heroin")[0] == {"Capital haul"}
    assert titles(min_kg="10")[0] == {"Coast haul"}
    shown, response = titles(province=["KH-12", "KH-18"], min_kg="2")
    assert shown == {"Coast haul", "Capital haul"}
    labels = {active.label: active.remove_url for active in response.context["active_filters"]}
    assert labels["Province: Phnom Penh"] == "?province=KH-18&min_kg=2"
    assert labels["Seized at least 2 kg"] == "?province=KH-12&province=KH-18"
