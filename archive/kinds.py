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
