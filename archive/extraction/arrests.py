"""How many people a report says were arrested, detained or charged, and of which nationalities.

    find_arrests("Police arrested a Chinese man and two Vietnamese women ...",
                 demonyms={"Chinese": "CN", "Vietnamese": "VN"})
    -> [Figure(kind=ARREST, values={"count": 3, "nationalities": ["CN", "VN"], ...})]

A count is a phrase "<number> <words> <person noun>" ("41 people", "five suspects", "three
Indonesians", "a Thai captain") governed by an arrest verb: before it ("detained 41 people",
"the arrest of 1,125 individuals") or after it as a passive ("14 people were arrested"). Phrases
listed together are one figure; a breakdown ("41 people, including 28 Chinese nationals") adds
its nationalities, not its count. "N arrests" counts itself.

People rescued, victims, the killed and the wounded, the deported and the sentenced are not
arrests: their verbs are recognised so that they stop a count from being read as one, and they
are not recorded as figures of their own (a victims figure would be a new kind, not an arrest).

A sentence stating a period ("in 2016", "in the past six months", "since the start of the year",
"a total of") makes the count a total, unless the count names a known group or a person ("the 16
defendants", "him and four workers"), which is one event. A count repeated in a report ("four
people ... the four people were arrested") is one figure.

Khmer (ឃាត់ខ្លួន ... ៣ នាក់), Thai (จับกุม ... 4 ราย/คน) and Vietnamese (bắt giữ 5 đối tượng) are
read by a rule each, their digits as ours.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from archive.extraction.figures import Figure, FigureKind, Scope
from archive.extraction.tallies import (
    NUMBER,
    Group,
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

VERB_CONFIDENCE = 0.85  # a count governed by an arrest verb
WORD_NUMBER_CONFIDENCE = 0.8  # written in words: "five suspects"
INDIVIDUAL_CONFIDENCE = 0.7  # "a man": the article is a count only beside an arrest verb
SELF_COUNTING_CONFIDENCE = 0.8  # "six arrests"
LOCAL_RULE_CONFIDENCE = 0.8

_ADJECTIVES = (
    "alleged", "suspected", "suspect", "foreign", "local", "male", "female", "young", "teenage",
    "other", "more", "further", "additional", "drug", "gambling", "scam", "online", "key", "main",
    "armed", "illegal", "undocumented", "crew", "gang", "ring", "syndicate", "yaba", "heroin",
    "methamphetamine", "meth", "cannabis", "fraud", "ethnic", "senior", "low-level",
)  # fmt: skip
_PEOPLE = (
    "people", "persons?", "individuals?", "suspects?", "men", "man", "women", "woman",
    "teenagers?", "youths?", "foreigners?", "nationals?", "citizens?", "offenders?",
    "perpetrators?", "traffickers?", "dealers?", "smugglers?", "members?", "ringleaders?",
    "couriers?", "users?", "addicts?", "culprits?", "accomplices?", "criminals?", "migrants?",
    "workers?", "employees?", "defendants?", "drivers?", "residents?", "villagers?", "gamblers?",
    "brokers?", "sellers?", "thie(?:f|ves)", "robbers?", "gangsters?", "fugitives?", "captains?",
    "owners?", "managers?", "bosses", "boss", "leaders?", "masterminds?", "operators?",
    *(f"{relation}s?" for relation in ("son", "daughter", "brother", "sister", "nephew", "niece",
      "cousin", "girlfriend", "boyfriend", "husband", "partner")),
    "wife", "wives", "father", "mother",
)  # fmt: skip
# Counted after "his" or "her": one more person ("a Nigerian man and his Thai girlfriend": 2).
_RELATIVES = re.compile(
    r"(?:son|daughter|brother|sister|nephew|niece|cousin|girlfriend|boyfriend|husband|partner"
    r"|wife|father|mother)$",
    re.IGNORECASE,
)
_PLURAL_WORDS = re.compile(r"(?:s|men|people|thieves)$", re.IGNORECASE)
# A demonym standing for people ("three Chinese") only where no noun follows it.
_DEMONYM_AS_NOUN_END = (
    r"(?=\s*(?:[,.;:)]|$|\b(?:and|or|were|was|who|had|have|has|are|from|in|on|at|after|for|"
    r"to|being|been|during|while|with)\b))"
)

# The verbs that matter around a count: `good` is set for arrests, not for the others.
_ARREST_WORDS = (
    r"arrests?\s+of|detention\s+of|arrest(?:ed|ing)?|detain(?:ed|ing)?|apprehend(?:ed|ing)?"
    r"|nabb(?:ed|ing)|captur(?:ed|ing)|caught|catch(?:ing)?|charg(?:ed|ing)|indict(?:ed|ing)"
    r"|round(?:ed|ing)?\s+up|(?:took|taken|taking)\s+into\s+custody|in\s+custody|held|holding"
    r"|bust(?:ed|ing)?"
)
_OTHER_WORDS = (
    r"rescu(?:ed|ing|e)|freed|sav(?:ed|ing)|releas(?:ed|ing)|kill(?:ed|ing)|dead|died"
    r"|injur(?:ed|ing)|wound(?:ed|ing)|shot|deport(?:ed|ing)|repatriat(?:ed|ing)|expell(?:ed|ing)"
    r"|sentenc(?:ed|ing)|convict(?:ed|ing)|fined|acquitt(?:ed|ing)|jailed|trafficked|smuggled"
    r"|victims?|attend(?:ed|ing)|evacuat(?:ed|ing)|treat(?:ed|ing)|hir(?:ed|ing)|employ(?:ed|ing)"
    r"|recruit(?:ed|ing)|return(?:ed|ing)|sent\s+back|fled|escap(?:ed|ing)|wanted"
    r"|question(?:ed|ing)|interview(?:ed|ing)|test(?:ed|ing)|screen(?:ed|ing)|found|visit(?:ed|ing)"
)
_VERBS = re.compile(rf"\b(?:(?P<good>{_ARREST_WORDS})|{_OTHER_WORDS})\b", re.IGNORECASE)
# A count is an arrest only beside an arrest word ("N arrests" counts itself): a sentence with
# none of these stems (one begins each of _ARREST_WORDS) holds no arrest figure, so most
# sentences of a report are never read further.
ARREST_STEMS = (
    "arrest", "detain", "detention", "apprehend", "nabb", "captur", "caught", "catch", "charg",
    "indict", "round", "custody", "held", "holding", "bust",
)  # fmt: skip
_PASSIVE = re.compile(
    r"^(?:(?!\b(?:and|that|which|but)\b)[^.;]){0,50}?\b(?:were|was|have\s+been|has\s+been"
    r"|had\s+been|been|being|are|is|got)\s+(?:(?:\w+ly|also|later|then|all|both|since)\s+){0,2}"
    rf"(?:(?P<good>{_ARREST_WORDS})|{_OTHER_WORDS})\b",
    re.IGNORECASE,
)
# "six teenagers detained by police", "two suspects arrested".
_PARTICIPLE = re.compile(
    rf"^\s*,?\s*(?:\w+ly\s+)?(?:(?P<good>{_ARREST_WORDS})|{_OTHER_WORDS})\b", re.IGNORECASE
)
# "arrested him and four Cambodian workers": the pronoun is one more person, named already.
_PRONOUN_BEFORE = re.compile(r"\b(?:him|her)\s+and\s+$", re.IGNORECASE)

_DIGITS = r"(?P<number>\d{1,3}(?:[.,]\d{3})+|\d+)"
# (pattern, rule): the region's languages, where a rule can read them.
_LOCAL_RULES = [
    (
        re.compile(rf"(?:ឃាត់ខ្លួន|ចាប់ខ្លួន)[^\d។]{{0,40}}?{_DIGITS}\s*នាក់"),
        "km-detained-n-people",
    ),
    (
        re.compile(rf"{_DIGITS}\s*នាក់\s*(?:ត្រូវ)?(?:បាន)?\s*(?:ឃាត់ខ្លួន|ចាប់ខ្លួន)"),
        "km-n-people-detained",
    ),
    (re.compile(rf"จับ(?:กุม)?[^\d]{{0,40}}?{_DIGITS}\s*(?:ราย|คน)"), "th-arrested-n-people"),
    (
        re.compile(
            rf"\b(?:bắt\s+giữ|bắt\s+quả\s+tang|bắt|tạm\s+giữ|khởi\s+tố)\s+{_DIGITS}\s+"
            r"(?:đối\s+tượng|người|bị\s+can|nghi\s+phạm)",
            re.IGNORECASE,
        ),
        "vi-arrested-n-people",
    ),
]
_LOCAL_SCRIPTS = re.compile("[\u1780-\u17ff\u0e00-\u0e7f\u1ea0-\u1ef9\u0111]")
LOCAL_SCRIPTS = (
    KHMER,
    THAI,
    VIETNAMESE_ADDITIONAL,
    ("\u0111", "\u0111"),
)  # the same, for a whole text


def find_arrests(text: str, *, demonyms: Mapping[str, str]) -> list[Figure]:
    """Return the numbers of people arrested that `text` states, one Figure for each number.

    `demonyms` maps a demonym as written ("Chinese", "Cambodians") to its country's ISO 3166-1
    alpha-2 code; a plural with a final "s" is read too.
    """
    phrase_pattern, codes = _compiled(tuple(demonyms.items()))
    figures: list[Figure] = []
    arrest_words = stem_positions(fold(text), ARREST_STEMS)
    local_script = holds_range(text, *LOCAL_SCRIPTS)
    for sentence_start, sentence_end in split_sentences(text):
        english = has_hit(arrest_words, sentence_start, sentence_end)
        if not english and not local_script:
            continue
        sentence = text[sentence_start:sentence_end]
        found = _english_figures(sentence, phrase_pattern, codes) if english else []
        if local_script and _LOCAL_SCRIPTS.search(sentence):
            found += _local_figures(sentence)
        for start, end, values, rule, confidence, scope, period in found:
            figures.append(
                Figure(
                    kind=FigureKind.ARREST,
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


@functools.lru_cache(maxsize=8)
def _compiled(demonym_items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    codes = {}
    for demonym, code in demonym_items:
        codes[demonym.casefold()] = code
        codes.setdefault(demonym.casefold() + "s", code)
    names = sorted((re.escape(demonym) for demonym, _ in demonym_items), key=len, reverse=True)
    demonym = rf"(?:{'|'.join(names)})s?" if names else r"(?!x)x"
    word = rf"(?:{demonym}|\d+-year-old|[a-z]+-year-old|{'|'.join(_ADJECTIVES)})"
    pattern = re.compile(
        rf"(?P<number>{NUMBER}|(?<![\w-])an?|(?<![\w-])one|(?<![\w-])(?:his|her))\s+"
        rf"(?P<words>(?:{word}\s+){{0,3}}?)"
        rf"(?P<noun>(?:{'|'.join(_PEOPLE)}|arrests)\b|{demonym}{_DEMONYM_AS_NOUN_END})",
        re.IGNORECASE,
    )
    return pattern, codes


def _phrases(sentence: str, pattern: re.Pattern) -> list[Phrase]:
    phrases = []
    for position in number_starts(sentence):
        if phrases and position < phrases[-1].end:
            continue
        match = pattern.match(sentence, position)
        if match is None:
            continue
        number = match["number"]
        noun = match["noun"]
        relative = number.lower() in ("his", "her")
        if relative and not _RELATIVES.search(noun):
            continue  # "his men", "her staff": nobody counted
        count = 1 if relative else parse_number(number)
        individual = relative or number.lower() in ("a", "an", "one")
        if count is None or (individual and _PLURAL_WORDS.search(noun) and noun != "Swiss"):
            continue
        start, definite, qualifier = count_prefix(sentence, position)
        phrases.append(
            Phrase(
                start=start,
                end=match.end(),
                count=count,
                noun=noun,
                words=match["words"],
                definite=definite,
                individual=individual,
                qualifier=qualifier,
            )
        )
    return phrases


def _english_figures(sentence: str, pattern: re.Pattern, codes: dict[str, str]) -> list:
    phrases = _phrases(sentence, pattern)
    groups = group_phrases(sentence, phrases)
    found = []
    for index, group in enumerate(groups):
        next_start = groups[index + 1].start if index + 1 < len(groups) else None
        self_counting = all(phrase.noun.lower() == "arrests" for phrase in group.phrases)
        if self_counting:
            rule, confidence = "n-arrests", SELF_COUNTING_CONFIDENCE
        else:
            verb = governing_verb(
                sentence,
                group,
                verbs=_VERBS,
                passive=_PASSIVE,
                after=_PARTICIPLE,
                next_start=next_start,
            )
            if verb is None or not verb[0]["good"]:
                continue
            passive = verb[1]
            rule = "n-people-were-arrested" if passive else "arrested-n-people"
            confidence = _confidence(group)
        pronoun = bool(_PRONOUN_BEFORE.search(sentence[: group.start]))
        count = group.count + (1 if pronoun else 0)
        values = {
            "count": count,
            "nationalities": _nationalities(group, codes),
            "as_written": sentence[group.start : group.end],
        }
        if qualifier := group.phrases[0].qualifier:
            values["qualifier"] = qualifier
        scope, period = _scope(sentence, group, pronoun=pronoun)
        found.append((group.start, group.end, values, rule, confidence, scope, period))
    return found


def _confidence(group: Group) -> float:
    if any(phrase.individual for phrase in group.phrases):
        return INDIVIDUAL_CONFIDENCE
    if any(not phrase.noun[:1].isdigit() and _is_word_number(phrase) for phrase in group.phrases):
        return WORD_NUMBER_CONFIDENCE
    return VERB_CONFIDENCE


def _is_word_number(phrase: Phrase) -> bool:
    return phrase.count < 100 and not any(char.isdigit() for char in phrase.words + phrase.noun)


def _nationalities(group: Group, codes: dict[str, str]) -> list[str]:
    found = set()
    for phrase in (*group.phrases, *group.breakdown):
        for word in (*phrase.words.split(), phrase.noun):
            if code := codes.get(word.casefold()):
                found.add(code)
    return sorted(found)


def _scope(sentence: str, group: Group, *, pronoun: bool = False) -> tuple[Scope, str]:
    # A group already spoken of, or one naming a person, is one event whatever the sentence says.
    if pronoun or any(phrase.definite or phrase.individual for phrase in group.phrases):
        return Scope.SINGLE, ""
    period = find_period(sentence)
    if period or group.phrases[0].qualifier == "a total of":
        return Scope.TOTAL, period
    return Scope.SINGLE, ""


def _local_figures(sentence: str) -> list:
    found = []
    for pattern, rule in _LOCAL_RULES:
        for match in pattern.finditer(sentence):
            count = parse_number(match["number"].replace(".", ","))
            if not count:
                continue
            period = find_period(sentence)
            scope = Scope.TOTAL if period else Scope.SINGLE
            values = {"count": count, "nationalities": [], "as_written": match.group()}
            found.append(
                (match.start(), match.end(), values, rule, LOCAL_RULE_CONFIDENCE, scope, period)
            )
    return found


def _without_repeats(figures: list[Figure]) -> list[Figure]:
    """Return the figures with a count stated again in the same scope kept once, the first."""
    scopes_of: dict[object, set] = {}
    kept = []
    for figure in figures:
        scopes = scopes_of.setdefault(figure.values["count"], set())
        if is_repeat(str(figure.values["as_written"]), figure.scope, scopes):
            continue
        scopes.add(figure.scope)
        kept.append(figure)
    return kept
