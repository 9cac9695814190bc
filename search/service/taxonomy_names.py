"""Every facet's entries as the search sees them: index ids, URL values, labels and names.

The index holds taxonomy ids; URLs hold readable values (ISO codes, slugs); people type names
and aliases. A URL value names one entry. A name may name several: "Ministry of Interior" is
Cambodia's and Thailand's, and `resolve` returns every entry a text names, so that the search
never picks one of them in silence (search.service.url_state says which were meant).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Max

from archive.kinds import KINDS
from archive.taxonomy import narrower_by_broad, normalize_name
from archive.taxonomy_loader import load_entries

# The taxonomy a process last loaded, with the stamp it had then (see Taxonomy.current).
_loaded: tuple[tuple, Taxonomy] | None = None


@dataclass(frozen=True)
class Taxonomy:
    """Ids <-> URL values <-> labels for every facet. Read-only: one is shared by requests."""

    by_value: dict[str, dict[str, int]]
    by_id: dict[str, dict[int, tuple[str, str]]]  # facet -> id -> (url value, label)
    names: dict[str, dict[str, tuple[int, ...]]]  # facet -> normalized name/alias/code -> ids
    crime_parent: dict[int, int | None]
    # facet -> id -> a label that tells entries of one name apart ("Ministry of Interior
    # (Thailand)"), where the plain label may not.
    full_labels: dict[str, dict[int, str]]

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
        taxonomy = load_entries()
        ministries = taxonomy.ministries
        rows = {
            "country": [
                (c.pk, c.code, c.name, [c.code, c.name, *c.alias_list()])
                for c in taxonomy.countries
            ],
            "ministry": [
                (m.pk, m.slug, str(m), [m.name, m.slug, *m.alias_list()]) for m in ministries
            ],
            "crime_type": [
                (c.pk, c.slug, c.name, [c.name, c.slug, *c.alias_list()])
                for c in taxonomy.crime_types
            ],
            "source": [
                (s.pk, s.slug, s.name, [s.name, s.slug, *s.alias_list()]) for s in taxonomy.sources
            ],
        }
        names: dict[str, dict[str, set[int]]] = {facet: defaultdict(set) for facet in rows}
        for facet, entries in rows.items():
            for pk, _, _, spellings in entries:
                for spelling in spellings:
                    if spelling:
                        names[facet][name_key(spelling)].add(pk)
        full_labels = {facet: {pk: label for pk, _, label, _ in r} for facet, r in rows.items()}
        full_labels["ministry"] = {
            m.pk: f"{m.name} ({m.country.name})" if m.country_id else m.name for m in ministries
        }
        return cls(
            by_value={f: {value: pk for pk, value, _, _ in r} for f, r in rows.items()},
            by_id={f: {pk: (value, label) for pk, value, label, _ in r} for f, r in rows.items()},
            names={
                facet: {key: tuple(sorted(ids)) for key, ids in spellings.items()}
                for facet, spellings in names.items()
            },
            crime_parent=taxonomy.crime_type_parents(),
            full_labels=full_labels,
        )

    @cached_property
    def crime_rollups(self) -> dict[str, tuple[str, ...]]:
        """Each broad crime type and the types below it, worked out once per taxonomy."""
        return crime_type_rollups(self)

    def resolve(self, facet: str, text: str) -> tuple[int, ...]:
        """Return every entry `text` names: the one whose URL value it is, else every entry
        with that name, alias or code (several when entries share it); () when none."""
        text = text.strip('"')
        if text in self.by_value[facet]:
            return (self.by_value[facet][text],)
        return self.names[facet].get(name_key(text), ())

    def value_of(self, facet: str, pk: int) -> str | None:
        found = self.by_id[facet].get(pk)
        return found[0] if found else None

    def label_of(self, facet: str, pk: int) -> str | None:
        found = self.by_id[facet].get(pk)
        return found[1] if found else None


def name_key(text: str) -> str:
    """Return the form names are looked up in: "Online-Scams", "online_scams" and "online
    scams" are one name."""
    return normalize_name(text).replace("-", " ").replace("_", " ")


def crime_type_rollups(taxonomy: Taxonomy) -> dict[str, tuple[str, ...]]:
    """Return, for each crime type with types below it, itself and those types (index values).

    Its facet count then covers them all, each report once, as ticking it does; counts cannot be
    added up instead, since one report may carry both a type and its parent.
    """
    narrower = narrower_by_broad(taxonomy.crime_parent)
    return {str(pk): tuple(str(below) for below in sorted(narrower[pk])) for pk in sorted(narrower)}


def taxonomy_stamp() -> tuple:
    return tuple(
        tuple(model.objects.aggregate(entries=Count("pk"), edited=Max("updated_at")).values())
        for model in (kind.model for kind in KINDS)
    )
