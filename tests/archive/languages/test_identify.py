import itertools

from archive.languages.identify import LanguageSpan, identify_language, language_spans

KHMER = "ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យចំនួនដប់នាក់ នៅភ្នំពេញ កាលពីថ្ងៃច័ន្ទ បន្ទាប់ពីការឆ្មក់ចូលទីតាំងល្បែង។"
ENGLISH = "Police arrested ten suspects in Phnom Penh on Monday after a raid on a gambling den."


def test_a_khmer_report_quoting_english_names_is_khmer():
    text = f"Khmer Times (Phnom Penh Post) {KHMER}"
    guess = identify_language(text)
    assert guess.code == "km"


def test_each_language_of_the_region_is_told_apart():
    texts = {
        "km": KHMER,
        "th": "ตำรวจจับกุมผู้ต้องหาสามคนพร้อมยาบ้ากว่าหนึ่งหมื่นเม็ดที่จังหวัดเชียงราย",
        "lo": "ຕຳຫຼວດແຂວງບໍ່ແກ້ວ ໄດ້ຈັບກຸມຜູ້ຕ້ອງສົງໄສສອງຄົນ ພ້ອມຢາບ້າຈຳນວນຫຼາຍ",
        "my": "မြဝတီမြို့တွင် ရဲတပ်ဖွဲ့က မူးယစ်ဆေးဝါး ဖမ်းဆီးရမိခဲ့သည်",
        "vi": "Công an tỉnh Quảng Ninh bắt giữ hai nghi phạm buôn bán ma túy qua biên giới.",
        "zh": "警方在西哈努克港突击搜查一处电信诈骗窝点，逮捕了三十多名嫌疑人。",
        "en": ENGLISH,
    }
    for code, text in texts.items():
        assert identify_language(text).code == code, text


def test_vietnamese_written_without_accents_is_told_by_the_detector_alone():
    text = (
        "Cong an tinh Quang Ninh da bat giu hai doi tuong van chuyen ma tuy qua bien gioi "
        "vao ngay 5 thang 3 nam 2024, theo thong tin tu Bo Cong an."
    )
    guess = identify_language(text)
    assert (guess.code, guess.method) == ("vi", "detector")


def test_a_latin_text_the_detector_is_unsure_of_gets_the_default_and_says_so():
    guess = identify_language("Cong an bat giu hai nghi pham tai Ha Noi", default="en")
    assert (guess.code, guess.method) == ("en", "default")
    assert guess.confidence < 0.8


def test_a_text_without_letters_gets_the_default_and_says_so():
    guess = identify_language("2024 — 15 / 03", default="en")
    assert (guess.code, guess.method, guess.confidence) == ("en", "default", 0.0)


def test_a_report_in_two_languages_is_cut_where_the_language_changes():
    text = f"{ENGLISH}\n\n{KHMER}\n{KHMER}\n\n{ENGLISH}"
    spans = language_spans(text)
    assert [span.code for span in spans] == ["en", "km", "en"]
    assert spans[0].start == 0 and spans[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert KHMER in text[spans[1].start : spans[1].end]


def test_a_short_line_takes_the_language_around_it():
    text = f"{KHMER}\nKhmer Times\n{KHMER}"
    assert language_spans(text) == [LanguageSpan(0, len(text), "km")]


def test_a_text_in_one_language_is_one_span():
    assert language_spans(ENGLISH) == [LanguageSpan(0, len(ENGLISH), "en")]


def test_a_short_quote_in_a_script_only_one_language_writes_keeps_that_language():
    quote = "«យើងនឹងតាមចាប់ពួកគេ»"  # "we will hunt them down": too short for the detector
    text = f"{ENGLISH}\n\n{quote}\n\n{ENGLISH}"
    spans = language_spans(text)
    assert [span.code for span in spans] == ["en", "km", "en"]
    assert text[spans[1].start : spans[1].end].strip() == quote
