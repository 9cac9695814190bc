"""Pages a scrape stores that are not reports are skipped with the reason; short reports stay."""

import pytest

from archive.ingest.batch import ingest_paths
from archive.ingest.non_articles import non_article_reason
from archive.models import Article

PAGES = [
    "(c) Copyright AKP 2018. All Rights Reserved.",
    "Link has been copied to clipboard",
    "Sorry, the article you are looking for was not found. Please go back to the home page.",
    "The page you were looking for could not be found.",
    "Disclaimer: The views expressed in this article are those of the author and do not "
    "necessarily reflect the position of the newspaper.",
    "Share",  # the cleaner already removes it whole; alone it is still not a report
    "This article has been removed.",
    "Loading…",  # too short to tell anything
]
REPORTS = [
    "Police raided a bar.",
    "Police raided a casino in Poipet on Monday.",
    "Copyright rules were discussed as police raided 12 shops selling pirated DVDs in Phnom Penh.",
    "Police seized 40 kg of meth in Kampot. Copyright 2022 Khmer Times.",
    "The article about the raid was removed from the website after the court ordered it, police "
    "said on Tuesday.",
    # Scripts written without spaces: one sentence is a report, not "one word".
    "ตำรวจจับกุมผู้ต้องสงสัยสองคนในข้อหาค้ายาเสพติดที่กรุงเทพฯ",
    "ប៉ូលិស\u200bបាន\u200bចាប់ខ្លួន\u200bជនសង្ស័យ\u200bពីរ\u200bនាក់\u200bនៅ\u200bភ្នំពេញ។",
    "ប៉ូលិសបានចាប់ខ្លួនជនសង្ស័យពីរនាក់នៅភ្នំពេញ។",
]


@pytest.mark.parametrize("text", PAGES)
def test_pages_that_are_not_reports_are_recognised(text):
    assert non_article_reason(text)


@pytest.mark.parametrize("text", REPORTS)
def test_reports_that_look_alike_are_kept(text):
    assert non_article_reason(text) == ""


def test_a_few_letters_of_an_unspaced_script_are_too_short():
    assert "too short" in non_article_reason("ตำรวจจับ")


@pytest.mark.django_db
def test_ingest_skips_them_with_the_reason_and_stores_the_reports(tmp_path):
    for number, text in enumerate(PAGES + REPORTS):
        (tmp_path / f"{number:02}.txt").write_text(text)
    report = ingest_paths([tmp_path])
    reasons = {problem.origin.rsplit("/", 1)[-1]: problem.reason for problem in report.skipped}
    assert set(reasons) == {f"{number:02}.txt" for number in range(len(PAGES))}
    assert all(
        reason.startswith("not a report: it ") or reason.startswith("nothing is left")
        for reason in reasons.values()
    )
    assert "only page furniture" in reasons["01.txt"] and "too short" in reasons["07.txt"]
    assert Article.objects.count() == len(REPORTS)
