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


def test_khmer_is_read_as_letter_clusters_that_keep_their_vowel_signs():
    # ប៉ូលិស (police): the vowel signs stay with their letters; the full stop (។) is no word.
    assert split_words("ប៉ូលិស។") == ["ប៉ូ", "លិ", "ស"]
    assert split_words("ក្រសួងបរិស្ថាន")[:4] == ["ក្", "រ", "សួ", "ង"]


def test_every_letter_of_an_unspaced_run_is_in_one_cluster_and_punctuation_in_none():
    for text in ("ตำรวจจับกุมผู้ต้องหา", "ໄດ້ຈັບກຸມຜູ້ຕ້ອງສົງໄສ", "ဖမ်းဆီးရမိခဲ့သည်", "警方逮捕了嫌疑人"):
        assert "".join(split_words(text)) == text
    assert split_words("警方，逮捕。") == ["警", "方", "逮", "捕"]
    assert split_words("២០២៤") == ["២", "០", "២", "៤"]  # Khmer digits stay searchable


def test_a_mixed_text_keeps_its_words_in_order_with_their_places():
    text = "Police in ភ្នំពេញ (Phnom Penh) 10 people"
    spans = word_spans(text)
    assert [text[start:end] for start, end in spans] == [
        "Police",
        "in",
        "ភ្",
        "នំ",
        "ពេ",
        "ញ",
        "Phnom",
        "Penh",
        "10",
        "people",
    ]
    assert spans == sorted(spans)


def test_places_count_characters_outside_the_basic_plane_once():
    text = "𠀀警方逮捕 ok"  # a rare Han character that UTF-16 writes as two units
    words = [text[start:end] for start, end in word_spans(text)]
    assert words == ["𠀀", "警", "方", "逮", "捕", "ok"]


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
