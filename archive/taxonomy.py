"""Pure helpers over the taxonomy: alias lists, name lookup and the hierarchy walks (all of them).

Nothing here touches the database; callers pass plain rows in, so ingestion and the tagger can
resolve names in memory once per batch.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.text import fold_text

_SPACES = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Return the form names are compared in: NFKC, straight quotes, case-folded, single spaces."""
    return fold_text(text)


def parse_aliases(text: str) -> list[str]:
    """Return one alias per non-blank line, first spelling kept, repeats (any case) dropped."""
    seen: set[str] = set()
    aliases = []
    for line in (text or "").splitlines():
        alias = _SPACES.sub(" ", line).strip()
        key = normalize_name(alias)
        if alias and key not in seen:
            seen.add(key)
            aliases.append(alias)
    return aliases


@dataclass
class NameIndex:
    """Resolve any spelling of a taxonomy entry (name, alias, code) to its id.

    A name shared by two entries (e.g. "Ministry of Interior" in two countries) is ambiguous;
    `resolve` then returns None and `candidates` lists them, so the caller can report it.
    """

    _ids_by_name: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, entries: Iterable[tuple[int, Iterable[str]]]) -> NameIndex:
        index = cls()
        for entry_id, names in entries:
            for name in names:
                if name:
                    index._ids_by_name[normalize_name(name)].add(entry_id)
        return index

    def candidates(self, name: str) -> set[int]:
        return set(self._ids_by_name.get(normalize_name(name), ()))

    def resolve(self, name: str) -> int | None:
        """Return the single entry id this name means, or None when unknown or ambiguous."""
        ids = self.candidates(name)
        return next(iter(ids)) if len(ids) == 1 else None


def descendant_ids(parent_of: dict[int, int | None], roots: Iterable[int]) -> set[int]:
    """Return `roots` and every entry below them, given each entry's parent id."""
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in parent_of.items():
        if parent is not None:
            children[parent].append(child)
    found: set[int] = set()
    pending = list(roots)
    while pending:
        entry = pending.pop()
        if entry in found:  # guards against a cycle an admin might create by mistake
            continue
        found.add(entry)
        pending.extend(children[entry])
    return found


def ancestor_ids(parent_of: dict[int, int | None], entries: Iterable[int]) -> set[int]:
    """Return `entries` and every entry above them, given each entry's parent id."""
    found: set[int] = set()
    for entry in entries:
        while entry is not None and entry not in found:  # stops at a cycle too
            found.add(entry)
            entry = parent_of.get(entry)
    return found


def narrower_by_broad(parent_of: dict[int, int | None]) -> dict[int, set[int]]:
    """Return, for each entry with entries below it, itself and every entry below it."""
    broad = {parent for parent in parent_of.values() if parent is not None}
    return {entry: descendant_ids(parent_of, [entry]) for entry in broad}


def slugify_name(text: str) -> str:
    """Return a URL slug for a taxonomy name (ASCII, hyphenated)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:200] or "entry"
