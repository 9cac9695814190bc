"""Chart geometry as plain data: the templates draw SVG from these numbers and compute nothing.

Coordinates are in viewBox units. The default viewBox is narrow (400 wide) because the SVG is
scaled to the width of the page: a narrow box keeps 14-unit labels near 12 px on a phone and
near 18 px where the chart reaches its widest (32rem in the stylesheet).

Shapes, in short:
    BarChart(width, height, plot, bars=[Bar(x, y, width, height, label, count, url, ...)], ticks)
    LineChart(width, height, plot, series=[Series(label, points=[Point(x, y, ...)])], ticks, ...)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 400, 200
FONT_SIZE = 14
# Room for the y-axis numbers on the left (more when they are long), year labels below, counts
# above the tallest bar.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30, 6, 18, 24
MAX_BAR_WIDTH = 48  # one or two years should not fill the chart with two slabs
BAR_GAP = 0.2  # share of each slot left empty between bars
MIN_BAR_HEIGHT = 2  # a single report among thousands still shows as a sliver
LABEL_CHAR_WIDTH = 0.62 * FONT_SIZE  # a digit's width, roughly, in the system sans fonts
TICKS = 4  # gridlines wanted on the y-axis, about
TICK_GAP = 4  # between a y-axis number and the plot


@dataclass(frozen=True)
class Plot:
    """The rectangle the data is drawn in, inside the margins."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.right - self.left


@dataclass(frozen=True)
class Tick:
    value: int
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str  # the year, as shown under the bar
    count: int
    url: str  # the search that finds these reports; "" for an empty year
    x: float
    y: float
    width: float
    height: float
    slot_x: float  # the bar's whole column: a tap target as tall as the plot
    slot_width: float
    label_x: float  # the bar's centre, for the labels
    show_label: bool  # crowded charts label every n-th year only
    show_count: bool  # the count above the bar, when the bars are wide enough for it


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot: Plot
    bars: list[Bar]
    ticks: list[Tick]
    font_size: int = FONT_SIZE

    @property
    def label_y(self) -> float:
        """Return the baseline of the year labels under the plot."""
        return self.plot.bottom + FONT_SIZE + 3

    @property
    def tick_x(self) -> float:
        """Return where the y-axis numbers end, just left of the plot."""
        return self.plot.left - TICK_GAP


@dataclass(frozen=True)
class Point:
    label: str
    count: int
    url: str
    x: float
    y: float


@dataclass(frozen=True)
class Series:
    label: str
    index: int  # picks the series' colour in the stylesheet (.series-0 ... .series-5)
    points: list[Point]

    @property
    def path(self) -> str:
        """Return the points as an SVG polyline's "x,y x,y ..." list."""
        return " ".join(f"{point.x:g},{point.y:g}" for point in self.points)


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot: Plot
    series: list[Series]
    ticks: list[Tick]
    x_labels: list[AxisLabel]
    font_size: int = FONT_SIZE

    @property
    def years(self) -> list[str]:
        """Return every year the lines cover (the axis labels only every n-th), for the table."""
        return [point.label for point in self.series[0].points] if self.series else []

    @property
    def label_y(self) -> float:
        """Return the baseline of the year labels under the plot."""
        return self.plot.bottom + FONT_SIZE + 3

    @property
    def tick_x(self) -> float:
        """Return where the y-axis numbers end, just left of the plot."""
        return self.plot.left - TICK_GAP


def fill_years(counts: Mapping[int | str, int]) -> list[tuple[int, int]]:
    """Return (year, count) for every year from the first to the last, gaps as zero."""
    years = {int(year): count for year, count in counts.items()}
    if not years:
        return []
    return [(year, years.get(year, 0)) for year in range(min(years), max(years) + 1)]


def year_span(*counts: Mapping[int | str, int]) -> list[int]:
    """Return every year from the earliest to the latest found in any of these counts."""
    years = [int(year) for mapping in counts for year, count in mapping.items() if count]
    return list(range(min(years), max(years) + 1)) if years else []


def nice_ticks(highest: int, *, wanted: int = TICKS) -> list[int]:
    """Return round gridline values from 0 up to at least `highest` (steps of 1, 2 or 5 x 10^n)."""
    if highest <= 0:
        return [0, 1]
    rough = highest / wanted
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= rough)
    step = max(1, int(step))
    top = math.ceil(highest / step) * step
    return list(range(0, top + 1, step))


