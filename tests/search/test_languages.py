"""Reports in the region's languages are found by their words, highlighted as whole words, and
Vietnamese is found with or without its accents."""

import pytest
from django.urls import reverse

from search.index.sync import apply_pending
from tests import factories

pytestmark = pytest.mark.django_db

REPORTS = {
    "km": (
        "ប៉ូលិសឃាត់ខ្លួនជនសង្ស័យនៅភ្នំពេញ",
        "ប៉ូលិសបានឃាត់ខ្លួនជនសង្ស័យចំនួនដប់នាក់ នៅរាជធានីភ្នំពេញ បន្ទាប់ពីការឆ្មក់ចូលទីតាំងល្បែងស៊ីសង។",
    ),
    "th": (
        "ตำรวจจับกุมผู้ต้องหาค้ายาบ้าที่เชียงราย",
        "ตำรวจจับกุมผู้ต้องหาสามคนพร้อมยาบ้ากว่าหนึ่งหมื่นเม็ดที่จังหวัดเชียงรายใกล้ชายแดน",
    ),
    "vi": (
        "Công an Hà Nội bắt giữ nghi phạm",
        "Công an thành phố Hà Nội đã bắt giữ hai nghi phạm buôn bán ma túy qua biên giới.",
    ),
    "vi2": ("Tùy theo quy định mới", "Tùy theo quy định mới, công an sẽ xử phạt nặng hơn."),
    "zh": (
        "警方在西港逮捕诈骗嫌疑人",
        "警方在西哈努克港突击搜查一处电信诈骗窝点，逮捕了三十多名嫌疑人。",
    ),
    "lo": ("ຕຳຫຼວດຈັບກຸມຜູ້ຕ້ອງສົງໄສ", "ຕຳຫຼວດແຂວງບໍ່ແກ້ວ ໄດ້ຈັບກຸມຜູ້ຕ້ອງສົງໄສສອງຄົນ ພ້ອມຢາບ້າ"),
    "en": ("Police raid a casino in Poipet", "Police raided an illegal casino in Poipet."),
}


@pytest.fixture
def reports(search_index, db):
    made = {
        language: factories.make_article(title=title, body=body, language=language[:2])
        for language, (title, body) in REPORTS.items()
    }
    apply_pending()
    return made


def found(client, query: str) -> set[int]:
    data = client.get(reverse("search:api_search"), {"q": query, "page_size": 50}).json()
    return {hit["id"] for hit in data["results"]}


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("ភ្នំពេញ", "km"),
        ("ឃាត់ខ្លួន", "km"),
        ("ជនសង្ស័យ", "km"),
        ("ល្បែងស៊ីសង", "km"),  # two words written as one: found as the phrase they are
        ("ยาบ้า", "th"),
        ("จับกุม", "th"),
        ("เชียงราย", "th"),
        ("ma túy", "vi"),
        ("逮捕", "zh"),
        ("诈骗", "zh"),
        ("ຈັບກຸມ", "lo"),
    ],
)
def test_a_word_of_a_report_finds_it_and_nothing_else(client, reports, query, language):
    assert found(client, query) == {reports[language].pk}


def test_a_khmer_word_does_not_match_inside_another_word(client, reports):
    # "ចូល" (enter) is a word of the report; "ចូលរួម" (take part), which contains it, is not.
    assert found(client, "ចូលរួម") == set()


def test_vietnamese_is_found_with_or_without_its_accents(client, reports):
    vietnamese = {reports["vi"].pk}
    assert found(client, "Hà Nội") == vietnamese
    assert found(client, "Ha Noi") == vietnamese
    assert found(client, "ma tuy") == vietnamese
    assert found(client, '"nghi pham"') == vietnamese


def test_a_word_typed_with_accents_finds_that_word_and_without_finds_every_form(client, reports):
    assert found(client, "túy") == {reports["vi"].pk}
    assert found(client, "Tùy") == {reports["vi2"].pk}
    assert found(client, "tuy") == {reports["vi"].pk, reports["vi2"].pk}


def test_highlights_mark_whole_words_of_the_report(client, reports):
    response = client.get(reverse("search:search"), {"q": "ភ្នំពេញ"})
    html = response.content.decode()
    assert "<mark>ភ្នំពេញ</mark>" in html
    response = client.get(reverse("search:search"), {"q": "Ha Noi"})
    assert "<mark>Hà</mark> <mark>Nội</mark>" in response.content.decode()


def test_english_search_is_unchanged(client, reports):
    assert found(client, "raided casino") == {reports["en"].pk}
    assert found(client, "casinos") == {reports["en"].pk}


def test_a_word_no_report_holds_finds_nothing_and_suggests_no_other_script(client, reports):
    data = client.get(reverse("search:api_search"), {"q": "ខ្មែរ"}).json()
    assert data["total"] == 0
    assert data["suggestion"] is None


def test_titles_and_passages_say_their_language_for_screen_readers_and_fonts(client, reports):
    html = client.get(reverse("search:search"), {"q": "ភ្នំពេញ"}).content.decode()
    assert html.count('lang="km"') >= 2  # the title and the passage
    page = client.get(reports["th"].get_absolute_url()).content.decode()
    assert '<h1 dir="auto" lang="th">' in page
    assert '<div class="body" dir="auto" lang="th">' in page


def test_a_name_in_one_script_finds_it_written_in_another(client, search_index, db):
    khmer = factories.make_article(
        title="ស ខេង ជំរុញការបង្ក្រាប", body="ឧបនាយករដ្ឋមន្ត្រី ស ខេង បានជំរុញឱ្យបង្ក្រាបគ្រឿងញៀន។"
    )
    english = factories.make_article(
        title="Sar Kheng urges crackdown", body="Interior Minister Sar Kheng urged a crackdown."
    )
    spelled = factories.make_article(title="Sor Kheng visits Poipet", body="Sor Kheng visited.")
    factories.make_article(title="Kheng Sar market", body="A market called Kheng Sar opened.")
    apply_pending()
    everyone = {khmer.pk, english.pk, spelled.pk}
    assert found(client, "Sar Kheng") == everyone
    assert found(client, "ស ខេង") == everyone
    assert found(client, '"Sar Kheng"') == {english.pk}  # quoted: as written
