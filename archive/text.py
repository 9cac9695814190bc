"""Text folding shared by name lookups and content hashes."""

import bisect
import functools
import re
import unicodedata

# Typographic quotes and dashes that vary between copies of the same text.
_TYPOGRAPHY = (("’", "'"), ("‘", "'"), ("`", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))


def fold_text(text: str) -> str:
    """Return `text` with Unicode form, typography, case and runs of white space folded away.

    Content hashes are computed from this form: changing it changes every article's hash, so a
    change here needs a migration that recomputes them.
    """
    text = unicodedata.normalize("NFKC", text)
    for typographic, plain in _TYPOGRAPHY:  # str.replace runs in C; translate() is far slower
        text = text.replace(typographic, plain)
    # str.split() and the regular expression \s agree on what white space is.
    return " ".join(text.casefold().split())


# A full stop after these does not end a sentence.
ABBREVIATIONS = frozenset(
    (
        "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "gov", "sen", "rep",
        "st", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "co", "ltd", "inc", "vs", "approx", "dept", "govt", "u.s", "u.n",
    )
)  # fmt: skip
# Thai and Lao end no sentence with a full stop, but abbreviate with dots ("มิ.ย. 2567", June
# 2567): a dot after one of their letters is no sentence break.
# A break is the mark and what closes the sentence after it, or line breaks. (It starts with
# the mark rather than looking behind for one: a pattern that starts with a character class is
# only tried where one stands, and splitting is a good part of reading a report.)
SENTENCE_BREAK = re.compile(
    r"[.!?](?<![\u0e00-\u0eff]\.)(?P<close>[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n+"
)


# The extractors of one report ask for the same text's sentences several times (each figure
# kind, each place's evidence); remembering the last few texts spares splitting them again.
# Only texts up to this long are remembered, so the memory it holds stays small.
_REMEMBERED_TEXT_CHARS = 20_000


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Return (start, end) of each sentence; line breaks always end one."""
    if len(text) <= _REMEMBERED_TEXT_CHARS:
        return _remembered_sentence_spans(text)
    return _sentence_spans(text)


@functools.lru_cache(maxsize=256)
def _remembered_sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    return _sentence_spans(text)


def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        mark = text[match.start()]
        if mark == "\n":
            end = match.start()
        else:  # the sentence keeps its mark and closing quotes
            end = match.start("close") + len(match["close"])
            if mark == "." and "\n" not in match.group():
                word = _last_word(text, start, match.start() + 1)
                if word.rstrip(".").lower() in ABBREVIATIONS:
                    continue
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans)


# Longer than any abbreviation with its full stop; a longer last word is never one.
_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS)) + 1


def _last_word(text: str, start: int, end: int) -> str:
    """Return the last white-space-delimited word of text[start:end], or "" if it is too long to
    be an abbreviation.

    Looks back at most a few characters: splitting the whole pending sentence at every break
    made a long run of abbreviations ("Mr. Mr. Mr. ...") quadratic.
    """
    limit = max(start, end - _LONGEST_ABBREVIATION - 1)
    word_start = end
    while word_start > limit and not text[word_start - 1].isspace():
        word_start -= 1
    if word_start == limit and limit > start and not text[limit - 1].isspace():
        return ""
    return text[word_start:end].strip()


def sentence_span_at(text: str, position: int) -> tuple[int, int]:
    """Return (start, end) of the sentence holding `position`, splitting only its line (or
    reading the whole text's sentences, when they are remembered: a line break ends a sentence,
    so both give the same)."""
    if len(text) <= _REMEMBERED_TEXT_CHARS:
        spans = _remembered_sentence_spans(text)
        index = bisect.bisect_right(spans, (position, len(text) + 1)) - 1
        if index >= 0 and spans[index][0] <= position < spans[index][1]:
            return spans[index]
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_end = len(text) if line_end == -1 else line_end
    for start, end in sentence_spans(text[line_start:line_end]):
        if start <= position - line_start < end:
            return line_start + start, line_start + end
    return line_start, line_end


def sentence_at(text: str, start: int, end: int) -> str:
    """Return the sentence holding text[start:end]."""
    sentence_start, sentence_end = sentence_span_at(text, start)
    return text[sentence_start : max(sentence_end, end)].strip()
