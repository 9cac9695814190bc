"""The taxonomy read from the database: every entry in one pass, and the crime-type hierarchy.

The name lookups of ingestion, the tagger's lexicon and the search's names and labels each build
their own structure, but all from the entries read here; the walks over the hierarchy are the
pure functions of archive.taxonomy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archive.models import Country, CrimeType, Ministry, Source
from archive.taxonomy import descendant_ids


@dataclass(frozen=True)
class TaxonomyEntries:
    """Every entry of every kind as the database holds it now: four queries."""

    countries: list[Country]
    ministries: list[Ministry]  # each with its country
    crime_types: list[CrimeType]
    sources: list[Source]

    def crime_type_parents(self) -> dict[int, int | None]:
        return {crime.pk: crime.parent_id for crime in self.crime_types}


def load_entries() -> TaxonomyEntries:
    """Return every taxonomy entry, read once."""
    return TaxonomyEntries(
        countries=list(Country.objects.all()),
        ministries=list(Ministry.objects.select_related("country")),
        crime_types=list(CrimeType.objects.all()),
        sources=list(Source.objects.all()),
    )


def crime_type_parents() -> dict[int, int | None]:
    """Return each crime type's broader type (None at the top), in one small query."""
    return dict(CrimeType.objects.values_list("pk", "parent_id"))


def crime_types_with_narrower(entries: Iterable[int]) -> set[int]:
    """Return these crime types and every type below them."""
    return descendant_ids(crime_type_parents(), entries)
