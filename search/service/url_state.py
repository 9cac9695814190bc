"""The search's state, all of it in the URL: read, checked, and written back in one form.

URL keys: q, country (ISO codes), ministry / crime_type / source (slugs), year, year_from,
year_to, mentions, count (incidents or reports), sort, page; the figure facets province (ISO
3166-2 codes), drug and person (as the index holds them) and min_kg (a seizure of at least that
many kg); and, for the page's display only, show and find. A query may
carry facet prefixes ("country:KH gambling year:2022"): they are filters like the ticked ones,
and `PageState.canonical_params` writes both the same way (the page redirects a typed filter to
it, so a box and a tick are one state). Bad values become notices, never errors; each kind of
notice is said once, however often the URL repeats the mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.http import QueryDict

from archive.kinds import FIGURE_FACETS, IN_PANEL_ORDER
from archive.taxonomy import descendant_ids
from search.backends.base import COUNTS, FIGURE_FACET_KEYS, SORTS, SearchRequest
from search.service.taxonomy_names import Taxonomy

Q, MENTIONS, SORT, PAGE, YEAR, YEAR_FROM, YEAR_TO = (
    "q",
    "mentions",
    "sort",
    "page",
    "year",
    "year_from",
    "year_to",
)
# Only reports that state one seizure of at least this many kg.
MIN_KG = "min_kg"
# "reports": list and count every report; by default each incident is counted once and listed
# by its best report (search.backends.base.COUNTS).
COUNT = "count"
DEFAULT_COUNT = "incidents"
# Display only: which facet lists all its values, and the words that filter that list.
SHOW, FIND = "show", "find"
FACET_KEYS = tuple(kind.key for kind in IN_PANEL_ORDER)
FACET_LABELS = {
    **{kind.key: kind.label for kind in IN_PANEL_ORDER},
    YEAR: "Year",
    **{facet.key: facet.label for facet in FIGURE_FACETS},
}
FACET_PLURALS = {
    **{kind.key: kind.plural for kind in IN_PANEL_ORDER},
    YEAR: "years",
    **{facet.key: facet.plural for facet in FIGURE_FACETS},
}
# A larger seizure than any reported (the largest known are some tens of tonnes): beyond it a
# number is a typing slip, not a question.
MAX_MIN_KG = 1_000_000
MIN_MIN_KG = 0.001  # a gram: the least a report weighs
MAX_QUERY_CHARS = 300  # longer queries are cut: nobody types more, and parsing cost grows with it
# Each word is a posting list read on two fields (and a spelling check): a pasted paragraph is
# cut to its first words, still more than any question needs.
MAX_QUERY_WORDS = 40
# `kidnap*` finds the words beginning so. A shorter stem ("ca*") would expand to a large part of
# the vocabulary, and a wildcard anywhere but at the end of a word ("*ing") to all of it: such
# wildcards are dropped, and the page says so. The engine applies its own floor and caps the
# expansion (search.backends.whoosh.query.MIN_PREFIX_CHARS, MAX_PREFIX_WORDS).
MIN_PREFIX_CHARS = 3
MAX_PAGE = 50  # 1,000 results deep; beyond that, narrow the search
PAGE_SIZE = 20
# Values selected at once per facet. Nobody ticks more; a URL repeating a value hundreds of times
# made a page of hundreds of chips and hidden fields.
MAX_SELECTED = 20
SHOWN_CHARS = 40  # how much of a bad value a notice repeats
SHOWN_VALUES = 5  # how many bad values one notice names
# "country:KH", "crime:\"online scams\"", "source:vod"
_PREFIX = re.compile(
    r'(?<!\S)(country|ministry|crime_type|crime|source|year):("[^"]*"|\S+)', re.IGNORECASE
)
_YES = ("1", "true", "on")


@dataclass(frozen=True)
class Ambiguity:
    """A name the URL gave that several entries bear: all of them are selected."""

    facet: str
    typed: str
    entries: tuple[int, ...]


@dataclass
class PageState:
    """What the URL asks for, checked."""

    query: str = ""  # as typed (cut to MAX_QUERY_CHARS)
    text_query: str = ""  # the words searched: no facet prefixes, wildcards tamed
    box_query: str = ""  # what the search box shows: the query without its facet prefixes
    selected: dict[str, list[int]] = field(default_factory=dict)  # facet -> taxonomy ids
    # facet -> the values the URL should carry for it: each entry's code or slug, and unknown
    # values as given (so that they can be seen and removed)
    selected_values: dict[str, list[str]] = field(default_factory=dict)
    years: list[str] = field(default_factory=list)
    # Year values given that are not years: kept in the URL so that the notice saying so stays.
    bad_years: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    # figure facet -> values as the index holds them (search.backends.base.FIGURE_FACET_KEYS)
    figure_values: dict[str, list[str]] = field(default_factory=dict)
    min_kg: float | None = None
    include_mentions: bool = False
    count: str = DEFAULT_COUNT
    sort: str = "relevance"
    explicit_sort: str = ""  # the sort the URL named, if valid
    page: int = 1
    typed_filters: bool = False  # the query carried facet prefixes
    notices: list[str] = field(default_factory=list)
    ambiguities: list[Ambiguity] = field(default_factory=list)
    shown_facet: str = ""  # SHOW: the facet listing all its values
    find: str = ""  # FIND: words filtering that list

    def search_request(self, taxonomy: Taxonomy) -> SearchRequest:
        selected = {facet: tuple(str(pk) for pk in ids) for facet, ids in self.selected.items()}
        if self.selected.get("crime_type"):
            # A crime type includes the types below it.
            below = descendant_ids(taxonomy.crime_parent, self.selected["crime_type"])
            selected["crime_type"] = tuple(str(pk) for pk in sorted(below))
        if self.years:
            selected["year"] = tuple(self.years)
        for facet, values in self.figure_values.items():
            selected[facet] = tuple(values)
        return SearchRequest(
            rollups={"crime_type": taxonomy.crime_rollups},
            query=self.text_query,
            selected=selected,
            year_from=self.year_from,
            year_to=self.year_to,
            min_kg=self.min_kg,
            include_mentions=self.include_mentions,
            count=self.count,
            sort=self.sort,
            page=self.page,
            page_size=PAGE_SIZE,
        )

    def canonical_params(self) -> QueryDict:
        """Return the URL parameters of this state, written one way: the query without facet
        prefixes, each filter once as a parameter, in the order the page's links use."""
        params = QueryDict(mutable=True)
        if self.box_query:
            params[Q] = self.box_query
        for facet in FACET_KEYS:
            if self.selected_values.get(facet):
                params.setlist(facet, self.selected_values[facet])
        if self.years or self.bad_years:
            params.setlist(YEAR, [*self.years, *self.bad_years])
        for key, value in ((YEAR_FROM, self.year_from), (YEAR_TO, self.year_to)):
            if value is not None:
                params[key] = str(value)
        for facet in FIGURE_FACET_KEYS:
            if self.figure_values.get(facet):
                params.setlist(facet, self.figure_values[facet])
        if self.min_kg is not None:
            params[MIN_KG] = kg_text(self.min_kg)
        if self.include_mentions:
            params[MENTIONS] = "1"
        if self.count != DEFAULT_COUNT:
            params[COUNT] = self.count
        if self.explicit_sort:
            params[SORT] = self.explicit_sort
        if self.page > 1:
            params[PAGE] = str(self.page)
        if self.shown_facet:
            params[SHOW] = self.shown_facet
            if self.find:
                params[FIND] = self.find
        return params


