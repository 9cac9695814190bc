"""Which language a text is in: a statistical detector, checked against the writing system.

The detector is py3langid (a maintained fork of langid.py, BSD-3-Clause): a naive Bayes model of
byte n-grams over about 140 languages, Khmer, Lao, Burmese, Thai, Vietnamese and Chinese among
them, shipped in the package (4.5 MB), so nothing is downloaded at run time; it reads a report in
about a millisecond. Chosen over lingua-language-detector (96 MB, and none of Khmer, Lao and
Burmese) and fastText's detector (which downloads its model on first use); bench/languages.py
measures the choice on our fixtures.

Where a script only one of the region's languages writes holds most of a text, the script and the
detector must agree, and the script wins when they do not (a Khmer report quoting English names
is still Khmer, whatever the n-grams of the names say). A Latin-script text the detector is
unsure of is Vietnamese when it has Vietnamese letters, else the default.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from archive.languages.scripts import SAMPLE_CHARS, SCRIPT_LANGUAGES, script_counts

# The detector reads a report's head, at about 0.5 ms a thousand characters: 120 tell every
# fixture's language as 3,000 do, for a twentieth of the time (ingest costs about 2 ms an
# article); the script count reads SAMPLE_CHARS.
DETECTOR_SAMPLE_CHARS = 120
# Below this probability the detector's answer is not taken on its own.
MIN_CONFIDENCE = 0.8
# A script that holds more than this share of the letters decides between it and the detector.
SCRIPT_MAJORITY = 0.5
# Paragraphs with fewer letters are too short to tell apart: they take their neighbours' language.
MIN_PARAGRAPH_LETTERS = 40
# Letters found in Vietnamese and in no other common Latin-script language.
VIETNAMESE_LETTERS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_VIETNAMESE_LETTER = re.compile(
    "[" + "".join(sorted(VIETNAMESE_LETTERS | {c.upper() for c in VIETNAMESE_LETTERS})) + "]"
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1
    confidence: float  # 0 to 1
    method: str  # "detector", "script" or "default": how the answer was reached


@dataclass(frozen=True)
class LanguageSpan:
    start: int
    end: int
    code: str


@functools.cache
def _detector():
    # Loaded on first use (0.6 s), once per process.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """Return the detector's language code for `text` and its probability."""
    code, probability = _detector().classify(text[:DETECTOR_SAMPLE_CHARS])
    return code, float(probability)


def identify_language(text: str, *, default: str = "en") -> LanguageGuess:
    """Return the language most of `text` is written in, with how sure and how it was found."""
    return _identified(text, script_counts(text), default=default)


def _identified(text: str, counts: Counter[str], *, default: str) -> LanguageGuess:
    letters = sum(counts.values())
    if not letters:
        return LanguageGuess(default, 0.0, "default")
    code, probability = detect(text)
    written = _script_language(counts, letters)
    if written:
        share = counts.most_common(1)[0][1] / letters
        if code == written:
            return LanguageGuess(code, probability, "detector")
        return LanguageGuess(written, share, "script")
    if probability >= MIN_CONFIDENCE:
        return LanguageGuess(code, probability, "detector")
    if len(_VIETNAMESE_LETTER.findall(text, 0, SAMPLE_CHARS)) > letters / 50:
        return LanguageGuess("vi", probability, "script")
    return LanguageGuess(default, probability, "default")


def language_spans(text: str, *, default: str = "en") -> list[LanguageSpan]:
    """Return the text cut where its language changes, paragraph by paragraph.

    A paragraph mostly in a script only one language writes is in that language, however short
    (a quote of a few Khmer words in an English report); any other paragraph too short to tell
    takes the language before it (or after it, at the start). Neighbours in one language are
    one span. One span covers a text written in one language.
    """
    pieces, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(text)))
    codes: list[str | None] = []
    for begin, end in pieces:
        paragraph = text[begin:end]
        counts = script_counts(paragraph)
        letters = sum(counts.values())
        if letters >= MIN_PARAGRAPH_LETTERS:
            codes.append(_identified(paragraph, counts, default=default).code)
        else:
            codes.append(_script_language(counts, letters))
    known = [code for code in codes if code]
    if not known:
        return [LanguageSpan(0, len(text), identify_language(text, default=default).code)]
    current = known[0]
    spans: list[LanguageSpan] = []
    for (_begin, end), code in zip(pieces, codes, strict=True):
        current = code or current
        if spans and spans[-1].code == current:
            spans[-1] = LanguageSpan(spans[-1].start, end, current)
        else:
            spans.append(LanguageSpan(spans[-1].end if spans else 0, end, current))
    spans[-1] = LanguageSpan(spans[-1].start, len(text), spans[-1].code)
    return spans


def _script_language(counts: Counter[str], letters: int) -> str | None:
    """Return the language of the script holding most of the letters, if it is the only
    language writing that script."""
    if not letters:
        return None
    script, count = counts.most_common(1)[0]
    if script in SCRIPT_LANGUAGES and count / letters > SCRIPT_MAJORITY:
        return SCRIPT_LANGUAGES[script]
    return None
