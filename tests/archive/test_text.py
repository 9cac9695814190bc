"""Sentence splitting: the abbreviation rule, and its cost on long runs of abbreviations."""

import signal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.text import ABBREVIATIONS, sentence_spans


def spans_by_splitting_words(text: str) -> list[tuple[int, int]]:
    """The rule stated plainly: a break after an abbreviation is no break (unless a line ends)."""
    from archive.text import SENTENCE_BREAK

    spans, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        at_mark = match["close"] is not None  # else the break is line breaks alone
        end = match.end("close") if at_mark else match.start()
        words = text[start : match.start() + at_mark].split()
        if "\n" not in match.group() and words and words[-1].rstrip(".").lower() in ABBREVIATIONS:
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def test_abbreviations_do_not_end_a_sentence():
    text = "Gen. Sokha spoke. Police seized 5 kg. Mr. Dara and Dr. Lim were held."
    sentences = [text[start:end] for start, end in sentence_spans(text)]
    assert sentences == [
        "Gen. Sokha spoke.",
        "Police seized 5 kg.",
        "Mr. Dara and Dr. Lim were held.",
    ]


def test_a_long_word_ending_like_an_abbreviation_ends_a_sentence():
    text = "They met the Pharmacistmr. Then they left."
    assert len(sentence_spans(text)) == 2


words = st.sampled_from(
    [*sorted(ABBREVIATIONS), "Police", "seized", "5", "kg", "x" * 20, "Sokha", "U.S", "they"]
)
separators = st.sampled_from([" ", ". ", "! ", "? ", ".\n", '." ', ".) ", "  ", "\t", ". ("])


@given(st.lists(st.tuples(words, separators), max_size=40))
def test_same_sentences_as_splitting_every_word(pieces):
    text = "".join(word + separator for word, separator in pieces)
    assert list(sentence_spans(text)) == spans_by_splitting_words(text)


@pytest.fixture
def alarm():
    """Stop a runaway test after 60 s instead of hanging the suite."""

    def stop(signum, frame):
        raise TimeoutError("sentence splitting did not finish within 60 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_long_run_of_abbreviations_is_one_sentence(alarm):
    # 200,000 abbreviations: splitting the pending sentence at each of them took hours.
    text = "Mr. " * 200_000 + "Dara left."
    assert list(sentence_spans(text)) == [(0, len(text))]


# Content hashes are computed from fold_text's form, so it must never change by accident: this
# text's form and hash are those the archive has always computed.
FOLDED_EXAMPLE = (
    "  Police SEIZED\u00a05 kg\u2028of “ice” — in Phnom\u3000Penh’s  Sen Sok.\x1c\n\tStraße ﬁle "
)


def test_the_content_hash_form_is_unchanged():
    from archive.ingest.hashing import content_hash
    from archive.text import fold_text

    assert fold_text(FOLDED_EXAMPLE) == (
        'police seized 5 kg of "ice" - in phnom penh\'s sen sok. strasse file'
    )
    assert content_hash(FOLDED_EXAMPLE) == (
        "b2d2cfb3abe0ef01a4e4d9c9665fc095e54a1d80aae0edead93a809f74c17d11"
    )


def folded_plainly(text: str) -> str:
    """fold_text's rule stated plainly: normal form, plain quotes and dashes, case folded, each
    run of white space one space."""
    import re
    import unicodedata

    plain = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    text = unicodedata.normalize("NFKC", text).translate(plain).casefold()
    return re.sub(r"\s+", " ", text).strip()


@given(st.text(alphabet=st.sampled_from("aZß ﬁ\u00a0\u2028\u3000\x1c\x85\t\n’‘`“”–—.é\u0301")))
def test_folding_follows_the_plain_rule(text):
    from archive.text import fold_text

    assert fold_text(text) == folded_plainly(text)
