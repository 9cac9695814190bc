"""The Whoosh search backend: every Whoosh call of the project lives in this module.

On disk, SEARCH_INDEX_DIR holds generations of the index and a `current` symbolic link naming the
one in use:

    index/current -> gen-20261121T101500-4242/
    index/gen-20261121T101500-4242/  (a Whoosh index)

A rebuild writes a new generation beside the old and then replaces the link in one rename, so a
search never sees half an index and a failed rebuild leaves the old one serving. Each process
re-opens the index when the link changes and refreshes its searcher when a commit lands.

Facet counts do not use Whoosh's `groupedby` (which walks every hit). For each searcher the set of
documents holding each facet value is read once from the postings and cached until the index
changes; a query's counts are then set intersections.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import highlight, index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.lang import porter2
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup, PlusMinusPlugin, WildcardPlugin
from whoosh.query import Every, Or, Query, Term

from search.backends.base import (
    FACETS,
    Hit,
    IndexWriter,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
)

CURRENT = "current"
META_ID = "__meta__"
ARTICLE, META = "article", "meta"
TAG_FACETS = ("country", "ministry", "crime_type")
# Fewer hits than this and a spelling correction is offered.
SUGGEST_BELOW = 3
PASSAGES = 2
PASSAGE_CHARS = 220
# How many of an article's most telling words make its more-like-this query.
LIKE_TERMS = 20


def build_schema() -> Schema:
    # Porter2 (Snowball English): unlike the original Porter it takes "kidnapping" to "kidnap".
    stemmed = StemmingAnalyzer(stemfn=porter2.stem)
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(),
        # Text is not stored: the database supplies it for highlighting. `spelling` keeps the
        # unstemmed words too, for "did you mean".
        title=TEXT(analyzer=stemmed, field_boost=2.0, spelling=True),
        body=TEXT(analyzer=stemmed, spelling=True),
        country=KEYWORD(),
        country_all=KEYWORD(),
        ministry=KEYWORD(),
        ministry_all=KEYWORD(),
        crime_type=KEYWORD(),
        crime_type_all=KEYWORD(),
        source=ID(),
        year=ID(),
        sort_date=NUMERIC(sortable=True),
        stamp=STORED(),
        last_change=STORED(),
    )


class _MarkFormatter(highlight.Formatter):
    """Wrap matched words in <mark>; every other character is escaped (article text is
    untrusted)."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"


class WhooshWriter(IndexWriter):
    def __init__(self, writer, last_change: int):
        self._writer = writer
        self.last_change = last_change

    def upsert(self, document: dict) -> None:
        self._writer.update_document(kind=ARTICLE, **_whoosh_fields(document))

    def delete(self, document_id: str) -> None:
        self._writer.delete_by_term("id", document_id)

    def commit(self, *, last_change: int) -> None:
        self._writer.update_document(id=META_ID, kind=META, last_change=last_change)
        self._writer.commit()

    def cancel(self) -> None:
        self._writer.cancel()


class _FacetCache:
    """Document sets per facet value for one searcher generation."""

    def __init__(self, searcher):
        reader = searcher.reader()
        self.articles = set(searcher.docs_for_query(Term("kind", ARTICLE)))
        self.values: dict[str, dict[str, frozenset[int]]] = {}
        for field in (*TAG_FACETS, *(f"{f}_all" for f in TAG_FACETS), "source", "year"):
            self.values[field] = {
                value: frozenset(reader.postings(field, value).all_ids())
                for value in reader.field_terms(field)
            }
        self._reader = reader
        self._article_ids: dict[int, int] | None = None

    def article_ids(self) -> dict[int, int]:
        """Return {docnum: article id}, read once per searcher and only when asked (exports and
        related reports need it; a page of hits reads its few stored fields directly)."""
        if self._article_ids is None:
            stored = self._reader.stored_fields
            self._article_ids = {docnum: int(stored(docnum)["id"]) for docnum in self.articles}
        return self._article_ids