def bar_chart(
    bars: Sequence[tuple[str, int, str]], *, width: int = WIDTH, height: int = HEIGHT
) -> BarChart:
    """Return the geometry of a bar chart of (label, count, url) in the order given.

    Heights are scaled to the highest gridline, so the tallest bar reaches the top of the plot
    only when its count is a round number, and never passes it.
    """
    tick_values = nice_ticks(max((count for _, count, _ in bars), default=0))
    plot = _plot(tick_values, width, height)
    ticks = _ticks(tick_values, plot)
    if not bars:
        return BarChart(width, height, plot, [], ticks)
    scale = plot.height / tick_values[-1]
    slot = plot.width / len(bars)
    bar_width = min(slot * (1 - BAR_GAP), MAX_BAR_WIDTH)
    label_step = _label_step(len(bars), slot, max(len(label) for label, _, _ in bars))
    widest_count = max(len(f"{count:,}") for _, count, _ in bars)
    counts_fit = slot >= widest_count * LABEL_CHAR_WIDTH + 4
    shapes = []
    for index, (label, count, url) in enumerate(bars):
        slot_x = plot.left + index * slot
        bar_height = max(count * scale, MIN_BAR_HEIGHT) if count else 0
        shapes.append(
            Bar(
                label=label,
                count=count,
                url=url if count else "",
                x=_round(slot_x + (slot - bar_width) / 2),
                y=_round(plot.bottom - bar_height),
                width=_round(bar_width),
                height=_round(bar_height),
                slot_x=_round(slot_x),
                slot_width=_round(slot),
                label_x=_round(slot_x + slot / 2),
                # Count from the last year: the latest year is the one readers look for.
                show_label=(len(bars) - 1 - index) % label_step == 0,
                show_count=counts_fit and count > 0,
            )
        )
    return BarChart(width, height, plot, shapes, ticks)


def line_chart(
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[tuple[int, str]]]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart:
    """Return the geometry of one line per (label, [(count, url) per year]) over `years`."""
    highest = max((count for _, values in series for count, _ in values), default=0)
    tick_values = nice_ticks(highest)
    plot = _plot(tick_values, width, height)
    ticks = _ticks(tick_values, plot)
    if not years:
        return LineChart(width, height, plot, [], ticks, [])
    # Points sit at the centres of equal slots, like bars would, so one year is centred too.
    slot = plot.width / len(years)
    xs = [plot.left + slot * (index + 0.5) for index in range(len(years))]
    scale = plot.height / tick_values[-1]
    lines = []
    for index, (label, values) in enumerate(series):
        if len(values) != len(years):
            raise ValueError(
                f"Series {label!r} has {len(values)} values for {len(years)} years; "
                "give one (count, url) per year, zero for an empty year."
            )
        points = [
            Point(
                label=str(year),
                count=count,
                url=url if count else "",
                x=_round(x),
                y=_round(plot.bottom - count * scale),
            )
            for year, x, (count, url) in zip(years, xs, values, strict=True)
        ]
        lines.append(Series(label, index, points))
    step = _label_step(len(years), slot, max(len(str(year)) for year in years))
    x_labels = [
        AxisLabel(str(year), _round(x))
        for position, (year, x) in enumerate(zip(years, xs, strict=True))
        if (len(years) - 1 - position) % step == 0
    ]
    return LineChart(width, height, plot, lines, ticks, x_labels)


def _plot(tick_values: list[int], width: int, height: int) -> Plot:
    """Return the plot area, leaving room on the left for the longest y-axis number."""
    widest = max(len(f"{value:,}") for value in tick_values)
    left = max(MARGIN_LEFT, math.ceil(widest * LABEL_CHAR_WIDTH + TICK_GAP + 2))
    return Plot(left, MARGIN_TOP, width - MARGIN_RIGHT, height - MARGIN_BOTTOM)


def _ticks(values: list[int], plot: Plot) -> list[Tick]:
    top = values[-1]
    return [
        Tick(value, _round(plot.bottom - plot.height * value / top), f"{value:,}")
        for value in values
    ]


def _label_step(count: int, slot: float, characters: int) -> int:
    """Return n such that labelling every n-th slot keeps the labels from touching."""
    needed = characters * LABEL_CHAR_WIDTH + 6
    return max(1, math.ceil(needed / slot)) if count else 1


def _round(value: float) -> float:
    return round(value, 2)
