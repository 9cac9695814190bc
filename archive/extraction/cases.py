"""Cases, raids and court outcomes a report states, each a Figure of kind CASE.

`values["what"]` says which:

- "cases": a number of cases ("541 cases of illegal gambling", "4,000 drug trafficking cases");
- "sites": a number of places raided ("raided 312 illegal gambling venues", "Twelve karaoke
  parlours and two guesthouses were raided"): only beside a raid verb;
- "raids": a number of raids ("carried out 1,250 raids");
- "operation": an operation's name ("Operation Cobra"), {"name": ...};
- "court": a court that decided something in the same sentence (sentenced, convicted, charged,
  fined...), {"name": "Phnom Penh Municipal Court"}; a court that only receives a case is none;
- "charge": what someone was charged with, convicted of or found guilty of, {"charge": ...};
- "sentence": {"years": 7, "months": 6}, {"life": True} or {"death": True};
- "fine": {"amount": 10000000, "currency": "KHR"}; fines a law allows ("fines of up to ...")
  and compensation are not fines imposed.

Counts are totals when their sentence states a period, as for arrests (archive.extraction.
tallies). Names and outcomes count nothing: their scope is UNKNOWN. Ages, years, phone numbers,
articles of laws and money other than fines are never read: a count needs its noun right after
it. The same figure stated twice in a report is one.
"""

from __future__ import annotations

import re

from archive.extraction.figures import Figure, FigureKind, Scope
from archive.extraction.tallies import (
    NUMBER,
    Phrase,
    count_prefix,
    find_period,
    governing_verb,
    group_phrases,
    has_hit,
    is_repeat,
    number_starts,
    parse_number,
    split_sentences,
    stem_positions,
)
from archive.languages.characters import KHMER, THAI, VIETNAMESE_ADDITIONAL, holds_range
from archive.tagging.lexicon import fold

COUNT_CONFIDENCE = 0.85
SITES_CONFIDENCE = 0.8
NAME_CONFIDENCE = 0.85
OUTCOME_CONFIDENCE = 0.85
LOCAL_RULE_CONFIDENCE = 0.8

# Words between a number and its noun ("over 500 illegal gambling sites"): anything but these,
# which show the number counts something else ("75 kg of methamphetamine in 390 cases").
_NOT_A_MODIFIER = (
    r"(?:of|from|in|on|at|the|a|an|and|or|with|to|for|by|were|was|had|have|has|kg|kilo\w*|"
    r"grams?|g|tonnes?|tons?|tablets?|pills?|packages?|packets?|bags?|blocks?|bottles?|litres?|"
    r"liters?|people|persons|years?|months?|days?|weeks?|hours?|percent|per|million|billion)"
)
_MODIFIER = rf"(?!{_NOT_A_MODIFIER}\b)[a-z][a-z-]*"
_SITES = (
    r"sites?|locations?|venues?|places?|premises|houses?|homes?|buildings?|compounds?|casinos?"
    r"|clubs?|nightclubs?|bars?|karaoke\s+parlou?rs?|parlou?rs?|guesthouses?|hotels?|shops?"
    r"|warehouses?|factories|factory|laboratories|laboratory|labs?|farms?|targets?|addresses"
    r"|dens?|establishments?|outlets?|KTVs?|rings?"
)
_COUNT = re.compile(
    rf"(?P<number>{NUMBER})\s+(?P<words>(?:{_MODIFIER}\s+){{0,3}}?)"
    rf"(?P<noun>cases|raids|{_SITES})\b",
    re.IGNORECASE,
)
_RAID_WORDS = (
    r"raid(?:ed|ing)?|raids\s+on|search(?:ed|ing)|storm(?:ed|ing)|crack(?:ed|ing)?\s+down\s+on"
    r"|clamp(?:ed|ing)?\s+down\s+on|bust(?:ed|ing)?|swoop(?:ed|ing)?\s+on|shut\s+down"
    r"|clos(?:ed|ing)\s+down|dismantl(?:ed|ing)|target(?:ed|ing)"
)
_OTHER_WORDS = r"inspect(?:ed|ing)|visit(?:ed|ing)|found|licens(?:ed|ing)|own(?:ed|ing)|run"
# A count is of cases, of raids, or of sites beside a raid word: a sentence with none of these
# stems (one begins each of _RAID_WORDS) holds no count figure. The same for court outcomes.
COUNT_STEMS = (
    "cases", "raid", "search", "storm", "crack", "clamp", "bust", "swoop", "shut", "clos",
    "dismantl", "target",
)  # fmt: skip
OUTCOME_STEMS = ("charge", "convict", "indict", "guilty", "sentenc", "jailed", "imprison", "fine")
_RAID_VERBS = re.compile(rf"\b(?:(?P<good>{_RAID_WORDS})|{_OTHER_WORDS})\b", re.IGNORECASE)
_RAIDED_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:were|was|have\s+been|has\s+been|had\s+been|been|being)\s+"
    rf"(?:\w+ly\s+)?(?:(?P<good>{_RAID_WORDS})|{_OTHER_WORDS})\b",
    re.IGNORECASE,
)

