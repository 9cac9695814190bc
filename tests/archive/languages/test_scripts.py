from archive.languages.scripts import (
    breaks_between_letters,
    main_script,
    script_counts,
    script_of,
    unicode_script,
)


def test_khmer_vowel_signs_count_with_their_letters():
    # ប៉ូលិស: four consonants, and three signs (៉ ូ ិ) that str.isalpha does not call letters.
    word = "ប៉ូលិស"
    assert not all(char.isalpha() for char in word)
    assert script_counts(word) == {"Khmer": len(word)}


def test_a_khmer_report_naming_an_english_paper_is_mostly_khmer():
    text = "Khmer Times: ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យចំនួនដប់នាក់ នៅក្នុងរាជធានីភ្នំពេញ"
    script, share = main_script(text)
    assert script == "Khmer"
    assert share > 0.75


def test_digits_spaces_and_punctuation_belong_to_no_script():
    assert script_counts("2024 - 15, ។ ៥ ๕ ?") == {}
    assert script_of("។") == ""
    assert script_of("a") == "Latin"
    assert script_of("ạ") == "Latin"
    assert script_of("ຕ") == "Lao"
    assert script_of("မ") == "Myanmar"
    assert script_of("警") == "Han"


def test_a_text_without_letters_has_no_main_script():
    assert main_script("  123 \n") == ("", 0.0)


def test_every_script_has_its_unicode_name():
    assert unicode_script("ཀ") == "Tibetan"
    assert unicode_script("ᨠ") == "Tai Tham"
    assert unicode_script("ि") == "Devanagari"  # a vowel sign belongs to its script
    assert unicode_script("ក") == "Khmer"
    assert unicode_script("a") == "Latin"
    assert unicode_script(",") == "Common"


def test_scripts_written_without_spaces_between_words_are_known():
    assert all(map(breaks_between_letters, "កກกက中ᨠᦀ"))
    assert not any(map(breaks_between_letters, "aཀकᬩ한"))
