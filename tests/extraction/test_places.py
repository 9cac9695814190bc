"""find_places: provinces, towns, districts and crossings resolved to ISO 3166-2 codes."""

import pytest

from archive.extraction.figures import FigureKind
from archive.extraction.places import Gazetteer, find_places


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.build()


def places(text, gazetteer):
    return [
        (f.values["iso"], f.values["name"], f.values["level"])
        for f in find_places(text, gazetteer=gazetteer)
    ]


def test_a_town_resolves_to_its_province_code(gazetteer):
    assert places("Police at Poipet seized the pills.", gazetteer) == [("KH-1", "Poipet", "town")]
    assert places("He crossed at Bavet.", gazetteer) == [("KH-20", "Bavet", "town")]


def test_sihanoukville_is_preah_sihanouk(gazetteer):
    (figure,) = find_places("A raid in Sihanoukville on Monday.", gazetteer=gazetteer)
    assert figure.kind == FigureKind.PLACE
    assert figure.values == {
        "iso": "KH-18",
        "name": "Sihanoukville",
        "country": "KH",
        "level": "town",
        "province": "Preah Sihanouk",
        "as_written": "Sihanoukville",
    }


def test_the_press_spelling_and_the_official_one_are_the_same_province(gazetteer):
    assert places("Siem Reap police said.", gazetteer) == [("KH-17", "Siem Reap", "province")]
    assert places("Siem Reab police said.", gazetteer) == [("KH-17", "Siem Reap", "province")]


def test_figures_carry_offsets_evidence_and_rule(gazetteer):
    text = "No arrests. Officers in Kampot seized 5 kg. Then they left."
    (figure,) = find_places(text, gazetteer=gazetteer)
    assert text[figure.start : figure.end] == "Kampot"
    assert figure.evidence == "Officers in Kampot seized 5 kg."
    assert figure.rule == "province-name"
    assert 0 < figure.confidence <= 1


def test_a_place_named_again_is_one_figure(gazetteer):
    text = "Tuol Kork police arrested him. Tuol Kork residents were relieved. Toul Kork is calm."
    assert places(text, gazetteer) == [("KH-12", "Tuol Kouk", "district")]


def test_phsar_kandal_is_a_market_in_phnom_penh_not_kandal_province(gazetteer):
    assert places("Traders at Phsar Kandal said sales fell.", gazetteer) == []
    assert places("Kandal police arrested two men.", gazetteer) == [("KH-8", "Kandal", "province")]


def test_khmer_kandal_means_middle_unless_it_follows_the_word_for_province(gazetteer):
    assert places("នៅកណ្ដាលផ្លូវ", gazetteer) == []  # in the middle of the road
    assert places("ប៉ូលិសខេត្តកណ្ដាលបានចាប់", gazetteer) == [("KH-8", "Kandal", "province")]


def test_names_that_are_also_peoples_or_persons_count_only_with_a_province_word(gazetteer):
    assert places("Nguyen Thi Trang was sentenced.", gazetteer) == []
    assert places("Police in Trang province said.", gazetteer) == [("TH-92", "Trang", "province")]
    assert places("The Mon ethnic leader spoke. King Norodom Sihanouk's statue.", gazetteer) == []
    assert places("Fighting in Mon State.", gazetteer) == [("MM-15", "Mon State", "province")]


def test_the_longest_name_wins(gazetteer):
    assert places("Oddar Meanchey police said.", gazetteer) == [
        ("KH-22", "Oddar Meanchey", "province")
    ]
    assert places("Officers in Chbar Mon said.", gazetteer) == [("KH-5", "Chbar Mon", "town")]


def test_a_name_that_is_a_town_and_a_province_is_the_province_unless_town_follows(gazetteer):
    assert places("Battambang police said.", gazetteer) == [("KH-2", "Battambang", "province")]
    assert places("In Battambang town, police said.", gazetteer) == [("KH-2", "Battambang", "town")]


def test_vientiane_is_the_capital_unless_named_as_the_province(gazetteer):
    assert places("Police in Vientiane said.", gazetteer) == [
        ("LA-VT", "Vientiane Capital", "province")
    ]
    assert places("Police in Vientiane province said.", gazetteer)[0][0] == "LA-VI"
    assert places("ຕຳຫຼວດແຂວງວຽງຈັນ", gazetteer)[0][0] == "LA-VI"
    assert places("in the province of Vientiane", gazetteer)[0][0] == "LA-VI"
    assert places("Vientiane provincial police said", gazetteer)[0][0] == "LA-VI"


def test_a_town_followed_by_checkpoint_is_the_crossing(gazetteer):
    assert places("at the Poipet international checkpoint", gazetteer) == [
        ("KH-1", "Poipet", "crossing")
    ]


def test_names_count_only_as_capitalised_whole_words(gazetteer):
    assert places("clothes left to tak; the kampot pepper", gazetteer) == []
    assert places("Kampotian food", gazetteer) == []


def test_names_in_the_regions_scripts(gazetteer):
    assert places("ตำรวจแม่สอดจับกุม", gazetteer) == [("TH-63", "Mae Sot", "district")]
    assert places("在西港被捕", gazetteer) == [("KH-18", "Sihanoukville", "town")]
    assert places("Công an tỉnh Tây Ninh", gazetteer)[0][0] == "VN-37"
    assert places("မြဝတီမြို့", gazetteer) == [("MM-13", "Myawaddy", "town")]


def test_a_province_and_a_country_are_named_as_the_press_names_them():
    from archive.extraction.places import country_name, province_name

    assert province_name("KH-18") == "Preah Sihanouk"  # the press's name, not ISO's
    assert province_name("MY-01") == "Johor"  # ISO's where the table is silent
    assert province_name("ZZ-99") == "ZZ-99"
    assert province_name("") == ""
    assert country_name("VN") == "Vietnam"  # pycountry's common name, not "Viet Nam"
    assert country_name("kh") == "Cambodia"
    assert country_name("ZZ") == "ZZ"
