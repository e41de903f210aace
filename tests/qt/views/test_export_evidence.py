"""The window's Excel export carries the Evidence sheet, computed off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from test_strategy_map import CARD, _tables

from scorecard_studio.qt import evidence_source, exports
from scorecard_studio.qt.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    target = tmp_path / "qbr.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    return w


def _export(w: MainWindow, qtbot: QtBot) -> dict[str, list[tuple[object, ...]]]:
    messages: list[str] = []
    w.statusBar().messageChanged.connect(messages.append)
    w.workspace.exports.export_report()
    qtbot.waitUntil(lambda: any(m.startswith("Report written") for m in messages), timeout=60_000)
    path = Path(QFileDialog.getSaveFileName()[0])
    book = load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def _links_rows(sheet: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [r for r in sheet if isinstance(r[0], str) and "→" in r[0]]


def test_an_export_before_the_evidence_is_ready_computes_it_in_the_background(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    compute = evidence_source.compute_evidence

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return compute(*args, **kwargs)

    monkeypatch.setattr(exports, "compute_evidence", spy)
    window.workspace.open_card(CARD, _tables())
    assert window.workspace.evidence.current() is None  # not computed yet
    sheets = _export(window, qtbot)
    assert threads
    assert threads[0] is not threading.main_thread()
    assert "Evidence" in sheets
    (link,) = _links_rows(sheets["Evidence"])
    assert "Usage → Loyalty" in str(link[0])  # by name
    assert "Supported" in [str(c) for c in link]


def test_an_export_after_the_map_is_coloured_reuses_its_evidence(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = window.workspace.evidence
    with qtbot.waitSignal(source.evidenceReady, timeout=30_000):
        window.workspace.open_card(CARD, _tables())
    ready = source.current()
    assert ready is not None
    called: list[object] = []
    monkeypatch.setattr(exports, "compute_evidence", lambda *a: called.append(a))
    sheets = _export(window, qtbot)
    assert called == []  # the window's evidence was current: not computed again
    assert "Evidence" in sheets
    accounts = next(r for r in sheets["Evidence"] if r[0] == "All customers")
    assert accounts[1] == ready.health_by_tier(ready.period_index(None))[-1].accounts == 12


def test_a_design_without_evidence_settings_gets_no_evidence_sheet(
    window: MainWindow, qtbot: QtBot
) -> None:
    from dataclasses import replace

    from scorecard_studio.domain.analytics import Analytics

    window.workspace.open_card(replace(CARD, analytics=Analytics()), _tables())
    assert "Evidence" not in _export(window, qtbot)


def test_the_windows_pdf_briefing_ends_with_the_evidence_it_already_has(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from scorecard_studio.qt import report_pdf

    source = window.workspace.evidence
    with qtbot.waitSignal(source.evidenceReady, timeout=30_000):
        window.workspace.open_card(CARD, _tables())
    ready = source.current()
    assert ready is not None
    called: list[object] = []
    monkeypatch.setattr(exports, "compute_evidence", lambda *a: called.append(a))
    given: list[object] = []
    write = report_pdf.write_briefing_pdf

    def spy(ctx, path):  # type: ignore[no-untyped-def]
        given.append(ctx.evidence)
        return write(ctx, path)

    monkeypatch.setattr(report_pdf, "write_briefing_pdf", spy)
    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    window.workspace.exports.export_briefing_pdf()
    qtbot.waitUntil(lambda: any(m.startswith("Briefing written") for m in messages), timeout=60_000)
    assert called == []  # current: not computed again
    assert given == [ready]
    assert target.stat().st_size > 0
