from archive.languages.names import PEOPLE, NamedPerson, NameForm, other_forms, people_named
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


def names(text: str) -> list[str]:
    return [person.name.text for person in people_named(text)]


def test_a_report_lists_the_people_it_names_in_order_with_every_other_form_and_its_language():
    text = "ឧបនាយករដ្ឋមន្ត្រី ស ខេង បានជួបជាមួយ Hun Manet ដើម្បីពិភាក្សាអំពីការបង្ក្រាបគ្រឿងញៀន។"
    assert people_named(text) == [
        NamedPerson(
            NameForm("ស ខេង", "km"), (NameForm("Sar Kheng", "en"), NameForm("Sor Kheng", "en"))
        ),
        NamedPerson(
            NameForm("Hun Manet", "en"),
            (NameForm("ហ៊ុន ម៉ាណែត", "km"), NameForm("洪玛奈", "zh"), NameForm("ฮุน มาเนต", "th")),
        ),
    ]
    (to_lam,) = people_named("General Secretary Tô Lâm spoke.")
    assert to_lam.name == NameForm("Tô Lâm", "vi") and to_lam.query == "Tô Lâm"


def test_a_person_named_twice_or_in_two_forms_is_listed_once_by_the_first_form():
    assert names("Hun Sen (ហ៊ុន សែន) said. Hun Sen added.") == ["Hun Sen"]
    assert names("ហ៊ុន សែន and later Hun Sen") == ["ហ៊ុន សែន"]


def test_names_are_whole_words_in_spaced_scripts():
    assert names("Sar Kheng's order; Sar-Kheng") == ["Sar Kheng"]
    assert names("Sar Khengs and the Hun Senate") == []


def test_a_name_in_an_unspaced_script_is_never_found_inside_a_longer_cluster():
    assert names("លោក ស ខេង បាននិយាយ") == ["ស ខេង"]
    assert names("ឃ្ងំ ស ខេងា") == []  # a vowel sign after it: part of another cluster
    assert names("ក្ស ខេង") == []  # a subscript mark before it: part of another cluster
    assert names("นายฮุน เซนกล่าว") == ["ฮุน เซน"]


def test_a_name_is_written_with_its_capitals_or_all_in_capitals():
    assert names("SAR KHENG ORDERS RAIDS") == ["Sar Kheng"]
    assert names("The convoy drove to Lam Dong.") == []
    assert names("To Lam visited the border.") == ["To Lam"]
