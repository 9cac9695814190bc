import pytest
from django.template.defaultfilters import linebreaks_filter, linebreaksbr

from archive.languages import paragraphs as module
from archive.languages.paragraphs import (
    Paragraph,
    paragraph_languages,
    paragraphs_with_languages,
    split_paragraphs,
)

KHMER_RAID = "កាលពីព្រឹកមិញ នគរបាលស្រុកបានឆ្មក់ចូលផ្ទះមួយ ហើយរឹបអូសបានថ្នាំញៀន និងកាំភ្លើងខ្លីពីរដើម។"
KHMER_COURT = "ជនសង្ស័យទាំងបួននាក់ ត្រូវបានបញ្ជូនទៅតុលាការ ដើម្បីចាត់ការតាមច្បាប់។"
ENGLISH_STATEMENT = (
    'A police spokesman told reporters in English: "We acted on a tip from the villagers, '
    'and more arrests will follow this week."'
)
ENGLISH_REPORT = "Police in Battambang raided a house on Monday and seized drugs and two pistols."
KHMER_QUOTE = "«យើងមិនដឹងថាវាជាថ្នាំញៀនទេ»"  # "we did not know it was drugs"


def test_an_english_paragraph_of_a_khmer_report_is_recorded_as_english():
    text = f"{KHMER_RAID}\n\n{ENGLISH_STATEMENT}\n\n{KHMER_COURT}"
    assert paragraph_languages(text, language="km") == [{"paragraph": 1, "language": "en"}]


def test_a_khmer_quote_in_an_english_report_is_recorded_however_short():
    text = f"{ENGLISH_REPORT}\n\nOne suspect said:\n\n{KHMER_QUOTE}\n\n{ENGLISH_REPORT}"
    assert paragraph_languages(text, language="en") == [{"paragraph": 2, "language": "km"}]


def test_a_report_in_one_language_records_no_paragraph():
    assert paragraph_languages(f"{KHMER_RAID}\n\n{KHMER_COURT}", language="km") == []
    assert (
        paragraph_languages("Bộ Công an bắt giữ hai nghi phạm.\n\nHọ bị tạm giam.", language="vi")
        == []
    )


def test_a_language_given_with_its_region_is_the_same_language():
    text = "警方在西港突击搜查一处诈骗窝点，逮捕了三十多名嫌疑人。\n\n案件仍在进一步调查中。"
    assert paragraph_languages(text, language="zh-CN") == []


def test_a_text_in_ascii_letters_is_not_read_paragraph_by_paragraph(monkeypatch):
    def unexpected(*args, **kwargs):
        raise AssertionError("an English report was read paragraph by paragraph")

    monkeypatch.setattr(module, "language_spans", unexpected)
    quoted = "“Two more are wanted,” police said — it’s not over."  # no letter outside ASCII
    text = f"{ENGLISH_REPORT}\n\n{quoted}\n\n{ENGLISH_REPORT}"
    assert paragraph_languages(text, language="en") == []


@pytest.mark.parametrize(
    "text",
    [
        "One.\n\nTwo,\nstill two.\n\n\n\nThree.",
        "Typed in a form.\r\n\r\nSecond.\r\nSame paragraph.",
        "\n\nStarts with a blank line.\n\n",
        "ប៉ូលិស\n\nPolice",
        "",
    ],
)
def test_paragraphs_are_cut_as_the_page_s_linebreaks_filter_cuts_them(text):
    rendered = "\n\n".join(
        f"<p>{linebreaksbr(paragraph.text)}</p>"
        for paragraph in paragraphs_with_languages(text, [])
    )
    assert rendered == linebreaks_filter(text)


def test_each_paragraph_carries_its_recorded_language_and_a_stale_record_is_ignored():
    text = f"{KHMER_RAID}\n\n{ENGLISH_STATEMENT}"
    recorded = [{"paragraph": 1, "language": "en"}, {"paragraph": 7, "language": "th"}]
    assert paragraphs_with_languages(text, recorded) == [
        Paragraph(KHMER_RAID, ""),
        Paragraph(ENGLISH_STATEMENT, "en"),
    ]
    assert [text[start:end] for start, end in split_paragraphs(text)] == [
        KHMER_RAID,
        ENGLISH_STATEMENT,
    ]
