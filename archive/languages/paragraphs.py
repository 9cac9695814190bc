"""A report's paragraphs, and the language of each written in another language than the report's.

A Khmer report may quote a statement in English, an English one a villager in Khmer: those
paragraphs are recorded at ingest as plain data, [{"paragraph": 2, "language": "en"}] (the
paragraph's number from 0, as `split_paragraphs` counts them), so the article page can mark each
with its own `lang`. The paragraphs in the report's language are not listed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from archive.languages.identify import language_spans

# Where the article page starts a new paragraph: two line endings or more, as Django's
# `linebreaks` filter cuts a text (it reads CR LF and CR as LF first). A CR LF is one ending,
# never a CR and an LF: a text typed in a form has them.
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r(?!\n)|(?<!\r)\n){2,}")
# A letter (or digit) outside ASCII: without one, a text is in one script.
_NON_ASCII_LETTER = re.compile(r"[^\W\x00-\x7f]")


@dataclass(frozen=True)
class Paragraph:
    text: str
    language: str  # "" when it is written in the report's language


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each paragraph of `text`, as the article page cuts them."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def paragraph_languages(text: str, *, language: str) -> list[dict[str, object]]:
    """Return the paragraphs of `text` written in another language than `language` (the
    report's), each with its own: [{"paragraph": number, "language": code}].

    A text whose letters are all ASCII is in one script, whose languages only the detector
    tells apart: it is taken to be in the report's language throughout and not read paragraph
    by paragraph, which keeps the ingest of English reports as fast as before (curly quotes and
    dashes are no letters).
    """
    if not _NON_ASCII_LETTER.search(text):  # 30 µs for 3,000 characters of English
        return []
    spans = language_spans(text)
    if len(spans) == 1 and _same_language(spans[0].code, language):
        return []
    span_ends = [span.end for span in spans]
    found: list[dict[str, object]] = []
    for number, (start, end) in enumerate(split_paragraphs(text)):
        if not text[start:end].strip():
            continue
        # language_spans cuts at every line break, so a paragraph lies within one span.
        code = spans[bisect.bisect_right(span_ends, start)].code
        if not _same_language(code, language):
            found.append({"paragraph": number, "language": code})
    return found


def paragraphs_with_languages(text: str, recorded: list[dict[str, object]]) -> list[Paragraph]:
    """Return the paragraphs of `text`, each with the language `recorded` gives it, if any.

    A record naming a paragraph the text no longer has (the body was edited since) is ignored.
    """
    languages = {item["paragraph"]: item["language"] for item in recorded or ()}
    return [
        Paragraph(text[start:end], str(languages.get(number, "")))
        for number, (start, end) in enumerate(split_paragraphs(text))
    ]


def _same_language(code: str, language: str) -> bool:
    """Return whether two codes name one language: "zh" and "zh-CN" do."""
    return code.lower() == re.split(r"[-_]", language.lower(), maxsplit=1)[0]
