"""The SVG charts: well-formed, escaped, sized from the data, honest about zero, negative and missing values."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctip.plans import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, parsed to check it is well-formed


def bars(svg: str, colour: str | None = None) -> list[ET.Element]:
    found = parse(svg).findall(".//svg:rect", NS)
    return [r for r in found if colour is None or r.get("fill") == colour]


def widths(svg: str, colour: str) -> list[float]:
    """The widths of the bars of one colour (not the legend's 10-unit swatches)."""
    return [float(r.get("width", "0")) for r in bars(svg, colour) if r.get("height") != "10.0"]


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in parse(svg).findall(".//svg:text", NS)]


def test_a_chart_is_an_accessible_image_with_a_title_and_a_description():
    svg = charts.bar_chart(title="Actions by agency", desc="How many actions each agency leads", rows=[("A", 3)])
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 400 ")
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None
    assert title.text == "Actions by agency"
    assert desc is not None
    assert desc.text == "How many actions each agency leads"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for banned in ("<script", "style=", "href", "@import"):
        assert banned not in svg


def test_labels_titles_and_legends_are_escaped():
    evil = '<script>alert(1)</script> & "quoted" \x07'
    svgs = [
        charts.bar_chart(title=evil, desc=evil, rows=[(evil, 1)]),
        charts.stacked_bar_chart(title="t", desc="d", series=[charts.Series(evil, charts.BLUE)], rows=[(evil, [1])]),
        charts.grouped_bar_chart(title="t", desc="d", series=[charts.Series(evil, charts.BLUE)], rows=[(evil, [1])]),
        charts.progress_chart(title="t", desc="d", rows=[charts.ProgressRow(evil, 0, 1, 2)]),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        assert "\x07" not in svg
        root = parse(svg)  # still well-formed XML
        assert any("<script>alert(1)</script>" in "".join(el.itertext()) for el in root.iter())


def test_bar_widths_are_proportional_to_the_values():
    svg = charts.bar_chart(title="t", desc="d", rows=[("a", 10), ("b", 5), ("c", 0), ("d", Decimal("2.5"))])
    a, b, c, d = widths(svg, charts.BLUE)
    assert b == pytest.approx(a / 2, abs=0.02)
    assert d == pytest.approx(a / 4, abs=0.02)
    assert c == 0
    assert texts(svg)[1::2] == ["10", "5", "0", "2.50"]


def test_the_chart_grows_taller_with_each_row():
    one = parse(charts.bar_chart(title="t", desc="d", rows=[("a", 1)])).get("viewBox", "").split()
    three = parse(charts.bar_chart(title="t", desc="d", rows=[("a", 1), ("b", 2), ("c", 3)])).get("viewBox", "").split()
    assert float(three[3]) > 2.5 * float(one[3])
    assert one[2] == three[2] == "400"


def test_negative_values_extend_left_of_a_zero_line():
    svg = charts.bar_chart(title="t", desc="d", rows=[("up", 10), ("down", -5)])
    up, down = bars(svg, charts.BLUE)
    zero = parse(svg).find(".//svg:line", NS)
    assert zero is not None
    x0 = float(zero.get("x1", "0"))
    assert float(up.get("x", "0")) == pytest.approx(x0, abs=0.01)
    assert float(down.get("x", "0")) + float(down.get("width", "0")) == pytest.approx(x0, abs=0.01)
    assert float(down.get("width", "0")) == pytest.approx(float(up.get("width", "0")) / 2, abs=0.02)


def test_all_zero_values_draw_empty_bars_not_an_error():
    svg = charts.bar_chart(title="t", desc="d", rows=[("a", 0), ("b", 0)])
    assert widths(svg, charts.BLUE) == [0, 0]


def test_empty_data_says_so():
    svg = charts.bar_chart(title="t", desc="d", rows=[], empty="Nothing reported yet.")
    assert texts(svg) == ["Nothing reported yet."]
    assert parse(svg).get("role") == "img"
    assert texts(charts.progress_chart(title="t", desc="d", rows=[])) == ["No data to show."]


def test_values_that_are_not_numbers_are_refused():
    with pytest.raises(ValueError, match="finite"):
        charts.bar_chart(title="t", desc="d", rows=[("a", math.nan)])
    with pytest.raises(ValueError, match="negative segment"):
        charts.stacked_bar_chart(title="t", desc="d", series=[charts.Series("s", charts.BLUE)], rows=[("a", [-1])])
    with pytest.raises(ValueError, match="2 values for 1 series"):
        charts.grouped_bar_chart(title="t", desc="d", series=[charts.Series("s", charts.BLUE)], rows=[("a", [1, 2])])


def test_stacked_bars_split_each_row_by_series_and_scale_rows_by_their_totals():
    series = [charts.Series("done", charts.GREEN), charts.Series("late", charts.VERMILLION)]
    svg = charts.stacked_bar_chart(title="t", desc="d", series=series, rows=[("a", [3, 1]), ("b", [1, 0])])
    green, red = widths(svg, charts.GREEN), widths(svg, charts.VERMILLION)
    assert green[0] == pytest.approx(3 * green[1], abs=0.02)
    assert red == [pytest.approx(green[1], abs=0.02)]  # a zero segment is not drawn at all
    assert {"done", "late"} <= set(texts(svg))  # the legend
    assert texts(svg)[-1] == "1"  # row b's total


def test_grouped_bars_share_one_scale():
    series = [charts.Series("committed", charts.BLUE), charts.Series("disbursed", charts.GREEN)]
    svg = charts.grouped_bar_chart(title="t", desc="d", series=series, rows=[("UNODC", [1_000_000, 250_000])])
    (committed,), (disbursed,) = widths(svg, charts.BLUE), widths(svg, charts.GREEN)
    assert disbursed == pytest.approx(committed / 4, abs=0.02)
    assert "1,000,000" in texts(svg)


def test_long_labels_are_shortened_in_the_drawing_but_kept_whole_in_its_tooltip():
    label = "Training of border officers to identify victims " * 3
    svg = charts.bar_chart(title="t", desc="d", rows=[(label, 1)])
    assert texts(svg)[0].endswith("…")
    assert len(texts(svg)[0]) < len(label)
    row_titles = [t.text for t in parse(svg).findall(".//svg:g/svg:title", NS)]
    assert row_titles == [label]


@pytest.mark.parametrize(
    ("baseline", "current", "target", "decreasing", "expected"),
    [
        (10, 25, 40, False, 0.5),
        (100, 70, 50, True, 0.6),  # lower is better: falling from 100 to 70 of the way to 50
        (100, 120, 50, True, -0.4),  # moved the wrong way
        (None, 30, 20, False, 1.5),  # no baseline counts as 0; past the target
        (5, 5, 5, False, 1.0),
        (5, 4, 5, False, 0.0),
        (5, 4, 5, True, 1.0),
        (0, None, 10, False, None),
        (0, 3, None, False, None),
    ],
)
def test_progress_ratio_is_direction_aware(baseline, current, target, decreasing, expected):
    assert charts.progress_ratio(baseline, current, target, decreasing=decreasing) == (
        pytest.approx(expected) if expected is not None else None
    )


def test_the_progress_chart_fills_the_track_as_far_as_the_indicator_has_come():
    rows = [
        charts.ProgressRow("half", 10, 25, 40),
        charts.ProgressRow("reached", 100, 40, 50, decreasing=True),
        charts.ProgressRow("backwards", 10, 5, 40),
        charts.ProgressRow("unknown", 10, None, 40),
    ]
    svg = charts.progress_chart(title="t", desc="d", rows=rows)
    tracks = widths(svg, "#EEEEEE")
    assert len(tracks) == 4
    assert widths(svg, charts.BLUE) == [pytest.approx(tracks[0] / 2, abs=0.02)]
    assert widths(svg, charts.GREEN) == [pytest.approx(tracks[1], abs=0.02)]  # capped at the target
    shown = texts(svg)
    assert {"50%", "120%", "-17%", "—"} <= set(shown)
    assert "baseline 10 · now 25 · target 40" in shown


@given(st.lists(st.tuples(st.text(max_size=80), st.integers(-(10**9), 10**9)), max_size=12))
def test_any_labels_and_whole_numbers_give_well_formed_svg(rows):
    root = parse(charts.bar_chart(title="t", desc="d", rows=rows))
    assert root.get("role") == "img"
    for rect in root.findall(".//svg:rect", NS):
        assert float(rect.get("width", "0")) >= 0
        assert 0 <= float(rect.get("x", "0")) <= 400
