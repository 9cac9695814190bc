"""The taxonomy helpers, and the shipped taxonomy's coverage of the seeds."""

import pytest

from archive.ingest.cleaning import clean_text
from archive.models import Country, CrimeType, Ministry, Source
from archive.taxonomy import NameIndex, descendant_ids, normalize_name, parse_aliases, slugify_name
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