class WhooshBackend(SearchBackend):
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._index = None
        self._index_dir: Path | None = None
        self._searcher = None
        self._facets: _FacetCache | None = None

    # --- where the index lives -------------------------------------------------------------

    def _current_dir(self) -> Path | None:
        link = self.root / CURRENT
        if not link.exists():
            return None
        return link.resolve()

    def exists(self) -> bool:
        current = self._current_dir()
        return current is not None and index.exists_in(current)

    def _open_index(self):
        """Return the current generation's index, re-opening it after a rebuild swapped it."""
        current = self._current_dir()
        if current is None or not index.exists_in(current):
            raise SearchUnavailable("The search index is missing; it is being rebuilt.")
        if current != self._index_dir:
            try:
                self._index = index.open_dir(current)
            except Exception as error:  # a damaged index reports itself in many ways
                raise SearchUnavailable(f"The search index cannot be opened ({error}).") from None
            self._index_dir = current
            self._close_searcher()
        return self._index

    def _searcher_now(self):
        with self._lock:
            ix = self._open_index()
            if self._searcher is None:
                self._searcher = ix.searcher()
            elif not self._searcher.up_to_date():
                # Not Searcher.refresh(): it reuses segment readers with their old deletion
                # lists, so deleted and updated documents would stay visible.
                self._searcher.close()
                self._searcher = ix.searcher()
                self._facets = None
            if self._facets is None:
                self._facets = _FacetCache(self._searcher)
            return self._searcher, self._facets

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher, self._facets = None, None

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        path = self.root / f"gen-{stamp}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        index.create_in(path, build_schema())
        return path

    def _swap_in(self, generation: Path) -> None:
        """Point `current` at `generation` in one rename, then remove older generations."""
        temporary = self.root / f".{CURRENT}-{os.getpid()}"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        temporary.symlink_to(generation.name)
        os.replace(temporary, self.root / CURRENT)
        for old in self.root.glob("gen-*"):
            if old != generation:
                shutil.rmtree(old, ignore_errors=True)

    # --- writing ---------------------------------------------------------------------------

    def open_writer(self, *, create: bool = False) -> WhooshWriter | None:
        if not self.exists():
            if not create:
                return None
            self._swap_in(self._new_generation())
        ix = index.open_dir(self._current_dir())
        try:
            writer = ix.writer(timeout=0.0)
        except LockError:
            return None
        with ix.searcher() as searcher:
            last_change = _stored_last_change(searcher)
        return WhooshWriter(writer, last_change)

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        last_change: int,
        on_document: Callable[[], None] | None = None,
    ) -> None:
        generation = self._new_generation()
        try:
            writer = index.open_dir(generation).writer(limitmb=256)
            try:
                for document in documents:
                    writer.add_document(kind=ARTICLE, **_whoosh_fields(document))
                    if on_document:
                        on_document()
                writer.add_document(id=META_ID, kind=META, last_change=last_change)
                writer.commit(optimize=True)
            except BaseException:
                writer.cancel()
                raise
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        self._swap_in(generation)

    # --- reading ---------------------------------------------------------------------------

    def last_change(self) -> int:
        searcher, _ = self._searcher_now()
        return _stored_last_change(searcher)

    def stamps(self) -> dict[str, str]:
        searcher, facets = self._searcher_now()
        stored = searcher.reader().stored_fields
        return {
            fields["id"]: fields.get("stamp", "")
            for fields in (stored(docnum) for docnum in facets.articles)
        }

    def search(self, request: SearchRequest, *, texts_of) -> SearchResponse:
        searcher, facets = self._searcher_now()
        query, matched, any_words = self._match(searcher, facets, request.query)
        field, filters = self._filters(facets, request)

        def narrowed(without: str | None) -> set[int]:
            return _narrowed(matched, filters, without)

        final = narrowed(None)
        counts = {}
        for facet in FACETS:
            base = narrowed(facet)
            counts[facet] = {
                value: size
                for value, docs in facets.values[field[facet]].items()
                if (size := len(base & docs) if len(base) > len(docs) else len(docs & base))
            }
        hits = self._page(searcher, query, final, request, texts_of)
        suggestion = ""
        if query is not None and len(final) < SUGGEST_BELOW:
            suggestion = _suggest(searcher, request.query)
        return SearchResponse(
            total=len(final),
            hits=hits,
            facet_counts=counts,
            any_words=any_words,
            suggestion=suggestion,
        )

    def matching_ids(self, request: SearchRequest) -> list[int]:
        searcher, facets = self._searcher_now()
        query, matched, _ = self._match(searcher, facets, request.query)
        _, filters = self._filters(facets, request)
        final = _narrowed(matched, filters, None)
        if not final:
            return []
        ids = facets.article_ids()
        results = self._ordered(searcher, query, final, request.sort, limit=None, terms=False)
        return [ids[docnum] for _, docnum in results.top_n]

    def more_like(self, article_id: int, text: str, *, limit: int) -> list[int]:
        searcher, facets = self._searcher_now()
        terms = searcher.key_terms_from_text("body", text, numterms=LIKE_TERMS)
        if not terms:
            return []
        query = Or([Term("body", word, boost=weight) for word, weight in terms])
        ids = facets.article_ids()
        allowed = {docnum for docnum in facets.articles if ids[docnum] != article_id}
        results = searcher.search(query, filter=allowed, limit=limit)
        return [ids[docnum] for _, docnum in results.top_n]

    def _filters(self, facets: _FacetCache, request: SearchRequest):
        """Return (facet -> index field, filter name -> allowed docnums) for a request."""
        field = {
            f: f"{f}_all" if request.include_mentions and f in TAG_FACETS else f for f in FACETS
        }
        filters = {
            facet: frozenset().union(*(facets.values[field[facet]].get(v, ()) for v in values))
            for facet, values in request.selected.items()
            if values and facet in FACETS
        }
        if request.year_from is not None or request.year_to is not None:
            low, high = request.year_from or 0, request.year_to or 9999
            filters["year_range"] = frozenset().union(
                *(docs for year, docs in facets.values["year"].items() if low <= int(year) <= high)
            )
        return field, filters

    def _match(self, searcher, facets: _FacetCache, text: str):
        """Return (query, matching article docnums, whether any-word matching was used)."""
        if not text.strip():
            return None, facets.articles, False
        query = _parse(text, searcher.schema, group=AndGroup)
        matched = set(searcher.docs_for_query(query)) & facets.articles
        if matched or len(text.split()) < 2:
            return query, matched, False
        # Nothing has every word (a pasted sentence, a long question): rank by how many match.
        query = _parse(text, searcher.schema, group=OrGroup.factory(0.9))
        return query, set(searcher.docs_for_query(query)) & facets.articles, True

    def _ordered(self, searcher, query: Query | None, docs: set[int], sort: str, *, limit, terms):
        """Run the one search both pages and matching_ids read, so an export lists exactly what
        the pages show, in the same order. Without words there is no relevance: newest first."""
        if query is None and sort == "relevance":
            sort = "newest"
        options = {"filter": docs, "limit": limit, "terms": terms}
        if sort in ("newest", "oldest"):
            options.update(sortedby="sort_date", reverse=sort == "newest")
        return searcher.search(query if query is not None else Every(), **options)

    def _page(self, searcher, query: Query | None, docs: set[int], request, texts_of) -> list[Hit]:
        if not docs or request.page_size <= 0:
            return []
        start = (request.page - 1) * request.page_size
        limit = start + request.page_size
        results = self._ordered(
            searcher, query, docs, request.sort, limit=limit, terms=query is not None
        )
        results.formatter = _MarkFormatter()
        whole, passages_fragmenter = (
            highlight.WholeFragmenter(),
            highlight.ContextFragmenter(maxchars=PASSAGE_CHARS, surround=80),
        )
        page = list(results[start:limit])
        texts = texts_of([int(result["id"]) for result in page])
        hits = []
        for result in page:
            article_id = int(result["id"])
            if article_id not in texts:
                continue
            title, body = texts[article_id]
            title_html = html.escape(title)
            passages: tuple[str, ...] = ()
            if query is not None:
                results.fragmenter = whole  # a title is marked whole, never cut
                title_html = result.highlights("title", text=title, top=1) or title_html
                results.fragmenter = passages_fragmenter
                found = result.highlights("body", text=body, top=PASSAGES)
                passages = (
                    tuple(p.strip() for p in found.split(" … ") if p.strip()) if found else ()
                )
            # Sorted by date, Whoosh reports the sort key as the score: not a relevance.
            ranked = query is not None and request.sort == "relevance"
            score = (result.score or 0.0) if ranked else 0.0
            hits.append(Hit(article_id, score, title_html, passages))
        return hits


