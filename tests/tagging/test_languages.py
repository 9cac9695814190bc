"""Reports in Khmer, Thai, Vietnamese and Chinese get their country and crime type as subject
tags, with evidence in their own script (tests/fixtures/languages, written for these tests).

Nine in ten at least: a few fixtures name no place of their country (a Thai anti-corruption
ruling about "an eastern border province"), or are filed under one reading of a report that
supports two (victims of a scam compound: trafficking or scams).
"""

import datetime as dt

import pytest

from archive.models import Country, CrimeType
from archive.tagging.dates import STATED_CONFIDENCE, find_publication_date
from archive.tagging.lexicon import COUNTRY, CRIME_TYPE
from archive.tagging.store import load_lexicon
from archive.tagging.tagger import propose_tags
from bench.languages import FIXTURES, read_reports

pytestmark = pytest.mark.django_db

REPORTS = [
    report
    for report in read_reports(FIXTURES)
    if report["language"] in ("km", "th", "vi", "zh") and not report["id"].startswith("short-")
]


def subjects(report, lexicon) -> dict[str, dict[int, str]]:
    proposals = propose_tags(report["title"], report["body"], lexicon)
    return {
        kind: {p.entry_id: p.evidence for p in found if p.role == "subject"}
        for kind, found in proposals.by_kind().items()
    }


def crime_type_and_broader(name: str) -> set[int]:
    entry = CrimeType.objects.get(name=name)
    found = {entry.pk}
    while entry.parent_id:
        entry = entry.parent
        found.add(entry.pk)
    return found


@pytest.fixture(scope="module")
def tagged(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        lexicon = load_lexicon()
        countries = {country.code: country.pk for country in Country.objects.all()}
        return [
            (report, subjects(report, lexicon), countries[report["country"]]) for report in REPORTS
        ]


LEAST_RIGHT = 0.9


def test_reports_get_their_country_as_a_subject_with_evidence_from_their_text(tagged):
    wrong = [report["id"] for report, found, country in tagged if country not in found[COUNTRY]]
    assert 1 - len(wrong) / len(tagged) >= LEAST_RIGHT, wrong
    for report, found, country in tagged:
        if country in found[COUNTRY]:
            # The evidence is the sentence it was found in: "«surface» sentence".
            surface = found[COUNTRY][country][1:].split("» ", 1)[0]
            assert surface in report["title"] + "\n" + report["body"], report["id"]


def test_reports_get_their_crime_type_or_a_broader_one_as_a_subject(tagged):
    wrong = [
        report["id"]
        for report, found, _country in tagged
        if not crime_type_and_broader(report["crime_type"]) & set(found[CRIME_TYPE])
    ]
    assert 1 - len(wrong) / len(tagged) >= LEAST_RIGHT, wrong


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("កាលពីថ្ងៃទី១៥ ខែមីនា ឆ្នាំ២០២៤ សមត្ថកិច្ចបានឃាត់ខ្លួនជនសង្ស័យ។", 2024),
        ("នៅថ្ងៃសៅរ៍ ទី៦ ខែមេសា ឆ្នាំ២០២៤ ត្រូវនឹង ព.ស. ២៥៦៧ មន្ត្រី", 2024),
        ("เมื่อวันที่ 2 ธันวาคม 2566 ทหารพรานตั้งด่านตรวจ", 2023),
        ("เมื่อวันที่ ๒๕ สิงหาคม ๒๕๖๖ เจ้าหน้าที่ศุลกากร", 2023),
        ("เมื่อวันที่ 30 มิ.ย. 2567 ตำรวจท่าอากาศยาน", 2024),
        ("เมื่อวันที่ 8 ก.พ. 67 ตำรวจกองบังคับการปราบปราม", 2024),
        ("Ngày 12 tháng 3 năm 2024, Bộ đội Biên phòng bắt giữ", 2024),
        ("Khoảng 23 giờ ngày 25/9/2023, tổ công tác phát hiện", 2023),
        ("ໃນວັນທີ 8 ມັງກອນ ພ.ສ. 2567 (ຄ.ສ. 2024), ຄະນະກວດກາ", 2024),
        ("၂၀၂၄ ခုနှစ် မတ်လ ၅ ရက်နေ့က ရဲတပ်ဖွဲ့", 2024),
        ("2023年12月7日，广西东兴海关查获", 2023),
    ],
)
def test_dates_as_the_regions_press_writes_them_state_the_year(text, year):
    finding = find_publication_date(text, today=dt.date(2026, 12, 1))
    assert (finding.year, finding.confidence >= STATED_CONFIDENCE) == (year, True)
    assert finding.evidence.endswith(text[:20]) or text[:20] in finding.evidence  # as written


def test_a_khmer_year_given_only_in_the_buddhist_era_is_not_read():
    finding = find_publication_date("នៅថ្ងៃទី៦ ខែមេសា ព.ស. ២៥៦៧ មន្ត្រី", today=dt.date(2026, 12, 1))
    assert finding.year is None


def test_every_dated_fixture_states_its_year():
    wrong = []
    for report in read_reports(FIXTURES):
        if report["date"] and len(report["date"]) == 10:
            found = find_publication_date(
                report["title"] + "\n" + report["body"], today=dt.date(2026, 12, 1)
            )
            if found.year != int(report["date"][:4]) or found.confidence < STATED_CONFIDENCE:
                wrong.append(report["id"])
    assert wrong == []
