"""The index's fields and how its text becomes words: the schema, the analysis every other module
of the backend repeats (tokens, stop words, Porter2 stems) and two shortcuts that make indexing
fast while writing exactly what Whoosh would. Queries, highlighting and "did you mean" must split
text as the index did, so they all take their words from here.
"""

from __future__ import annotations

import functools
import operator
import pickle

from whoosh import analysis
from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang import porter2
from whoosh.system import pack_uint

from archive.kinds import TAGGED
from archive.languages.words import (
    SPACED_WORD,
    fold,
    is_unspaced_word,
    needs_segmenting_or_folding,
    split_words,
    word_spans,
)
from search.backends.base import FIGURE_FACET_KEYS, INCIDENT, MAX_KG
from search.query.spelling import written_forms

# What the `kind` field says a document is: an article, the meta document (the change-log
# cursor) or a vocabulary document (words for "did you mean").
ARTICLE, META, VOCABULARY = "article", "meta", "vocabulary"
TAG_FACETS = tuple(kind.key for kind in TAGGED)
FACET_FIELDS = (
    *TAG_FACETS,
    *(f"{facet}_all" for facet in TAG_FACETS),
    "source",
    "year",
    *FIGURE_FACET_KEYS,
)

# A word of a script written with spaces, as Whoosh's RegexTokenizer matches it; runs of scripts
# written without spaces are cut into words by archive.languages.words.
TOKEN = SPACED_WORD
STOP_WORDS = frozenset(analysis.STOP_WORDS)
# Shortest word StopFilter keeps.
MIN_WORD_CHARS = 2
# A C-level cache: Whoosh's own stem cache is a Python wrapper called once per word.
stem = functools.lru_cache(maxsize=200_000)(porter2.stem)


def index_term(word: str) -> str | None:
    """Return the term a query looks for when it holds `word`, or None for a word the index
    leaves out: lowercase; English stop words and one-letter words out (a one-character word of
    an unspaced script, such as Chinese 港, stays); English stemmed. A word typed with accents
    ("túy") looks for itself; typed without ("tuy"), for every accented form ("túy", "tùy"...)."""
    lowered = word.lower()
    if lowered.isascii():
        if len(lowered) < MIN_WORD_CHARS or lowered in STOP_WORDS:
            return None
        return stem(lowered)
    if is_unspaced_word(lowered):
        return lowered
    folded = fold(lowered)
    if folded == lowered:  # other scripts: Cyrillic, Greek...
        if len(lowered) < MIN_WORD_CHARS or lowered in STOP_WORDS:
            return None
        return stem(lowered)
    # With its accents a word is no English stop word: Vietnamese "cán" (cadre) is not "can".
    return lowered if len(lowered) >= MIN_WORD_CHARS else None


def is_indexed(word: str) -> bool:
    """Return whether a query looks for `word` (a word as the analyzer cuts it)."""
    return index_term(word) is not None


def index_terms(word: str) -> tuple[str, ...]:
    """Return the terms the index holds for a word as written: index_term's, and for a word with
    accents also its bare form's, at the same position ("Nội": "nội" and "noi")."""
    term = index_term(word)
    if term is None:
        return ()
    folded = fold(word)
    if folded == word.lower():
        return (term,)
    bare = index_term(folded)
    return (term, bare) if bare and bare != term else (term,)