_OPERATION = re.compile(
    r"\bOperation\s+(?!(?:Centre|Center|Command|Commander|Room|Unit|Department|Division|Office"
    r"|Chief|Director|Manager|Team|Headquarters)\b)[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3}"
)
_COURT = re.compile(
    r"(?:\b[A-Z][\w'’.-]*\s+){1,5}(?:Court|Tribunal)\b(?:\s+of\s+(?:Appeals?|First\s+Instance))?"
    r"|\bCourt\s+of\s+Appeals?\b"
)
_NOT_IN_A_NAME = re.compile(r"^(?:(?:The|A|An|Meanwhile|On|In|At|Yesterday|Today)\s+)+")
# A court in a sentence with one of these decided something there.
_OUTCOME = re.compile(
    r"\b(?:sentenc|convict|fined|acquitt|jailed|charg|found\s+\w+(?:\s+\w+){0,3}\s+guilty"
    r"|indict|imprison|upheld|overturn)",
    re.IGNORECASE,
)
_CHARGE_END = (
    r"(?=\s+(?:on|in|at|after|before|under|and\s+(?:was\s+|were\s+)?(?:fined|sentenced|jailed"
    r"|ordered)|and\s+(?:had|has|have|was|were|is|are|then|later))\b|\s*[,.;()]|$)"
)
_CHARGE = re.compile(
    r"\b(?:(?:charged|convicted|indicted)\s+(?:[\w-]+\s+){0,4}?(?:with|of)|found\s+(?:[\w-]+\s+)"
    rf"{{0,4}}?guilty\s+of|on\s+charges?\s+of)\s+(?P<charge>[^,.;()]+?){_CHARGE_END}",
    re.IGNORECASE,
)
_CHARGE_WORDS = ("charge", "convict", "indict", "guilty")
_SENTENCE_WORDS = ("sentenc", "jailed", "imprison")
_SENTENCED = re.compile(r"\b(?:sentenc|jailed|imprison)", re.IGNORECASE)
_TERM = re.compile(
    rf"\bto\s+(?:(?P<years>{NUMBER})\s+years?(?:\s+and\s+(?P<and_months>{NUMBER})\s+months?)?"
    rf"|(?P<months>{NUMBER})\s+months?)\s+(?:in\s+(?:prison|jail)|(?:of\s+)?imprisonment"
    rf"|behind\s+bars|jail)|\bjailed\s+for\s+(?P<jailed_years>{NUMBER})\s+years?"
    rf"|\b(?P<hyphen_years>{NUMBER})-year\s+(?:prison\s+)?(?:sentence|term|jail\s+term)",
    re.IGNORECASE,
)
_LIFE = re.compile(
    r"\bto\s+life(?:\s+imprisonment|\s+in\s+prison)?\b|\blife\s+(?:sentence|imprisonment)\b", re.I
)
_DEATH = re.compile(r"\bto\s+death\b|\bdeath\s+(?:sentence|penalty)\b", re.IGNORECASE)
_CURRENCIES = {
    "riel": "KHR", "riels": "KHR", "baht": "THB", "dong": "VND", "kip": "LAK", "kyat": "MMK",
    "kyats": "MMK", "yuan": "CNY", "dollars": "USD", "us dollars": "USD", "usd": "USD",
    "$": "USD",
}  # fmt: skip
_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DECIMAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULTIPLIER = r"thousand|million|billion"
_FINE = re.compile(
    r"\b(?:fined\s+(?:(?:him|her|them|each|of|the|\w+)\s+){0,3}?|a\s+fine\s+of\s+)"
    rf"(?:(?P<dollar>\$)\s*(?P<amount>{_DECIMAL})\s*(?P<multiplier>{_MULTIPLIER})?"
    rf"|(?P<amount2>{_DECIMAL})\s*(?P<multiplier2>{_MULTIPLIER})?"
    r"\s*(?P<currency>riels?|baht|dong|kip|kyats?|yuan|US\s+dollars|dollars|USD))",
    re.IGNORECASE,
)
# The region's languages: sentences (Thai จำคุก N ปี, Vietnamese N năm tù, Khmer ដាក់ពន្ធនាគារ N
# ឆ្នាំ), cases (Khmer N ករណី, Thai N คดี, Vietnamese N vụ).
_LOCAL_TERM = re.compile(
    r"จำคุก.{0,40}?(?<!\d)(?P<th>\d+)\s*ปี|(?P<vi>\d+)\s+năm\s+tù|ដាក់ពន្ធនាគារ[^\d]{0,20}?(?P<km>\d+)\s*ឆ្នាំ"
)
_LOCAL_CASES = re.compile(r"(?P<number>\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:ករណី|คดี|vụ\b)")
_LOCAL_SCRIPTS = re.compile("[\u1780-\u17ff\u0e00-\u0e7f\u1ea0-\u1ef9\u0111]")
LOCAL_SCRIPTS = (
    KHMER,
    THAI,
    VIETNAMESE_ADDITIONAL,
    ("\u0111", "\u0111"),
)  # the same, for a whole text


