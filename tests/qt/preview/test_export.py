"""Chart export to PNG and SVG at a chosen size; the chart on screen is left as it was."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from defusedxml import ElementTree
from preview_helpers import fixture_result, pixels
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.preview.chart_base import ChartInput
from scorecard_studio.qt.preview.export import export_chart, file_stem, render_image
from scorecard_studio.qt.preview.perspective_bars import PerspectiveBarsChart


@pytest.fixture
def chart(qtbot: QtBot) -> PerspectiveBarsChart:
    widget = PerspectiveBarsChart()
    qtbot.addWidget(widget)
    widget.resize(500, 300)
    widget.show_input(ChartInput(fixture_result(), 0, None, None))
    return widget


def test_png_has_the_chosen_size_and_the_chart_keeps_its_own(
    chart: PerspectiveBarsChart, tmp_path: Path
) -> None:
    path = export_chart(chart, tmp_path / "bars.png", 1600, 900)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1600, 900)
    array = pixels(image)
    assert len({tuple(p) for p in array[::7, ::7, :3].reshape(-1, 3)}) > 20  # not blank
    assert (chart.width(), chart.height()) == (500, 300)


def test_the_chart_is_laid_out_again_at_the_export_size(chart: PerspectiveBarsChart) -> None:
    """Text keeps its size on a larger export: the plot grows, the labels do not."""
    large = pixels(render_image(chart, 1400, 600))
    assert large.shape[:2] == (600, 1400)
    # The chart fills the whole image (a 500 px chart merely copied would leave the right
    # part blank), and its title is still one line of about the same height.
    right = large[:, 1100:, :3]
    assert (right < 200).any(axis=2).mean() > 0.005
    ink_rows = np.flatnonzero((large[:28, :, :3] < 100).any(axis=(1, 2)))
    assert 6 <= ink_rows.size <= 20
    assert (chart.width(), chart.height()) == (500, 300)


def test_svg_is_vector_with_text(chart: PerspectiveBarsChart, tmp_path: Path) -> None:
    path = export_chart(chart, tmp_path / "bars.svg", 1200, 700)
    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert root.get("viewBox") == "0 0 1200 700"
    text = path.read_text(encoding="utf-8")
    assert "Financial" in text  # axis labels are text, not pixels
    assert "<path" in text or "<polyline" in text or "<rect" in text


def test_unknown_formats_are_refused(chart: PerspectiveBarsChart, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot export"):
        export_chart(chart, tmp_path / "bars.gif", 100, 100)


def test_file_names_come_from_the_chart_title() -> None:
    assert file_stem("Scores by tier and KPI") == "scores-by-tier-and-kpi"
    assert file_stem("—") == "chart"
