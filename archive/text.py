"""Text folding shared by name lookups and content hashes."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Typographic quotes and dashes that vary between copies of the same text.
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fold_text(text: str) -> str:
    """Return `text` with Unicode form, typography, case and runs of white space folded away.

    Content hashes are computed from this form: changing it changes every article's hash, so a
    change here needs a migration that recomputes them.
    """
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return _SPACES.sub(" ", text).strip()


# A full stop after these does not end a sentence.
ABBREVIATIONS = frozenset(
    (
        "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "gov", "sen", "rep",
        "st", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "co", "ltd", "inc", "vs", "approx", "dept", "govt", "u.s", "u.n",
    )
)  # fmt: skip
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?P<close>[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence; line breaks always end one."""
    spans = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        end = match.start() + len(match["close"] or "")
        words = text[start : match.start()].split()
        abbreviation = words and words[-1].rstrip(".").lower() in ABBREVIATIONS
        if "\n" not in match.group() and abbreviation:
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def sentence_span_at(text: str, position: int) -> tuple[int, int]:
    """Return (start, end) of the sentence holding `position`, splitting only its line."""
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