def read_state(params: QueryDict, taxonomy: Taxonomy) -> PageState:
    """Return the page state the URL describes; bad values become notices, never errors."""
    state = PageState()
    query = " ".join(params.get(Q, "").split())
    if len(query) > MAX_QUERY_CHARS:
        state.notices.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
        query = query[:MAX_QUERY_CHARS]
    state.query = query
    given = {facet: list(params.getlist(facet)) for facet in FACET_KEYS}
    given[YEAR] = list(params.getlist(YEAR))

    def take_prefix(match: re.Match) -> str:
        facet = match[1].lower()
        given["crime_type" if facet == "crime" else facet].append(match[2])
        return " "

    without_prefixes = _PREFIX.sub(take_prefix, query)
    state.typed_filters = without_prefixes != query
    state.box_query = " ".join(without_prefixes.split())
    for facet in FACET_KEYS:
        _select(state, taxonomy, facet, _distinct(state, facet, given[facet]))
    _select_years(state, _distinct(state, YEAR, given[YEAR]))

    text_query, wildcard_notice = tame_wildcards(state.box_query)
    if wildcard_notice:
        state.notices.append(wildcard_notice)
    words = text_query.split()
    if len(words) > MAX_QUERY_WORDS:
        state.notices.append(f"The query was cut to its first {MAX_QUERY_WORDS} words.")
        text_query = " ".join(words[:MAX_QUERY_WORDS])
    state.text_query = text_query
    state.year_from = _year(params.get(YEAR_FROM), state, "From year")
    state.year_to = _year(params.get(YEAR_TO), state, "To year")
    for facet in FIGURE_FACET_KEYS:
        values = _distinct(state, facet, [figure_value(facet, v) for v in params.getlist(facet)])
        if values:
            state.figure_values[facet] = values
    state.min_kg = _min_kg(params.get(MIN_KG), state)
    state.include_mentions = params.get(MENTIONS) in _YES
    count = params.get(COUNT, DEFAULT_COUNT)
    if count in COUNTS:
        state.count = count
    else:
        state.notices.append(f"Counting by “{count[:40]}” is unknown: counting incidents.")
    sort = params.get(SORT, "")
    state.explicit_sort = sort if sort in SORTS else ""
    state.sort = state.explicit_sort or ("relevance" if state.text_query else "newest")
    try:
        state.page = max(1, int(params.get(PAGE, "1")))
    except ValueError:
        state.page = 1
    if state.page > MAX_PAGE:
        state.notices.append(
            f"Results stop at page {MAX_PAGE}; add words or filters to reach the rest."
        )
        state.page = MAX_PAGE
    shown = params.get(SHOW, "")
    state.shown_facet = shown if shown in (*FACET_KEYS, *FIGURE_FACET_KEYS) else ""
    state.find = " ".join(params.get(FIND, "").split())[:SHOWN_CHARS]
    return state


