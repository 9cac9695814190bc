"""The cleaner on each seed, and on the furniture patterns it knows, one at a time."""

import pytest

from archive.ingest.cleaning import clean_text, derive_title, split_paragraphs
from tests.conftest import SEEDS_DIR


def seed(prefix: str) -> str:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def removed(cleaned, kind):
    return [removal.text for removal in cleaned.removals if removal.kind == kind]


class TestSeed000KhmerTimes:
    @pytest.fixture(scope="class")
    @classmethod
    def cleaned(cls):
        return clean_text(seed("000"))

    def test_headline_becomes_the_title(self, cleaned):
        assert (
            cleaned.title == "Interior Ministry to focus on busting more small-scale drug dealers"
        )
        assert not cleaned.title_derived

    def test_advert_junk_is_removed(self, cleaned):
        assert removed(cleaned, "advert") == ["cellcard cellcard cellcard"]
        assert "cellcard" not in cleaned.body

    def test_byline_gives_author_and_publication(self, cleaned):
        assert removed(cleaned, "byline") == ["Khuon Narim / Khmer Times Share:"]
        assert cleaned.authors == ("Khuon Narim",)
        assert cleaned.source_name == "Khmer Times"
        assert "Share:" not in cleaned.body

    def test_photo_caption_is_removed(self, cleaned):
        assert removed(cleaned, "caption") == [
            "Interior Minister Sar Kheng presides over the destruction of illegal drugs. "
            "KT/Siv Channa"
        ]
        assert "KT/Siv Channa" not in cleaned.body

    def test_navigation_and_linked_headlines_are_removed(self, cleaned):
        assert removed(cleaned, "navigation") == [
            "Previous Article",
            "I do no harm to the country: Sokha",
            "Next Article",
            "Foreign worker recruitment extended",
        ]
        assert "Previous Article" not in cleaned.body
        assert "Foreign worker recruitment" not in cleaned.body

    def test_story_is_kept_from_lead_to_last_quote(self, cleaned):
        assert cleaned.body.startswith("The Interior Ministry plans to focus")
        assert cleaned.body.endswith("most of the suspects were from the capital,” he said.")
        assert cleaned.body.count("\n\n") == 13  # 14 story paragraphs


class TestSeed001NoHeadline:
    @pytest.fixture(scope="class")
    @classmethod
    def cleaned(cls):
        return clean_text(seed("001"))

    def test_title_is_derived_from_the_lead(self, cleaned):
        assert cleaned.title_derived
        assert cleaned.title.startswith("Minister of Interior Sar Kheng has proposed")
        assert cleaned.title.endswith("…")
        assert len(cleaned.title) <= 111

    def test_nothing_is_removed_from_a_clean_text(self, cleaned):
        assert cleaned.removals == ()
        assert cleaned.body.count("\n\n") == 13  # one paragraph per line, 14 lines

    def test_no_source_is_invented(self, cleaned):
        assert cleaned.source_name == "" and cleaned.authors == ()


class TestSeed002VOD:
    @pytest.fixture(scope="class")
    @classmethod
    def cleaned(cls):
        return clean_text(seed("002"))

    def test_headline_read_time_and_caption_are_removed(self, cleaned):
        assert cleaned.title == "Interior Minister Urges Crackdown on Sihanoukville Crime"
        assert removed(cleaned, "read_time") == ["3 min read"]
        assert removed(cleaned, "caption")[0].endswith("(Sar Kheng’s Facebook page)")
        assert "3 min read" not in cleaned.body
        assert "Facebook page" not in cleaned.body

    def test_copyright_footer_is_removed_and_names_the_publication(self, cleaned):
        (footer,) = removed(cleaned, "footer")
        assert footer.startswith("VOD. No part of this article may be reproduced")
        assert cleaned.source_name == "VOD"
        assert "No part of this article" not in cleaned.body
        assert cleaned.body.endswith("six arrests for kidnapping.")


class TestSeed003NonBreakingSpaces:
    def test_trailing_non_breaking_spaces_are_trimmed_and_title_derived(self):
        cleaned = clean_text(seed("003"))
        assert "\xa0" not in cleaned.body
        assert cleaned.title_derived
        assert cleaned.title.startswith("Deputy Prime Minister and Minister of Interior Sar Sokha")
        assert cleaned.removals == ()


