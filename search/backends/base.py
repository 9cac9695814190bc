"""The contract every search engine implements; views and commands use nothing else.

A backend stores the documents search.index.documents.article_document makes, answers SearchRequests
with hits and facet counts, and remembers the last change-log entry it applied, written in the
same commit as the documents so the two can never disagree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from archive.kinds import FIGURE_FACETS, KINDS
from search.query.omissions import Omissions

# Facets read from the figures reports state: their values are the figures' own (ISO 3166-2
# codes, drug names, people's names), separated in a document by FIGURE_VALUE_SEPARATOR.
FIGURE_FACET_KEYS = tuple(facet.key for facet in FIGURE_FACETS)
FIGURE_VALUE_SEPARATOR = ","
FACETS = (*(kind.key for kind in KINDS), "year", *FIGURE_FACET_KEYS)
# A document's largest single-event seizure in kg (a number, or None), which
# SearchRequest.min_kg filters on.
MAX_KG = "max_kg"
# "added": the order reports entered the archive, latest first (a report imported today with a
# 2019 date comes first), which is what "what is new" means to a returning reader.
SORTS = ("relevance", "newest", "oldest", "added")
# A document's incident (archive.models.ReportGroup id; 0: a report in none, its own).
INCIDENT = "incident"
# What a search counts and lists: every report, or each incident once, by its best report.
COUNTS = ("incidents", "reports")


class SearchUnavailable(Exception):
    """The index cannot be read (missing, being rebuilt, corrupted); the message says so."""


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    # facet -> selected values; several values of one facet widen (OR), facets narrow (AND).
    # Values are index values: taxonomy ids as text, years as text.
    selected: dict[str, tuple[str, ...]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    # Only documents whose largest single-event seizure is at least this many kg.
    min_kg: float | None = None
    include_mentions: bool = False
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20  # 0: counts only, no hits
    # facet -> {value: values whose documents it counts}: a value that stands for several (a crime
    # type and the types below it) is counted over their documents together, each document once,
    # so its count is what selecting it finds.
    rollups: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    suggest: bool = True  # look for a spelling correction (the admin's search does not)
    # "incidents": the total and facet counts count each incident once, and a page lists an
    # incident's best report only (by the sort); "reports": every report.
    count: str = "reports"


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    title_html: str  # with matched words marked; escaped
    passages_html: tuple[str, ...]
    incident: int = 0  # its incident (0: none)


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    # facet -> {value: count}, each counted with every *other* facet's selection applied.
    facet_counts: dict[str, dict[str, int]]
    any_words: bool = False  # no document had every word: ranked any-word results instead
    # With any_words, what was searched for as typed (words, compounds, "phrases"), each once,
    # excluded words and stop words left out, for "no report has all of: ...".
    words: tuple[str, ...] = ()
    suggestion: str = ""  # a corrected query when a typed word is not in the archive
    # The typed words the index leaves out ("the", "!!!") and the scripts it does not read as
    # written; with searched_nothing, none of the query was left to search, so nothing matched.
    omissions: Omissions = field(default_factory=Omissions)
    searched_nothing: bool = False
    # Both counts of what matched, whichever the request counted by.
    reports: int = 0
    incidents: int = 0


class IndexWriter(ABC):
    """One commit's worth of changes; use as a context manager (commits, or cancels on error)."""

    # The change-log cursor the index had when the session opened: the highest log id read,
    # and the database transactions still in progress then, whose rows may since have appeared
    # below it (search.index.sync explains).
    last_change: int
    in_flight: tuple[int, ...] = ()

    @abstractmethod
    def upsert(self, document: dict) -> None: ...

    @abstractmethod
    def delete(self, document_id: str) -> None: ...

    @abstractmethod
    def commit(self, *, last_change: int, in_flight: tuple[int, ...] = ()) -> None:
        """Write everything and the new cursor together, then release the lock."""

    @abstractmethod
    def cancel(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            self.cancel()
        return False


class SearchBackend(ABC):
    @abstractmethod
    def search(
        self,
        request: SearchRequest,
        *,
        texts_of: Callable[[list[int]], dict[int, tuple[str, str]]],
    ) -> SearchResponse:
        """Answer a request. texts_of(ids) gives {id: (title, body)} for the page's hits, for
        highlighting: the index does not store text the database keeps. A hit whose article is
        gone from the database (its deletion not yet applied) is left out."""

    @abstractmethod
    def matching_ids(self, request: SearchRequest, *, limit: int | None = None) -> list[int]:
        """Return the id of every article the request matches, in the order its pages list them
        (the page and page size are ignored), or of the first `limit`. Exports use it, so it
        must never cap or skip but where asked to."""

    @abstractmethod
    def more_like(self, article_id: int, text: str, *, limit: int) -> list[int]:
        """Return up to `limit` ids of the articles whose text is most like `text` (the body of
        article `article_id`, which is left out), most alike first."""

    @abstractmethod
    def last_change(self) -> int:
        """Return the highest change-log id the index searches read has applied (0 when new)."""

    def in_flight(self) -> tuple[int, ...]:
        """Return the transactions in progress when the index last read the log (see
        IndexWriter); engines that store none have none."""
        return ()

    @abstractmethod
    def open_writer(self, *, create: bool = False) -> IndexWriter | None:
        """Return a write session holding the index's single write lock, or None if another
        process holds it (never wait: the holder applies whatever is pending before it leaves)
        or there is no index and `create` is false. An index that is there but cannot be read
        raises SearchUnavailable: only a rebuild may replace it."""

    @abstractmethod
    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        last_change: int,
        in_flight: tuple[int, ...] = (),
        on_document: Callable[[], None] | None = None,
        processes: int = 1,
    ) -> None:
        """Build a complete new index from `documents` and swap it in only when finished,
        indexing in `processes` processes where the engine can."""

    def close(self) -> None:  # noqa: B027 (engines without open files need nothing here)
        """Release open files (a process's backend otherwise lives as long as the process)."""

    @abstractmethod
    def stamps(self) -> dict[str, str]:
        """Return {document id: stamp} for every document, for drift checks."""

    @abstractmethod
    def exists(self) -> bool:
        """Return whether an index is there, readable or not (searching a damaged one raises
        SearchUnavailable)."""

    def outdated(self) -> bool:
        """Return whether the index is missing or was built by an earlier version of the
        archive, whose terms this one would not find (rebuild_index --if-outdated)."""
        return not self.exists()
