"""The tagger's rules, one at a time, on a small hand-built taxonomy (no database)."""

import pytest

from archive.tagging.lexicon import CountryRow, CrimeTypeRow, Lexicon, MinistryRow
from archive.tagging.tagger import MENTION, REVIEW_CONFIDENCE, SUBJECT, propose_tags

KH, TH, VN = 1, 2, 3
MOI_KH, MOI_TH, POLICE_TH, NACD, CGMC = 10, 11, 12, 13, 14
DRUGS, METH, GAMBLING, KIDNAP, ROBBERY, MURDER = 20, 21, 22, 23, 24, 25


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.build(
        countries=[
            CountryRow(
                KH,
                "KH",
                "Cambodia",
                ("Kingdom of Cambodia",),
                ("Cambodian",),
                ("Phnom Penh", "Kampot"),
            ),
            CountryRow(TH, "TH", "Thailand", (), ("Thai",), ("Bangkok",)),
            CountryRow(VN, "VN", "Vietnam", ("Viet Nam",), ("Vietnamese",), ("Hanoi",)),
        ],
        ministries=[
            MinistryRow(MOI_KH, "Ministry of Interior", KH, "ministry", ("Interior Minister",)),
            MinistryRow(MOI_TH, "Ministry of Interior", TH, "ministry"),
            MinistryRow(POLICE_TH, "Royal Thai Police", TH, "police", ("Thai police",)),
            MinistryRow(NACD, "National Authority for Combating Drugs", KH, "agency", ("NACD",)),
            MinistryRow(CGMC, "Commercial Gambling Management Commission", KH, "commission"),
        ],
        crime_types=[
            CrimeTypeRow(DRUGS, "Drug trafficking", None, ("drug trafficking", "drug smuggling")),
            CrimeTypeRow(METH, "Methamphetamine trafficking", DRUGS, ("crystal meth", "ice")),
            CrimeTypeRow(GAMBLING, "Gambling", None, ("gambling", "casino")),
            CrimeTypeRow(KIDNAP, "Kidnapping", None, ("kidnapping", "kidnappings")),
            CrimeTypeRow(ROBBERY, "Robbery", None, ("robberies",)),
            CrimeTypeRow(MURDER, "Homicide", None, ("homicides", "murder")),
        ],
    )


def roles(proposals):
    return {p.entry_id: p.role for p in proposals}


def test_names_match_whole_words_only(lexicon):
    tags = propose_tags("", "Thailand and Cambodian officials met in Thailander Street.", lexicon)
    assert set(roles(tags.countries)) == {TH, KH}
    (thailand,) = [p for p in tags.countries if p.entry_id == TH]
    assert "Thailand" in thailand.evidence


def test_acronyms_match_only_as_written(lexicon):
    assert (
        propose_tags("", "The nacd word in lower case is not the agency.", lexicon).ministries == []
    )
    tags = propose_tags("", "NACD officials met in Phnom Penh.", lexicon)
    assert roles(tags.ministries) == {NACD: SUBJECT}


def test_thai_police_in_a_cambodian_story_is_a_mention(lexicon):
    tags = propose_tags(
        "Drug raid in Kampot",
        "Police in Kampot seized crystal meth on Monday in Phnom Penh and Kampot.\n\n"
        "The raid followed a tip-off from Thai police.",
        lexicon,
    )
    assert roles(tags.countries) == {KH: SUBJECT, TH: MENTION}
    assert roles(tags.ministries) == {POLICE_TH: MENTION}


def test_a_crime_inside_an_agency_name_is_not_a_crime(lexicon):
    tags = propose_tags(
        "", "The Commercial Gambling Management Commission met in Phnom Penh.", lexicon
    )
    assert roles(tags.ministries) == {CGMC: SUBJECT}
    assert tags.crime_types == []


def test_an_enumeration_is_a_mention_and_a_repeated_crime_a_subject(lexicon):
    tags = propose_tags(
        "",
        "Officials met in Phnom Penh on Monday.\n\nThey listed kidnappings, robberies and "
        "homicides.\n\nA kidnapping was reported on Friday. Another kidnapping followed.",
        lexicon,
    )
    assert roles(tags.crime_types) == {KIDNAP: SUBJECT, ROBBERY: MENTION, MURDER: MENTION}


def test_destinations_in_an_open_list_are_mentions(lexicon):
    tags = propose_tags(
        "",
        "Cambodian police seized drugs in Phnom Penh bound for Vietnam, Thailand or other "
        "countries.",
        lexicon,
    )
    assert roles(tags.countries) == {KH: SUBJECT, VN: MENTION, TH: MENTION}


