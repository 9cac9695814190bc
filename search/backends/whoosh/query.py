"""From the text a reader types to the Whoosh query the backend runs, the articles it matches
(every word, or failing that any), and the words of that query that score and highlight a hit.
Parsing is where a query's cost is bounded (a prefix expanded to a few words, boosts clamped,
internal fields and ranges of words unreachable), so every query goes through `parse`.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from whoosh.fields import Schema
from whoosh.qparser import (
    AndGroup,
    EveryPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
    PrefixPlugin,
    RangePlugin,
    WildcardPlugin,
)
from whoosh.query import AndNot, Not, NullQuery, Or, Phrase, Prefix, Query, Term

from archive.languages.words import is_unspaced_word
from search.backends.whoosh.schema import STOP_WORDS, TOKEN
from search.query.typed_query import rewrite_query, with_every_name_form

# The fields a query may name: the others are internal, and those without postings (columns,
# stored values) made the parser raise.
QUERY_FIELDS = ("title", "body")
# A query's cost is bounded by design. A prefix (`kidnap*`) stands for at most MAX_PREFIX_WORDS
# indexed words, those most reports use among the first MAX_PREFIX_SCAN in alphabetical order;
# a shorter prefix than MIN_PREFIX_CHARS is searched as a word. Wildcards elsewhere in a word
# and ranges of words (`[a TO z]`) would walk the vocabulary: they are not part of the syntax.
MIN_PREFIX_CHARS = 3
MAX_PREFIX_WORDS = 50
MAX_PREFIX_SCAN = 1_000
# A larger boost adds nothing to the order, and an enormous one overflows the scores.
MAX_BOOST = 100.0
# Whoosh's prefix pattern, except that a word may not begin with + or -: those belong to the
# plus/minus syntax, so "-smuggl*" excludes the words beginning "smuggl" (Whoosh's own pattern
# read it as words beginning "-smuggl", which none does).
PREFIX_PATTERN = r"(?P<text>(?![+-])[^ \t\r\n*]+)[*](?= |$|\))"


@dataclass(frozen=True)
class Matched:
    """What a query's text matches, before filters."""

    query: Query | None  # None: no words, so every article
    docs: int  # the matching articles, as a bitset
    any_words: bool = False  # no article held every word: these hold some
    # With any_words, a query per typed word: results rank first by how many a report holds.
    clauses: tuple[Query, ...] = ()


def match_text(searcher, snapshot, text: str) -> Matched:
    """Return the query for `text` and the articles of `snapshot` it matches: those holding
    every word, or, when none does, those holding any (ranked by how many they hold)."""
    if not text.strip():
        return Matched(None, snapshot.articles)
    query = parse(text, searcher, group=AndGroup)
    if query is NullQuery:
        # The analyzer left none of the typed words ("the of", "!!!"): nothing was asked, so
        # nothing matches; never every article, as if the box were empty.
        return Matched(query, 0)
    matched = snapshot.matching(query)
    if matched:
        return Matched(query, matched)
    clauses = typed_clauses(text, searcher)
    if len(clauses) < 2:
        return Matched(query, matched)
    # Nothing has every word (a pasted sentence, a long question): rank by how many match.
    query = parse(text, searcher, group=OrGroup)
    return Matched(query, snapshot.matching(query), any_words=True, clauses=clauses)


def parse(text: str, searcher, *, group) -> Query:
    """Return the Whoosh query for `text`, every part of it cheap to run (see MAX_PREFIX_WORDS)."""
    return _parse_parts(text, searcher, group=group).normalize()


def typed_clauses(text: str, searcher) -> tuple[Query, ...]:
    """Return a query per word (or phrase, or bracketed group) typed, excluded ones left out:
    the parts an any-word search counts for each report."""
    parts = _parse_parts(text, searcher, group=OrGroup)
    positive = parts.a if type(parts) is AndNot else parts
    children = positive.subqueries if type(positive) is Or else [positive]
    clauses = (child.normalize() for child in children if type(child) is not Not)
    return tuple(clause for clause in clauses if clause is not NullQuery)


def _parse_parts(text: str, searcher, *, group) -> Query:
    """Return the parsed query before normalisation, which would flatten the typed words."""
    schema = Schema(**{name: searcher.schema[name] for name in QUERY_FIELDS})
    parser = MultifieldParser(list(QUERY_FIELDS), schema, group=group)
    for plugin in (WildcardPlugin, RangePlugin, EveryPlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(PrefixPlugin(expr=PREFIX_PATTERN))
    parser.add_plugin(PlusMinusPlugin())
    try:
        typed = with_every_name_form(text)
        query = parser.parse(rewrite_query(typed, stop_words=STOP_WORDS), normalize=False)
    except Exception:
        # Whoosh's parser fails on some operator sequences ("NOT NOT x" raised IndexError):
        # search the words alone (lowercased, the operators are stop words).
        query = parser.parse(" ".join(TOKEN.findall(text.lower())), normalize=False)
    if type(query) is AndNot and not list(query.a.children()):
        # "-casino" alone: Whoosh excludes from nothing; it means what "NOT casino" does.
        query = Not(query.b)
    return query.accept(functools.partial(_bounded, searcher.reader()))


def _bounded(reader, query: Query) -> Query:
    """Return a part of a query at a bounded cost: a prefix as a few plain words (which the
    snapshot matches from cached postings, scores and highlights), a boost clamped."""
    if isinstance(query, Prefix):
        field, text = query.fieldname, query.text
        if len(text) < MIN_PREFIX_CHARS:
            return Term(field, text, boost=query.boost)
        # The parser has stemmed the prefix as the index's words are ("arrested*" looks for
        # the words beginning "arrest"), so the floor applies to the stem.
        words = itertools.islice(reader.expand_prefix(field, text), MAX_PREFIX_SCAN)
        found = {word.decode() if isinstance(word, bytes) else word for word in words}
        if not found:
            return NullQuery
        common = sorted(found, key=lambda word: (-reader.doc_frequency(field, word), word))
        terms = [Term(field, word) for word in common[:MAX_PREFIX_WORDS]]
        return Or(terms, boost=query.boost) if len(terms) > 1 else terms[0]
    if query.boost > MAX_BOOST:
        query.boost = MAX_BOOST  # a part the parser has just made: changing it is safe
    return query


def weighted_words(query: Query) -> dict[tuple[str, str], float]:
    """Return {(field, word): boost} of the words that score a hit: not the excluded ones."""
    kind = type(query)
    if kind is Not:
        return {}
    if kind is AndNot:
        return weighted_words(query.a)
    if query.is_leaf():
        return {(field, word): query.boost for field, word in query.iter_all_terms()}
    words: dict[tuple[str, str], float] = {}
    for child in query.children():
        for key, boost in weighted_words(child).items():
            words[key] = words.get(key, 0.0) + boost * query.boost
    return words


def positive_terms(query: Query, field: str) -> frozenset[str | tuple[str, ...]]:
    """Return the (stemmed) words of `query` in `field` that a hit holds, not the excluded; a
    phrase of an unspaced script's letter clusters as a tuple of them."""
    kind = type(query)
    if kind is Not:
        return frozenset()
    if kind is AndNot:
        return positive_terms(query.a, field)
    if kind is Phrase and query.fieldname == field and any(map(is_unspaced_word, query.words)):
        # Letter clusters of an unspaced script: highlighted where they stand in this order only.
        return frozenset({tuple(query.words)})
    if query.is_leaf():
        return frozenset(text for name, text in query.iter_all_terms() if name == field)
    return frozenset().union(*(positive_terms(child, field) for child in query.children()))
