"""What of a typed query the index cannot search, said rather than passed over in silence.

The index leaves some words out (English stop words such as "the" and "of", single characters)
and reads some scripts only in part. Its word pattern takes letters and digits, so a script
whose words hold combining signs (vowel signs, viramas) but that is not one the archive cuts into
letter clusters (Khmer, Thai, Lao, Burmese, Chinese, Japanese: archive.languages.words) is cut
at every sign, the signs dropped: Tibetan, Devanagari, Balinese... And a script written without
spaces that the archive does not cut (Tai Tham, New Tai Lue) is read a whole run as one word.

A query made only of such words searches nothing: it must say so, and not look like a search
that no report answers, nor list every report as if all matched. A query holding some of them
says, briefly, which were left out. Shapes:

    Omissions(ignored=(IgnoredWord("the", COMMON), IgnoredWord("!!!", NO_LETTERS)),
              scripts=(UnreadScript("Tibetan", typed=("བོད་ཡིག",), searched=(),
                                    drops_signs=True, unspaced=False),))

Nothing here knows an engine: a backend says which words its index keeps (`kept`) and which it
leaves out as too common (`stop_words`), and whether its query searched anything at all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from archive.languages.scripts import breaks_between_letters, unicode_script
from archive.languages.words import has_unspaced, split_words, word_spans
from search.query.typed_query import OPERATORS, TypedPart, rewrite_query, typed_parts

# Why a typed word is not searched (the API gives these as they are).
COMMON = "common"  # a stop word: in nearly every report, so not indexed
SINGLE_CHARACTER = "single_character"
NO_LETTERS = "no_letters"  # punctuation, or a sign without its letter
REASONS = (COMMON, SINGLE_CHARACTER, NO_LETTERS)
# How many typed words one notice names; the rest are counted.
SHOWN_WORDS = 5


@dataclass(frozen=True)
class IgnoredWord:
    text: str  # as typed: a word, a compound, a phrase without its quotes, punctuation
    reason: str  # one of REASONS


@dataclass(frozen=True)
class UnreadScript:
    """Typed text in a script the index does not read as the words it is written in."""

    script: str  # Unicode's name for it: "Tibetan", "Tai Tham"
    typed: tuple[str, ...]  # the typed words holding it
    searched: tuple[str, ...]  # what the index looks for in their place; () when nothing
    drops_signs: bool  # its combining signs are dropped, cutting its words where they stand
    unspaced: bool  # written without spaces, and not cut into words: a run is one word


@dataclass(frozen=True)
class Omissions:
    ignored: tuple[IgnoredWord, ...] = ()
    scripts: tuple[UnreadScript, ...] = ()


@dataclass(frozen=True)
class QueryNotice:
    text: str
    minor: bool = False  # a side remark (a few words ignored among others searched)


def find_omissions(
    text: str, *, kept: Callable[[str], bool], stop_words: frozenset[str]
) -> Omissions:
    """Return the typed words of `text` the index leaves out, and the scripts of `text` it does
    not read as written; `kept(word)` says whether the index keeps a word as the analyzer cuts
    it, `stop_words` are the lower-case words it leaves out as too common."""
    ignored: dict[str, IgnoredWord] = {}
    scripts: dict[str, UnreadScript] = {}
    for part in typed_parts(text):
        inner = part.text.strip('"') if part.is_phrase else part.text
        unread = _unread_scripts(inner)
        if unread:
            searched = [word for word in split_words(inner) if kept(word)]
            for script, (drops_signs, unspaced) in unread.items():
                before = scripts.get(script, UnreadScript(script, (), (), False, False))
                scripts[script] = UnreadScript(
                    script,
                    typed=_once(*before.typed, inner),
                    searched=_once(*before.searched, *searched),
                    drops_signs=before.drops_signs or drops_signs,
                    unspaced=before.unspaced or unspaced,
                )
            continue
        reason = _reason_ignored(part, kept=kept, stop_words=stop_words)
        if reason:
            shown = inner or part.typed
            ignored.setdefault(shown.lower(), IgnoredWord(shown, reason))
    return Omissions(ignored=tuple(ignored.values()), scripts=tuple(scripts.values()))


def omission_notices(omissions: Omissions, *, searched_nothing: bool) -> list[QueryNotice]:
    """Return what the page and the API say of `omissions`: when nothing was searched, why and
    what to do; otherwise the words ignored, in passing. Each script not read as written gets
    a sentence of its own."""
    notices: list[QueryNotice] = []
    if searched_nothing:
        notices.append(QueryNotice(_nothing_searched(omissions.ignored)))
    else:
        # Punctuation between searched words ("Poipet - casino") is dropped as expected.
        ignored = [word for word in omissions.ignored if word.reason != NO_LETTERS]
        if ignored:
            notices.append(QueryNotice(_not_searched(ignored), minor=True))
    notices.extend(QueryNotice(_script_sentence(script)) for script in omissions.scripts)
    return notices


def _reason_ignored(
    part: TypedPart, *, kept: Callable[[str], bool], stop_words: frozenset[str]
) -> str:
    """Return why the index searches nothing of `part`, or "" when it searches some of it."""
    if part.is_phrase:
        words = split_words(part.text)
    else:
        # As the engine receives it: `U.S.` is asked as "US", a stop word.
        rewritten = rewrite_query(part.text, stop_words=stop_words)
        words = [word for word in split_words(rewritten) if word not in OPERATORS]
    if not words:
        return NO_LETTERS
    if any(map(kept, words)):
        return ""
    return COMMON if any(word.lower() in stop_words for word in words) else SINGLE_CHARACTER


def _unread_scripts(text: str) -> dict[str, tuple[bool, bool]]:
    """Return {script: (drops signs, unspaced)} for each script of `text` that the index does
    not read as written: one whose combining signs the word pattern drops, or one written
    without spaces that the archive does not cut into clusters."""
    covered = bytearray(len(text))
    for start, end in word_spans(text):
        covered[start:end] = b"\x01" * (end - start)
    found: dict[str, tuple[bool, bool]] = {}
    letter_script = ""  # the script of the last letter: a sign is read with its letter
    for index, char in enumerate(text):
        kind = unicodedata.category(char)[0]
        if kind == "L":
            letter_script = "Latin" if char.isascii() else unicode_script(char)
            if not char.isascii() and not has_unspaced(char) and breaks_between_letters(char):
                drops_signs, _ = found.get(letter_script, (False, False))
                found[letter_script] = (drops_signs, True)
        elif kind == "M" and not covered[index] and letter_script:
            _, unspaced = found.get(letter_script, (False, False))
            found[letter_script] = (True, unspaced)
    return found


def _nothing_searched(ignored: Sequence[IgnoredWord]) -> str:
    reasons = _reasons(ignored)
    sentence = "Nothing in the query could be searched, so no report is listed"
    sentence += f": {'; '.join(reasons)}." if reasons else "."
    if any(word.reason == COMMON for word in ignored):
        return sentence + (
            " Quotes do not keep such words (a phrase skips them, as the index does): add a "
            "word that narrows the search, such as a place, a name or a crime."
        )
    return sentence + " Add a word to search for."


def _not_searched(ignored: Sequence[IgnoredWord]) -> str:
    labels = ((COMMON, "too common to be indexed"), (SINGLE_CHARACTER, "too short to be indexed"))
    groups = [
        f"{_listed(word.text for word in ignored if word.reason == reason)} ({label})"
        for reason, label in labels
        if any(word.reason == reason for word in ignored)
    ]
    return f"Not searched: {'; '.join(groups)}."


def _reasons(ignored: Sequence[IgnoredWord]) -> list[str]:
    """Return a clause per reason: "“the” and “of” are too common to be indexed"."""
    said = {
        COMMON: ("is too common to be indexed", "are too common to be indexed"),
        SINGLE_CHARACTER: (
            "is a single character, which the index leaves out",
            "are single characters, which the index leaves out",
        ),
        NO_LETTERS: ("has no letter or digit", "have no letter or digit"),
    }
    clauses = []
    for reason in REASONS:
        words = [word.text for word in ignored if word.reason == reason]
        if words:
            one, several = said[reason]
            clauses.append(f"{_listed(words)} {one if len(words) == 1 else several}")
    return clauses


def _script_sentence(script: UnreadScript) -> str:
    typed = _listed(script.typed)
    was = "was" if len(script.typed) == 1 else "were"
    signs = "combining signs (vowel signs and the like)"
    if not script.searched:
        if script.drops_signs:
            return (
                f"{script.script} cannot be searched yet: the archive drops its {signs} and "
                f"does not index the single letters left, so {typed} {was} not searched."
            )
        return f"{typed} {was} not searched: a single letter of {script.script} is not indexed."
    searched = _listed(script.searched)
    if script.drops_signs and script.unspaced:
        return (
            f"{script.script} is searched without its {signs} and is not cut into words: "
            f"{typed} {was} searched as {searched}, found only where a report sets it apart "
            "with spaces or punctuation."
        )
    if script.drops_signs:
        return (
            f"{script.script} is searched without its {signs}: {typed} {was} searched as "
            f"{searched}, which also finds words that differ only in those signs."
        )
    return (
        f"{script.script} is written without spaces, and the archive does not cut it into "
        f"words: {typed} {was} searched as written, found only where a report sets it apart "
        "with spaces or punctuation."
    )


def _once(*items: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _listed(words: Iterable[str]) -> str:
    """Return “a”, “b” and “c”, naming at most SHOWN_WORDS words and counting the rest."""
    words = list(words)
    named = [f"“{word}”" for word in words[:SHOWN_WORDS]]
    if len(words) > SHOWN_WORDS:
        return f"{', '.join(named)} and {len(words) - SHOWN_WORDS} more"
    if len(named) == 1:
        return named[0]
    return f"{', '.join(named[:-1])} and {named[-1]}"
