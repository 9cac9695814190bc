from archive.extraction.cases import find_cases
from archive.extraction.figures import FigureKind, Scope


def whats(text):
    return [
        {key: value for key, value in figure.values.items() if key != "as_written"}
        for figure in find_cases(text)
    ]


def test_numbers_of_cases_and_raids_are_counted_with_their_period():
    (cases,) = find_cases(
        "In the past six months, the ministry tackled 541 cases of illegal gambling."
    )
    assert cases.kind is FigureKind.CASE
    assert cases.values["what"] == "cases"
    assert cases.values["count"] == 541
    assert cases.scope is Scope.TOTAL
    assert cases.period == "In the past six months"
    assert whats("Thai police carried out 1,250 raids last week.") == [
        {"what": "raids", "count": 1250}
    ]


def test_places_count_as_sites_only_beside_a_raid_verb():
    assert whats("Police raided three scam compounds in Myawaddy on Saturday.") == [
        {"what": "sites", "count": 3}
    ]
    assert whats("Twelve karaoke parlours and two guesthouses were raided overnight.") == [
        {"what": "sites", "count": 14}
    ]
    assert whats("Inspectors visited 45 casinos and hotels in Poipet this week.") == []


def test_an_operation_is_named():
    assert whats("Operation Cobra was launched in Bokeo in January.") == [
        {"what": "operation", "name": "Operation Cobra"}
    ]
    assert whats("The Operation Centre in Vientiane opened in January.") == []


def test_a_court_outcome_gives_court_charge_sentence_and_fine():
    text = (
        "Banteay Meanchey Provincial Court convicted three Thai men of illegal logging, "
        "sentenced them to 7 years and 6 months in prison and fined each of them 10 million riel."
    )
    assert whats(text) == [
        {"what": "court", "name": "Banteay Meanchey Provincial Court"},
        {"what": "charge", "charge": "illegal logging"},
        {"what": "sentence", "years": 7, "months": 6},
        {"what": "fine", "amount": 10_000_000, "currency": "KHR"},
    ]
    assert whats("A Vietnamese court sentenced two men to death and one to life in prison.") == [
        {"what": "sentence", "life": True},
        {"what": "sentence", "death": True},
    ]


def test_a_court_that_only_receives_a_case_and_fines_a_law_allows_are_not_outcomes():
    text = (
        "Kampot Provincial Court transferred the case to Phnom Penh Municipal Court. "
        "The law allows fines of up to 100 million riel."
    )
    assert find_cases(text) == []


def test_ages_years_phone_numbers_and_quantities_are_not_counts():
    text = (
        "Police seized 75 kg of methamphetamine in Mondulkiri in 2023. "
        "The 2023 report, 140 pages long, is available on 023 726 052."
    )
    assert find_cases(text) == []


def test_the_same_figure_stated_twice_is_one():
    text = "Police handled 390 cases this year. The 390 cases involved drugs."
    assert len(find_cases(text)) == 1


def test_the_region_s_languages_give_cases_and_sentences():
    assert whats("ตั้งแต่ต้นปี ตำรวจจับกุมผู้ต้องหาได้แล้ว 1,230 คน จาก 1,050 คดี") == [
        {"what": "cases", "count": 1050}
    ]
    assert whats("Tòa án tuyên phạt bị cáo 20 năm tù về tội mua bán ma túy.") == [
        {"what": "sentence", "years": 20, "months": 0}
    ]