def find_cases(text: str) -> list[Figure]:
    """Return the cases, raids, operations and court outcomes `text` states."""
    figures: list[Figure] = []
    folded = fold(text)
    count_words = stem_positions(folded, COUNT_STEMS)
    outcome_words = stem_positions(folded, OUTCOME_STEMS)
    names = "Operation" in text or "Court" in text or "Tribunal" in text
    local_script = holds_range(text, *LOCAL_SCRIPTS)
    for sentence_start, sentence_end in split_sentences(text):
        sentence = text[sentence_start:sentence_end]
        found = []
        if has_hit(count_words, sentence_start, sentence_end):
            found += _counts(sentence)
        if names:
            found += _names(sentence)
        if has_hit(outcome_words, sentence_start, sentence_end):
            found += _outcomes(sentence)
        if local_script and _LOCAL_SCRIPTS.search(sentence):
            found += _local(sentence)
        for start, end, values, rule, confidence, scope, period in found:
            figures.append(
                Figure(
                    kind=FigureKind.CASE,
                    start=sentence_start + start,
                    end=sentence_start + end,
                    evidence=sentence.strip(),
                    rule=rule,
                    confidence=confidence,
                    values=values,
                    scope=scope,
                    period=period,
                )
            )
    return _without_repeats(figures)


def _counts(sentence: str) -> list:
    phrases = []
    for position in number_starts(sentence):
        if phrases and position < phrases[-1].end:
            continue
        match = _COUNT.match(sentence, position)
        count = parse_number(match["number"]) if match else None
        if count is None:
            continue
        start, definite, qualifier = count_prefix(sentence, position)
        phrases.append(
            Phrase(
                start=start,
                end=match.end(),
                count=count,
                noun=match["noun"].lower(),
                words=match["words"],
                definite=definite,
                qualifier=qualifier,
            )
        )
    found = []
    groups = group_phrases(sentence, phrases)
    for index, group in enumerate(groups):
        noun = group.phrases[0].noun
        if noun in ("cases", "raids"):
            what, rule, confidence = noun, f"n-{noun}", COUNT_CONFIDENCE
        else:
            next_start = groups[index + 1].start if index + 1 < len(groups) else None
            verb = governing_verb(
                sentence, group, verbs=_RAID_VERBS, passive=_RAIDED_AFTER, next_start=next_start
            )
            if verb is None or not verb[0]["good"]:
                continue
            what, rule, confidence = "sites", "n-sites-raided", SITES_CONFIDENCE
        scope, period = Scope.SINGLE, ""
        if not any(phrase.definite for phrase in group.phrases):
            period = find_period(sentence)
            if period or group.phrases[0].qualifier == "a total of":
                scope = Scope.TOTAL
        values = {
            "what": what,
            "count": group.count,
            "as_written": sentence[group.start : group.end],
        }
        found.append((group.start, group.end, values, rule, confidence, scope, period))
    return found


