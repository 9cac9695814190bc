from archive.languages.names import PEOPLE, other_forms
from search.query.typed_query import with_every_name_form


def test_every_form_of_a_name_leads_to_all_of_them():
    for person in PEOPLE:
        for form in person:
            ((start, end, forms),) = other_forms(f"news of {form} today")
            assert forms == person
            assert f"news of {form} today"[start:end] == form


def test_names_are_found_whole_in_any_case_with_hyphens_or_spaces_and_a_possessive():
    assert [f[:2] for f in other_forms("SAR KHENG's order")] == [(0, 11)]
    assert other_forms("Prayut Chan o cha spoke")[0][2][0] == "Prayut Chan-o-cha"
    assert other_forms("Sar Khengs") == []  # another word
    assert other_forms("the Kheng Sar market") == []


def test_a_typed_name_is_asked_in_every_form_but_a_quoted_one_as_written():
    assert (
        with_every_name_form("Sar Kheng drugs") == '("Sar Kheng" OR "Sor Kheng" OR "ស ខេង") drugs'
    )
    assert with_every_name_form('"Sar Kheng" raid') == '"Sar Kheng" raid'
