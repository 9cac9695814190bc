"""Seizures a report states: a quantity of a named drug, one seizure or a total over a period.

    find_seizures("Police seized 12 kg of crystal meth and 3,400 yaba tablets on Tuesday.")
    -> [Figure(SEIZURE, values={"drug": "methamphetamine", "quantity": 12.0, "unit": "kg",
        "mass_kg": 12.0, ...}), Figure(SEIZURE, values={"drug": "methamphetamine",
        "quantity": 3400.0, "unit": "tablet", "count": 3400, ...})]

The rules, in order, for each quantity (see quantities.py) in a sentence:
1. its drug: named between a count and its unit ("3,400 yaba tablets"), right after the unit
   ("12 kg of crystal meth", "5 kg ma túy đá"), or before it with no other quantity in between
   ("heroin weighing 3.2 kilograms", "ម៉ាទឹកកកជាង ៤០ គីឡូក្រាម"). "Drugs" with no name counts
   only after the unit ("179 kg of drugs"): before it, "anti-drug police" would claim any mass.
   A quantity with no drug (gold, TNT, ivory, "60 fertiliser bags") is no seizure.
2. not a seizure where the sentence speaks of production, demand or the law's thresholds and
   of no seizure ("produce an estimated 150 tonnes", "possession of 80 grams is punishable").
3. a total, never a single seizure, where its clause (or a period fronting the sentence) names
   a period ("since 2017", "in 2016", "in the first six months", "so far this year", "last
   year") or where drugs are burned: destruction ceremonies gather years of seizures.
4. a count of containers beside a mass of the same drug ("20 packages ... weighing 21 kg") is
   the mass's detail, not a second figure; a figure repeated in the report is one figure.
"""

from __future__ import annotations

import bisect
import re

from archive.extraction.drugs import DrugMention, find_drugs
from archive.extraction.figures import Figure, FigureKind, Scope
from archive.extraction.quantities import Quantity, find_quantities
from archive.text import sentence_spans

DRUG_BETWEEN_CONFIDENCE = 0.9  # "3,400 yaba tablets"
DRUG_AFTER_CONFIDENCE = 0.9  # "12 kg of crystal meth"
DRUG_BEFORE_CONFIDENCE = 0.75  # "heroin weighing 3.2 kg": the drug may belong to another figure
UNSPECIFIED_PENALTY = 0.1  # "drugs" says less than "heroin"
# How far after a unit its drug may be named: "of", and up to three words ("of dried marijuana"),
# but no "and" ("700 grams) and ketamine" names the next figure's drug).
_DRUG_AFTER = re.compile(
    r"\s*(?:of\s+|\(\s*)?(?:(?!(?:and|or|with)\b)[^\W\d_]+[\s-]+){0,3}?$", re.IGNORECASE
)
MAX_CHARS_TO_DRUG_AFTER = 40

_PERIOD = re.compile(
    r"\b(?:"
    r"since\s+(?:[\w']+\s+){0,5}?(?:(?:19|20)\d\d|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|last\s+\w+|the\s+(?:start|beginning)\s+of\s+\w+)"
    r"|(?:in|during|over|for|throughout|within)\s+the\s+(?:first|last|past|previous|second|"
    r"third|fourth|same|latter)\s+(?:[\w-]+\s+)?(?:months?|weeks?|years?|days?|quarter|half|"
    r"decade|period)(?:\s+(?:of\s+)?(?:(?:19|20)\d\d|this\s+year|last\s+year))?"
    r"|(?:in|during|over|throughout)\s+(?:the|that|this)\s+(?:same\s+)?(?:period|year)\b"
    r"|(?:so\s+far\s+|earlier\s+)?this\s+year|last\s+year|the\s+previous\s+year|a\s+year\s+earlier"
    r"|in\s+(?:the\s+(?:fiscal\s+)?year\s+)?(?:19|20)\d\d(?:\s*(?:and|to|-|–)\s*(?:19|20)\d\d)?"
    r"(?![\d/])"
    r"|(?:between|from)\s+(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december|(?:19|20)\d\d)\s+(?:and|to|until)\s+\w+"
    r"|during\s+(?:the|a|this)\s+(?:[\w-]+\s+){0,2}?(?:campaign|crackdown)"
    r"|(?:annually|every\s+year|each\s+year|per\s+year|a\s+year)\b"
    r"|bringing\s+the\s+(?:total|tally)"
    r")",
    re.IGNORECASE,
)
_DESTROYED = re.compile(
    r"\b(?:burn(?:ed|t|s|ing)?|destr(?:oy|oyed|oys|oying|uction)|incinerat\w*)\b", re.I
)
# A clause starts a new figure's context: "..., up from 980 kg in 2021", "; ...", ": ...".
_CLAUSE_BREAK = re.compile(
    r";|:\s|\s[–—-]\s|,?\s+(?=(?:bringing|up\s+from|down\s+from|compared\s+(?:with|to)|against|"
    r"versus|while|whereas)\b)",
    re.IGNORECASE,
)
_FRONTED = re.compile(r"^\W*([^,]{3,60}),")  # "In 2016, ...", "Since 2017, ..."
_NOT_SEIZED = re.compile(
    r"\b(?:produc(?:e|es|ed|tion|ing)|manufactur\w*|consum\w*|capacity|demand|punishable|"
    r"carries\s+a|penalt(?:y|ies)|threshold|sentence\s+of)\b",
    re.IGNORECASE,
)
_SEIZED = re.compile(
    r"seiz|confiscat|found|discover|intercept|caught|carr(?:y|ied|ying)|haul|uproot|raid|"
    r"smuggl|traffick|recover|bust|burn|destr",
    re.IGNORECASE,
)


