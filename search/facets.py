"""The search page's state (all in the URL) and its facets as plain data for the template.

URL keys: q, country (ISO codes), ministry / crime_type / source (slugs), year_from, year_to,
mentions, sort, page. Facet values in the URL are readable names; the index holds taxonomy ids,
and this module translates both ways. A query may also carry facet prefixes ("country:KH
gambling"); they act like ticking the facet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count, Max
from django.http import QueryDict

from archive.models import Country, CrimeType, Ministry, Source
from archive.taxonomy import descendant_ids, normalize_name
from search.backends.base import SORTS, SearchRequest

Q, MENTIONS, SORT, PAGE, YEAR_FROM, YEAR_TO = (
    "q",
    "mentions",
    "sort",
    "page",
    "year_from",
    "year_to",
)
FACET_KEYS = ("country", "crime_type", "ministry", "source")
FACET_LABELS = {
    "country": "Country",
    "crime_type": "Crime type",
    "ministry": "Ministry or agency",
    "source": "Source",
    "year": "Year",
}
MAX_QUERY_CHARS = 300  # longer queries are cut: nobody types more, and parsing cost grows with it
# Each word is a posting list read on two fields (and a spelling check when little matches): a
# pasted paragraph is cut to its first words, still more than any question needs.
MAX_QUERY_WORDS = 40
# `kidnap*` finds the words beginning so. A shorter stem ("ca*") would expand to a large part of
# the vocabulary, and a wildcard anywhere but at the end of a word ("*ing") to all of it: such
# wildcards are dropped, and the page says so. The engine applies its own floor and caps the
# expansion (search.backends.whoosh.MIN_PREFIX_CHARS, MAX_PREFIX_WORDS).
MIN_PREFIX_CHARS = 3
MAX_PAGE = 50  # 1,000 results deep; beyond that, narrow the search
PAGE_SIZE = 20
SHOWN_CHARS = 40  # how much of a bad value a notice repeats
OPTIONS_SHOWN = 12
# "country:KH", "crime:\"online scams\"", "source:vod"
_PREFIX = re.compile(
    r'(?<!\S)(country|ministry|crime_type|crime|source|year):("[^"]*"|\S+)', re.IGNORECASE
)


# The taxonomy a process last loaded, with the stamp it had then (see Taxonomy.current).
_loaded: tuple[tuple, Taxonomy] | None = None


@dataclass(frozen=True)
class Taxonomy:
    """Ids <-> URL values <-> labels for every facet. Read-only: one is shared by requests."""

    by_value: dict[str, dict[str, int]]
    by_id: dict[str, dict[int, tuple[str, str]]]  # facet -> id -> (url value, label)
    names: dict[str, dict[str, int]]  # facet -> normalized name/alias/code -> id
    crime_parent: dict[int, int | None]

    @classmethod
    def current(cls) -> Taxonomy:
        """Return the taxonomy as the database holds it now, loaded again only when it changed.

        Loading it took a third of a search page's time. Its stamp (entries and latest edit
        per table) costs four small queries and changes with any addition, edit or deletion,
        in whichever process made it.
        """
        global _loaded
        stamp = taxonomy_stamp()
        if _loaded is None or _loaded[0] != stamp:
            _loaded = (stamp, cls.load())
        return _loaded[1]

    @classmethod
    def load(cls) -> Taxonomy:
        rows = {
            "country": [
                (c.pk, c.code, c.name, [c.code, c.name, *c.alias_list()])
                for c in Country.objects.all()
            ],
            "ministry": [
                (m.pk, m.slug, str(m), [m.name, m.slug, *m.alias_list()])
                for m in Ministry.objects.select_related("country")
            ],
            "crime_type": [
                (c.pk, c.slug, c.name, [c.name, c.slug, *c.alias_list()])
                for c in CrimeType.objects.all()
            ],
            "source": [
                (s.pk, s.slug, s.name, [s.name, s.slug, *s.alias_list()])
                for s in Source.objects.all()
            ],
        }
        return cls(
            by_value={f: {value: pk for pk, value, _, _ in r} for f, r in rows.items()},
            by_id={f: {pk: (value, label) for pk, value, label, _ in r} for f, r in rows.items()},
            names={
                f: {normalize_name(n).replace("-", " "): pk for pk, _, _, ns in r for n in ns}
                for f, r in rows.items()
            },
            crime_parent=dict(CrimeType.objects.values_list("pk", "parent_id")),
        )

    @cached_property
    def crime_rollups(self) -> dict[str, tuple[str, ...]]:
        """Each broad crime type and the types below it, worked out once per taxonomy."""
        return crime_type_rollups(self)

    def resolve(self, facet: str, text: str) -> int | None:
        text = text.strip('"')
        if text in self.by_value[facet]:
            return self.by_value[facet][text]
        return self.names[facet].get(normalize_name(text).replace("-", " ").replace("_", " "))


def crime_type_rollups(taxonomy: Taxonomy) -> dict[str, tuple[str, ...]]:
    """Return, for each crime type with types below it, itself and those types (index values).

    Its facet count then covers them all, each report once, as ticking it does; counts cannot be
    added up instead, since one report may carry both a type and its parent.
    """
    parents = {parent for parent in taxonomy.crime_parent.values() if parent is not None}
    return {
        str(pk): tuple(str(below) for below in sorted(descendant_ids(taxonomy.crime_parent, [pk])))
        for pk in sorted(parents)
    }


def taxonomy_stamp() -> tuple:
    return tuple(
        tuple(model.objects.aggregate(entries=Count("pk"), edited=Max("updated_at")).values())
        for model in (Country, Ministry, CrimeType, Source)
    )


@dataclass
class PageState:
    """What the URL asks for, checked."""

    query: str = ""
    text_query: str = ""  # the query without facet prefixes
    selected: dict[str, list[int]] = field(default_factory=dict)  # facet -> taxonomy ids
    years: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    include_mentions: bool = False
    sort: str = "relevance"
    page: int = 1
    notices: list[str] = field(default_factory=list)

    def search_request(self, taxonomy: Taxonomy) -> SearchRequest:
        selected = {facet: tuple(str(pk) for pk in ids) for facet, ids in self.selected.items()}
        if self.selected.get("crime_type"):
            # A crime type includes the types below it.
            below = descendant_ids(taxonomy.crime_parent, self.selected["crime_type"])
            selected["crime_type"] = tuple(str(pk) for pk in sorted(below))
        if self.years:
            selected["year"] = tuple(self.years)
        return SearchRequest(
            rollups={"crime_type": taxonomy.crime_rollups},
            query=self.text_query,
            selected=selected,
            year_from=self.year_from,
            year_to=self.year_to,
            include_mentions=self.include_mentions,
            sort=self.sort,
            page=self.page,
            page_size=PAGE_SIZE,
        )


def read_state(params: QueryDict, taxonomy: Taxonomy) -> PageState:
    """Return the page state the URL describes; bad values become notices, never errors."""
    state = PageState()
    query = " ".join(params.get(Q, "").split())
    if len(query) > MAX_QUERY_CHARS:
        state.notices.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
        query = query[:MAX_QUERY_CHARS]
    state.query = query
    for facet in FACET_KEYS:
        for value in params.getlist(facet):
            _select(state, taxonomy, facet, value)

    def take_prefix(match: re.Match) -> str:
        facet = match[1].lower()
        facet = "crime_type" if facet == "crime" else facet
        if facet == "year":
            year = match[2].strip('"')
            if _is_number(year):
                state.years.append(year)
            else:
                state.notices.append(f"year:{year} is not a year.")
        else:
            _select(state, taxonomy, facet, match[2])
        return " "

    text_query = " ".join(_PREFIX.sub(take_prefix, query).split())
    text_query, wildcard_notices = tame_wildcards(text_query)
    state.notices.extend(wildcard_notices)
    words = text_query.split()
    if len(words) > MAX_QUERY_WORDS:
        state.notices.append(f"The query was cut to its first {MAX_QUERY_WORDS} words.")
        text_query = " ".join(words[:MAX_QUERY_WORDS])
    state.text_query = text_query
    state.year_from = _year(params.get(YEAR_FROM), state, "From year")
    state.year_to = _year(params.get(YEAR_TO), state, "To year")
    state.include_mentions = params.get(MENTIONS) in ("1", "true", "on")
    sort = params.get(SORT, "")
    state.sort = sort if sort in SORTS else ("relevance" if state.text_query else "newest")
    try:
        state.page = max(1, int(params.get(PAGE, "1")))
    except ValueError:
        state.page = 1
    if state.page > MAX_PAGE:
        state.notices.append(
            f"Results stop at page {MAX_PAGE}; add words or filters to reach the rest."
        )
        state.page = MAX_PAGE
    return state


# `*` anywhere, and `?` anywhere but at the end of a word (there it ends a question).
_WILDCARD = re.compile(r"\*|\?(?=\w)")
# The one wildcard the engine expands: a `*` ending a word (before any closing bracket or quote)
# with enough letters before it.
_PREFIX_STAR = re.compile(rf"(?<=\w{{{MIN_PREFIX_CHARS}}})\*(?=[)\"]*$)")


def tame_wildcards(text: str) -> tuple[str, list[str]]:
    """Return the query with every wildcard the engine would not expand cheaply removed, and a
    notice per word changed: `kidnap*` stays; `*ing`, `ca*`, `te?t` and the `*` of
    `"kidnap* gang"` (a phrase's words are matched as written) lose their wildcards."""
    notices = []
    in_phrase = False

    def tame(word: str) -> str:
        nonlocal in_phrase

        def kept(found: re.Match) -> str:
            quoted = in_phrase != (word.count('"', 0, found.start()) % 2 == 1)
            return found[0] if not quoted and _PREFIX_STAR.match(word, found.start()) else ""

        tamed = _WILDCARD.sub(kept, word)
        in_phrase ^= word.count('"') % 2 == 1
        if tamed != word:
            outcome = f"was searched as {_shown(tamed)}" if tamed else "was left out"
            notices.append(
                f"Wildcards work only at the end of a word of at least {MIN_PREFIX_CHARS} "
                f"letters, outside quotes (kidnap*): {_shown(word)} {outcome}."
            )
        return tamed

    words = [tame(word) for word in text.split()]
    return " ".join(word for word in words if word), notices


def _select(state: PageState, taxonomy: Taxonomy, facet: str, value: str) -> None:
    entry = taxonomy.resolve(facet, value)
    if entry is None:
        state.notices.append(
            f"No {FACET_LABELS[facet].lower()} is called {_shown(value.strip(chr(34)))}"
            "; nothing can match it."
        )
        entry = -1  # an id no document has: the filter matches nothing, as asked
    ids = state.selected.setdefault(facet, [])
    if entry not in ids:
        ids.append(entry)


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


# --- Plain data for the template ----------------------------------------------------------


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class FacetGroup:
    key: str
    label: str
    options: list[FacetOption]
    hidden: int  # options beyond OPTIONS_SHOWN, still reachable by query prefix


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    percent: int
    url: str
    selected: bool


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


def facet_groups(
    params: QueryDict, state: PageState, counts: dict[str, dict[str, int]], taxonomy: Taxonomy
) -> list[FacetGroup]:
    groups = []
    for facet in FACET_KEYS:
        selected_values = params.getlist(facet)
        options = []
        for entry_id, count in counts.get(facet, {}).items():
            value, label = taxonomy.by_id[facet].get(int(entry_id), (None, None))
            if value is None:
                continue
            options.append((value, label, count))
        present = {value for value, _, _ in options}
        for value in selected_values:  # a selected value stays listed even with no matches
            if value not in present:
                entry = taxonomy.resolve(facet, value)
                label = taxonomy.by_id[facet].get(entry, (value, value))[1] if entry else value
                options.append((value, label, 0))
        options.sort(key=lambda item: (item[0] not in selected_values, -item[2], item[1]))
        shown = [
            FacetOption(
                value,
                label,
                count,
                value in selected_values,
                url_with(params, **{facet: _toggled(selected_values, value)}),
            )
            for value, label, count in options[:OPTIONS_SHOWN]
        ]
        groups.append(
            FacetGroup(facet, FACET_LABELS[facet], shown, max(0, len(options) - OPTIONS_SHOWN))
        )
    return groups


def year_bars(params: QueryDict, state: PageState, counts: dict[str, int]) -> list[YearBar]:
    """Return one bar per year with matches; a bar links to that year alone, or back out."""
    if not counts:
        return []
    highest = max(counts.values())
    bars = []
    for year in sorted(int(y) for y in counts):
        only_this = state.year_from == year and state.year_to == year
        url = url_with(
            params, year_from=None if only_this else year, year_to=None if only_this else year
        )
        bars.append(
            YearBar(
                year,
                counts[str(year)],
                max(2, round(100 * counts[str(year)] / highest)),
                url,
                only_this,
            )
        )
    return bars


def chips(params: QueryDict, state: PageState, taxonomy: Taxonomy) -> list[Chip]:
    result = []
    for facet in FACET_KEYS:
        values = params.getlist(facet)
        for value in values:
            entry = taxonomy.resolve(facet, value)
            label = taxonomy.by_id[facet].get(entry, (value, value))[1] if entry else value
            remaining = [v for v in values if v != value]
            result.append(
                Chip(
                    f"{FACET_LABELS[facet]}: {label}",
                    url_with(params, **{facet: remaining or None}),
                )
            )
    if state.year_from or state.year_to:
        span = f"{state.year_from or '…'}–{state.year_to or '…'}"
        result.append(Chip(f"Year: {span}", url_with(params, year_from=None, year_to=None)))
    if state.include_mentions:
        result.append(Chip("Including mentions", url_with(params, mentions=None)))
    return result


def clear_all_url(params: QueryDict) -> str:
    kept = {key: params.get(key) for key in (Q, SORT) if params.get(key)}
    return "?" + urlencode(kept) if kept else "?"


def _toggled(values: list[str], value: str) -> list[str] | None:
    remaining = [v for v in values if v != value] if value in values else [*values, value]
    return remaining or None