def _distinct(state: PageState, facet: str, values: list[str]) -> list[str]:
    """Return the values once each, at most MAX_SELECTED of them (saying so when cut)."""
    values = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if len(values) > MAX_SELECTED:
        state.notices.append(
            f"At most {MAX_SELECTED} {FACET_PLURALS[facet]} can be selected at once; the first "
            f"{MAX_SELECTED} of the {len(values)} given are used."
        )
        values = values[:MAX_SELECTED]
    return values


def _select(state: PageState, taxonomy: Taxonomy, facet: str, values: list[str]) -> None:
    ids: list[int] = []
    urls: list[str] = []
    unknown: list[str] = []
    for value in values:
        entries = taxonomy.resolve(facet, value)
        if not entries:
            unknown.append(value.strip('"'))
            urls.append(value)
            continue
        if len(entries) > 1:
            state.ambiguities.append(Ambiguity(facet, value.strip('"'), entries))
        for entry in entries:
            if entry not in ids:
                ids.append(entry)
                urls.append(taxonomy.value_of(facet, entry))
    if unknown:
        ids.append(-1)  # an id no document has: the filter matches nothing, as asked
        state.notices.append(_unknown_notice(facet, unknown))
    if ids:
        state.selected[facet] = ids
        state.selected_values[facet] = list(dict.fromkeys(urls))
    for ambiguity in state.ambiguities:
        if ambiguity.facet == facet:
            state.notices.append(ambiguity_notice(ambiguity, taxonomy))


def ambiguity_notice(ambiguity: Ambiguity, taxonomy: Taxonomy) -> str:
    """Return the sentence that says a name was several entries' and all were searched."""
    facet, labels = ambiguity.facet, taxonomy.full_labels[ambiguity.facet]
    choices = "; ".join(
        f"{labels[pk]} ({facet}={taxonomy.value_of(facet, pk)})" for pk in ambiguity.entries
    )
    return (
        f"{_shown(ambiguity.typed)} is the name of {len(ambiguity.entries)} "
        f"{FACET_PLURALS[facet]}, so all of them are searched: {choices}. Keep one to search it "
        "alone."
    )


def _unknown_notice(facet: str, values: list[str]) -> str:
    named = ", ".join(_shown(value) for value in values[:SHOWN_VALUES])
    more = f" and {len(values) - SHOWN_VALUES} more" if len(values) > SHOWN_VALUES else ""
    label = FACET_LABELS[facet].lower()
    if len(values) == 1:
        return f"No {label} is called {named}; nothing can match it."
    return f"No {label} is called {named}{more}; nothing can match them."


