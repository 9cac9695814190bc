"""What people type, put into the query language before an engine parses it.

People join words with punctuation (`cross-border`, `anti-money laundering`, `U.N.`,
`Sar Kheng's`, `drug/alcohol`) and end a typed question with `?`. The index splits text at every
character that is not a letter or a digit, except a dot between two of them ("U.N" is one word),
so "cross-border" is indexed as "cross" and "border", one after the other, exactly as "cross
border" is. Queries must agree with that, so each typed word is rewritten here:

- `a-b` (any hyphen or dash, or an apostrophe, between two words): the words one after the other,
  or written as one word: `("a b" OR ab)`. Only a `-` that begins a word means NOT.
- `a/b`: either word, `(a OR b)`, as "drug/alcohol" means in text.
- `U.N.`: the acronym as written or without its dots, `(U.N OR UN)`; but `U.S.` is `US` alone
  when the engine drops "us" as a stop word: texts writing "US" are then indexed without it, and
  requiring "U.S" would leave them out.
- `Kheng's`: the possessive is dropped.
- Full stops, commas, colons, semicolons, question and exclamation marks ending a word are
  dropped, and so is a `-` or `+` standing alone ("Poipet - casino").
- A word of a script written without spaces (Khmer, Thai, Lao, Burmese, Chinese) that holds
  several words: those words one after the other, `"a b"`, as the index cut them.

Quoted phrases are left as written: the analyzer splits their words as the index does. Nothing
here knows an engine: every backend parses the rewritten text with the same meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.languages.names import other_forms
from archive.languages.words import has_unspaced, split_words

# Hyphens and dashes (ASCII, Unicode hyphen and non-breaking hyphen, figure dash, en and em
# dash, minus sign) and apostrophes (straight and typographic) join two words into one.
JOINERS = "-\u2010\u2011\u2012\u2013\u2014\u2212'\u2019"
_JOINER = re.compile(f"[{re.escape(JOINERS)}]+")
_QUOTED = re.compile(r'"[^"]*"?')
# What may come before a word: NOT or MUST signs and opening brackets.
_LEADING = re.compile(r"^[-+\u2212(]*")
# What may end one: closing brackets and the punctuation of a sentence.
_TRAILING = re.compile(r"[).,;:!?\u2026]*$")
_FIELD = re.compile(r"^(title|body):", re.IGNORECASE)
_SPACE_BEFORE_CLOSE = re.compile(r"\s+\)")
_QUOTED_OR_WORD = re.compile(r'[-+\u2212(]*(?:(?:title|body):)?"[^"]*"?|\S+', re.IGNORECASE)
_FIELD_ANYWHERE = re.compile(r"^(?:title|body):", re.IGNORECASE)
# What may stand right before a quoted phrase and apply to it: signs, brackets, a field name.
_PHRASE_PREFIX = re.compile(r"(?<!\S)[-+\u2212(]*(?:(?:title|body):)?$", re.IGNORECASE)
_BOOST = re.compile(r"\^[0-9.]*$")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
# A dotted acronym: one to three letters between dots ("U.N", "e.g", "Ph.D").
_ACRONYM = re.compile(r"[^\W\d_]{1,3}(?:\.[^\W\d_]{1,3})+")
# A word's characters, as the index reads them (a dot inside a word included).
_WORD = re.compile(r"\w+(?:\.\w+)*")


@dataclass(frozen=True)
class TypedWord:
    """A word as typed (`text`) and where it stands in the query, for spelling corrections."""

    text: str
    start: int
    end: int


def rewrite_query(text: str, *, stop_words: frozenset[str] = frozenset()) -> str:
    """Return `text` with each typed word rewritten as the module docstring says; `stop_words`
    are the lower-case words the engine leaves out of its index."""
    parts, position = [], 0
    for quoted in _QUOTED.finditer(text):
        before = text[position : quoted.start()]
        # A sign or a field name touching the quote belongs to the phrase: -"a b", title:"a b".
        attached = _PHRASE_PREFIX.search(before)
        start = attached.start() if attached else len(before)
        parts.append(_rewrite_words(before[:start], stop_words))
        parts.append(before[start:] + quoted.group())
        position = quoted.end()
    parts.append(_rewrite_words(text[position:], stop_words))
    return _SPACE_BEFORE_CLOSE.sub(")", " ".join(" ".join(parts).split()))


def with_every_name_form(text: str) -> str:
    """Return `text` with each person's name it holds (outside quotes) asked in every form the
    press writes it (archive.languages.names): `Sar Kheng's` becomes `("Sar Kheng" OR "Sor
    Kheng" OR "ស ខេង")`. Engines apply it before rewrite_query, which would cut a name written
    without spaces into letter clusters."""
    pieces, position = [], 0
    for start, end, forms in other_forms(text):
        if _inside_quotes(text, start):
            continue
        pieces.append(text[position:start])
        pieces.append("(" + " OR ".join(f'"{form}"' for form in forms) + ")")
        position = end
    return "".join(pieces) + text[position:]


def typed_words(text: str) -> list[TypedWord]:
    """Return the words a spelling check should look at: outside quotes and field names, each
    part of a compound on its own, operators (AND, OR, NOT) left out."""
    words = []
    for match in _WORD.finditer(text):
        if _inside_quotes(text, match.start()) or text[match.end() : match.end() + 1] == ":":
            continue
        if match.group() in OPERATORS:
            continue
        words.append(TypedWord(match.group(), match.start(), match.end()))
    return words


OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


@dataclass(frozen=True)
class TypedPart:
    """A word, compound or "phrase" of a query: `typed` as typed; `text` without the sign, field
    name, boost and closing punctuation around it (a phrase keeps its quotes; "" when nothing
    else was typed, as in `!!!`), and whether it is excluded (`-word`, `NOT word`)."""

    typed: str
    text: str
    excluded: bool = False

    @property
    def is_phrase(self) -> bool:
        return self.text.startswith('"')


def typed_parts(text: str) -> list[TypedPart]:
    """Return the words, compounds and phrases of `text` in the order typed, operators (AND,
    OR, NOT) left out."""
    parts: list[TypedPart] = []
    excluded = False
    for token in _QUOTED_OR_WORD.findall(text):
        if token in OPERATORS:
            excluded = token == "NOT"
            continue
        sign = _LEADING.match(token).group()
        rest = _FIELD_ANYWHERE.sub("", token[len(sign) :])
        if token.startswith('"') or rest.startswith('"'):
            part = rest if rest.endswith('"') else rest + '"'
        else:
            part = _BOOST.sub("", rest[: len(rest) - len(_TRAILING.search(rest).group())])
        parts.append(TypedPart(token, part, excluded or "-" in sign or "\u2212" in sign))
        excluded = False
    return parts


def searched_parts(text: str, *, stop_words: frozenset[str] = frozenset()) -> list[str]:
    """Return what a report is asked to hold, as typed and each once: words and compounds
    without their closing punctuation, phrases in quotes; not excluded ones (`-word`, `NOT
    word`), operators, field names, or words the engine leaves out (`stop_words`)."""
    found: list[str] = []
    for part in typed_parts(text):
        searched = part.text
        if not part.is_phrase:
            searched = _POSSESSIVE.sub("", searched).strip("*" + JOINERS)
            if searched.replace(".", "").lower() in stop_words or len(searched.strip(".")) < 2:
                searched = ""
        if searched and not part.excluded and searched not in found:
            found.append(searched)
    return found


def _inside_quotes(text: str, index: int) -> bool:
    return text.count('"', 0, index) % 2 == 1


def _rewrite_words(text: str, stop_words: frozenset[str]) -> str:
    return " ".join(filter(None, (_rewrite_word(word, stop_words) for word in text.split())))


def _rewrite_word(word: str, stop_words: frozenset[str]) -> str:
    leading = _LEADING.match(word).group()
    rest = word[len(leading) :]
    trailing = _TRAILING.search(rest).group()
    core = rest[: len(rest) - len(trailing)]
    closing = ")" * trailing.count(")")
    field = _FIELD.match(core)
    field_prefix = field.group() if field else ""
    core = core[len(field_prefix) :]
    boost = _BOOST.search(core)
    boost_suffix = boost.group() if boost and boost.group() != "^" else ""
    core = core[: boost.start()] if boost else core
    core = _POSSESSIVE.sub("", core)
    rewritten = _rewrite_core(core, boost_suffix, stop_words)
    if not rewritten:
        # A sign or bracket standing alone: "-" between two words is a dash, not NOT.
        return "".join(ch for ch in leading if ch == "(") + closing
    return leading.replace("\u2212", "-") + field_prefix + rewritten + closing


def _rewrite_core(core: str, boost: str, stop_words: frozenset[str]) -> str:
    """Return one typed word (no sign, field, boost or closing punctuation) in query syntax."""
    alternatives = [_compound(piece, boost, stop_words) for piece in core.split("/")]
    alternatives = [alternative for alternative in alternatives if alternative]
    if len(alternatives) > 1:
        return "(" + " OR ".join(alternatives) + ")"
    return alternatives[0] if alternatives else ""


def _compound(piece: str, boost: str, stop_words: frozenset[str]) -> str:
    """Return a word that may hold hyphens, apostrophes or an acronym's dots, in query syntax."""
    prefix = piece.endswith("*")
    parts = [part for part in _JOINER.split(piece.rstrip("*")) if part]
    if not parts:
        return ""
    star = "*" if prefix else ""
    if len(parts) == 1:
        word = parts[0]
        if has_unspaced(word) and not prefix and len(pieces := split_words(word)) > 1:
            # Khmer, Thai, Chinese... written without spaces: the words the index cut it into,
            # one after the other.
            return '"' + " ".join(pieces) + '"' + boost
        if _ACRONYM.fullmatch(word) and not prefix:
            joined = word.replace(".", "")
            if joined.lower() in stop_words:
                return joined
            return f"({word}{boost} OR {joined}{boost})"
        return word + star + boost
    if prefix:
        # A phrase cannot end in a prefix: the words each, the last one as a prefix.
        return "(" + " AND ".join([*parts[:-1], parts[-1] + star]) + ")"
    phrase = '"' + " ".join(parts) + '"'
    return f"({phrase}{boost} OR {''.join(parts)}{boost})"
