"""Script questions asked of a text's characters answer as a pattern's search over it would."""

import re

from hypothesis import given
from hypothesis import strategies as st

from archive.languages.characters import (
    KHMER,
    THAI,
    UNSPACED,
    VIETNAMESE_ADDITIONAL,
    holds_any_of,
    holds_range,
)
from archive.languages.words import has_unspaced

# Characters around the ranges' edges, and ordinary ones.
SAMPLES = "aZ ’“—đĐơƯ\u0dff\u0e00\u0e7f\u0e80\u177f\u1780\u17ff\u1800\u1e9f\u1ea0\u1ef9\u1efa中か"


@given(st.text(alphabet=st.sampled_from(SAMPLES)))
def test_ranges_answer_as_a_search_does(text):
    assert holds_range(text, KHMER) == bool(re.search("[\u1780-\u17ff]", text))
    assert holds_range(text, THAI) == bool(re.search("[\u0e00-\u0e7f]", text))
    assert holds_range(text, KHMER, VIETNAMESE_ADDITIONAL) == bool(
        re.search("[\u1780-\u17ff\u1ea0-\u1ef9]", text)
    )
    assert holds_range(text, *UNSPACED) == has_unspaced(text)


def test_characters_are_found_wherever_they_stand():
    text = "Police in Phnom Penh seized " * 200 + "ơ"
    assert holds_any_of(text, frozenset("ăđơư"))
    assert not holds_any_of(text[:-1], frozenset("ăđơư"))
    assert not holds_range("Only English here, with “quotes”.", KHMER, THAI)
