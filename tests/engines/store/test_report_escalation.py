"""Escalations in the report's Findings sheet, and a frozen version's report showing only
the governance written up to its freeze (figures from ``governance_fixtures``: revenue is
red in 2026-Q2 and 2026-Q3, orders amber in 2026-Q3)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from governance_fixtures import governed_card, sales_table

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.governance import Action, ActionStatus, GovernanceView
from scorecard_studio.engines.export.escalation_findings import report_escalations
from scorecard_studio.engines.scoring import score
from scorecard_studio.engines.store import Store

NAME = "Governed"


def _export(store_path: Path, out: Path, version: int) -> openpyxl.Workbook:
    ref = f"{NAME}@{version}"
    code = run_cli(["export", "--store", ref, "--store-path", str(store_path), "--out", str(out)])
    assert code == 0
    return openpyxl.load_workbook(out)


def _findings(book: openpyxl.Workbook) -> list[tuple[object, object, object]]:
    rows = book["Findings"].iter_rows(min_row=4, values_only=True)
    return [(r[1], r[2], r[3]) for r in rows if str(r[1]).startswith("escalation")]


def _red_row(book: openpyxl.Workbook) -> list[object]:
    rows = [list(r) for r in book["Summary"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[:2] == ["KPI", "Owner"] and "Red in" in r)
    return rows[header + 1]


def test_findings_sheet_lists_escalations_by_kpi_name(
    store: Store, store_path: Path, tmp_path: Path
) -> None:
    store.save(governed_card(), {"sales": sales_table()}, "v1")
    store.add_action(NAME, 1, "Price review", owner="Ben", due="2026-01-15", kpis=("orders",))
    book = _export(store_path, tmp_path / "qbr.xlsx", 1)
    assert _findings(book) == [
        (
            "escalation_red_no_action",
            "Revenue",
            "Revenue has been red for 2 consecutive periods (2026-Q2 to 2026-Q3) with no "
            "open action",
        ),
        (
            "escalation_overdue_action",
            "A1",
            "action A1 'Price review' (Ben) on Orders was due 2026-01-15 and is still open",
        ),
    ]
    # An open action on revenue answers its red streak; a done one on orders is not overdue.
    store.add_action(NAME, 1, "Win back renewals", owner="Ana", kpis=("revenue",))
    store.update_action(NAME, 1, "A1", status="done")
    assert _findings(_export(store_path, tmp_path / "again.xlsx", 1)) == []


def test_a_frozen_version_reports_only_what_was_said_before_its_freeze(
    store: Store, store_path: Path, tmp_path: Path
) -> None:
    store.save(governed_card(), {"sales": sales_table()}, "v1")
    store.comment(NAME, 1, "revenue", "2026-Q3", "Lost a renewal", author="ana")
    store.freeze(NAME, 1, "FY26 Q3 QBR")
    store.comment(NAME, 1, "revenue", "2026-Q3", "Update: one renewal won back", author="ana")
    store.add_action(NAME, 1, "Win back renewals", owner="Ana", kpis=("revenue",))
    frozen = _export(store_path, tmp_path / "frozen.xlsx", 1)
    assert _red_row(frozen)[5] == "Lost a renewal (ana)"
    assert _red_row(frozen)[6] == "— (none recorded)"
    assert [code for code, _item, _text in _findings(frozen)] == ["escalation_red_no_action"]
    # The store still holds both comments on v1; a later version's report shows them.
    assert len(store.governance(NAME, 1).comments_for("revenue", "2026-Q3")) == 2
    store.save(governed_card(), None, "v2")
    later = _export(store_path, tmp_path / "later.xlsx", 2)
    assert _red_row(later)[5] == "Update: one renewal won back (ana)"
    assert _red_row(later)[6].startswith("A1 Win back renewals")  # type: ignore[union-attr]
    assert _findings(later) == []


def test_overdue_is_judged_on_the_day_the_governance_was_read_as_of() -> None:
    result = score(governed_card(), {"sales": sales_table()})
    action = Action(
        "A1", "Price review", "Ben", "2026-01-15", ActionStatus.OPEN, ("orders",), (), "", "x", "t"
    )
    now = datetime(2026, 3, 1, tzinfo=UTC)
    at_freeze = GovernanceView(version=1, actions=(action,), as_of="2026-01-10T09:00:00.000000Z")
    live = GovernanceView(version=1, actions=(action,))
    codes = [f.code for f in report_escalations(result, 2, at_freeze, now)]
    assert codes == ["escalation_red_no_action"]  # due on the 15th: not late on the 10th
    codes = [f.code for f in report_escalations(result, 2, live, now)]
    assert codes == ["escalation_red_no_action", "escalation_overdue_action"]
    assert report_escalations(result, 2, None, now) == []
    # At Q2 revenue has been red one period only: no streak of 2 yet.
    assert [f.code for f in report_escalations(result, 1, live, now)] == [
        "escalation_overdue_action"
    ]


@pytest.mark.parametrize("period", [0])
def test_no_escalation_when_nothing_is_red(period: int) -> None:
    result = score(governed_card(), {"sales": sales_table()})
    assert report_escalations(result, period, GovernanceView(version=1), datetime.now(UTC)) == []
