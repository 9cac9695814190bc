"""What an import batch looks names up in: the taxonomy and the sources, read once per batch,
with the tagger's lexicon and the extractors' rules built from them on first use."""

from __future__ import annotations

from archive.extraction.store import load_rules
from archive.ingest.records import ParsedArticle
from archive.models import Source
from archive.tagging.store import load_lexicon
from archive.taxonomy import NameIndex, normalize_name, slugify_name
from archive.taxonomy_loader import load_entries


class TaxonomyResolver:
    """Name lookups for one batch: loaded once, so each article costs no taxonomy queries."""

    def __init__(self):
        entries = self._entries = load_entries()
        self.countries = NameIndex.build(
            (country.pk, [country.code, *country.all_names()]) for country in entries.countries
        )
        ministries = entries.ministries
        self.ministry_country = {ministry.pk: ministry.country_id for ministry in ministries}
        self.ministries = NameIndex.build((m.pk, m.all_names()) for m in ministries)
        self.crime_types = NameIndex.build(
            (crime.pk, [crime.slug, *crime.all_names()]) for crime in entries.crime_types
        )
        self._lexicon = None
        self._rules = None
        self._sources = {
            normalize_name(name): source
            for source in entries.sources
            for name in source.all_names()
        }
        self._spellings: dict[str, Source] = {}

    @property
    def lexicon(self):
        """Return the tagger's compiled taxonomy, built on first use and kept for the batch."""
        if self._lexicon is None:
            self._lexicon = load_lexicon(self._entries)  # the batch's taxonomy, read once
        return self._lexicon

    @property
    def rules(self):
        """Return what the figure extractors need from the taxonomy, kept for the batch."""
        if self._rules is None:
            self._rules = load_rules(self._entries)
        return self._rules

    def source_for(self, name: str) -> Source | None:
        """Return the publication this name means, adding it to the taxonomy when new."""
        if not name:
            return None
        if name in self._spellings:  # as written: spares normalizing it for every article
            return self._spellings[name]
        key = normalize_name(name)
        if key not in self._sources:
            source, _ = Source.objects.get_or_create(
                name=name, defaults={"slug": _unique_slug(Source, name)}
            )
            self._sources[key] = source
        self._spellings[name] = self._sources[key]
        return self._sources[key]

    def resolve(self, parsed: ParsedArticle) -> tuple[dict[str, set[int]], list[str]]:
        """Return ({"country": ids, ...}, notes about names that could not be resolved)."""
        notes: list[str] = []
        countries = self._resolve_all(self.countries, parsed.countries, "country", notes)
        crime_types = self._resolve_all(self.crime_types, parsed.crime_types, "crime type", notes)
        ministries: set[int] = set()
        for name in parsed.ministries:
            candidates = self.ministries.candidates(name)
            if len(candidates) > 1 and countries:
                # "Ministry of Interior" exists in several countries: the article's decide.
                candidates = {m for m in candidates if self.ministry_country[m] in countries}
            if len(candidates) == 1:
                ministries |= candidates
            elif candidates:
                notes.append(f"ministry {name!r} is ambiguous; give the country too")
            else:
                notes.append(f"unknown ministry {name!r} not tagged (add it or an alias in admin)")
        return {"country": countries, "ministry": ministries, "crime_type": crime_types}, notes

    @staticmethod
    def _resolve_all(index: NameIndex, names, label: str, notes: list[str]) -> set[int]:
        found = set()
        for name in names:
            entry_id = index.resolve(name)
            if entry_id is None:
                notes.append(f"unknown {label} {name!r} not tagged (add it or an alias in admin)")
            else:
                found.add(entry_id)
        return found


def _unique_slug(model, name: str) -> str:
    base = slugify_name(name)
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