def test_two_countries_in_the_lead_are_both_subjects(lexicon):
    tags = propose_tags(
        "",
        "Vietnam and Cambodia agreed to fight drug smuggling.\n\nThey met in Hanoi and Phnom Penh.",
        lexicon,
    )
    assert roles(tags.countries) == {VN: SUBJECT, KH: SUBJECT}


def test_an_ambiguous_ministry_is_resolved_by_the_reports_country(lexicon):
    tags = propose_tags("", "The Ministry of Interior in Bangkok said Thailand would act.", lexicon)
    assert set(roles(tags.ministries)) == {MOI_TH}


def test_an_ambiguous_ministry_without_a_country_is_not_guessed(lexicon):
    assert propose_tags("", "The Ministry of Interior said so.", lexicon).ministries == []


def test_a_dateline_place_is_weak_evidence(lexicon):
    tags = propose_tags(
        "",
        "BANGKOK, June 2 (Reuters) -- Police in Hanoi and Vietnam's border guards seized drugs.",
        lexicon,
    )
    assert roles(tags.countries)[VN] == SUBJECT
    assert roles(tags.countries)[TH] == MENTION


def test_the_ministry_refers_back_to_the_last_ministry_named(lexicon):
    once = propose_tags(
        "", "Officials met.\n\nLater.\n\nThe Interior Minister in Phnom Penh spoke.", lexicon
    )
    again = propose_tags(
        "",
        "Officials met.\n\nLater.\n\nThe Interior Minister in Phnom Penh "
        "spoke. The ministry said more. The ministry's plan grew.",
        lexicon,
    )
    assert roles(once.ministries) == {MOI_KH: MENTION}
    assert roles(again.ministries) == {MOI_KH: SUBJECT}


def test_every_proposal_carries_evidence_and_a_confidence(lexicon):
    tags = propose_tags("Casino raid", "Police raided a casino in Kampot.", lexicon)
    for proposal in tags.countries + tags.crime_types:
        assert proposal.evidence
        assert 0.5 <= proposal.confidence <= 0.95


def test_a_call_near_the_threshold_is_unsure(lexicon):
    # One unlisted mention in the second paragraph: exactly at the subject threshold.
    tags = propose_tags("", "Officials met.\n\nA casino was raided.", lexicon)
    (gambling,) = tags.crime_types
    assert gambling.confidence < REVIEW_CONFIDENCE


def test_adding_an_alias_changes_what_is_found(lexicon):
    text = "Police seized yaba in Kampot."
    assert propose_tags("", text, lexicon).crime_types == []
    richer = Lexicon.build(
        countries=[CountryRow(KH, "KH", "Cambodia", places=("Kampot",))],
        ministries=[],
        crime_types=[CrimeTypeRow(METH, "Methamphetamine trafficking", None, ("yaba",))],
    )
    assert roles(propose_tags("", text, richer).crime_types) == {METH: SUBJECT}


def test_iso_names_from_pycountry_are_recognised():
    lexicon = Lexicon.build(
        countries=[CountryRow(VN, "VN", "Vietnam")], ministries=[], crime_types=[]
    )
    assert roles(propose_tags("", "The Socialist Republic of Viet Nam said.", lexicon).countries)


@pytest.fixture(scope="module")
def with_word_names():
    jordan, chad, turkey = 30, 31, 32
    return Lexicon.build(
        countries=[
            CountryRow(KH, "KH", "Cambodia", (), ("Cambodian",), ("Phnom Penh",)),
            CountryRow(jordan, "JO", "Jordan", (), ("Jordanian",), ("Amman",)),
            CountryRow(chad, "TD", "Chad", (), ("Chadian",), ()),
            CountryRow(turkey, "TR", "Türkiye", ("Turkey",), ("Turkish",), ()),
        ],
        ministries=[],
        crime_types=[],
    )


def test_a_country_name_that_is_also_a_persons_name_needs_other_evidence(with_word_names):
    text = "Phnom Penh police said Chad Morris and Jordan Lee, two tourists, were released."
    assert set(roles(propose_tags("", text, with_word_names).countries)) == {KH}
    text = "Police in Amman, Jordan, arrested two Cambodians on a flight from Phnom Penh."
    assert 30 in roles(propose_tags("", text, with_word_names).countries)


def test_a_country_name_that_is_also_a_word_is_matched_only_capitalised(with_word_names):
    text = "Turkish customs in Ankara found the pills inside a frozen turkey."
    tags = propose_tags("", text, with_word_names)
    (turkey,) = [p for p in tags.countries if p.entry_id == 32]
    assert "Turkish" in turkey.evidence
    lowered = propose_tags(
        "", "They smuggled it inside a turkey and a jordan almond tin.", with_word_names
    )
    assert lowered.countries == []
