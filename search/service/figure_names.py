"""Labels of the figure facets' values (archive.kinds.FIGURE_FACETS): the index holds ISO 3166-2
codes, drug names and people's names as the figures state them; pages show names people read.
"""

from __future__ import annotations

from archive.extraction.places import province_name


def figure_label(facet: str, value: str) -> str:
    """Return how a page names a figure facet's value: a province by the name the press uses
    ("KH-18": "Preah Sihanouk"), else by its ISO name, else by its code; a drug with a capital."""
    if facet == "province":
        return province_name(value)
    if facet == "drug":
        return value[:1].upper() + value[1:]
    return value
