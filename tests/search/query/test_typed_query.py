"""Typed words put into the query language: compounds, acronyms, possessives, punctuation."""

import pytest

from search.query.typed_query import (
    TypedPart,
    rewrite_query,
    searched_parts,
    typed_parts,
    typed_words,
)


@pytest.mark.parametrize(
    ("typed", "rewritten"),
    [
        ("cross-border", '("cross border" OR crossborder)'),
        ("anti-money laundering", '("anti money" OR antimoney) laundering'),
        ("blood\u2010harvesting", '("blood harvesting" OR bloodharvesting)'),  # Unicode hyphen
        ("COVID-19", '("COVID 19" OR COVID19)'),
        ("O'Brien", '("O Brien" OR OBrien)'),
        ("Sar Kheng's", "Sar Kheng"),
        ("Sar Kheng\u2019s", "Sar Kheng"),
        ("drug/alcohol", "(drug OR alcohol)"),
        ("U.N.", "(U.N OR UN)"),
        ("e.g., raids", "(e.g OR eg) raids"),
        ("3.5 tonnes", "3.5 tonnes"),  # a number's dot is part of it
        ("what happened in Cambodia?", "what happened in Cambodia"),
        ("casino raid!", "casino raid"),
        ("Poipet - casino", "Poipet casino"),  # a dash between words, not NOT
        ("Poipet \u2013 casino", "Poipet casino"),
    ],
)
def test_typed_punctuation_becomes_what_the_index_holds(typed, rewritten):
    assert rewrite_query(typed) == rewritten


@pytest.mark.parametrize(
    ("typed", "rewritten"),
    [
        ("police -casino", "police -casino"),
        ("-cross-border police", '-("cross border" OR crossborder) police'),
        ("NOT cross-border", 'NOT ("cross border" OR crossborder)'),
        ("title:cross-border", 'title:("cross border" OR crossborder)'),
        ('"cross-border trafficking" gang', '"cross-border trafficking" gang'),
        ("(cross-border OR smuggling).", '(("cross border" OR crossborder) OR smuggling)'),
        ("kidnap*", "kidnap*"),
        ("cross-bord*", "(cross AND bord*)"),
        ("casino^3", "casino^3"),
        # A sign or a field name touching a quote applies to the phrase.
        ('-"cross border" casino', '-"cross border" casino'),
        ('casino -title:"road traffic"', 'casino -title:"road traffic"'),
        ('title:"cross border"', 'title:"cross border"'),
        ('(cross-border OR "anti money")', '(("cross border" OR crossborder) OR "anti money")'),
    ],
)
def test_the_query_language_keeps_its_meaning(typed, rewritten):
    assert rewrite_query(typed) == rewritten


def test_an_acronym_whose_letters_make_a_stop_word_is_not_required():
    # The index drops "us" ("US" in a text): requiring "U.S" would lose those texts.
    assert rewrite_query("U.S. extradition", stop_words=frozenset({"us"})) == "US extradition"
    assert rewrite_query("U.S. extradition") == "(U.S OR US) extradition"


def test_a_query_of_punctuation_alone_is_empty():
    assert rewrite_query("- \u2014 ?! ...") == ""


def test_the_parts_searched_for_are_said_as_typed():
    stop = frozenset({"the", "in", "us"})
    assert searched_parts('cambodia "cross border" casinno -raid NOT lottery', stop_words=stop) == [
        "cambodia",
        '"cross border"',
        "casinno",
    ]
    assert searched_parts("the cross-border route in U.S.? title:Kheng's", stop_words=stop) == [
        "cross-border",
        "route",
        "Kheng",
    ]


def test_typed_parts_are_each_word_compound_and_phrase_without_what_surrounds_it():
    text = 'title:"the of" -U.S. (cross-border OR casino^2) NOT gang !!! \u2212raid'
    assert typed_parts(text) == [
        TypedPart('title:"the of"', '"the of"'),
        TypedPart("-U.S.", "U.S", excluded=True),
        TypedPart("(cross-border", "cross-border"),
        TypedPart("casino^2)", "casino"),
        TypedPart("gang", "gang", excluded=True),
        TypedPart("!!!", ""),
        TypedPart("\u2212raid", "raid", excluded=True),
    ]


def test_typed_words_leave_out_operators_field_names_and_phrases():
    text = 'title:trafficing AND cross-border "crystal meth" U.N. NOT gang'
    assert [word.text for word in typed_words(text)] == [
        "trafficing",
        "cross",
        "border",
        "U.N",
        "gang",
    ]
    first = typed_words(text)[0]
    assert text[first.start : first.end] == "trafficing"
