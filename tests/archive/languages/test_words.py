from archive.languages.words import (
    SPACED_WORD,
    fold,
    has_unspaced,
    needs_segmenting_or_folding,
    split_words,
    word_spans,
)


def test_english_reads_exactly_as_the_spaced_word_pattern_reads_it():
    text = "Police (U.N.) raided a casino* in Poipet -- 40 held; it's done."
    assert split_words(text) == SPACED_WORD.findall(text)
    assert not has_unspaced(text) and not needs_segmenting_or_folding(text)


def test_khmer_is_cut_into_whole_words_not_at_each_vowel_sign():
    assert split_words("ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យ នៅភ្នំពេញ។") == [
        "ប៉ូលិស",
        "បាន",
        "ឃាត់ខ្លួន",
        "ជនសង្ស័យ",
        "នៅ",
        "ភ្នំពេញ",
    ]


def test_thai_lao_burmese_and_chinese_are_cut_into_words():
    assert split_words("ตำรวจจับกุมผู้ต้องหา") == ["ตำรวจ", "จับกุม", "ผู้", "ต้องหา"]
    assert "ຈັບກຸມ" in split_words("ໄດ້ຈັບກຸມຜູ້ຕ້ອງສົງໄສ")
    assert "ဖမ်းဆီး" in split_words("မူးယစ်ဆေးဝါး ဖမ်းဆီးရမိခဲ့သည်")
    assert split_words("警方逮捕了嫌疑人") == ["警方", "逮捕", "了", "嫌疑", "人"]


def test_a_mixed_text_keeps_its_words_in_order_with_their_places():
    text = "Police in ភ្នំពេញ (Phnom Penh) ឃាត់ខ្លួន 10 people"
    spans = word_spans(text)
    assert [text[start:end] for start, end in spans] == [
        "Police",
        "in",
        "ភ្នំពេញ",
        "Phnom",
        "Penh",
        "ឃាត់ខ្លួន",
        "10",
        "people",
    ]
    assert spans == sorted(spans)


def test_places_count_characters_outside_the_basic_plane_once():
    text = "𠀀警方逮捕 ok"  # a rare Han character that UTF-16 writes as two units
    words = [text[start:end] for start, end in word_spans(text)]
    assert "".join(words) == "𠀀警方逮捕ok"
    assert words[-1] == "ok"


def test_vietnamese_and_other_latin_accents_fold_to_bare_letters():
    assert [fold(word) for word in split_words("Hà Nội, Đà Nẵng, Hồ Chí Minh")] == [
        "ha",
        "noi",
        "da",
        "nang",
        "ho",
        "chi",
        "minh",
    ]
    assert fold("CAFÉ") == "cafe"
    assert fold("ប៉ូលិស") == "ប៉ូលិស"  # Khmer vowel signs are letters, not accents
    assert needs_segmenting_or_folding("Hà Nội") and not has_unspaced("Hà Nội")
