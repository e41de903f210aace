"""The trend chart's tier names at the ends of the lines never overlap, however close the
tiers' values are; crowded names are spread apart with a leader to their line."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from designer_fixtures import design, tables
from pytestqt.qtbot import QtBot

from scorecard_studio.engines.scoring import score
from scorecard_studio.engines.scoring.whatif import result_marginals
from scorecard_studio.qt.preview.chart_base import ChartInput
from scorecard_studio.qt.preview.label_layout import spread
from scorecard_studio.qt.preview.trends import TrendsChart


def test_spread_keeps_order_and_gap_and_leaves_lonely_labels_alone() -> None:
    placed = spread([1.0, 1.01, 5.0, 1.02], gap=0.5, low=0.0, high=10.0)
    # The three crowded labels are laid out evenly around their mean (1.01), in order.
    assert placed == pytest.approx([0.51, 1.01, 5.0, 1.51])
    # At the top of the range the stack moves down to fit, its spacing kept.
    assert spread([9.9, 9.95], gap=0.5, low=0.0, high=10.0) == pytest.approx([9.5, 10.0])
    assert spread([0.1, 0.1, 0.1], gap=0.5, low=0.0, high=10.0) == pytest.approx([0.0, 0.5, 1.0])
    assert spread([], gap=1.0, low=0.0, high=1.0) == []


def test_spread_never_leaves_two_labels_closer_than_the_gap() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        wanted = list(rng.uniform(0, 10, size=int(rng.integers(1, 8))))
        placed = sorted(spread(wanted, 1.2, 0.0, 10.0))
        assert all(b - a >= 1.2 - 1e-9 for a, b in itertools.pairwise(placed))
        assert placed[0] >= -1e-9
        assert placed[-1] <= 10.0 + 1e-9


def _close_tiers_chart(qtbot: QtBot) -> TrendsChart:
    data = tables()
    # Tier 1 = 100, Tier 2 = 1, all tiers = 101: "Tier 1" and "All" end a pixel apart.
    data["src"]["revenue"] = [100.0, 1.0]
    result = score(design(), data)
    chart = TrendsChart()
    qtbot.addWidget(chart)
    chart.resize(520, 320)
    chart.show_input(
        ChartInput(result, 0, None, "revenue", result_marginals(result).headline[:, 0])
    )
    chart.grab()  # lays the chart out at its size, as a paint would
    return chart


def _label_rects(chart: TrendsChart) -> list[object]:
    return [
        label.sceneBoundingRect()
        for label, anchor in zip(chart.labels, chart.label_anchors, strict=True)
        if anchor is not None and label.isVisible()
    ]


def test_labels_of_close_tiers_do_not_overlap(qtbot: QtBot) -> None:
    chart = _close_tiers_chart(qtbot)
    assert chart.data is not None
    np.testing.assert_array_equal(chart.data.actual[:, 0], [100.0, 1.0, 101.0])
    rects = _label_rects(chart)
    assert len(rects) == 3
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b), (a, b)  # type: ignore[attr-defined]
    # The two crowded names got leaders to their lines; the lone one did not move.
    drawn = [
        len(leader.getData()[0] if leader.getData()[0] is not None else [])
        for leader in chart.leaders[:3]
    ]
    assert drawn == [2, 0, 2]
    # Still apart in a much shorter chart, where a pixel is many more units.
    chart.resize(520, 160)
    chart.grab()
    for a, b in itertools.combinations(_label_rects(chart), 2):
        assert not a.intersects(b), (a, b)  # type: ignore[attr-defined]


def test_tier_names_fit_inside_the_plot_however_many_periods(qtbot: QtBot) -> None:
    # Nine years of quarters in a narrow chart: a fixed margin in periods would cut the
    # names ("All c…"); the range widens until each ends inside the plot's view.
    import pandas as pd

    months = pd.date_range("2018-01-01", periods=36, freq="QS").strftime("%Y-%m-%d")
    rows = pd.DataFrame(
        {
            "key": [f"k{i}" for i in range(72)],
            "date": list(months) * 2,
            "tier": ["Tier 1"] * 36 + ["Tier 2"] * 36,
            "revenue": [100.0] * 36 + [1.0] * 36,
            "margin": 50.0,
            "dso": 30.0,
            "nps": 10.0,
            "logins": 5.0,
        }
    )
    result = score(design(), {"src": rows})
    chart = TrendsChart()
    qtbot.addWidget(chart)
    chart.show_input(
        ChartInput(result, 35, None, "revenue", result_marginals(result).headline[:, 35])
    )
    for width in (520, 300, 900):
        chart.resize(width, 320)
        chart.grab()
        vb = chart.getPlotItem().vb
        view = vb.mapViewToScene(vb.viewRect()).boundingRect()
        for rect in _label_rects(chart):
            assert rect.right() <= view.right() + 0.5, (width, rect, view)  # type: ignore[attr-defined]