class WordTokenizer(analysis.Tokenizer):
    """Whoosh's tokenizer interface over archive.languages.words: the words of every script."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = analysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        spans = word_spans(value) if tokenize else [(0, len(value))]
        for number, (start, end) in enumerate(spans):
            token.text = value[start:end]
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + number
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class TermFilter(analysis.Filter):
    """Each token's terms (index_terms when indexing, index_term for a query), numbering the kept
    tokens one after the other as StopFilter does (phrase queries rely on the positions)."""

    def __call__(self, tokens):
        position = None
        for token in tokens:
            if token.mode == "index":
                terms = index_terms(token.text)
            else:
                term = index_term(token.text)
                terms = (term,) if term else ()
            if not terms:
                if not token.removestops:
                    token.stopped = True
                    yield token
                continue
            if token.positions:
                position = token.pos if position is None else position + 1
                token.pos = position
            token.stopped = False
            for term in terms:  # one position for all of a word's terms
                token.text = term
                yield token


def word_analyzer():
    return WordTokenizer() | TermFilter()


class IndexedText(Positions):
    """Positions that index text in one tight loop instead of a chain of token generators.

    Indexing spent most of its time passing Token objects through the analyzer's filters. This
    produces exactly the terms and positions the field's analyzer does (tokenise, lowercase,
    drop stop words and one-letter words renumbering positions as StopFilter does, stem with
    Porter2), which phrase queries rely on; tests compare the two on varied text. Queries and
    highlighting still use the analyzer.
    """

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        positions: dict[str, list[int]] = {}
        position = None
        if not needs_segmenting_or_folding(value):  # English: index_term's steps, inlined
            for number, word in enumerate(TOKEN.findall(value)):
                word = word.lower()
                if len(word) < MIN_WORD_CHARS or word in STOP_WORDS:
                    continue
                position = number if position is None else position + 1
                positions.setdefault(stem(word), []).append(position)
        else:
            for number, word in enumerate(split_words(value)):
                if not (terms := index_terms(word)):
                    continue
                position = number if position is None else position + 1
                for term in terms:
                    positions.setdefault(term, []).append(position)
        boost = self.field_boost
        for word, found in positions.items():
            # Positions.encode, inlined: the count, then the pickled gaps between positions.
            gaps = [found[0], *map(operator.sub, found[1:], found)]
            yield word, len(found), len(found) * boost, pack_uint(len(gaps)) + pickle.dumps(gaps, 2)


def spelling_words(text: str) -> set[str]:
    """Return the unstemmed words of `text` that "did you mean" may suggest, as written (a word
    in capitals and in lower case is both; `vocabulary_forms` keeps one form per word)."""
    return {
        word
        for word in set(TOKEN.findall(text))
        if len(word) >= MIN_WORD_CHARS and word.isalpha() and word.lower() not in STOP_WORDS
    }


def vocabulary_forms(words: set[str]) -> set[str]:
    """Return one form of each word, the one "did you mean" shows (spelling.written_forms)."""
    return set(written_forms(words).values())


def _text_field(analyzer, **options) -> TEXT:
    field = TEXT(analyzer=analyzer, **options)
    field.format = IndexedText(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    # Words of every script; English ones stemmed with Porter2 (Snowball English), which unlike
    # the original Porter takes "kidnapping" to "kidnap".
    stemmed = word_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(),
        # Text is not stored: the database supplies it for highlighting.
        title=_text_field(stemmed, field_boost=2.0),
        body=_text_field(stemmed),
        # The unstemmed words of every title and body, for "did you mean". Whoosh's own
        # `spelling=True` adds a posting per word per document (40% of indexing time); this
        # field holds each word once, in vocabulary documents written beside the articles.
        vocabulary=KEYWORD(),
        country=KEYWORD(),
        country_all=KEYWORD(),
        ministry=KEYWORD(),
        ministry_all=KEYWORD(),
        crime_type=KEYWORD(),
        crime_type_all=KEYWORD(),
        source=ID(),
        year=ID(),
        # Values read from the reports' figures (search.index.documents.figure_fields), whole:
        # a drug or a person's name may hold spaces, so values are separated by commas
        # (base.FIGURE_VALUE_SEPARATOR).
        **{key: KEYWORD(commas=True, lowercase=False) for key in FIGURE_FACET_KEYS},
        # Columns only (read per document, never searched): the date order and the article id
        # of every document number are read from them once per segment.
        sort_date=COLUMN(NumericColumn("i")),
        article_id=COLUMN(NumericColumn("i")),
        # The largest single-event seizure in kg (0: none), for "seized at least N kg".
        **{MAX_KG: COLUMN(NumericColumn("d"))},
        # The report's incident (0: none), for counting and listing each incident once.
        **{INCIDENT: COLUMN(NumericColumn("i"))},
        stamp=STORED(),
        # Marks an index whose words are cut by script and folded (archive.languages.words): one
        # built before lacks it, and is refused until rebuilt, its terms being different.
        words_by_script=STORED(),
        last_change=STORED(),
    )


def _length_column_in_memory(self, fieldname, column):
    """W3PerDocReader._cached_reader that holds a segment's field lengths in memory, and
    remembers when a field has none.

    Whoosh reads a document's field length for every posting it writes: each read was a seek
    and a read on the file, and for fields without lengths (keywords, identifiers) a check that
    the file exists, together a third of indexing time. A segment's files never change once
    written, and a length is one byte per document. Other columns are cached as Whoosh does.
    """
    reader = self._readers.get(fieldname, _ABSENT)
    if reader is _ABSENT:
        reader = None
        if self.has_column(fieldname):
            reader = self.column_reader(fieldname, column)
            if column is whoosh3.LENGTHS_COLUMN:
                reader = bytes(reader)
        self._readers[fieldname] = reader
    return reader


_ABSENT = object()
# Installed on import, so by every module of the backend (all import this one); snapshot reads
# the lengths it caches as bytes.
whoosh3.W3PerDocReader._cached_reader = _length_column_in_memory
