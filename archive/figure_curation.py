"""What curators do to reported figures: confirm, reject, correct and add them.

A figure a curator touched is never changed again by the extractors (archive.extraction.store):
every function here leaves the row reviewed (`reviewed_at`, `reviewed_by`), and a figure added
by hand has no signature, so no run takes it for one of its proposals. Every change goes through
`.save()` so the change history records who made it and why.
"""

from __future__ import annotations

from collections.abc import Iterable

import pycountry
from django.db import transaction
from django.utils import timezone

from archive.extraction.quantities import COUNT_UNITS, UNIT_OF, kilograms_per_unit
from archive.models import Article, FigureStatus, Origin, ReportedFigure

# The columns a curator corrects; changing one of them is a correction, not only a decision.
CORRECTABLE = (
    "drug", "quantity", "unit", "mass_kg", "count", "place_code", "country_code", "scope",
    "name", "role",
)  # fmt: skip


def decide_figure(figure: ReportedFigure, *, confirm: bool, user) -> bool:
    """Confirm or reject one figure; return whether its status changed."""
    status = FigureStatus.CONFIRMED if confirm else FigureStatus.REJECTED
    changed = figure.status != status
    figure.status = status
    _mark_reviewed(figure, user)
    figure._change_reason = "figure confirmed by a curator" if confirm else "figure rejected"
    figure.save()
    return changed


def decide_figures(figures: Iterable[ReportedFigure], *, confirm: bool, user) -> int:
    """Confirm or reject each figure; return how many changed status."""
    with transaction.atomic():
        return sum(decide_figure(figure, confirm=confirm, user=user) for figure in figures)


def save_correction(figure: ReportedFigure, *, changed: Iterable[str], user) -> None:
    """Save a figure a curator edited: reviewed, and confirmed unless they set it rejected.

    `changed` names the fields the curator changed. A new quantity or unit gives a new mass in
    kilograms (and a new count of tablets or packages) unless the curator wrote those too.
    """
    changed = set(changed)
    if {"quantity", "unit"} & changed:
        if "mass_kg" not in changed:
            figure.mass_kg = mass_in_kg(figure.quantity, figure.unit)
        if "count" not in changed and figure.kind == ReportedFigure.Kind.SEIZURE:
            figure.count = count_of(figure.quantity, figure.unit)
    if figure.status != FigureStatus.REJECTED:
        figure.status = FigureStatus.CONFIRMED
    _mark_reviewed(figure, user)
    corrected = sorted(set(CORRECTABLE) & changed)
    if figure.status == FigureStatus.REJECTED:
        figure._change_reason = "figure rejected"
    elif corrected:
        figure._change_reason = f"figure corrected by a curator: {', '.join(corrected)}"
    else:
        figure._change_reason = "figure confirmed by a curator"
    figure.save()


def add_figure(figure: ReportedFigure, *, user) -> ReportedFigure:
    """Store a figure a curator read in the report: confirmed, theirs, never a proposal."""
    figure.origin = Origin.CURATOR
    figure.status = FigureStatus.CONFIRMED
    figure.signature = ""
    figure.confidence = 1.0
    figure.rule = figure.rule or "added by a curator"
    if figure.mass_kg is None:
        figure.mass_kg = mass_in_kg(figure.quantity, figure.unit)
    if figure.count is None and figure.kind == ReportedFigure.Kind.SEIZURE:
        figure.count = count_of(figure.quantity, figure.unit)
    _mark_reviewed(figure, user)
    figure._change_reason = "figure added by a curator"
    figure.save()
    return figure


def pending_figures(article: Article) -> int:
    """Return how many of the article's figures still wait for a curator."""
    return article.figures.filter(status=FigureStatus.PROPOSED).count()


# --- Units and codes, as a curator writes them ----------------------------------------------------


def canonical_unit(written: str) -> str | None:
    """Return the unit the extractors would store for `written` ("kilograms" -> "kg"), or None.

    The one-letter symbols are case-sensitive, as in the extractors: "g" and "t", not "G" or "T".
    """
    written = written.strip()
    if written in UNIT_OF.values():
        return written
    return UNIT_OF.get(written.lower()) if len(written) > 1 else None


def known_units() -> list[str]:
    """Return the units a figure may carry, as stored."""
    return sorted(set(UNIT_OF.values()))


def mass_in_kg(quantity: float | None, unit: str) -> float | None:
    """Return the quantity as kilograms, or None for a count, a volume or no quantity."""
    factor = kilograms_per_unit().get(unit)
    if quantity is None or factor is None:
        return None
    return round(quantity * factor, 6)  # as the extractors round it


def count_of(quantity: float | None, unit: str) -> int | None:
    """Return the quantity as a count of tablets, plants or packages, or None for a mass."""
    if quantity is None or unit not in COUNT_UNITS:
        return None
    return round(quantity)


def place_code_problem(code: str) -> str | None:
    """Return what is wrong with an ISO 3166-2 code, or None when pycountry knows it."""
    if pycountry.subdivisions.get(code=code) is not None:
        return None
    return (
        f'"{code}" is not an ISO 3166-2 code of a province or state. Write the country\'s two '
        "letters, a hyphen and the subdivision's code, e.g. KH-18 (Preah Sihanouk), KH-12 "
        "(Phnom Penh), TH-10 (Bangkok); leave it empty when the report names no province."
    )


def country_code_problem(code: str) -> str | None:
    """Return what is wrong with an ISO 3166-1 alpha-2 code, or None when pycountry knows it."""
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return None
    return (
        f'"{code}" is not an ISO 3166-1 alpha-2 country code. Write two letters, e.g. KH '
        "(Cambodia), TH (Thailand), VN (Viet Nam), LA (Laos), MM (Myanmar), CN (China)."
    )


def _mark_reviewed(figure: ReportedFigure, user) -> None:
    figure.reviewed_by = user
    figure.reviewed_at = timezone.now()
