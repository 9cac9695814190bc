"""The written fixtures in every language of the region (tests/fixtures/languages): each is
identified in its language, and each of their listed words finds the reports that hold it."""

import pytest

from bench.languages import FIXTURES, LANGUAGES, identification, read_reports, word_search

REPORTS = read_reports(FIXTURES)
# Precision below 1 comes from phrases that run over a full stop (a phrase "ព្រៃឈើ", forest,
# found where one sentence ends in ព្រៃ and the next begins with ឈើ) and, in English, from
# stems ("customs" finds "custom"); recall must be whole.
LEAST_PRECISION = {"km": 0.98, "th": 0.98, "lo": 0.98, "my": 0.98, "zh": 0.98, "vi": 0.95}


def test_the_fixtures_hold_at_least_fifty_words_per_language():
    for language in LANGUAGES:
        words = {w for report in REPORTS if report["language"] == language for w in report["words"]}
        assert len(words) >= 50, language


def test_every_fixture_is_identified_in_its_language_and_none_mostly_khmer_as_english():
    archive = identification(REPORTS)["archive"]
    assert archive["wrong"] == []
    assert set(archive["accuracy"].values()) == {1.0}


@pytest.fixture(scope="module")
def found():
    return word_search(REPORTS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_word_finds_every_report_holding_it(found, language):
    assert found[language]["recall"] == 1.0, found[language]["missed"]


@pytest.mark.parametrize("language", sorted(LEAST_PRECISION))
def test_each_word_finds_hardly_any_report_without_it(found, language):
    assert found[language]["precision"] >= LEAST_PRECISION[language], found[language]["extra"]
