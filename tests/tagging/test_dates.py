"""What the date finder makes of each kind of evidence, and of the traps."""

import datetime as dt

import pytest

from archive.tagging.dates import STATED_CONFIDENCE, find_publication_date

TODAY = dt.date(2026, 11, 21)


def find(text):
    return find_publication_date(text, today=TODAY)


def test_a_dateline_gives_the_date_itself():
    finding = find("PHNOM PENH, March 3, 2023 (Xinhua) -- Police arrested 27 people.")
    assert (finding.year, finding.published_date) == (2023, dt.date(2023, 3, 3))
    assert finding.confidence >= STATED_CONFIDENCE and not finding.needs_review


def test_a_published_line_counts_as_a_dateline():
    finding = find("Published: 14 November 2023\n\nCustoms officers seized ivory.")
    assert finding.published_date == dt.date(2023, 11, 14)


def test_an_abbreviated_month_is_read():
    assert find("The minister spoke on Feb. 2, 2022. He said more.").year == 2022


def test_a_full_date_in_the_text_states_the_year_but_not_the_date():
    finding = find("The minister attends a meeting on February 2, 2022. Crime fell in 2021.")
    assert (finding.year, finding.published_date) == (2022, None)
    assert "February 2, 2022" in finding.evidence


def test_a_full_date_older_than_a_past_year_is_no_publication_date():
    finding = find("Demands made on March 3, 2019. Between 2019 and 2021 he extorted money.")
    assert finding.year is None and finding.proposed_year == 2021 and finding.needs_review


def test_a_historical_date_is_never_the_year():
    finding = find("Crowds marked the fall of the Khmer Rouge regime on January 7, 1979.")
    assert finding.year is None and finding.proposed_year is None
    assert finding.evidence.startswith("only historical years")


def test_an_anniversary_proposes_a_year_with_its_arithmetic():
    finding = find("They marked the 44th anniversary of the events of January 7, 1979.")
    assert finding.year is None
    assert finding.proposed_year == 2023 and finding.confidence < STATED_CONFIDENCE


def test_a_past_statistic_is_only_a_lower_bound():
    finding = find("On April 19 they met. In 2016, the authorities detected 4,000 cases.")
    assert finding.year is None and finding.proposed_year == 2016
    assert "published in 2016 or later" in finding.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Police said yesterday that the raid took place on March 26.",
        "The target is to end drug use by 2030.",
        "Seizures rose 2020 percent, an official said.",
        "They seized 2,016 tablets.",
    ],
)
def test_texts_without_year_evidence_state_none(text):
    finding = find(text)
    assert finding.year is None and finding.proposed_year is None and finding.needs_review


def test_future_dates_are_ignored():
    assert find("The trial is set for January 5, 2027.").year is None


@pytest.mark.parametrize(
    "text",
    [
        "The ban stays in force until February 10, 2026, the ministry said.",
        "The new rules are effective from January 1, 2026 for every casino.",
        "Fines will rise on March 1, 2026, officials said.",
        "From January 1, 2026 onwards, dealers face life sentences.",
        "The licence expires on June 30, 2026.",
        "The amnesty runs until 31 December 2026.",
        "Police aim to close every den by the end of 2026.",
    ],
)
def test_a_date_looked_forward_to_is_never_the_publication_year(text):
    # Published in 2025, imported in late 2026: the dates are past at import, but the text
    # speaks of them as to come.
    finding = find(text)
    assert finding.year is None and finding.proposed_year != 2026, finding


def test_a_past_date_beside_a_future_one_still_dates_the_report():
    finding = find("Police raided the den on March 3, 2025. The ban lasts until May 1, 2026.")
    assert finding.year == 2025
