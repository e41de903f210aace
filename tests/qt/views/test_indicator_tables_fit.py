"""The Dashboard's leading and lagging tables never wrap a cell: each shows the longest of
its texts that fits its column (full values in the tooltip), at 1024 × 700 and 1600 × 1000."""

from __future__ import annotations

from dataclasses import replace

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import IndicatorType
from scorecard_studio.domain.units import Unit, UnitKind
from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.models.cell_texts import FIT_TEXTS, pair_texts, short_value
from scorecard_studio.qt.widgets.fitting_cells import FittingDelegate
from scorecard_studio.qt.widgets.results_view import ResultsView


def test_short_values_keep_the_unit_and_three_digits() -> None:
    dollars, days = Unit(UnitKind.CURRENCY, "$"), Unit(UnitKind.NUMBER, "days")
    assert short_value(28_656_156, dollars) == "$28.7M"
    assert short_value(954_967, dollars) == "$955K"
    assert short_value(-18_669, dollars) == "−$18.7K"
    assert short_value(0.542, Unit(UnitKind.PERCENT)) == "54.2%"
    assert short_value(0.542, Unit(UnitKind.PERCENT), significant=2) == "54%"
    assert short_value(98, days) == "98 days"
    assert pair_texts("▲", 98, 70, days, " *") == [
        "▲ 98 days / 70 days *",
        "▲ 98 / 70 days *",
        "▲ 98 days *",
        "▲ 98 *",
        "▲98 *",
    ]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: object) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path) + "/store.sqlite3")  # type: ignore[operator]
    qtbot.addWidget(w)
    w.show()
    card = design()
    for kid, kind in (("revenue", "lagging"), ("margin", "lagging"), ("nps", "leading")):
        kpi = card.kpi(kid)
        card = edits.replace_kpi(
            card, replace(kpi, indicator=IndicatorType(kind), unit="$" if kid != "nps" else "")
        )
    data = tables()
    data["src"]["revenue"] = [28_656_156.0, 25_353_282.0]
    data["src"]["margin"] = [954_967.0, 280_199.0]
    w.workspace.open_card(card, data)
    w.show_workspace("dashboard")
    return w


def _shown_texts(view: ResultsView) -> list[tuple[str, int, int, str]]:
    """(text drawn, its width, the room it had, the full text) of every cell."""
    table, model = view.table, view.model
    delegate = table.itemDelegate()
    assert isinstance(delegate, FittingDelegate)
    out = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            option.initFrom(table.viewport())
            option.rect = table.visualRect(index)
            option.widget = table
            delegate.initStyleOption(option, index)
            width = QFontMetrics(option.font).horizontalAdvance(option.text)
            out.append((option.text, width, delegate.text_room(option), index.data()))
    return out


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_every_cell_fits_its_column(
    window: MainWindow, qtbot: QtBot, size: tuple[int, int]
) -> None:
    window.resize(*size)
    qtbot.wait(50)
    for view in (window.leading, window.lagging):
        assert not view.table.wordWrap()
        cells = _shown_texts(view)
        assert cells, "the table shows no cells"
        for text, width, room, full in cells:
            assert width <= room, (text, width, room)
            assert "…" not in text, (text, full)  # a shorter form fitted; nothing elided
            assert text[0] == full[0]  # the status mark is always drawn
    lagging = window.lagging.model
    names = [lagging.headerData(r, Qt.Orientation.Vertical) for r in range(lagging.rowCount())]
    row = names.index("Revenue")
    full = lagging.index(row, 0).data()
    assert full == "● $28,656,156 / $100"  # Tier 1's revenue, far over its target
    tip = lagging.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("actual $28,656,156; target $100; status: green")
    assert lagging.index(row, 0).data(FIT_TEXTS)[0] == full
    shown = _shown_texts(window.lagging)[row * lagging.columnCount()][0]
    # The wide window has room for the exact pair; the narrow one shortens it.
    assert shown == (full if size == (1600, 1000) else "● $28.7M / $100")
