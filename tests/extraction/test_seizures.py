from archive.extraction.figures import FigureKind, Scope
from archive.extraction.seizures import find_seizures


def stated(text):
    return [
        (f.values["drug"], f.values["quantity"], f.values["unit"], f.scope)
        for f in find_seizures(text)
    ]


def test_a_seizure_keeps_its_drug_quantity_unit_mass_evidence_and_offsets():
    text = (
        "Border police made a raid on Monday. They seized 12 kilograms of crystal meth in Poipet."
    )
    (figure,) = find_seizures(text)
    assert figure.kind == FigureKind.SEIZURE
    assert figure.values == {
        "drug": "methamphetamine",
        "quantity": 12.0,
        "unit": "kg",
        "as_written": "12 kilograms of crystal meth",
        "mass_kg": 12.0,
        "count": None,
        "approximate": False,
    }
    assert text[figure.start : figure.end] == "12 kilograms of crystal meth"
    assert figure.evidence == "They seized 12 kilograms of crystal meth in Poipet."
    assert figure.scope == Scope.SINGLE and figure.rule == "quantity-of-drug"
    assert 0 < figure.confidence <= 1


def test_the_drug_may_stand_between_a_count_and_its_unit_or_before_a_quantity():
    assert stated("They found 3,400 yaba tablets and heroin weighing 3.2 kilograms.") == [
        ("methamphetamine", 3400.0, "tablet", Scope.SINGLE),
        ("heroin", 3.2, "kg", Scope.SINGLE),
    ]


def test_drug_names_in_the_regions_languages_are_read():
    assert stated("ตำรวจยึดยาบ้า 200,000 เม็ด") == [
        ("methamphetamine", 200000.0, "tablet", Scope.SINGLE)
    ]
    assert stated("vận chuyển 5 kg ma túy đá") == [("methamphetamine", 5.0, "kg", Scope.SINGLE)]


def test_a_figure_repeated_in_a_report_is_one_figure():
    text = "Police seized about 100 kg of heroin. The 100 kg of heroin came from Laos."
    assert stated(text) == [("heroin", 100.0, "kg", Scope.SINGLE)]


def test_totals_over_a_period_are_never_single_and_keep_the_period_as_written():
    text = (
        "Police seized 8 kg of heroin on Friday, bringing the total seized so far this year to "
        "45 kg. Since 2017, police have confiscated about 25 tonnes of illegal drugs."
    )
    figures = find_seizures(text)
    assert [(f.scope, f.period) for f in figures] == [
        (Scope.SINGLE, ""),
        (Scope.TOTAL, "bringing the total"),
        (Scope.TOTAL, "Since 2017"),
    ]


def test_a_past_statistic_compared_with_is_a_total_of_its_own_period():
    text = "Last year police seized 1,520 kg of methamphetamine, up from 980 kg in 2021."
    assert [(f.period, f.values["quantity"]) for f in find_seizures(text)] == [
        ("Last year", 1520.0),
        ("in 2021", 980.0),
    ]


def test_containers_beside_a_mass_of_the_same_drug_are_not_a_second_figure():
    text = "Officers found 20 packages of crystal meth weighing 21 kilogrammes in the car."
    assert stated(text) == [("methamphetamine", 21.0, "kg", Scope.SINGLE)]


def test_money_goods_and_people_are_no_seizure():
    text = (
        "Anti-drug police confiscated $18,000 in cash, 50 grams of gold and 20 kg of TNT, and "
        "three men carrying bags, aged 19, 23 and 41; call 023 720 555."
    )
    assert find_seizures(text) == []


def test_production_estimates_and_thresholds_of_the_law_are_no_seizure():
    text = (
        "Laboratories produce an estimated 150 tonnes of methamphetamine a year. Possession of "
        "more than 80 grams of heroin is punishable by life imprisonment."
    )
    assert find_seizures(text) == []


def test_a_count_whose_words_name_no_drug_is_no_seizure():
    assert stated("Soldiers found heroin hidden among 60 fertiliser bags on the truck.") == []
