"""Did you mean: on a vocabulary given as data, which words are corrected, and to what."""

from search.query import spelling
from search.query.spelling import Vocabulary, WordList, corrected_query, corrections, written_forms

# How many reports each word finds through its stem, and the stems (a crude stemmer that cuts
# a plural or "-ing", enough to tell which words find the same reports).
REPORTS = {
    "traffic": 170,
    "trafficking": 900,
    "police": 2000,
    "casino": 300,
    "casinos": 120,
    "sihanoukville": 80,
    "phnom": 400,
    "penh": 400,
    "happen": 30,
    "happens": 30,
    "cambodia": 1500,
    "raid": 500,
    "raising": 40,
}


def stem(word: str) -> str:
    for ending in ("ing", "s", "ed"):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)]
    return word


def reports(word: str) -> int:
    return sum(count for known, count in REPORTS.items() if stem(known) == stem(word))


WRITTEN = [word for word in REPORTS if word not in {"sihanoukville", "phnom", "penh"}]
VOCABULARY = Vocabulary(
    lists=(WordList(WRITTEN), WordList(["Sihanoukville", "Phnom", "Penh", "SIHANOUKVILLE"])),
    reports=reports,
    stem=stem,
)


def suggestion(text: str) -> str:
    return corrected_query(text, corrections(text, VOCABULARY), VOCABULARY)


def test_a_misspelling_that_stems_to_another_word_is_still_corrected():
    # "trafficing" finds the 170 reports about road traffic; "trafficking" finds 900.
    assert stem("trafficing") == stem("traffic")
    assert suggestion("trafficing Cambodia") == "trafficking Cambodia"


def test_a_word_is_not_replaced_by_one_that_finds_the_same_reports():
    # "happened" is not in the vocabulary, but "happens" finds exactly what it finds.
    assert suggestion("what happened") == ""


def test_a_close_word_must_find_many_more_reports():
    # "raiding" finds the 500 reports on raids; "raising" (40) is no improvement.
    assert suggestion("raiding") == ""


def test_proper_nouns_keep_the_archive_s_capitals():
    assert suggestion("sihanukville casino") == "Sihanoukville casino"
    assert suggestion("phnom pehn") == "Phnom Penh"  # the correct word re-cased too
    assert suggestion("Casinno") == "Casino"  # a capital typed stays


def test_the_closest_and_most_used_word_wins():
    assert suggestion("casinno") == "casino"  # one edit, though "casinos" is two away
    assert suggestion("polcie") == "police"  # two letters swapped count as one edit


def test_known_words_and_unknown_words_without_a_better_neighbour_are_left_alone():
    assert suggestion("police casino") == ""
    assert suggestion("xqzvbn") == ""


def test_a_repeated_word_is_looked_up_once_and_corrected_everywhere():
    found = corrections("casinno casinno casinno", VOCABULARY)
    assert [c.typed for c in found] == ["casinno"]
    assert corrected_query("casinno OR casinno", found, VOCABULARY) == "casino OR casino"


def test_the_number_of_words_looked_up_is_bounded():
    typed = " ".join(f"casinno{'x' * n}" for n in range(spelling.MAX_CHECKED_WORDS + 5))
    looked_up = []

    class Counting(WordList):
        def near(self, word, distance):
            looked_up.append(word)
            return super().near(word, distance)

    vocabulary = Vocabulary((Counting(WRITTEN),), reports, stem)
    corrections(typed, vocabulary)
    assert len(set(looked_up)) == spelling.MAX_CHECKED_WORDS


def test_written_forms_prefer_lower_case_then_running_text_then_capitals():
    assert written_forms(["UNODC"]) == {"unodc": "UNODC"}
    assert written_forms(["SIHANOUKVILLE", "Sihanoukville"]) == {"sihanoukville": "Sihanoukville"}
    assert written_forms(["Police", "police", "POLICE"]) == {"police": "police"}


def test_near_finds_words_within_the_distance_only():
    words = WordList(["trafficking", "traficing", "tafficin", "traffic", "raffle", "trafficing"])
    assert set(words.near("trafficing", 1)) == {("trafficking", 1), ("traficing", 1)}
    assert {word for word, _ in words.near("trafficing", 2)} == {
        "trafficking",
        "traficing",
        "tafficin",
    }


def test_a_part_of_the_index_without_words_has_nothing_near():
    assert WordList([]).near("casino", 2) == [] and "casino" not in WordList([])


def test_stop_words_are_never_corrected():
    vocabulary = Vocabulary(VOCABULARY.lists, reports, stem, stop_words=frozenset({"the", "and"}))
    assert corrections("the police and the casino", vocabulary) == []


def test_letter_masks_in_arrays_agree_with_one_word_at_a_time():
    words = ["police", "casino", "ឃាត់ខ្លួន", "trafficking"]
    for length in {len(word) for word in words}:
        same = [word for word in words if len(word) == length]
        assert spelling.letter_masks(same, length).tolist() == [
            spelling.letter_mask(word) for word in same
        ]
