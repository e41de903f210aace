"""The QBR report of a stored version names owners, commentary and actions (figures from
``governance_fixtures``: revenue is the one red KPI in 2026-Q3)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from governance_fixtures import governed_card, sales_table

from scorecard_studio.cli.main import run_cli
from scorecard_studio.engines.store import Store


def _cells(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _red_row(book: openpyxl.Workbook) -> list[object]:
    rows = _cells(book["Summary"])
    header = next(i for i, r in enumerate(rows) if r[:2] == ["KPI", "Owner"] and "Red in" in r)
    return rows[header + 1]


def test_red_kpi_rows_show_accountable_commentary_and_action(
    store: Store, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store.save(governed_card(), {"sales": sales_table()}, "v1")
    store.comment("Governed", 1, "revenue", "2026-Q3", "Lost a renewal", "Call the CFO", "ana")
    store.add_action(
        "Governed", 1, "Win back renewals", owner="Ana", due="2026-09-30", kpis=("revenue",)
    )
    store.add_action("Governed", 1, "Price review", owner="Ben")
    store.update_action("Governed", 1, "A2", status="done")
    out = tmp_path / "qbr.xlsx"
    code = run_cli(
        ["export", "--store", "Governed", "--store-path", str(store_path), "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    row = _red_row(book)
    # The RACI's accountable person (Ana), not the KPI's owner field (Olga).
    assert row[:2] == ["Revenue", "Ana"]
    assert row[5] == "Lost a renewal Recommendation: Call the CFO (ana)"
    assert row[6] == "A1 Win back renewals (Ana, due 2026-09-30)"
    actions = _cells(book["Actions"])
    raci = {r[0]: (r[2], r[4], r[7]) for r in actions if r[0] in ("Revenue", "Orders")}
    # Orders has no RACI: its owner is the accountable person.
    assert raci == {"Revenue": ("Ana", "Sales ops", "Board"), "Orders": ("Ben", None, None)}
    listed = [(r[0], r[1], r[3]) for r in actions if r[1] in ("A1", "A2")]
    assert listed == [("Ana", "A1", "open"), ("Ben", "A2", "done")]
    by_status = {r[0]: r[1] for r in actions if r[0] in ("open", "done", "dropped")}
    assert by_status == {"open": 1, "done": 1, "dropped": 0}
    detail = _cells(book["KPI detail"])
    owners = {r[0]: r[9] for r in detail if r[0] in ("Revenue", "Orders")}
    assert owners == {"Revenue": "Ana", "Orders": "Ben"}


def test_without_governance_the_cells_say_none_recorded(
    store: Store, store_path: Path, tmp_path: Path
) -> None:
    store.save(governed_card(), {"sales": sales_table()}, "v1")
    store.mark_exception("Governed", 1, "2026-Q3", "market disruption", kpi="revenue")
    out = tmp_path / "qbr.xlsx"
    assert (
        run_cli(
            ["export", "--store", "Governed", "--store-path", str(store_path), "--out", str(out)]
        )
        == 0
    )
    row = _red_row(openpyxl.load_workbook(out))
    assert row[5] == "Exceptional: market disruption"
    assert row[6] == "— (none recorded)"
