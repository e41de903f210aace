"""A slow store (a team's PostgreSQL over a network) never freezes the window.

The store is wrapped so every call sleeps 300 ms and records the thread it ran on. While
the Governance workspace and the History read it, a 20 ms timer on the UI thread must keep
ticking, no call may run on the UI thread, "Reading…" shows meanwhile, and the answers
arrive and are shown.
"""

from __future__ import annotations

import sys
import threading
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "engines" / "store"))

from governance_fixtures import governed_card, sales_table

from scorecard_studio.engines.store import open_store
from scorecard_studio.qt.main_window import MainWindow

DELAY_S = 0.3


class SlowStore:
    """The real store, each method call delayed and its thread recorded."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.calls: list[tuple[str, bool]] = []  # (method, on the UI thread?)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value):
            return value

        def slow(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, threading.current_thread() is threading.main_thread()))
            time.sleep(DELAY_S)
            return value(*args, **kwargs)

        return slow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        store.save(governed_card(), {"sales": sales_table()}, "v1", author="ana")
        store.save(governed_card(revenue_target=125.0), None, "target 125", author="ana")
    w = MainWindow(store_path=str(path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.workspace.open_from_store("Governed", 2)
    qtbot.waitUntil(lambda: not w.governance.reading.busy and not w.history.reading.busy)
    return w


def _slow(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> SlowStore:
    slow = SlowStore(window.workspace.store())
    monkeypatch.setattr(window.workspace, "store", lambda: slow)
    return slow


def _ticking() -> tuple[QTimer, list[float]]:
    """A 20 ms timer on the UI thread and the times it ticked at."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    return timer, ticks


def _longest_gap(ticks: list[float]) -> float:
    return max((b - a for a, b in pairwise(ticks)), default=0.0)


def test_governance_and_history_read_a_slow_store_off_the_ui_thread(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = _slow(window, monkeypatch)
    timer, ticks = _ticking()
    window.document.shown_version = 1  # another version: nothing of v2's is kept meanwhile
    started = time.monotonic()
    window.governance.refresh()
    window.history.refresh()
    assert time.monotonic() - started < DELAY_S  # neither waited for the store
    assert window.governance.state_label.text() == "v1: Reading…"
    assert window.governance.actions_tree.topLevelItemCount() == 0
    qtbot.waitUntil(
        lambda: not window.governance.reading.busy and not window.history.reading.busy,
        timeout=5000,
    )
    timer.stop()
    # The UI thread ran its timer all along: 2 reads of 300 ms each, ticks every 20 ms.
    assert len(ticks) >= 10
    # never blocked for a whole store call (a loaded machine may still pause it a little)
    assert _longest_gap(ticks) < DELAY_S * 0.9
    assert {name for name, _ in slow.calls} >= {"governance", "log"}
    assert not [name for name, on_ui in slow.calls if on_ui]
    assert window.governance.state_label.text() == "v1: draft"
    assert [v.number for v in window.history.versions] == [1, 2]
    assert window.history.tree.topLevelItemCount() == 2


def test_only_the_newest_read_is_shown(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow(window, monkeypatch)
    panel = window.governance
    panel.refresh()  # for v2
    window.document.shown_version = 1
    panel.refresh()  # the user opened v1 meanwhile: v2's answer must not be shown
    qtbot.waitUntil(lambda: not panel.reading.busy, timeout=5000)
    qtbot.wait(int(DELAY_S * 1000))  # the first read, finishing late, changes nothing
    assert panel.state_label.text() == "v1: draft"
    assert panel.view is not None
    assert panel.view.version == 1


def test_impact_and_compare_wait_with_their_buttons(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = _slow(window, monkeypatch)
    panel = window.governance
    panel.show_impact()
    assert not panel.impact_button.isEnabled()
    assert panel.impact_text.toPlainText() == "Reading…"
    qtbot.waitUntil(panel.impact_button.isEnabled, timeout=10000)
    assert "against v1 (replaced)" in panel.impact_text.toPlainText()
    assert not [name for name, on_ui in slow.calls if on_ui]


def test_opening_a_version_reads_the_store_off_the_ui_thread(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # History's "Open version" (and Recent, and a later start) read the version and its
    # data in the background; the window is the user's meanwhile.
    slow = _slow(window, monkeypatch)
    timer, ticks = _ticking()
    started = time.monotonic()
    window.workspace.open_version("Governed", 1, quietly=True)
    assert time.monotonic() - started < DELAY_S
    qtbot.waitUntil(lambda: window.document.shown_version == 1, timeout=10000)
    timer.stop()
    # never blocked for a whole store call (a loaded machine may still pause it a little)
    assert _longest_gap(ticks) < DELAY_S * 0.9
    assert {"checkout", "head"} <= {name for name, _ in slow.calls}
    assert not [name for name, on_ui in slow.calls if on_ui]
    assert (window.document.base_version, window.document.store_name) == (2, "Governed")