class TestSeed004Caption:
    def test_position_caption_is_removed(self):
        cleaned = clean_text(seed("004"))
        assert removed(cleaned, "caption") == [
            "Deputy Prime Minister Vu Duc Dam (R) and his Cambodian counterpart Ke Kim Yan"
        ]
        assert "(R)" not in cleaned.body
        assert cleaned.body.startswith("Vietnam and Cambodia have agreed")
        assert cleaned.body.endswith("voluntary drug detoxification centre.")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_body_word_comes_from_the_raw_text(prefix):
    raw = seed(prefix)
    cleaned = clean_text(raw)
    for paragraph in cleaned.body.split("\n\n"):
        assert paragraph in raw


@pytest.mark.parametrize(
    "paragraph",
    [
        "“We will not stop until every dealer is in court (R) and (L),” he said.",
        "Police said the suspects, aged 20 to 30, were sent to court.",
        "The minister posted a statement on Facebook.",
    ],
)
def test_story_paragraphs_that_look_a_little_like_furniture_are_kept(paragraph):
    text = f"Lead paragraph of the story is here.\n\n{paragraph}\n\nLast paragraph."
    assert paragraph in clean_text(text).body


def test_a_by_line_at_the_top_is_read():
    cleaned = clean_text("Raid in Kampot\n\nBy Jane Doe | Phnom Penh Post\n\nPolice raided a club.")
    assert cleaned.authors == ("Jane Doe",)
    assert cleaned.source_name == "Phnom Penh Post"
    assert cleaned.body == "Police raided a club."


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    raw = "Police in Kampot arrested three men\nwho were carrying drugs.\n\nA second paragraph."
    assert split_paragraphs(raw) == [
        "Police in Kampot arrested three men who were carrying drugs.",
        "A second paragraph.",
    ]


def test_a_short_lead_sentence_is_the_whole_derived_title():
    assert derive_title("Police seized 20 kg of heroin. More follows.") == (
        "Police seized 20 kg of heroin"
    )


def test_markdown_heading_is_the_title():
    cleaned = clean_text("# Casino raided in Poipet\n\nOfficers detained 40 people.")
    assert cleaned.title == "Casino raided in Poipet"
    assert cleaned.body == "Officers detained 40 people."


def test_a_wire_dateline_names_the_source():
    cleaned = clean_text("PHNOM PENH, March 3, 2023 (Xinhua) -- Police arrested 27 people.")
    assert cleaned.source_name == "Xinhua"
    assert cleaned.body.startswith("PHNOM PENH, March 3, 2023 (Xinhua)")  # the dateline stays


def test_a_given_title_removes_only_its_repeat_from_the_text():
    text = "Second suspect arrested in Kampot\n\nPolice in Kampot arrested a second man."
    cleaned = clean_text(text, given_title="Casino raid in Poipet")
    assert cleaned.body == text  # the short first paragraph is story, not a headline
    repeated = clean_text(
        "# Casino raid in Poipet.\n\nPolice raided a casino.", given_title="casino raid in poipet"
    )
    assert repeated.body == "Police raided a casino."
    assert [removal.kind for removal in repeated.removals] == ["headline"]


@pytest.mark.parametrize(
    "caption",
    [
        "ពលករដែលត្រូវបានជួយសង្គ្រោះ មកដល់ច្រកព្រំដែនប៉ោយប៉ែត។ (រូបថត៖ ក្រសួងការងារ)",
        "មន្ត្រីជំនាញកំពុងរាប់ប្រអប់ថ្នាំ។ រូបថត៖ មន្ទីរសុខាភិបាលខេត្ត",
        "เจ้าหน้าที่ตรวจสอบสมุดบัญชีธนาคารที่ยึดได้ภายในห้องพัก (ภาพ: บช.สอท.)",
        "Tang vật cơ quan chức năng thu giữ. Ảnh: Công an An Giang",
        "Lực lượng chức năng kiểm tra hiện trường (ảnh: Minh Khoa)",
    ],
)
def test_captions_credited_in_the_regions_languages_are_removed(caption):
    cleaned = clean_text(f"{caption}\n\nPolice detained three suspects in Poipet on Monday.")
    assert removed(cleaned, "caption") == [caption]


@pytest.mark.parametrize(
    "paragraph",
    [
        "ពួកគេបានថតរូបភាពជាច្រើន ហើយបានបញ្ជូនទៅតុលាការ។",
        "ตำรวจได้ตรวจยึดภาพถ่ายและเอกสารจำนวนมากจากห้องพักของผู้ต้องหา",
        "Cơ quan điều tra đã thu giữ nhiều hình ảnh từ điện thoại của nghi phạm.",
    ],
)
def test_story_paragraphs_naming_photographs_in_the_regions_languages_are_kept(paragraph):
    assert clean_text(f"Police raid in Poipet\n\n{paragraph}").body == paragraph