def _select_years(state: PageState, values: list[str]) -> None:
    bad = []
    for value in values:
        year = value.strip('"')
        if len(year) == 4 and _is_number(year):
            if year not in state.years:
                state.years.append(year)
        else:
            bad.append(year)
    if bad:
        state.bad_years = bad
        named = ", ".join(_shown(value) for value in bad[:SHOWN_VALUES])
        state.notices.append(f"Not a year, so ignored: {named}.")


# `*` anywhere, and `?` anywhere but at the end of a word (there it ends a question).
_WILDCARD = re.compile(r"\*|\?(?=\w)")
# The one wildcard the engine expands: a `*` ending a word (before any closing bracket or quote)
# with enough letters before it.
_PREFIX_STAR = re.compile(rf"(?<=\w{{{MIN_PREFIX_CHARS}}})\*(?=[)\"]*$)")


def tame_wildcards(text: str) -> tuple[str, str]:
    """Return the query with every wildcard the engine would not expand cheaply removed, and a
    notice naming the words changed ("" when none was): `kidnap*` stays; `*ing`, `ca*`, `te?t`
    and the `*` of `"kidnap* gang"` (a phrase's words are matched as written) lose theirs."""
    changed = []
    in_phrase = False

    def tame(word: str) -> str:
        nonlocal in_phrase

        def kept(found: re.Match) -> str:
            quoted = in_phrase != (word.count('"', 0, found.start()) % 2 == 1)
            return found[0] if not quoted and _PREFIX_STAR.match(word, found.start()) else ""

        tamed = _WILDCARD.sub(kept, word)
        in_phrase ^= word.count('"') % 2 == 1
        if tamed != word:
            outcome = f"searched as {_shown(tamed)}" if tamed else "left out"
            changed.append(f"{_shown(word)} was {outcome}")
        return tamed

    words = [tame(word) for word in text.split()]
    notice = ""
    if changed:
        more = len(changed) - SHOWN_VALUES
        notice = (
            f"Wildcards work only at the end of a word of at least {MIN_PREFIX_CHARS} letters, "
            f"outside quotes (kidnap*): {'; '.join(changed[:SHOWN_VALUES])}"
            + (f"; and {more} more words were changed alike." if more > 0 else ".")
        )
    return " ".join(word for word in words if word), notice


def without_display(params: QueryDict) -> QueryDict:
    """Return the parameters that define the result set: no page, no display-only keys (an
    export, a feed or an API call of the same search)."""
    kept = params.copy()
    for key in (PAGE, SHOW, FIND):
        kept.pop(key, None)
    return kept


def url_with(params: QueryDict, **changes) -> str:
    """Return "?..." for these params with some keys replaced (None removes), page reset."""
    query = params.copy()
    query.pop(PAGE, None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is None:
            continue
        query.setlist(key, value if isinstance(value, list) else [str(value)])
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _shown(value: str) -> str:
    """Return a value for a notice: quoted, and cut when long (a URL may hold anything)."""
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…")


def _is_number(text: str) -> bool:
    # Not str.isdigit() alone: it accepts "²", which int() refuses.
    return text.isascii() and text.isdigit()


def _year(value: str | None, state: PageState, label: str) -> int | None:
    if not value:
        return None
    if len(value) == 4 and _is_number(value) and int(value) >= 1000:
        return int(value)
    state.notices.append(f"{label} {_shown(value)} is not a year and was ignored.")
    return None


def figure_value(facet: str, value: str) -> str:
    """Return a figure facet's value as the index holds it: a province's code in capitals
    ("kh-18" is KH-18), spaces collapsed (search.index.documents.facet_value)."""
    value = " ".join(value.replace(",", " ").split())
    return value.upper() if facet == "province" else value


def kg_text(kg: float) -> str:
    """Return a mass for a URL or a sentence: "12", "0.5", "1500"."""
    return f"{kg:.15g}"  # no exponent within MIN_MIN_KG..MAX_MIN_KG


def _min_kg(value: str | None, state: PageState) -> float | None:
    if not value or not value.strip():
        return None
    try:
        kg = float(value)
    except ValueError:
        kg = None
    if kg is None or not MIN_MIN_KG <= kg <= MAX_MIN_KG:
        state.notices.append(
            f"Seized at least {_shown(value)} kg: not a number of kg from {MIN_MIN_KG} to "
            f"{MAX_MIN_KG:,}, so ignored."
        )
        return None
    return kg
