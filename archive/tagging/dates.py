"""When was a report published? Only what its text establishes, and how sure that is.

Evidence, strongest first:
- a dateline or "Published:" line with a full date (PHNOM PENH, 3 March 2023 --): the date itself;
- a full date in the text ("February 2, 2022"): the report's year, unless a later year is also
  referred to as past or the sentence is about history ("the 44th anniversary of January 7, 1979");
- "the Nth anniversary of ... YEAR": YEAR + N, a good guess but not proof;
- a year referred to as past ("in 2016, authorities detected ..."): a lower bound only.
"March 26", "yesterday" and "this year" say nothing about the year.

Full dates are also read as the region's press writes them: Khmer (ថ្ងៃទី១៥ ខែមីនា ឆ្នាំ២០២៤), Thai
(5 มีนาคม 2567, a Buddhist-era year: 543 more than the Common Era's), Vietnamese (ngày 5 tháng 3
năm 2024, 5/3/2024), Lao (ວັນທີ 5 ມີນາ 2024), Burmese (၂၀၂၄ ခုနှစ် မတ်လ ၅ ရက်) and Chinese
(2024年3月5日), in their own digits or ours. A Khmer year given only in the Buddhist era is not
read: Cambodia's era year turns in April or May, so it names one of two years.

A year is *stated* only from the first two kinds. Anything weaker becomes a *proposed* year with
low confidence, or none, and the report goes to the review queue: an unknown year is acceptable, a
wrong one shown as fact is not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from archive.languages.characters import THAI, holds_range
from archive.languages.words import needs_segmenting_or_folding
from archive.text import sentence_span_at

STATED_CONFIDENCE = 0.7  # at or above: the year is shown to researchers as the report's year
DATELINE_CONFIDENCE = 0.95
FULL_DATE_CONFIDENCE = 0.75
AGREEING_FULL_DATES_CONFIDENCE = 0.8
ANNIVERSARY_CONFIDENCE = 0.55
LOWER_BOUND_CONFIDENCE = 0.3
EARLIEST_YEAR = 1950
EVIDENCE_MAX_CHARS = 240
# Datelines and "Published:" lines stand at the very top of a report.
DATELINE_SEARCH_CHARS = 400

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Month names of the region's languages (Thai also abbreviated as the press writes them).
_LOCAL_MONTHS = {
    name: number
    for names in (
        "មករា កុម្ភៈ មីនា មេសា ឧសភា មិថុនា កក្កដា សីហា កញ្ញា តុលា វិច្ឆិកា ធ្នូ",
        "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม",
        "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.",
        "ມັງກອນ ກຸມພາ ມີນາ ເມສາ ພຶດສະພາ ມິຖຸນາ ກໍລະກົດ ສິງຫາ ກັນຍາ ຕຸລາ ພະຈິກ ທັນວາ",
        "ဇန်နဝါရီ ဖေဖော်ဝါရီ မတ် ဧပြီ မေ ဇွန် ဇူလိုင် ဩဂုတ် စက်တင်ဘာ အောက်တိုဘာ နိုဝင်ဘာ ဒီဇင်ဘာ",
    )
    for number, name in enumerate(names.split(), 1)
}
# Khmer, Thai, Lao and Burmese digits as ours, one character for one (positions are kept).
_LOCAL_DIGITS = str.maketrans(
    {
        chr(zero + digit): str(digit)
        for zero in (0x17E0, 0x0E50, 0x0ED0, 0x1040)
        for digit in range(10)
    }
)
# Years of the Buddhist era (Thai and Lao): from here on, a year is one, 543 ahead.
BUDDHIST_ERA_FROM = 2400
_LOCAL_MONTH = (
    "(?P<month>"
    + "|".join(re.escape(name) for name in sorted(_LOCAL_MONTHS, key=len, reverse=True))
    + ")"
)
_LOCAL_YEAR = r"(?P<year>(?:19|20|25)\d\d)(?!\d)"
_LOCAL_DAY = r"(?<!\d)(?P<day>[0-3]?\d)"
# The Thai press's short form: 8 ก.พ. 67 (the 8th of February 2567, that is 2024).
_THAI_SHORT_DATE = re.compile(rf"{_LOCAL_DAY}\s*{_LOCAL_MONTH}\s*(?P<year>[5-9]\d)(?!\d)")
_LOCAL_FULL_DATES = [
    # Khmer and Lao: (day) (month name) (year), with their words for "day", "month", "year".
    re.compile(
        rf"(?:(?:ថ្ងៃ\S*\s*)?ទី|ວັນທີ)\s*{_LOCAL_DAY}\s*(?:ខែ)?\s*{_LOCAL_MONTH}\s*(?:ឆ្នាំ|ປີ|ພ\.ສ\.)?\s*"
        rf"(?:ព\.ស\.\s*\d{{4}}\s*)?{_LOCAL_YEAR}"
    ),
    # Thai: 5 มีนาคม 2567 (or พ.ศ. 2567, ค.ศ. 2024), and the short form.
    re.compile(rf"{_LOCAL_DAY}\s*{_LOCAL_MONTH}\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*{_LOCAL_YEAR}"),
    _THAI_SHORT_DATE,
    # Burmese: ၂၀၂၄ ခုနှစ် မတ်လ ၅ ရက်.
    re.compile(rf"{_LOCAL_YEAR}\s*ခုနှစ်\s*,?\s*{_LOCAL_MONTH}\s*လ\s*{_LOCAL_DAY}\s*ရက်"),
    # Vietnamese: ngày 5 tháng 3 năm 2024.
    re.compile(
        rf"ngày\s+{_LOCAL_DAY}\s*(?:tháng|/)\s*(?P<month>[01]?\d)\s*(?:năm|/)\s*{_LOCAL_YEAR}",
        re.IGNORECASE,
    ),
    # Vietnamese and others writing day/month/year: 25/9/2023.
    re.compile(rf"{_LOCAL_DAY}/(?P<month>[01]?\d)/{_LOCAL_YEAR}"),
    # Chinese and Japanese: 2024年3月5日.
    re.compile(rf"{_LOCAL_YEAR}\s*年\s*(?P<month>[01]?\d)\s*月\s*{_LOCAL_DAY}\s*日"),
]
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_FULL_DATES = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
]
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z .'-]{2,40},\s*(?:[A-Z][a-z]+day,?\s*)?|(?:published|posted|updated)"
    r"(?:\s+on)?\s*:?\s*)",
    re.IGNORECASE | re.MULTILINE,
)
# A year, not part of a larger number ("12,016", "2016,000") nor a percentage.
BARE_YEAR = re.compile(r"(?<![\d,.$-])\b(?:19|20)\d\d\b(?![\d%]|,\d|\s*(?:percent|per cent))")
_ANY_YEAR = re.compile(r"(?:19|20|25)\d\d")
# Digits of the region's scripts, and letters of scripts or accents that English never writes:
# only texts holding them are read for the region's date forms (a cost English reports skip).
_LOCAL_DIGITS_RANGES = (
    ("\u17e0", "\u17e9"),
    ("\u0e50", "\u0e59"),
    ("\u0ed0", "\u0ed9"),
    ("\u1040", "\u1049"),
)
_ANNIVERSARY = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+anniversary\b", re.IGNORECASE)
# A sentence with one of these is about history: its years say little about publication.
_HISTORY_CUES = re.compile(
    r"\b(?:anniversar\w*|commemorat\w*|since|ago|history|historic\w*|founded|established|"
    r"regime|era|decades?|centur\w+|fall of|liberation)\b",
    re.IGNORECASE,
)
# Words before a year or a date that make it a time looked forward to, not the time of writing:
# "by 2025", "until February 10, 2026", "effective from January 1, 2026", "by the end of 2026".
_FUTURE_CUE = re.compile(
    r"\b(?:by|until|till|before|through|towards?|target(?:ed)? for|(?:effective|valid|starting|"
    r"beginning|running|open)(?:\s+(?:from|on|until|through))?|from|as of|scheduled for|"
    r"set for|due(?:\s+(?:on|by|in))?|deadline(?:\s+(?:of|on|is))?|expir(?:es|ing|y)(?:\s+on)?|"
    r"(?:takes?|taking|will take) effect(?:\s+(?:on|from))?|ends?(?:\s+on)?|next)\s+"
    r"(?:on\s+)?(?:the\s+(?:end|start|beginning|middle)\s+of\s+)?$",
    re.IGNORECASE,
)
# A clause that speaks of the future: its dates are plans, deadlines or schedules.
_FUTURE_CLAUSE = re.compile(
    r"\b(?:will|shall|\w+'ll|is to|are to|plans? to|planned|scheduled|expected to|due to|"
    r"going to|intends? to|aims? to|would)\b",
    re.IGNORECASE,
)
# Words after a date that make it the start of a period to come: "January 1, 2026 onwards".
_FUTURE_AFTER = re.compile(r"^\s*(?:onwards?|and beyond|forward)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s")


@dataclass(frozen=True)
class DateFinding:
    year: int | None  # stated: shown to researchers
    published_date: dt.date | None
    proposed_year: int | None  # a guess for a curator to confirm
    confidence: float
    evidence: str

    @property
    def needs_review(self) -> bool:
        return self.year is None


def find_publication_date(text: str, *, today: dt.date | None = None) -> DateFinding:
    """Return what `text` (the raw report, captions and datelines included) says of its date."""
    today = today or dt.date.today()
    written = text  # the evidence quotes what is written
    if holds_range(text, *_LOCAL_DIGITS_RANGES):
        text = text.translate(_LOCAL_DIGITS)
    thai = holds_range(text, THAI)
    if not _ANY_YEAR.search(text) and not (thai and _THAI_SHORT_DATE.search(text)):
        return DateFinding(None, None, None, 0.0, "no year in the text")
    dateline = _dateline_date(text, today)
    if dateline:
        date, sentence = dateline
        return DateFinding(
            date.year, date, None, DATELINE_CONFIDENCE, f"dateline: {_shorten(sentence)}"
        )

    full_dates, history_years, past_years, anniversaries = [], [], [], []
    for start, end in _sentences_with_years(text, thai=thai):
        sentence, quoted = text[start:end], written[start:end].strip()
        about_history = bool(_HISTORY_CUES.search(sentence))
        spans = []
        local = needs_segmenting_or_folding(sentence)
        for pattern in _FULL_DATES + (_LOCAL_FULL_DATES if local else []):
            for match in pattern.finditer(sentence):
                if any(s <= match.start() < e for s, e in spans):
                    continue  # one date read by two patterns ("ngày 25/9/2023")
                # A whole date, even one past today: its year is no year on its own.
                spans.append(match.span())
                date = _to_date(match, today)
                if date:
                    if looked_forward_to(sentence, match.start(), match.end()):
                        continue
                    (history_years if about_history else full_dates).append((date, quoted))
        for match in BARE_YEAR.finditer(sentence):
            year = int(match.group())
            inside_full_date = any(s <= match.start() < e for s, e in spans)
            if inside_full_date or not EARLIEST_YEAR <= year <= today.year:
                continue
            if looked_forward_to(sentence, match.start(), match.end()):
                continue
            (history_years if about_history else past_years).append((year, quoted))
        for match in _ANNIVERSARY.finditer(sentence):
            years = [int(y.group()) for y in BARE_YEAR.finditer(sentence)]
            if years:
                candidate = max(years) + int(match.group(1))
                if candidate <= today.year:
                    anniversaries.append((candidate, quoted))

    latest_past = max((year for year, _ in past_years), default=None)
    if full_dates:
        date, sentence = max(full_dates, key=lambda item: item[0])
        years = {d.year for d, _ in full_dates}
        consistent = max(years) - min(years) <= 1 and (
            latest_past is None or latest_past <= date.year
        )
        if consistent:
            confidence = (
                AGREEING_FULL_DATES_CONFIDENCE if len(full_dates) > 1 else FULL_DATE_CONFIDENCE
            )
            return DateFinding(
                date.year, None, None, confidence, f"a date in the text: {_shorten(sentence)}"
            )
        return DateFinding(
            None,
            None,
            max(date.year, latest_past or 0),
            LOWER_BOUND_CONFIDENCE,
            f"dates in the text disagree; the latest: {_shorten(sentence)}",
        )
    if anniversaries:
        year, sentence = max(anniversaries)
        return DateFinding(
            None,
            None,
            year,
            ANNIVERSARY_CONFIDENCE,
            f"an anniversary counted from a year: {_shorten(sentence)}",
        )
    if past_years:
        year, sentence = max(past_years)
        return DateFinding(
            None,
            None,
            year,
            LOWER_BOUND_CONFIDENCE,
            f"refers to {year} as past, so published in {year} or later: {_shorten(sentence)}",
        )
    evidence = "no year in the text"
    if history_years:
        evidence = f"only historical years in the text, e.g. {_shorten(history_years[0][1])}"
    return DateFinding(None, None, None, 0.0, evidence)


def looked_forward_to(sentence: str, start: int, end: int) -> bool:
    """Return whether the date or year at sentence[start:end] is a time to come as the text
    speaks of it: a deadline, a plan, the start of a rule ("until ...", "will ... on ...",
    "from ... onwards"), which says nothing of when the report was written."""
    before = sentence[:start]
    clause = _CLAUSE_BREAK.split(before)[-1]
    return bool(
        _FUTURE_CUE.search(before)
        or _FUTURE_CLAUSE.search(clause)
        or _FUTURE_AFTER.match(sentence[end:])
    )


def _sentences_with_years(text: str, *, thai: bool = False) -> list[tuple[int, int]]:
    """Return where each sentence that holds a four-digit year is, once, in order.

    Most sentences hold none; finding years first and splitting only their lines keeps this
    cheap on long reports.
    """
    found = [m.start() for m in _ANY_YEAR.finditer(text)]
    if thai:  # the short form's year has two digits
        found = sorted([*found, *(m.start() for m in _THAI_SHORT_DATE.finditer(text))])
    return list(dict.fromkeys(sentence_span_at(text, position) for position in found))


def _dateline_date(text: str, today: dt.date) -> tuple[dt.date, str] | None:
    head = text[:DATELINE_SEARCH_CHARS]
    for match in _DATELINE.finditer(head):
        rest = head[match.end() :]
        for pattern in _FULL_DATES:
            date_match = pattern.match(rest)
            if date_match:
                date = _to_date(date_match, today)
                if date:
                    line_end = head.find("\n", match.start())
                    return date, head[match.start() : line_end if line_end > 0 else None]
    return None


def _to_date(match: re.Match, today: dt.date) -> dt.date | None:
    month = match["month"]
    if month.isdigit():
        month_number = int(month)
    else:
        month_number = _LOCAL_MONTHS.get(month) or _MONTHS[month.lower().rstrip(".")]
    year = int(match["year"])
    if year < 100:  # a Thai Buddhist-era year of two digits: 67 is 2567
        year += 2500
    if year >= BUDDHIST_ERA_FROM:
        year -= 543
    try:
        date = dt.date(year, month_number, int(match["day"]))
    except ValueError:
        return None
    if not dt.date(EARLIEST_YEAR, 1, 1) <= date <= today + dt.timedelta(days=1):
        return None
    return date


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= EVIDENCE_MAX_CHARS else sentence[:EVIDENCE_MAX_CHARS] + "…"
