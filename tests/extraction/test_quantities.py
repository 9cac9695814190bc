import pytest

from archive.extraction.quantities import find_quantities, parse_number


def only(text):
    (quantity,) = find_quantities(text)
    return quantity


@pytest.mark.parametrize(
    ("text", "value", "unit", "mass_kg"),
    [
        ("seized 100 kilogrammes of meth", 100, "kg", 100),
        ("some 1.2 tonnes of heroin", 1.2, "t", 1200),
        ("a tonne of cannabis", 1, "t", 1000),
        ("250 grams of ice", 250, "g", 0.25),
        ("44 pounds of methamphetamine", 44, "lb", 19.958064),
        ("a 10-kilogram package", 10, "kg", 10),
        ("five kilograms of heroin", 5, "kg", 5),
        ("ម៉ាទឹកកកជាង ៤០ គីឡូក្រាម", 40, "kg", 40),
        ("ไอซ์ 15 กิโลกรัม", 15, "kg", 15),
        ("2,5 kg ketamine của hai đối tượng", 2.5, "kg", 2.5),
    ],
)
def test_masses_are_read_as_written_and_normalised_to_kilograms(text, value, unit, mass_kg):
    quantity = only(text)
    assert (quantity.value, quantity.unit, quantity.mass_kg) == (value, unit, mass_kg)
    assert quantity.count is None


@pytest.mark.parametrize(
    ("text", "count", "unit"),
    [
        ("30,000 yaba tablets", 30_000, "tablet"),
        ("2 million methamphetamine pills", 2_000_000, "tablet"),
        ("about two hundred yaba pills", 200, "tablet"),
        ("10 bricks of heroin", 10, "brick"),
        ("ยาบ้า 200,000 เม็ด", 200_000, "tablet"),
        ("1.200 viên thuốc lắc", 1200, "tablet"),
        ("12,000 cannabis plants", 12_000, "plant"),
    ],
)
def test_tablets_plants_and_containers_are_counts(text, count, unit):
    quantity = only(text)
    assert (quantity.count, quantity.unit, quantity.mass_kg) == (count, unit, None)


def test_litres_keep_their_volume_without_a_mass():
    quantity = only("3,000 litres of precursor chemicals")
    assert (quantity.value, quantity.unit, quantity.mass_kg, quantity.count) == (
        3000,
        "litre",
        None,
        None,
    )


@pytest.mark.parametrize(
    "text", ["about one tonne", "more than 30,000 pills", "nearly 5 kg", "ម៉ាទឹកកកជាង ៤០ គីឡូក្រាម"]
)
def test_words_of_approximation_make_a_quantity_approximate(text):
    assert only(text).approximate


def test_a_plain_quantity_is_not_approximate_and_keeps_its_words_and_offsets():
    text = "Police found 4.5 kg of heroin."
    quantity = only(text)
    assert not quantity.approximate
    assert text[quantity.start : quantity.end] == quantity.as_written == "4.5 kg"


@pytest.mark.parametrize(
    "text",
    [
        "call 023 720 555 or the hotline 1288",
        "aged 19, 23 and 41",
        "under Article 40 of the law",
        "fined 100 million riel (about $25,000)",
        "on 5/6/2024 at 3:30 pm on National Road 5",
        "a 4G network and Bay T",
    ],
)
def test_numbers_without_a_unit_are_no_quantity(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("written", "decimal_comma", "value"),
    [
        ("1,200", False, 1200),
        ("1.2", False, 1.2),
        ("1,200.05", False, 1200.05),
        ("1.200.000", False, 1_200_000),
        ("1.200", True, 1200),
        ("2,5", True, 2.5),
        ("១២", False, 12),
        ("twenty-five", False, 25),
        ("half a", False, 0.5),
    ],
)
def test_numbers_are_parsed_as_the_press_writes_them(written, decimal_comma, value):
    assert parse_number(written, decimal_comma=decimal_comma) == value
