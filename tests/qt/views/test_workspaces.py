"""Workspaces: switching by shortcut, the selection and undo following, layouts remembered,
the window at 1024 × 700 with nothing squeezed below its minimum, clamped to its screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QHeaderView, QLabel, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.qt.main_window import MainWindow

KEYS = ["design", "data", "targets", "dashboard", "history", "governance", "report"]


def make_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.workspace.open_card(design(), tables())
    return w


def test_ctrl_digits_switch_workspaces_and_leave_the_start_page(
    qtbot: QtBot, tmp_path: Path
) -> None:
    w = make_window(qtbot, tmp_path)
    assert w.central.currentWidget() is w.start_page
    shortcuts = [e.action.shortcut().toString() for e in w.rooms.entries.values()]
    assert shortcuts == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "Ctrl+6", "Ctrl+7"]
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    for n, key in reversed(list(enumerate(KEYS, start=1))):
        target = QApplication.focusWidget() or w
        qtbot.keyClick(target, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.ControlModifier)
        assert w.rooms.current_key == key
        assert w.central.currentWidget() is w.rooms
        checked = [e.key for e in w.rooms.entries.values() if e.action.isChecked()]
        assert checked == [key]


def test_register_workspace_is_one_call(window: MainWindow) -> None:
    page = QLabel("Meeting notes")
    action = window.register_workspace("Notes", page, "Ctrl+8")
    assert action.shortcut() == QKeySequence("Ctrl+8")
    assert window.rooms.entries["notes"].widget is page
    assert action in window.rooms.bar.actions()
    assert action in window.workspace_menu.actions()
    action.trigger()
    assert window.rooms.currentWidget() is page


def test_selection_and_undo_follow_across_workspaces(window: MainWindow) -> None:
    editor = window.editor
    editor.select_item("margin")
    window.show_workspace("data")
    # One tree: the same widget, with the same selection, now in the Data workspace.
    assert editor.parent() is window.data_tree_slot
    assert editor.selected == ("kpi", "margin")
    assert window.bindings.selected_kpi() == "margin"
    # Choosing another KPI in the bindings list selects it in the tree and Properties.
    window.bindings.select_kpi("nps")
    row = next(
        i
        for i in range(window.bindings.tree.topLevelItemCount())
        if window.bindings.tree.topLevelItem(i).text(0) == "Nps"
    )
    window.bindings.tree.setCurrentItem(None)
    window.bindings.tree.setCurrentItem(window.bindings.tree.topLevelItem(row))
    assert editor.selected == ("kpi", "nps")
    assert (window.properties.kind, window.properties.item_id) == ("kpi", "nps")

    window.document.edit("weight", edits.set_weight, "nps", 4.0)
    window.show_workspace("targets")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert window.document.card.kpi("nps").weight == 1.0
    window.show_workspace("design")
    assert editor.parent() is window.design_tree_slot
    assert editor.selected == ("kpi", "nps")
    window.redo_action.trigger()
    assert window.document.card.kpi("nps").weight == 4.0


def test_each_workspace_layout_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    first = make_window(qtbot, tmp_path)
    first.resize(1400, 900)
    first.show_workspace("targets")
    split = first.findChild(QSplitter, "targets")
    assert split is not None
    split.setSizes([300, 500])
    saved = split.sizes()
    assert saved[0] < saved[1]  # not the default: the targets get the larger share
    first.save_layout()
    first.close()

    second = make_window(qtbot, tmp_path)
    again = second.findChild(QSplitter, "targets")
    assert again is not None
    # The same shares, in a window that may have another size on this screen.
    share = again.sizes()[0] / sum(again.sizes())
    assert share == pytest.approx(saved[0] / sum(saved), abs=0.02)
    assert second.rooms.current_key == "targets"


def _too_narrow(root: QWidget) -> list[str]:
    """Visible widgets narrower than their own minimum size hint (so something is cut).

    Qt's own parts (named ``qt_…``) and header views, whose hint is a fixed 68 × 68
    whatever they hold, are left out.
    """
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible() or w.objectName().startswith("qt_") or isinstance(w, QHeaderView):
            continue
        hint = w.minimumSizeHint()
        if hint.isValid() and w.width() < hint.width():
            out.append(f"{type(w).__name__} {w.objectName()} {w.size()} < {hint}")
    return out


@pytest.mark.parametrize("key", KEYS)
def test_at_1024_by_700_no_widget_is_below_its_minimum(
    window: MainWindow, qtbot: QtBot, key: str
) -> None:
    window.resize(1024, 700)
    window.show_workspace(key)
    qtbot.wait(50)
    # The report's pages are drawn in the background and its counter's text changes while
    # they are; the layout is judged once the drawing (if any) is over.
    qtbot.waitUntil(lambda: window.report.task is None, timeout=30000)
    qtbot.wait(20)
    assert (window.width(), window.height()) == (1024, 700)
    assert _too_narrow(window.rooms.currentWidget()) == []
    if key in ("design", "data"):
        header = window.editor.view.header()
        metrics = window.editor.view.fontMetrics()
        wanted = metrics.horizontalAdvance("Name") + 4 * metrics.averageCharWidth()
        assert header.sectionSize(0) >= wanted


def test_window_is_clamped_to_the_screen(qtbot: QtBot, tmp_path: Path) -> None:
    w = make_window(qtbot, tmp_path)
    free = w.screen().availableGeometry()
    w.resize(free.width() + 600, free.height() + 400)
    w.move(free.left() + 200, free.top() + 100)
    w.clamp_to_screen()
    assert w.frameGeometry().width() <= free.width()
    assert w.frameGeometry().height() <= free.height()
    assert free.contains(w.frameGeometry().topLeft())
    assert QApplication.primaryScreen() is not None
