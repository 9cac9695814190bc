"""Province pages (/browse/province/<ISO 3166-2 code>/) and the tile maps on country pages.

A province page lists the reports with a live figure (proposed or confirmed, not rejected)
placed in the province, newest first, and counts its seizures and arrests with confirmed and
proposed figures apart: a proposal is never added to what curators confirmed. Figures live in the
database, not in the search index, so these pages read the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pycountry
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from archive.extraction.place_names import PROVINCES
from archive.extraction.places import country_name, province_name
from archive.models import Article, FigureStatus, ReportedFigure
from search.pages.province_tiles import TILES

REPORTS_PER_PAGE = 25  # as the article list
# Tile shades: none, then four steps up to the busiest province of the country.
SHADES = 4
# The tile map's squares and the gaps between them, in SVG units (the drawing scales to fit).
TILE_SIZE, TILE_GAP = 60, 4
TILE_LINE = 10  # characters a line of a tile's name may hold at its font size
TILE_LINES = 3
COUNTED_KINDS = (ReportedFigure.Kind.SEIZURE, ReportedFigure.Kind.ARREST)


# --- Plain data for the templates ------------------------------------------------------------


@dataclass(frozen=True)
class FigureCount:
    kind: str
    label: str  # "Seizures", "Arrests"
    confirmed: int  # figures a curator confirmed
    proposed: int  # the machine's proposals, not yet reviewed
    # Arrests: the people the figures count, single events only (a total over a period would
    # count some of them twice).
    confirmed_people: int | None = None
    proposed_people: int | None = None


@dataclass(frozen=True)
class TileLine:
    text: str
    dy: str  # its offset from the line before, in SVG units ("1.2em")
    squeezed: bool  # longer than a tile is wide: drawn narrower to fit


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    lines: tuple[TileLine, ...]  # the name in up to three lines that fit on the square
    row: int  # from 0, north first
    column: int  # from 0, west first
    x: int  # the square's corner in the drawing
    y: int
    reports: int
    shade: int  # 0 (none) to SHADES
    url: str


@dataclass(frozen=True)
class TileMap:
    country: str
    width: int  # of the drawing
    height: int
    tile_size: int
    centre: int  # of a tile, from its corner
    text_width: int  # the width a squeezed line is drawn to
    tiles: tuple[Tile, ...]
    busiest: int  # the most reports in one province


@dataclass
class ProvincePage:
    code: str
    name: str  # the press's name
    iso_name: str  # ISO's, when it differs
    country_code: str
    country_name: str
    country_url: str
    reports: Page
    total: int
    counts: tuple[FigureCount, ...]
    tile_map: TileMap | None


# --- Building the pages ------------------------------------------------------------------------


def known_province(code: str) -> bool:
    """Return whether `code` names an ISO 3166-2 subdivision the archive knows."""
    return code in PROVINCES or pycountry.subdivisions.get(code=code) is not None


def placed_figures(code: str):
    """Return the live figures placed in the province."""
    return ReportedFigure.objects.live().filter(place_code=code)


def articles_placed_in(code: str):
    """Return the reports with a live figure placed in the province, newest first."""
    return (
        Article.objects.filter(pk__in=placed_figures(code).values("article_id"))
        .select_related("source")
        .order_by("-published_date", "-year", "-id")
    )


def figure_counts(code: str) -> tuple[FigureCount, ...]:
    """Return the province's seizures and arrests, confirmed and proposed apart."""
    confirmed, proposed = Q(status=FigureStatus.CONFIRMED), Q(status=FigureStatus.PROPOSED)
    single = Q(scope=ReportedFigure.Scope.SINGLE)
    rows = {
        row["kind"]: row
        for row in placed_figures(code)
        .filter(kind__in=COUNTED_KINDS)
        .values("kind")
        .annotate(
            confirmed=Count("pk", filter=confirmed),
            proposed=Count("pk", filter=proposed),
            confirmed_people=Sum("count", filter=confirmed & single),
            proposed_people=Sum("count", filter=proposed & single),
        )
    }
    counts = []
    for kind in COUNTED_KINDS:
        row = rows.get(kind, {})
        people = kind == ReportedFigure.Kind.ARREST
        counts.append(
            FigureCount(
                kind=kind,
                label="Seizures" if kind == ReportedFigure.Kind.SEIZURE else "Arrests",
                confirmed=row.get("confirmed", 0),
                proposed=row.get("proposed", 0),
                confirmed_people=(row.get("confirmed_people") or 0) if people else None,
                proposed_people=(row.get("proposed_people") or 0) if people else None,
            )
        )
    return tuple(counts)