def find_seizures(text: str) -> list[Figure]:
    """Return the seizures `text` states, in order of position, each figure once."""
    quantities = find_quantities(text)
    if not quantities:
        return []
    drugs = find_drugs(text)
    sentences = sentence_spans(text)
    sentence_starts = [start for start, _ in sentences]
    proposals: list[tuple[Figure, Quantity]] = []
    for index, quantity in enumerate(quantities):
        sentence_start, sentence_end = sentences[
            max(0, bisect.bisect_right(sentence_starts, quantity.start) - 1)
        ]
        sentence = text[sentence_start:sentence_end]
        previous_end = quantities[index - 1].end if index else 0
        found = _drug_of(text, quantity, drugs, max(previous_end, sentence_start), sentence_end)
        if found is None:
            continue
        drug, rule, confidence = found
        if _NOT_SEIZED.search(sentence) and not _SEIZED.search(sentence):
            continue
        scope, period = _scope(sentence, quantity.start - sentence_start)
        start, end = min(quantity.start, drug.start), max(quantity.end, drug.end)
        values = {
            "drug": drug.drug,
            "quantity": quantity.value,
            "unit": quantity.unit,
            "as_written": text[start:end],
            "mass_kg": quantity.mass_kg,
            "count": quantity.count,
            "approximate": quantity.approximate,
        }
        figure = Figure(
            kind=FigureKind.SEIZURE,
            start=start,
            end=end,
            evidence=sentence.strip(),
            rule=rule,
            confidence=round(confidence - (UNSPECIFIED_PENALTY if drug.unspecified else 0), 2),
            values=values,
            scope=scope,
            period=period,
        )
        proposals.append((figure, quantity))
    return _merged(proposals)


def _drug_of(
    text: str, quantity: Quantity, drugs: list[DrugMention], floor: int, ceiling: int
) -> tuple[DrugMention, str, float] | None:
    """Return the drug a quantity is of, the rule that tied them and its confidence."""
    if quantity.between:
        for drug in drugs:
            if quantity.between[0] <= drug.start < quantity.between[1]:
                return drug, "count-of-drug-units", DRUG_BETWEEN_CONFIDENCE
        return None  # "60 fertiliser bags": the words before the unit name something else
    for drug in drugs:
        if quantity.end <= drug.start < min(ceiling, quantity.end + MAX_CHARS_TO_DRUG_AFTER):
            if _DRUG_AFTER.match(text[quantity.end : drug.start]):
                return drug, "quantity-of-drug", DRUG_AFTER_CONFIDENCE
            break
    before = [
        drug
        for drug in drugs
        if floor <= drug.start and drug.end <= quantity.start and not drug.unspecified
    ]
    if before:
        return before[-1], "drug-then-quantity", DRUG_BEFORE_CONFIDENCE
    return None


def _scope(sentence: str, position: int) -> tuple[Scope, str]:
    """Return whether the figure at `position` in `sentence` is a total, and its period."""
    clause_start, clause_end = 0, len(sentence)
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.end() <= position:
            clause_start = match.end()
        elif match.start() >= position:
            clause_end = match.start()
            break
    clause = sentence[clause_start:clause_end]
    period = _PERIOD.search(clause)
    if period is None:
        fronted = _FRONTED.match(sentence)
        if fronted and fronted.start(1) < position:
            period = _PERIOD.search(fronted[1])
    if period is not None:
        return Scope.TOTAL, period.group().strip()
    if _DESTROYED.search(clause):
        return Scope.TOTAL, ""
    return Scope.SINGLE, ""


def _merged(proposals: list[tuple[Figure, Quantity]]) -> list[Figure]:
    """Return the figures without repeats, containers folded into their mass."""
    masses = [(f, q) for f, q in proposals if q.mass_kg is not None]
    figures: list[Figure] = []
    seen: set[tuple] = set()
    for figure, quantity in proposals:
        if quantity.is_container and any(
            mass.values["drug"] == figure.values["drug"] and mass.evidence == figure.evidence
            for mass, _ in masses
        ):
            continue
        key = (figure.values["drug"], quantity.unit, quantity.value, figure.scope)
        if key in seen:
            continue
        seen.add(key)
        figures.append(figure)
    return figures
