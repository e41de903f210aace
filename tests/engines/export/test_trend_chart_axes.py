"""The report's trend charts put their period names below the plot, never across it at
zero where a KPI goes negative (an NPS of -11), and scale to negatives as well."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from report_fixtures import build_card, build_data

from scorecard_studio.engines.export import export_report
from scorecard_studio.engines.scoring import score


def test_trend_charts_label_periods_below_the_plot(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    export_report(score(build_card(), {"data": build_data()}), out)
    with zipfile.ZipFile(out) as book:
        charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/")]
    lines = [xml for xml in charts if "<lineChart>" in xml]
    assert lines, "the report has trend charts"
    for xml in lines:
        cat_axis = re.search(r"<catAx>.*?</catAx>", xml, re.S)
        value_axis = re.search(r"<valAx>.*?</valAx>", xml, re.S)
        assert cat_axis is not None
        assert value_axis is not None
        assert '<tickLblPos val="low"/>' in cat_axis.group(0)
        assert "<min " not in value_axis.group(0)  # no floor at 0: negatives are shown