def reports_per_province(codes) -> dict[str, int]:
    """Return, per province code, how many reports have a live figure placed there."""
    rows = (
        ReportedFigure.objects.live()
        .filter(place_code__in=list(codes))
        .values("place_code")
        .annotate(reports=Count("article", distinct=True))
    )
    return {row["place_code"]: row["reports"] for row in rows}


def shade(reports: int, busiest: int) -> int:
    """Return the tile's shade: 0 without reports, else 1 to SHADES by share of the busiest."""
    if reports <= 0 or busiest <= 0:
        return 0
    return max(1, math.ceil(SHADES * reports / busiest))


def tile_lines(name: str) -> tuple[TileLine, ...]:
    """Return the whole name in at most three lines for a tile, a line too long for it squeezed
    to fit (the name a screen reader hears must be the one shown, so nothing is cut)."""
    lines: list[str] = []
    for word in name.split():
        fits = bool(lines) and len(lines[-1]) + 1 + len(word) <= TILE_LINE
        if fits or len(lines) == TILE_LINES:  # the last line takes whatever is left
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    lines = lines or [name]
    # Centred on the tile's middle: the first line goes up half a line for each line after it.
    first_dy = 0.35 - 0.6 * (len(lines) - 1)
    return tuple(
        TileLine(line, f"{first_dy:.2f}em" if number == 0 else "1.2em", len(line) > TILE_LINE)
        for number, line in enumerate(lines)
    )


def tile_map(country: str) -> TileMap | None:
    """Return the country's tile map with each province's reports, or None without a grid."""
    positions = TILES.get(country.upper())
    if not positions:
        return None
    counts = reports_per_province(positions)
    busiest = max(counts.values(), default=0)
    tiles = []
    for code, (row, column) in positions.items():
        name = province_name(code)
        reports = counts.get(code, 0)
        tiles.append(
            Tile(
                code=code,
                name=name,
                lines=tile_lines(name),
                row=row,
                column=column,
                x=column * (TILE_SIZE + TILE_GAP),
                y=row * (TILE_SIZE + TILE_GAP),
                reports=reports,
                shade=shade(reports, busiest),
                url=province_url(code),
            )
        )
    tiles.sort(key=lambda tile: (tile.row, tile.column))  # reading order for screen readers
    return TileMap(
        country=country.upper(),
        width=max(tile.x for tile in tiles) + TILE_SIZE,
        height=max(tile.y for tile in tiles) + TILE_SIZE,
        tile_size=TILE_SIZE,
        centre=TILE_SIZE // 2,
        text_width=TILE_SIZE - 6,
        tiles=tuple(tiles),
        busiest=busiest,
    )


def province_url(code: str) -> str:
    return reverse("search:province_page", args=[code])


def build_province_page(code: str, page_number: str | None) -> ProvincePage:
    """Return everything the province's page shows."""
    country = code.split("-")[0]
    subdivision = pycountry.subdivisions.get(code=code)
    name = province_name(code)
    iso_name = subdivision.name if subdivision and subdivision.name != name else ""
    paginator = Paginator(articles_placed_in(code), REPORTS_PER_PAGE)
    return ProvincePage(
        code=code,
        name=name,
        iso_name=iso_name,
        country_code=country,
        country_name=country_name(country),
        country_url=reverse("search:tag_page", args=["country", country]),
        reports=paginator.get_page(page_number),
        total=paginator.count,
        counts=figure_counts(code),
        tile_map=tile_map(country),
    )


# --- Views -------------------------------------------------------------------------------------


def province_page(request, code):
    """Show one province: its counts of seizures and arrests and the reports placed there."""
    if not known_province(code.upper()):
        raise Http404(f"No province has the ISO 3166-2 code {code!r} (for example KH-18).")
    if code != code.upper():  # figures store codes in capitals, as ISO writes them
        return redirect("search:province_page", code.upper(), permanent=True)
    page = build_province_page(code, request.GET.get("page"))
    return render(request, "search/province_page.html", {"page": page})
