from archive.extraction.arrests import find_arrests
from archive.extraction.figures import FigureKind, Scope

DEMONYMS = {"Chinese": "CN", "Vietnamese": "VN", "Thai": "TH", "Indonesian": "ID", "Lao": "LA"}


def arrests(text):
    return find_arrests(text, demonyms=DEMONYMS)


def counts(text):
    return [(figure.values["count"], figure.scope) for figure in arrests(text)]


def test_a_listed_group_is_one_figure_with_its_nationalities():
    text = "Police arrested a Chinese man and two Vietnamese women in Phnom Penh on Sunday."
    (figure,) = arrests(text)
    assert figure.kind is FigureKind.ARREST
    assert figure.values["count"] == 3
    assert figure.values["nationalities"] == ["CN", "VN"]
    assert text[figure.start : figure.end] == "a Chinese man and two Vietnamese women"
    assert figure.evidence == text
    assert figure.rule == "arrested-n-people"
    assert 0 < figure.confidence <= 1


def test_a_passive_after_the_count_is_an_arrest():
    (figure,) = arrests("On Monday 14 people were arrested at a checkpoint in Chiang Rai.")
    assert figure.values["count"] == 14
    assert figure.rule == "n-people-were-arrested"


def test_a_breakdown_adds_nationalities_but_not_people():
    text = "Officers detained 41 people, including 28 Chinese nationals and 13 Indonesians."
    (figure,) = arrests(text)
    assert figure.values["count"] == 41
    assert figure.values["nationalities"] == ["CN", "ID"]


def test_a_count_in_a_sentence_stating_a_period_is_a_total_with_that_period():
    (figure,) = arrests("In 2016, the authorities detected 4,000 cases, arresting 9,933 suspects.")
    assert (figure.values["count"], figure.scope) == (9933, Scope.TOTAL)
    assert figure.period == "In 2016"
    (figure,) = arrests("Since the start of the year police have detained 2,847 people.")
    assert figure.scope is Scope.TOTAL
    assert figure.period == "Since the start of the year"


def test_a_group_already_spoken_of_is_one_event_whatever_the_year():
    assert counts("Police arrested the 16 defendants in 2022 in Ha Tinh.") == [(16, Scope.SINGLE)]


def test_a_figure_repeated_in_a_report_is_one_figure():
    text = (
        "Border guards arrested four people smuggling cough syrup. "
        "Their commander said the four people were arrested after weeks of surveillance."
    )
    assert counts(text) == [(4, Scope.SINGLE)]


def test_people_rescued_killed_or_sentenced_are_not_arrests():
    assert counts("Police rescued 56 Cambodian workers from a fishing boat.") == []
    assert counts("Two suspects were shot dead during the raid.") == []
    assert counts("The court sentenced three men to 20 years in prison.") == []
    text = "Police rescued 23 women and arrested three people who had recruited them."
    assert counts(text) == [(3, Scope.SINGLE)]


def test_ages_phone_numbers_dates_laws_and_money_are_not_counts():
    text = (
        "A 41-year-old man was questioned on 12 May 2024 under Article 40 of the drug law. "
        "Call 097 555 1234 with information. He lost $45,000 to the scheme."
    )
    assert arrests(text) == []


def test_numbers_in_words_count_and_a_self_counting_arrests_phrase_counts():
    assert counts("Police in Shan State detained twenty-three people on Thursday.") == [
        (23, Scope.SINGLE)
    ]
    assert counts("Police made seven arrests after the robbery of a gold shop.") == [
        (7, Scope.SINGLE)
    ]


def test_the_region_s_languages_are_read_by_their_own_rules():
    assert counts("កម្លាំងនគរបាលបានឃាត់ខ្លួនជនសង្ស័យ ៣ នាក់ ពាក់ព័ន្ធនឹងគ្រឿងញៀន។") == [(3, Scope.SINGLE)]
    assert counts("ตำรวจจับกุมผู้ต้องหา 4 ราย พร้อมยาบ้า 200,000 เม็ด") == [(4, Scope.SINGLE)]
    assert counts("Công an tỉnh đã bắt giữ 5 đối tượng vận chuyển ma túy.") == [(5, Scope.SINGLE)]
    (figure,) = arrests("Từ đầu năm đến nay, lực lượng chức năng bắt giữ 480 đối tượng.")
    assert figure.scope is Scope.TOTAL
    assert figure.rule == "vi-arrested-n-people"


def test_a_relative_after_his_or_her_is_one_more_person():
    (figure,) = arrests("Police in Pattaya arrested a Chinese man and his Thai girlfriend.")
    assert figure.values["count"] == 2
    assert sorted(figure.values["nationalities"]) == ["CN", "TH"]
    (figure,) = arrests("Officers detained a 39-year-old man and his 22-year-old son.")
    assert figure.values["count"] == 2


def test_his_or_her_before_anyone_but_a_relative_counts_nobody():
    (figure,) = arrests("The police chief said his officers arrested five people on Monday.")
    assert figure.values["count"] == 5
    assert arrests("The boat's captain was questioned while his crew were held.") == []