def _names(sentence: str) -> list:
    found = []
    # Substring checks first: most sentences name no operation or court, and they cost little.
    operations = _OPERATION.finditer(sentence) if "Operation" in sentence else ()
    for match in operations:
        values = {"what": "operation", "name": match.group()}
        found.append((match.start(), match.end(), values, "operation-name", NAME_CONFIDENCE))
    if ("Court" in sentence or "Tribunal" in sentence) and _OUTCOME.search(sentence):
        for match in _COURT.finditer(sentence):
            prefix = _NOT_IN_A_NAME.match(match.group())
            start = match.start() + (prefix.end() if prefix else 0)
            values = {"what": "court", "name": sentence[start : match.end()]}
            found.append((start, match.end(), values, "court-deciding", NAME_CONFIDENCE))
    return [(*item, Scope.UNKNOWN, "") for item in found]


def _outcomes(sentence: str) -> list:
    found = []
    lowered = sentence.lower()
    charges = () if not any(w in lowered for w in _CHARGE_WORDS) else _CHARGE.finditer(sentence)
    for match in charges:
        charge = re.sub(r"^(?:the|a|an)\s+", "", match["charge"].strip(), flags=re.IGNORECASE)
        values = {"what": "charge", "charge": charge}
        found.append((match.start("charge"), match.end("charge"), values, "charged-with"))
    if any(word in lowered for word in _SENTENCE_WORDS) and _SENTENCED.search(sentence):
        for match in _TERM.finditer(sentence):
            years = match["years"] or match["jailed_years"] or match["hyphen_years"]
            months = match["and_months"] or match["months"]
            values = {
                "what": "sentence",
                "years": parse_number(years) if years else 0,
                "months": parse_number(months) if months else 0,
            }
            found.append((match.start(), match.end(), values, "sentenced-to-term"))
        for pattern, key in ((_LIFE, "life"), (_DEATH, "death")):
            for match in pattern.finditer(sentence):
                values = {"what": "sentence", key: True}
                found.append((match.start(), match.end(), values, f"sentenced-to-{key}"))
    for match in _FINE.finditer(sentence) if "fine" in lowered else ():
        amount = match["amount"] or match["amount2"]
        multiplier = (match["multiplier"] or match["multiplier2"] or "").lower()
        currency = "$" if match["dollar"] else re.sub(r"\s+", " ", match["currency"].lower())
        value = float(amount.replace(",", "")) * _MULTIPLIERS.get(multiplier, 1)
        values = {"what": "fine", "amount": round(value), "currency": _CURRENCIES[currency]}
        found.append((match.start(), match.end(), values, "fined-amount"))
    return [(*item, OUTCOME_CONFIDENCE, Scope.UNKNOWN, "") for item in found]


def _local(sentence: str) -> list:
    found = []
    for match in _LOCAL_TERM.finditer(sentence):
        years = match["th"] or match["vi"] or match["km"]
        values = {"what": "sentence", "years": int(years), "months": 0}
        found.append(
            (match.start(), match.end(), values, "local-sentenced-to-term", LOCAL_RULE_CONFIDENCE,
             Scope.UNKNOWN, "")
        )  # fmt: skip
    for match in _LOCAL_CASES.finditer(sentence):
        count = parse_number(match["number"].replace(".", ","))
        if not count:
            continue
        period = find_period(sentence)
        values = {"what": "cases", "count": count, "as_written": match.group()}
        scope = Scope.TOTAL if period else Scope.SINGLE
        found.append(
            (match.start(), match.end(), values, "local-n-cases", LOCAL_RULE_CONFIDENCE, scope,
             period)
        )  # fmt: skip
    return found


def _without_repeats(figures: list[Figure]) -> list[Figure]:
    """Return the figures with the same statement made again kept once, the first."""
    scopes_of: dict[object, set] = {}
    kept = []
    for figure in figures:
        values = {key: value for key, value in figure.values.items() if key != "as_written"}
        key = tuple(sorted((name, str(value).casefold()) for name, value in values.items()))
        scopes = scopes_of.setdefault(key, set())
        if is_repeat(str(figure.values.get("as_written", "")), figure.scope, scopes):
            continue
        scopes.add(figure.scope)
        kept.append(figure)
    return kept
