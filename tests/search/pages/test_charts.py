"""Chart geometry, computed without templates or a database."""

import pytest

from search.pages import charts


def bars(*counts, first_year=2015):
    return [
        (str(first_year + index), count, f"/?year={first_year + index}")
        for index, count in enumerate(counts)
    ]


def test_fill_years_shows_gaps_as_zero():
    assert charts.fill_years({"2019": 2, "2022": 1}) == [(2019, 2), (2020, 0), (2021, 0), (2022, 1)]
    assert charts.fill_years({}) == []


def test_year_span_covers_every_mapping_and_ignores_zeros():
    assert charts.year_span({"2018": 1, "2030": 0}, {2021: 4}) == [2018, 2019, 2020, 2021]
    assert charts.year_span({}) == []


@pytest.mark.parametrize(
    "highest, expected",
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (100, [0, 50, 100]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_ticks_are_round_and_reach_the_highest_count(highest, expected):
    assert charts.nice_ticks(highest) == expected


def test_a_chart_without_years_has_no_bars_and_still_an_axis():
    chart = charts.bar_chart([])
    assert chart.bars == []
    assert [tick.value for tick in chart.ticks] == [0, 1]


def test_zero_years_have_no_height_and_no_link():
    chart = charts.bar_chart(bars(0, 0, 0))
    assert [bar.height for bar in chart.bars] == [0, 0, 0]
    assert all(bar.y == chart.plot.bottom for bar in chart.bars)
    assert [bar.url for bar in chart.bars] == ["", "", ""]
    assert not any(bar.show_count for bar in chart.bars)


def test_a_gap_year_between_busy_years_stays_empty():
    chart = charts.bar_chart(bars(3, 0, 5))
    assert chart.bars[1].height == 0 and chart.bars[1].url == ""
    assert chart.bars[0].url == "/?year=2015" and chart.bars[2].url == "/?year=2017"


def test_a_single_year_is_one_centred_bar_of_limited_width():
    chart = charts.bar_chart(bars(4))
    (bar,) = chart.bars
    assert bar.width == charts.MAX_BAR_WIDTH
    assert bar.x + bar.width / 2 == pytest.approx((chart.plot.left + chart.plot.right) / 2)
    assert bar.height == pytest.approx(chart.plot.height)  # 4 is a round number: full height
    assert bar.show_label and bar.show_count


def test_heights_are_proportional_to_counts_and_stand_on_the_axis():
    chart = charts.bar_chart(bars(2, 4, 8))
    heights = [bar.height for bar in chart.bars]
    assert heights[1] == pytest.approx(2 * heights[0])
    assert heights[2] == pytest.approx(2 * heights[1])
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.plot.bottom)


@pytest.mark.parametrize("counts", [(7, 3), (1, 1000), (999, 1001, 3), (13,)])
def test_no_bar_is_taller_than_the_plot(counts):
    chart = charts.bar_chart(bars(*counts))
    tallest = max(chart.bars, key=lambda bar: bar.count)
    assert all(bar.y >= chart.plot.top for bar in chart.bars)
    assert tallest.height <= chart.plot.height
    # The scale tops out at the highest gridline, which is at least the highest count.
    expected = chart.plot.height * tallest.count / chart.ticks[-1].value
    assert tallest.height == pytest.approx(expected, abs=0.01)  # rounded to 2 decimals


def test_one_report_among_thousands_is_still_visible():
    chart = charts.bar_chart(bars(1, 5000))
    assert chart.bars[0].height == charts.MIN_BAR_HEIGHT


def test_gridlines_run_from_the_axis_to_the_top_of_the_plot():
    chart = charts.bar_chart(bars(3, 7))
    assert chart.ticks[0].y == chart.plot.bottom
    assert chart.ticks[-1].y == chart.plot.top
    assert [tick.label for tick in chart.ticks] == ["0", "2", "4", "6", "8"]


def test_bars_fill_equal_slots_across_the_plot_without_overlapping():
    chart = charts.bar_chart(bars(*range(1, 11)))
    assert chart.bars[0].slot_x == chart.plot.left
    last = chart.bars[-1]
    assert last.slot_x + last.slot_width == pytest.approx(chart.plot.right)
    for left, right in zip(chart.bars, chart.bars[1:], strict=False):
        assert left.x + left.width < right.x


def test_crowded_charts_label_every_few_years_ending_with_the_latest():
    chart = charts.bar_chart(bars(*([100] * 30), first_year=1995))
    shown = [bar for bar in chart.bars if bar.show_label]
    assert 2 < len(shown) < 30
    assert shown[-1].label == "2024"
    gap = shown[1].label_x - shown[0].label_x
    assert gap >= 4 * charts.LABEL_CHAR_WIDTH  # four-digit labels never touch
    assert not any(bar.show_count for bar in chart.bars)  # no room for "100" either


def test_a_few_wide_bars_show_every_label_and_count():
    chart = charts.bar_chart(bars(1, 20, 300))
    assert all(bar.show_label and bar.show_count for bar in chart.bars)


def test_line_chart_places_one_point_per_year_on_the_same_scale():
    chart = charts.line_chart(
        [2020, 2021, 2022],
        [
            ("Gambling", [(4, "/a"), (0, "/b"), (2, "/c")]),
            ("Fraud", [(1, "/d"), (1, "/e"), (0, "/f")]),
        ],
    )
    gambling, fraud = chart.series
    assert [point.label for point in gambling.points] == ["2020", "2021", "2022"]
    assert gambling.points[0].y == chart.plot.top  # 4 is the top gridline
    assert gambling.points[1].y == chart.plot.bottom
    assert gambling.points[2].y == pytest.approx((chart.plot.top + chart.plot.bottom) / 2)
    assert [point.url for point in gambling.points] == ["/a", "", "/c"]
    assert fraud.index == 1 and fraud.points[0].x == gambling.points[0].x
    assert gambling.path.split()[0] == f"{gambling.points[0].x:g},{gambling.points[0].y:g}"
    assert [label.text for label in chart.x_labels] == ["2020", "2021", "2022"]


def test_line_chart_refuses_a_series_that_misses_a_year():
    with pytest.raises(ValueError, match="one \\(count, url\\) per year"):
        charts.line_chart([2020, 2021], [("Gambling", [(1, "/a")])])


def test_line_chart_without_years_is_empty():
    chart = charts.line_chart([], [])
    assert chart.series == [] and chart.x_labels == []


@pytest.mark.parametrize("highest", [3, 80, 4_000, 250_000])
def test_the_y_axis_numbers_fit_left_of_the_plot(highest):
    for chart in (
        charts.bar_chart(bars(1, highest)),
        charts.line_chart([2020], [("Fraud", [(highest, "/a")])]),
    ):
        widest = max(len(tick.label) for tick in chart.ticks)
        assert chart.tick_x - widest * charts.LABEL_CHAR_WIDTH >= 0
        assert chart.tick_x < chart.plot.left
