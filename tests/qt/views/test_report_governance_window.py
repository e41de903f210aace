"""The window's report of a stored version states its governance, as ``export --store`` does.

Figures from the hand-worked table in ``tests/engines/store/governance_fixtures.py``: in
2026-Q3 (the latest quarter, the report's default) revenue is the one red KPI (100 against a
target of 200, score 0.5); orders is amber. Revenue's accountable person is Ana (its RACI),
not Olga (its owner field).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "engines" / "store"))

from governance_fixtures import governed_card, sales_table

from scorecard_studio.engines.store import open_store
from scorecard_studio.qt.main_window import MainWindow

COMMENT = "Lost a renewal (ana)"
ACTION = "A1 Call CFO (Ana)"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        store.save(governed_card(), {"sales": sales_table()}, "v1", author="ana")
        store.comment("Governed", 1, "revenue", "2026-Q3", "Lost a renewal", author="ana")
        store.add_action("Governed", 1, "Call CFO", owner="Ana", kpis=("revenue",))
        store.add_action("Governed", 1, "Price review", owner="Ben")
        store.update_action("Governed", 1, "A2", status="done")
    w = MainWindow(store_path=str(path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.workspace.open_from_store("Governed", 1)
    qtbot.waitUntil(lambda: w.document.result is not None)
    return w


def _export(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, out: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    action = window.export_pdf_action if out.suffix == ".pdf" else window.export_action
    action.trigger()
    qtbot.waitUntil(lambda: out.exists() and not window.workspace._tasks, timeout=15000)


def _cells(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_workbook_has_the_commentary_and_actions(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "qbr.xlsx"
    _export(window, qtbot, monkeypatch, out)
    book = openpyxl.load_workbook(out)
    rows = _cells(book["Summary"])
    header = next(i for i, r in enumerate(rows) if r[:2] == ["KPI", "Owner"] and "Red in" in r)
    red = rows[header + 1]
    assert red[:2] == ["Revenue", "Ana"]
    assert red[5] == COMMENT
    assert red[6] == ACTION
    actions = _cells(book["Actions"])
    listed = [(r[0], r[1], r[3]) for r in actions if r[1] in ("A1", "A2")]
    assert listed == [("Ana", "A1", "open"), ("Ben", "A2", "done")]
    by_status = {r[0]: r[1] for r in actions if r[0] in ("open", "done", "dropped")}
    assert by_status == {"open": 1, "done": 1, "dropped": 0}


def test_a_later_comment_is_in_the_next_export(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Read from the store at export time, not when the version was opened.
    with open_store(window.workspace.store().path) as store:
        comment = store.governance("Governed", 1).comments_for("revenue", "2026-Q3")[0]
        store.comment(
            "Governed", 1, "revenue", "2026-Q3", "Two renewals", author="ben", replaces=comment.id
        )
    out = tmp_path / "again.xlsx"
    _export(window, qtbot, monkeypatch, out)
    rows = _cells(openpyxl.load_workbook(out)["Summary"])
    assert any("Two renewals (ben)" in r for r in rows)
    assert not any(COMMENT in r for r in rows)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")
def test_the_pdf_briefing_has_them_beside_the_red_kpi(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "qbr.pdf"
    _export(window, qtbot, monkeypatch, out)
    command = ["pdftotext", "-layout", str(out), "-"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    summary = done.stdout.split("\f")[0]
    row = next(line for line in summary.splitlines() if line.lstrip().startswith("Revenue"))
    assert row.split()[:2] == ["Revenue", "Ana"]
    assert COMMENT in row
    assert ACTION in row


def test_the_preview_draws_the_stored_governance(window: MainWindow, qtbot: QtBot) -> None:
    window.show_workspace("report")
    report = window.report

    def drawn_with_governance() -> bool:
        return report.context is not None and report.context.governance is not None

    qtbot.waitUntil(drawn_with_governance, timeout=5000)
    view = report.context.governance
    assert [c.analysis for c in view.comments_for("revenue", "2026-Q3")] == ["Lost a renewal"]
    assert [a.id for a in view.actions_for("revenue", open_only=True)] == ["A1"]
    # An unsaved design has none: what the preview shows is the open version's.
    window.workspace.open_card(governed_card(), {"sales": sales_table()})
    qtbot.waitUntil(lambda: report.context is not None and report.context.governance is None)
