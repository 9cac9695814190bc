"""The kinds of taxonomy entry a report is filed under, declared once.

Each kind is a facet of the search, a filter of the admin, a column of the exports and a list of
the API; all of them read their keys, labels and models from here (in the spirit of Datasette's
Facet classes), so that a fifth kind is one more line. Tags are stored per kind as
archive.models.TAG_KINDS says; sources are facets too, but a report has one, not tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.models import TAG_KINDS, Country, CrimeType, Ministry, Source, TagKind, TaxonomyEntry


@dataclass(frozen=True)
class TaxonomyKind:
    key: str  # "crime_type": the URL key, the index field and the tag kind
    label: str  # "Crime type"
    plural: str  # "crime types", in sentences
    list_name: str  # "crime_types": a record's key; hyphenated, the API's list
    model: type[TaxonomyEntry]
    url_field: str  # what a URL names an entry by: its ISO code or its slug
    panel_rank: int  # the search page lists facets by this, the most asked-for first

    @property
    def tag(self) -> TagKind | None:
        """Return how its tags are stored, or None for a kind reports are not tagged with."""
        return TAG_KINDS.get(self.key)

    @property
    def api_list(self) -> str:
        return self.list_name.replace("_", "-")


# In the order records, exports and the engine list them.
KINDS: tuple[TaxonomyKind, ...] = (
    TaxonomyKind("country", "Country", "countries", "countries", Country, "code", 0),
    TaxonomyKind(
        "ministry",
        "Ministry or agency",
        "ministries or agencies",
        "ministries",
        Ministry,
        "slug",
        2,
    ),
    TaxonomyKind("crime_type", "Crime type", "crime types", "crime_types", CrimeType, "slug", 1),
    TaxonomyKind("source", "Source", "sources", "sources", Source, "slug", 3),
)
BY_KEY: dict[str, TaxonomyKind] = {kind.key: kind for kind in KINDS}
TAGGED: tuple[TaxonomyKind, ...] = tuple(kind for kind in KINDS if kind.tag)
# The search page's order.
IN_PANEL_ORDER: tuple[TaxonomyKind, ...] = tuple(sorted(KINDS, key=lambda kind: kind.panel_rank))


@dataclass(frozen=True)
class FigureFacet:
    """A facet read from the figures reports state (archive.models.ReportedFigure), not from tags.

    Its values are the figures' own, as the index holds them: ISO 3166-2 codes, drug names,
    people's names. Only live figures count (proposed or confirmed, never rejected), so most
    values are the machine's proposals: pages say so (FIGURE_FACETS_NOTE).
    """

    key: str  # "province": the URL key and the index field
    label: str  # "Province"
    plural: str  # "provinces", in sentences
    column: str  # the ReportedFigure column holding the value
    figure_kind: str = ""  # only figures of this kind ("seizure"); "" for every kind


# In the order the search page lists them, after the taxonomy's facets.
FIGURE_FACETS: tuple[FigureFacet, ...] = (
    FigureFacet("province", "Province", "provinces", "place_code"),
    FigureFacet("drug", "Drug seized", "drugs", "drug", "seizure"),
    FigureFacet("person", "Person named", "people", "name", "person"),
)
FIGURE_FACETS_BY_KEY: dict[str, FigureFacet] = {facet.key: facet for facet in FIGURE_FACETS}
FIGURE_FACETS_NOTE = (
    "From the figures the reports state, most of them proposed by the machine and not yet "
    "checked by a curator."
)
