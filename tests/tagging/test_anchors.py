"""propose_year: a year from the anchor events a report mentions, never against its dates."""

import datetime as dt
from pathlib import Path

import pytest

from archive.tagging.anchor_calendar import DEFAULT_ANCHORS
from archive.tagging.anchors import NUMBERED, Anchor, explicit_years_in, propose_year
from archive.tagging.dates import DateFinding
from archive.tagging.tagger import dated_by_anchor

SEEDS = sorted((Path(__file__).resolve().parent.parent.parent / "seeds").glob("*.txt"))
TODAY = dt.date(2025, 6, 1)


def year_of(text, explicit_years=(), anchors=DEFAULT_ANCHORS):
    figure = propose_year(text, anchors=anchors, explicit_years=explicit_years, today=TODAY)
    return figure and figure.year


def test_an_anniversary_counts_from_the_first_year():
    text = "At the 14th anniversary of World Day of Remembrance for Road Traffic Victims, he spoke."
    figure = propose_year(text, anchors=DEFAULT_ANCHORS, today=TODAY)
    assert figure.year == 2019
    assert figure.anchor == "World Day of Remembrance for Road Traffic Victims"
    assert figure.rule == "nth-anniversary"
    assert figure.evidence == text
    assert text[figure.start : figure.end].startswith("14th anniversary")


def test_the_nth_observance_of_a_day_is_its_first_year_plus_n_minus_one():
    assert year_of("They marked the 36th International Day against Drug Abuse.") == 2023
    assert year_of("the thirty-sixth International Day Against Drug Abuse") == 2023


def test_a_numbered_meeting_gives_the_year_it_was_held():
    assert year_of("at the 14th ASEAN Ministerial Meeting on Transnational Crime") == 2020
    assert year_of("at the 44th and 45th ASEAN Summits in Vientiane") == 2024
    assert year_of("at the 99th ASEAN Summit") is None  # an edition the calendar lacks


def test_a_period_gives_the_year_its_length_ends_in():
    text = "In the past six months of the seventh-mandate government, 1,125 were arrested."
    assert year_of(text) == 2024
    assert year_of("in the first 100 days of the seventh mandate") == 2023
    assert year_of("The seventh-mandate government will act.") is None


def test_diplomatic_ties_are_those_of_the_countries_the_report_names():
    vietnam = "Cambodia and Vietnam marked the 50th anniversary of diplomatic ties."
    china = "Cambodia and China marked the 60th anniversary of diplomatic relations."
    assert year_of(vietnam) == 2017
    assert year_of(china) == 2018
    assert year_of("Officials marked the 50th anniversary of diplomatic ties.") is None


def test_diplomatic_ties_named_apart_from_their_countries_are_still_theirs():
    text = (
        "Police of Cambodia and Vietnam met. They marked the 50th anniversary of diplomatic ties."
    )
    assert year_of(text) == 2017


def test_a_proposal_never_contradicts_an_explicit_year():
    text = "At the 14th AMMTC, in a statement on October 3, 2024, the ministry said."
    assert explicit_years_in(text) == [2024]
    assert year_of(text, explicit_years=explicit_years_in(text)) is None
    assert year_of(text, explicit_years=[2019]) == 2020


def test_without_explicit_years_the_text_is_read_for_them():
    text = "At the 14th AMMTC, in a statement on October 3, 2024, the ministry said."
    assert propose_year(text, anchors=DEFAULT_ANCHORS, today=TODAY) is None
    assert propose_year("At the 14th AMMTC.", anchors=DEFAULT_ANCHORS, today=TODAY)


def test_years_looked_forward_to_are_not_explicit():
    assert explicit_years_in("In 2016 police seized 179 kg; the plan runs until 2030.") == [2016]


def test_a_year_after_today_is_not_proposed():
    assert year_of("the 60th anniversary of diplomatic ties between Cambodia and Vietnam") is None


def test_an_anniversary_of_something_not_in_the_calendar_gives_no_year():
    assert year_of("The school celebrated its 25th anniversary.") is None


def test_the_calendar_is_plain_data_a_curator_can_extend():
    summit = Anchor(
        name="Mekong summit", aliases=("Mekong summit",), kind=NUMBERED, editions=((3, 2011),)
    )
    assert year_of("the third Mekong summit", anchors=[summit]) == 2011


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_no_seed_gets_a_year_against_its_dates(seed):
    text = seed.read_text(encoding="utf-8")
    explicit = explicit_years_in(text)
    figure = propose_year(text, anchors=DEFAULT_ANCHORS, explicit_years=explicit, today=TODAY)
    if figure:
        assert figure.year >= max(explicit, default=0)
        assert figure.evidence in text


def test_four_of_the_five_seeds_get_a_year_from_the_calendar():
    years = {}
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        figure = propose_year(
            text, anchors=DEFAULT_ANCHORS, explicit_years=explicit_years_in(text), today=TODAY
        )
        years[seed.name[:3]] = figure and figure.year
    assert years == {"000": 2019, "001": 2020, "002": None, "003": 2024, "004": 2017}


def test_a_year_from_an_anchor_says_in_its_evidence_that_it_is_a_proposal():
    text = "At the 14th anniversary of World Day of Remembrance for Road Traffic Victims, he spoke."
    anchor = propose_year(text, anchors=DEFAULT_ANCHORS, today=TODAY)
    finding = dated_by_anchor(DateFinding(None, None, None, 0.0, ""), anchor)
    assert (finding.year, finding.proposed_year) == (None, 2019)
    assert finding.evidence.startswith("year proposed by the machine from the anchor event")
    assert text in finding.evidence
