"""Pages a scrape stores that are not reports, recognised so that ingest skips them with a reason.

A site's copyright line ("(c) Copyright AKP 2018. All Rights Reserved."), a share widget's
"Link has been copied to clipboard", an "article not found" page, a disclaimer: scraped as
articles, they were stored, indexed and even tagged. A text is not a report when, once cleaned,
every sentence of it is such page furniture, or when it is too short to tell anything (fewer than
MIN_REPORT_WORDS words: "Share", "Loading…"; the limit is low on purpose, since a skipped report
is lost to the archive and a stored page can be deleted). Thai, Lao, Khmer, Burmese and Chinese
put no spaces between words, so there the count is estimated from the letters (LETTERS_PER_WORD
a word) until the text is segmented. A short report with one real sentence ("Police raided a
casino in Poipet on Monday.") is kept.
"""

from __future__ import annotations

import re

from archive.text import sentence_spans

MIN_REPORT_WORDS = 3
LETTERS_PER_WORD = 4
SHOWN_CHARS = 60

# Sentences of page furniture, each with the most words such a sentence has: rights and copyright
# lines, share and clipboard messages, missing pages and errors, disclaimers, cookie and
# subscription prompts, "enable JavaScript". A long sentence that starts alike is story.
_FURNITURE = [
    (re.compile(r"^\W*(?:\(c\)|©|copyright\b)", re.I), 12),
    (re.compile(r"\ball rights reserved\b", re.I), 12),
    (re.compile(r"\blink (?:has been |was )?copied\b|\bcopied to (?:the )?clipboard\b", re.I), 10),
    (re.compile(r"^\W*copy(?: the)? link\b", re.I), 6),
    (
        re.compile(
            r"\b(?:page|article|story|content|post|news)\b.*\b(?:not (?:be )?found|could not be "
            r"(?:found|located)|can(?:no|')t be found|(?:is |no longer )?(?:unavailable|available))"
            r"\b",
            re.I,
        ),
        20,
    ),
    # "Removed" tells a story too ("the article ... was removed after the court ordered it").
    (
        re.compile(
            r"\b(?:page|article|story|content|post)\b.*\b(?:has been|was) (?:removed|deleted)\b",
            re.I,
        ),
        8,
    ),
    (re.compile(r"^\W*(?:error\s*)?404\b|^\W*(?:sorry|oops)\b", re.I), 20),
    (re.compile(r"^\W*(?:please )?(?:go back|return) to the (?:home|front|last) ?page", re.I), 12),
    (re.compile(r"^\W*disclaimer\b|^\W*the views (?:and opinions )?expressed\b", re.I), 60),
    (re.compile(r"\b(?:we use cookies|accept (?:all )?cookies|cookie policy)\b", re.I), 30),
    (re.compile(r"^\W*(?:please )?(?:enable|turn on) javascript\b", re.I), 20),
    (re.compile(r"^\W*(?:subscribe|sign up|log ?in|register)\b", re.I), 15),
    (re.compile(r"^\W*(?:share|follow us|tweet|print|email)\b", re.I), 6),
]


# Scripts written without spaces between words (the zero-width space some Khmer writers put
# between words is a separator too).
_UNSPACED_LETTER = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff\u4e00-\u9fff]"
)
ZERO_WIDTH_SPACE = "\u200b"


def word_count(text: str) -> int:
    """Count the words of a text, estimating them in scripts written without spaces."""
    # str.split() runs in C, several times faster than splitting with a pattern.
    tokens = text.replace(ZERO_WIDTH_SPACE, " ").split()
    if not _UNSPACED_LETTER.search(text):  # most reports: one search spares one per word
        return len(tokens)
    count = 0
    for token in tokens:
        unspaced = len(_UNSPACED_LETTER.findall(token))
        count += max(1, unspaced // LETTERS_PER_WORD)
    return count


def _furniture(sentence: str) -> bool:
    words = word_count(sentence)
    return any(pattern.search(sentence) and words <= most for pattern, most in _FURNITURE)


def non_article_reason(body: str) -> str:
    """Return why a cleaned text is not a report, or "" when it may be one."""
    words = word_count(body)
    if words < MIN_REPORT_WORDS:
        return (
            f"it is too short to be a report ({words} word{'' if words == 1 else 's'}: "
            f"{_shown(body)})"
        )
    sentences = [body[start:end].strip() for start, end in sentence_spans(body)] or [body]
    if all(_furniture(sentence) for sentence in sentences if sentence):
        return f"it holds only page furniture, no report ({_shown(body)})"
    return ""


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")
