"""The taxonomy helpers, and the shipped taxonomy's coverage of the seeds."""

import pytest

from archive.ingest.cleaning import clean_text
from archive.models import Country, CrimeType, Ministry, Source
from archive.taxonomy import (
    NameIndex,
    ancestor_ids,
    descendant_ids,
    narrower_by_broad,
    normalize_name,
    parse_aliases,
    slugify_name,
)
from archive.taxonomy_loader import crime_types_with_narrower
from tests.conftest import SEEDS_DIR


def test_aliases_are_one_per_line_without_repeats():
    assert parse_aliases(" NACD \n\nnacd\nNational  Authority\n") == ["NACD", "National Authority"]


def test_names_compare_without_case_quotes_or_spacing():
    assert (
        normalize_name("Lao  People’s  Democratic Republic") == "lao people's democratic republic"
    )


def test_name_index_reports_ambiguity():
    index = NameIndex.build([(1, ["Ministry of Interior"]), (2, ["ministry of interior", "MoI"])])
    assert index.resolve("MoI") == 2
    assert index.resolve("Ministry of Interior") is None
    assert index.candidates("Ministry of Interior") == {1, 2}


def test_descendants_survive_a_cycle():
    assert descendant_ids({1: None, 2: 1, 3: 2, 4: 3, 5: None}, [2]) == {2, 3, 4}
    assert descendant_ids({1: 2, 2: 1}, [1]) == {1, 2}


# drugs (1) > stimulants (2) > methamphetamine (3); gambling (4) stands alone.
HIERARCHY = {1: None, 2: 1, 3: 2, 4: None}


def test_ancestors_are_every_entry_above_and_the_entries_themselves():
    assert ancestor_ids(HIERARCHY, [3]) == {1, 2, 3}
    assert ancestor_ids(HIERARCHY, [4, 2]) == {1, 2, 4}
    assert ancestor_ids({1: 2, 2: 1}, [1]) == {1, 2}  # a cycle an admin made ends the walk


def test_each_broad_entry_covers_itself_and_everything_below_it():
    assert narrower_by_broad(HIERARCHY) == {1: {1, 2, 3}, 2: {2, 3}}


@pytest.mark.django_db
def test_a_crime_type_filter_covers_the_types_below_it_in_the_database():
    drugs = CrimeType.objects.create(name="Drugs test", slug="drugs-test")
    meth = CrimeType.objects.create(name="Meth test", slug="meth-test", parent=drugs)
    assert crime_types_with_narrower([drugs.pk]) == {drugs.pk, meth.pk}
    assert crime_types_with_narrower([meth.pk]) == {meth.pk}


def test_slugs_are_ascii():
    assert slugify_name("Trafic de drogue – Việt Nam") == "trafic-de-drogue-viet-nam"


# Every taxonomy entry a seed names, by the words the seed uses.
SEED_MENTIONS = {
    Country: ["Cambodia", "Vietnam", "Thailand", "Laos", "China", "Taiwan", "Australia"],
    Ministry: [
        "Interior Ministry",
        "National Police",
        "Phnom Penh police",
        "National Authority for Combating Drugs",
        "CGMC",
        "Military Police",
        "Finance Minister",
        "Interior Minister",
        "immigration department",
        "Phnom Penh Municipal Court",
        "Kampot Provincial Court",
        "ASEAN Ministerial Meeting on Transnational Crime and Related Meetings",
        "National Steering Committee for Drug, AIDS and Prostitution Prevention and Control",
        "Chinese police",
        "Thai police",
    ],
    CrimeType: [
        "drug trafficking",
        "crystal meth",
        "narcotics",
        "money laundering",
        "human trafficking",
        "kidnapping",
        "robberies",
        "homicides",
        "torture",
        "forced labor",
        "blood-harvesting",
        "gambling",
        "lottery",
        "cybercrime",
        "illegal weapon possession",
        "extortion",
        "sexual exploitation",
        "terrorist financing",
        "weapons of mass destruction",
        "drink driving",
        "transnational crime",
        "drug detoxification",
    ],
    Source: ["Khmer Times", "VOD"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(SEED_MENTIONS), ids=lambda model: model.__name__)
def test_the_initial_taxonomy_covers_what_the_seeds_name(model):
    seeds_text = (
        " ".join(
            clean_text(path.read_text(encoding="utf-8")).body for path in SEEDS_DIR.glob("*.txt")
        )
        + " Khmer Times VOD"
    )
    index = NameIndex.build((entry.pk, entry.all_names()) for entry in model.objects.all())
    for words in SEED_MENTIONS[model]:
        assert normalize_name(words) in normalize_name(seeds_text), f"{words!r} is not in the seeds"
        assert index.candidates(words), f"no {model.__name__} entry answers to {words!r}"


@pytest.mark.django_db
def test_hierarchy_places_and_countries_of_agencies():
    police = Ministry.objects.get(name="General Commissariat of National Police")
    assert police.parent.name == "Ministry of Interior" and police.country.code == "KH"
    assert "Preah Sihanouk" in Country.objects.get(code="KH").place_list()
    assert "Hanoi" in Country.objects.get(code="VN").place_list()
    meth = CrimeType.objects.get(name="Methamphetamine trafficking")
    assert meth.parent.name == "Drug trafficking" and meth.parent.parent.name == "Drug offences"


@pytest.mark.django_db
def test_every_iso_country_is_known():
    import pycountry

    codes = set(Country.objects.values_list("code", flat=True))
    assert {country.alpha_2 for country in pycountry.countries} <= codes
    assert Country.objects.get(code="NG").demonym_list() == ["Nigerian", "Nigerians"]
    assert "Lusaka" in Country.objects.get(code="ZM").place_list()


@pytest.mark.django_db
def test_reports_about_countries_beyond_the_region_are_tagged():
    from archive.tagging.store import load_lexicon
    from archive.tagging.tagger import SUBJECT, propose_tags

    lexicon = load_lexicon()
    text = (
        "Customs officers at Lusaka airport arrested two Nigerians carrying heroin. Zambia's "
        "drug commission said the pair had flown in from Lagos."
    )
    subjects = {
        lexicon.label("country", p.entry_id)
        for p in propose_tags("Heroin seized in Zambia", text, lexicon).countries
        if p.role == SUBJECT
    }
    assert "Zambia" in subjects
    assert "Nigeria" in {
        lexicon.label("country", p.entry_id)
        for p in propose_tags("Heroin seized in Zambia", text, lexicon).countries
    }
