"""What of a query the index cannot search: words it leaves out, scripts it does not read."""

import pytest

from archive.languages.words import is_unspaced_word
from search.query.omissions import (
    COMMON,
    NO_LETTERS,
    SINGLE_CHARACTER,
    IgnoredWord,
    Omissions,
    UnreadScript,
    find_omissions,
    omission_notices,
)

STOP_WORDS = frozenset({"the", "of", "a", "us", "it", "in"})


def kept(word: str) -> bool:
    """An index like the archive's: stop words and single characters out, but a single letter
    cluster of a script written without spaces (Chinese 港) stays."""
    if word.lower() in STOP_WORDS:
        return False
    return len(word) >= 2 or is_unspaced_word(word)


def omissions(text: str) -> Omissions:
    return find_omissions(text, kept=kept, stop_words=STOP_WORDS)


def ignored(text: str) -> list[tuple[str, str]]:
    return [(word.text, word.reason) for word in omissions(text).ignored]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("the of", [("the", COMMON), ("of", COMMON)]),
        ("a", [("a", COMMON)]),
        ("x", [("x", SINGLE_CHARACTER)]),
        ("!!!", [("!!!", NO_LETTERS)]),
        ("\u17d4", [("\u17d4", NO_LETTERS)]),  # the Khmer full stop
        ("\u17cb", [("\u17cb", NO_LETTERS)]),  # a Khmer sign without its letter
        ('"the of"', [("the of", COMMON)]),  # a phrase skips stop words as the index does
        ("U.S.", [("U.S", COMMON)]),  # asked as "US", which the index leaves out
        ("it's", [("it's", COMMON)]),
        ("the The THE", [("the", COMMON)]),  # once
        ("casino the x", [("the", COMMON), ("x", SINGLE_CHARACTER)]),
        ("casino -the", [("the", COMMON)]),  # excluding it leaves nothing out
        ("NOT of", [("of", COMMON)]),
        ("title:the", [("the", COMMON)]),
    ],
)
def test_words_the_index_leaves_out_are_named_with_the_reason(query, expected):
    assert ignored(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "casino raid",
        '"war of the worlds"',  # a phrase with words the index keeps is searched
        "the*",  # a prefix is expanded from the index's words, not dropped
        "cross-the-border",  # a compound is searched by the words it keeps
        "gambling OR lottery",
        "AND",  # an operator is not a typed word
        "ប៉ូលិស",
        "ยาบ้า",
        "警方 港",
        "Hà Nội",
        "Москва",
        "서울",
    ],
)
def test_words_the_index_keeps_are_not_named(query):
    assert omissions(query) == Omissions()


def test_tibetan_cut_into_single_letters_at_its_vowel_signs_cannot_be_searched():
    found = omissions("casino བོད་ཡིག")
    assert found.ignored == ()  # said by the script's notice, not as ignored letters
    assert found.scripts == (
        UnreadScript("Tibetan", typed=("བོད་ཡིག",), searched=(), drops_signs=True, unspaced=False),
    )


def test_devanagari_and_balinese_are_searched_without_their_signs():
    assert omissions("नमस्ते").scripts == (
        UnreadScript(
            "Devanagari", typed=("नमस्ते",), searched=("नमस",), drops_signs=True, unspaced=False
        ),
    )
    assert omissions("ᬩᬮᬶ").scripts[0].searched == ("ᬩᬮ",)
    assert omissions("हिन्दी").scripts[0].searched == ()


def test_a_script_written_without_spaces_that_the_archive_does_not_cut_is_named():
    # New Tai Lue, as Unicode names it: no vowel sign here, but its runs are read as one word.
    assert omissions("ᦀᦁ").scripts == (
        UnreadScript(
            "New Tai Lue", typed=("ᦀᦁ",), searched=("ᦀᦁ",), drops_signs=False, unspaced=True
        ),
    )


def test_a_script_is_named_once_for_all_its_words():
    (tibetan,) = omissions("བོད་ཡིག བོད").scripts
    assert tibetan.typed == ("བོད་ཡིག", "བོད")


def test_when_nothing_was_searched_the_notice_says_why_and_what_to_do():
    (notice,) = omission_notices(omissions("the of"), searched_nothing=True)
    assert notice.text.startswith(
        "Nothing in the query could be searched, so no report is listed: “the” and “of” are "
        "too common to be indexed."
    )
    assert "Quotes do not keep such words" in notice.text
    assert "add a word that narrows the search" in notice.text
    assert not notice.minor


def test_punctuation_alone_is_said_to_hold_no_letter():
    (notice,) = omission_notices(omissions("!!! x"), searched_nothing=True)
    assert "“!!!” has no letter or digit" in notice.text
    assert "“x” is a single character, which the index leaves out" in notice.text
    assert notice.text.endswith("Add a word to search for.")


def test_words_ignored_beside_others_searched_are_a_minor_note():
    (notice,) = omission_notices(omissions("casino the x"), searched_nothing=False)
    assert notice.minor
    assert notice.text == (
        "Not searched: “the” (too common to be indexed); “x” (too short to be indexed)."
    )


def test_punctuation_between_searched_words_is_not_mentioned():
    assert omission_notices(omissions("Poipet - casino!"), searched_nothing=False) == []


def test_each_script_not_read_as_written_gets_its_own_notice():
    notices = omission_notices(omissions("བོད་ཡིག ᬩᬮᬶ"), searched_nothing=False)
    assert [notice.text for notice in notices] == [
        "Tibetan cannot be searched yet: the archive drops its combining signs (vowel signs "
        "and the like) and does not index the single letters left, so “བོད་ཡིག” was not "
        "searched.",
        "Balinese is searched without its combining signs (vowel signs and the like): “ᬩᬮᬶ” "
        "was searched as “ᬩᬮ”, which also finds words that differ only in those signs.",
    ]


def test_an_unspaced_script_notice_says_a_run_is_searched_as_written():
    (notice,) = omission_notices(omissions("ᦀᦁ"), searched_nothing=False)
    assert notice.text.startswith(
        "New Tai Lue is written without spaces, and the archive does not cut it into words"
    )


def test_a_notice_names_at_most_five_words():
    many = Omissions(ignored=tuple(IgnoredWord(word, COMMON) for word in "abcdefg"))
    (notice,) = omission_notices(many, searched_nothing=False)
    assert "“a”, “b”, “c”, “d”, “e” and 2 more" in notice.text


def test_nothing_to_say_when_nothing_was_left_out():
    assert omission_notices(Omissions(), searched_nothing=False) == []