def _narrowed(matched, filters: dict[str, frozenset[int]], without: str | None) -> set[int]:
    """Return the matched docnums that pass every filter but `without`'s (and the year range
    when `without` is the year: the year facet counts across the range)."""
    docs = set(matched)
    # Smallest sets first keeps every intersection cheap.
    for name, allowed in sorted(filters.items(), key=lambda item: len(item[1])):
        if name == without or (without == "year" and name == "year_range"):
            continue
        docs &= allowed
    return docs


def _parse(text: str, schema, *, group) -> Query:
    parser = MultifieldParser(["title", "body"], schema, group=group)
    # A leading wildcard would walk the whole vocabulary: wildcards are plain characters here.
    parser.remove_plugin_class(WildcardPlugin)
    parser.add_plugin(PlusMinusPlugin())
    return parser.parse(text)


_WORD = re.compile(r"(?<![\w:])[A-Za-z][A-Za-z'-]{2,}(?![\w:])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def _suggest(searcher, text: str) -> str:
    """Return the query with each word the archive never uses replaced by its nearest word.

    Stemming would hide misspellings ("trafficing" stems like "traffic"), so words are checked
    against the unstemmed vocabulary kept for spelling.
    """
    reader = searcher.reader()
    corrector = searcher.corrector("body")
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match.group()
        if word in _OPERATORS or _known_word(reader, word.lower()):
            return word
        suggestions = corrector.suggest(word.lower(), limit=1)
        if not suggestions:
            return word
        changed = True
        return suggestions[0]

    corrected = _WORD.sub(replace, text)
    return corrected if changed else ""


def _known_word(reader, word: str) -> bool:
    for field in ("spell_body", "spell_title"):
        try:
            if (field, word) in reader:
                return True
        except Exception:
            continue
    return False


def _stored_last_change(searcher) -> int:
    docnum = searcher.document_number(id=META_ID)
    if docnum is None:
        return 0
    return int(searcher.stored_fields(docnum).get("last_change") or 0)


def _whoosh_fields(document: dict) -> dict:
    fields = {key: value for key, value in document.items() if value not in (None, "")}
    if "year" in fields:
        fields["year"] = str(fields["year"])
    return fields
