"""find_people: officials and suspects a report names, with their roles, one figure per person."""

import pytest

from archive.extraction.figures import FigureKind
from archive.extraction.people import KNOWN_NAME_CONFIDENCE, RULES, find_people, role_of
from archive.extraction.places import Gazetteer

DEMONYMS = {"Chinese": "CN", "Vietnamese": "VN", "Thai": "TH", "Cambodian": "KH"}


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.build()


def people(text, gazetteer=None):
    return [
        (figure.values["name"], figure.values["role"])
        for figure in find_people(text, demonyms=DEMONYMS, gazetteer=gazetteer)
    ]


def test_a_title_before_a_name_gives_its_role_the_title_as_written_and_the_evidence():
    text = "On Monday, Defence Minister Tea Seiha opened the exhibition. Drugs were burnt."
    (figure,) = find_people(text, demonyms=DEMONYMS)
    assert figure.kind is FigureKind.PERSON
    assert figure.values == {"name": "Tea Seiha", "role": "minister", "title": "Defence Minister"}
    assert text[figure.start : figure.end] == "Tea Seiha"
    assert figure.evidence == "On Monday, Defence Minister Tea Seiha opened the exhibition."
    assert figure.rule == "title-before-name"
    assert figure.confidence == RULES["title-before-name"]


def test_a_title_with_its_ministry_after_it_is_read_to_the_name():
    assert people("Minister of Justice Keo Remy spoke.") == [("Keo Remy", "minister")]
    assert people("Bộ trưởng Bộ Công an Tô Lâm phát biểu.") == [("Tô Lâm", "minister")]


def test_a_person_named_again_is_one_figure_with_the_most_specific_role_and_first_evidence():
    text = (
        "Lieutenant General Sar Thet led the raid. "
        "Sar Thet, the Phnom Penh police chief, said 23 people were held."
    )
    (figure,) = find_people(text, demonyms=DEMONYMS)
    assert figure.values["role"] == "police chief"
    assert figure.values["title"] == "Phnom Penh police chief"
    assert figure.evidence == "Lieutenant General Sar Thet led the raid."
    assert figure.start == text.index("Sar Thet")


def test_a_deputy_keeps_the_word_in_the_role():
    text = "Heng Vuthy, deputy governor of Banteay Meanchey province, spoke to reporters."
    assert people(text) == [("Heng Vuthy", "deputy governor")]


def test_suspects_identified_as_a_list_are_each_a_suspect():
    text = "The suspects were identified as Chea Sovann, 29, and Kim Rithy, 34."
    found = find_people(text, demonyms=DEMONYMS)
    assert [(f.values["name"], f.values["role"], f.rule) for f in found] == [
        ("Chea Sovann", "suspect", "identified-as"),
        ("Kim Rithy", "suspect", "listed-with"),
    ]


def test_a_nationality_stated_beside_a_name_is_kept_as_its_iso_code():
    text = "Police detained Wang Hao, a 35-year-old Chinese national, in a rented villa."
    (figure,) = find_people(text, demonyms=DEMONYMS)
    assert (figure.values["role"], figure.values["nationality"]) == ("suspect", "CN")
    named = find_people("Officers detained a Chinese national named Zhang Min.", demonyms=DEMONYMS)
    assert [(f.values["name"], f.values.get("nationality")) for f in named] == [("Zhang Min", "CN")]


def test_a_court_sentence_makes_the_person_accused_and_an_arrest_a_suspect():
    assert people("The court sentenced Nguyen Van Hung, 45, to 18 years.") == [
        ("Nguyen Van Hung", "accused")
    ]
    assert people("Customs officers arrested Tran Van Long at Bavet.") == [
        ("Tran Van Long", "suspect")
    ]


def test_victims_and_witnesses_are_not_recorded():
    assert people("Police rescued Srey Leak, a 19-year-old woman, from a compound.") == []
    assert people("The victim, Mey Sreynich, 15, was taken to a shelter.") == []
    assert people("Sok Dara, a market vendor, said she saw the raid.") == []


