"""Labels of the figure facets' values (archive.kinds.FIGURE_FACETS): the index holds ISO 3166-2
codes, drug names and people's names as the figures state them; pages show names people read.
"""

from __future__ import annotations

import functools

import pycountry

from archive.extraction.place_names import PROVINCES


def figure_label(facet: str, value: str) -> str:
    """Return how a page names a figure facet's value: a province by the name the press uses
    ("KH-18": "Preah Sihanouk"), else by its ISO name, else by its code; a drug with a capital."""
    if facet == "province":
        return province_name(value)
    if facet == "drug":
        return value[:1].upper() + value[1:]
    return value


@functools.lru_cache(maxsize=1024)
def province_name(code: str) -> str:
    """Return the name of the province or state with this ISO 3166-2 code, or the code."""
    if code in PROVINCES:
        return PROVINCES[code][0]
    try:
        subdivision = pycountry.subdivisions.get(code=code)
    except (KeyError, LookupError):
        subdivision = None
    return subdivision.name if subdivision is not None else code
