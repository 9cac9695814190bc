"""The extraction measure: its scoring, its inflated pages, and the floors the fixture pages keep.

bench/extraction.py measured, on the nine fixture pages: the story kept whole (100% of its
characters) and 93.9% of the furniture strings gone after extraction, 98.2% once the cleaner has
run. The floors sit a little under that.
"""

import pytest

from archive.ingest.html import extract_page
from bench.extraction import (
    expected_pages,
    inflate_page,
    measure_page,
    score,
    summary,
)

EXPECTED = {
    "body": ["Police raided a casino.", "Forty people were held."],
    "boilerplate": ["Subscribe now", "Related Articles"],
}


def test_a_paragraph_counts_only_when_found_whole_and_by_its_characters():
    found = score("Police raided a casino.\n\nForty people were", EXPECTED)
    assert found.missing == ("Forty people were held.",)
    assert found.body_kept == pytest.approx(len("Police raided a casino.") / 46)


def test_furniture_counts_as_removed_only_when_nowhere_in_the_text():
    found = score("Police raided a casino. Related   Articles", EXPECTED)
    assert found.leaked == ("Related Articles",)
    assert found.boilerplate_gone == 0.5


def test_an_inflated_page_is_large_and_tells_the_same_story():
    (page, _), *_ = expected_pages()
    data = page.read_bytes()
    inflated = inflate_page(data, 100 * 1024)
    assert 95 * 1024 < len(inflated) < 110 * 1024
    assert extract_page(inflated).text == extract_page(data).text


@pytest.fixture(scope="module")
def results():
    return [
        measure_page(page.read_bytes(), expected, name=page.stem)
        for page, expected in expected_pages()
    ]


def test_the_story_is_kept_and_the_furniture_goes_on_the_fixture_pages(results):
    overall = summary(results)
    assert overall["pages"] >= 8
    assert overall["extracted"]["body_kept"] >= 0.98
    assert overall["extracted"]["boilerplate_removed"] >= 0.9
    assert overall["cleaned"]["body_kept"] >= 0.98
    assert overall["cleaned"]["boilerplate_removed"] >= 0.95


def test_no_page_loses_more_than_a_paragraph_or_keeps_a_third_of_its_furniture(results):
    for result in results:
        assert len(result.cleaned.missing) <= 1, result.name
        assert result.cleaned.boilerplate_gone >= 2 / 3, result.name