def test_agencies_titles_alone_and_headlines_are_not_people():
    assert people("The General Department of Immigration said 120 were deported.") == []
    assert people("The Ministry of Interior spokesperson said more raids were planned.") == []
    assert people("Interior Minister Urges Crackdown On Casinos\nThe ministry spoke.") == []


def test_a_place_the_gazetteer_knows_is_not_a_person(gazetteer):
    text = "The governor of the province met suspects Svay Rieng and Prey Veng police chiefs."
    # Without the gazetteer, a mistake.
    assert people(text) == [("Svay Rieng", "suspect"), ("Prey Veng", "suspect")]
    assert people(text, gazetteer) == []


def test_a_title_before_an_earlier_name_is_not_the_next_names():
    text = "Interior Minister Sar Kheng, Hun Sen and others attended."
    assert people(text) == [("Sar Kheng", "minister")]


def test_a_name_in_the_cross_script_table_has_its_other_forms_and_is_one_person():
    text = "Interior Minister Sar Kheng spoke. ឯកឧត្តម ស ខេង ឧបនាយករដ្ឋមន្ត្រី បានថ្លែង។"
    (figure,) = find_people(text, demonyms=DEMONYMS)
    assert figure.values["name"] == "Sar Kheng"
    assert "ស ខេង" in figure.values["names"] and "Sar Kheng" not in figure.values["names"]
    assert figure.confidence == KNOWN_NAME_CONFIDENCE


def test_khmer_honorific_and_suspect_named():
    text = "ឯកឧត្តម នាយឧត្តមសេនីយ៍ នេត សាវឿន អគ្គស្នងការនគរបាលជាតិ បានប្រកាស។"
    assert people(text) == [("នេត សាវឿន", "police chief")]
    text = "សមត្ថកិច្ចបានឃាត់ខ្លួនជនសង្ស័យឈ្មោះ សុខ ពិសិដ្ឋ ភេទប្រុស អាយុ ៣២ឆ្នាំ។"
    assert people(text) == [("សុខ ពិសិដ្ឋ", "suspect")]


def test_thai_honorific_with_a_role_and_nayok_which_is_no_honorific():
    text = "ตำรวจจับกุมผู้ต้องหาชาวกัมพูชา คือ นายสุขา ดารา อายุ 28 ปี"
    (figure,) = find_people(text, demonyms=DEMONYMS)
    assert (figure.values["name"], figure.values["role"]) == ("สุขา ดารา", "suspect")
    assert figure.values["nationality"] == "KH"
    assert people("นายกรัฐมนตรีกล่าวว่ารัฐบาลจะเพิ่มด่านตรวจ") == []


def test_vietnamese_suspect_and_general_with_position():
    assert people("Công an đã bắt giữ đối tượng Nguyễn Văn Bình (SN 1990).") == [
        ("Nguyễn Văn Bình", "suspect")
    ]
    text = "Thiếu tướng Lê Quốc Hùng, Giám đốc Công an tỉnh Tây Ninh, cho biết."
    assert people(text) == [("Lê Quốc Hùng", "police chief")]


def test_a_name_after_a_word_for_a_place_is_a_place():
    assert people("Giám đốc Công an tỉnh Tây Ninh phát biểu.") == []


def test_a_report_with_no_role_word_is_not_read():
    assert find_people("Prices of rice rose in Phnom Penh markets this week.", demonyms={}) == []


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Interior Minister", "minister"),
        ("Cambodian Deputy Prime Minister", "deputy prime minister"),
        ("National Police Commissioner General", "police chief"),
        ("Lt. Gen.", "general"),
        ("General Commissariat spokesman", "spokesperson"),
        ("director of the Tay Ninh police", "police chief"),
        ("deputy National Police chief", "deputy police chief"),
        ("Defendant", "accused"),
        ("the mastermind", "ringleader"),
        ("a market vendor", ""),
    ],
)
def test_titles_are_normalised_to_roles(title, role):
    assert role_of(title) == role
