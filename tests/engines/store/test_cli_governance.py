"""The governance sub-commands of ``store``, as a user runs them (figures from
``governance_fixtures``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from governance_fixtures import governed_card, sales_table

from scorecard_studio.cli.main import run_cli
from scorecard_studio.engines.design_file import save_design


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = run_cli(list(args))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A store holding the governed card as v1 (commentary and approval required)."""
    save_design(governed_card(require_commentary=True, require_approval=True), tmp_path / "g.json")
    table = sales_table()
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    table.to_csv(tmp_path / "sales.csv", index=False)
    sp = str(tmp_path / "store.sqlite3")
    code, _, err = run(
        capsys, "store", "save", str(tmp_path / "g.json"), "--data", str(tmp_path / "sales.csv"),
        "-m", "v1", "--store-path", sp,
    )  # fmt: skip
    assert code == 0, err
    save_design(
        governed_card(revenue_target=125.0, require_commentary=True, require_approval=True),
        tmp_path / "g2.json",
    )
    return sp


def test_freeze_refused_until_commentary_and_approval(
    saved: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sp = ["--store-path", saved]
    code, _, err = run(capsys, "store", "freeze", "Governed", "1", "--label", "FY26 Q3 QBR", *sp)
    assert code == 2
    assert "requires approval and v1 is draft" in err
    assert "have none: Revenue" in err
    assert err.count("\n") == 1  # one line, no traceback
    code, out, err = run(
        capsys, "store", "comment", "Governed", "revenue", "2026-Q3",
        "--analysis", "Lost a renewal", "--recommendation", "Call the CFO", "--json", *sp,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["subject"] == "revenue@2026-Q3"
    assert run(capsys, "store", "propose", "Governed", "1", *sp)[0] == 0
    code, _, err = run(capsys, "store", "approve", "Governed", "1", "-c", "ok", *sp)
    assert code == 0, err
    code, out, err = run(capsys, "store", "freeze", "Governed", "1", "--label", "FY26 Q3 QBR", *sp)
    assert code == 0, err


def test_actions_governance_and_impact(
    saved: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sp = ["--store-path", saved]
    code, out, err = run(
        capsys, "store", "action", "Governed", "--title", "Win back renewals", "--owner", "Ana",
        "--due", "2026-09-30", "--kpi", "revenue", "--json", *sp,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["id"] == "A1"
    code, out, _ = run(
        capsys, "store", "governance", "Governed", "--today", "2026-10-01", "--json", *sp
    )
    doc = json.loads(out)
    assert doc["accountable"] == {"revenue": "Ana", "orders": "Ben"}
    assert [f["code"] for f in doc["escalations"]] == ["escalation_overdue_action"]
    code, _, err = run(capsys, "store", "action", "Governed", "--id", "A1", "--status", "done", *sp)
    assert code == 0, err
    code, out, _ = run(
        capsys, "store", "governance", "Governed", "--today", "2026-10-01", "--json", *sp
    )
    assert [f["code"] for f in json.loads(out)["escalations"]] == ["escalation_red_no_action"]
    code, _, err = run(capsys, "store", "save", str(tmp_path / "g2.json"), "-m", "target", *sp)
    assert code == 0, err
    code, out, err = run(capsys, "store", "impact", "Governed", "2", "--json", *sp)
    assert code == 0, err
    (only,) = json.loads(out)["runs"]
    head = [c for c in only["changes"] if c["level"] == "headline" and c["period"] == "2026-Q3"]
    assert [(round(c["old_score"], 2), round(c["new_score"], 2)) for c in head] == [(0.65, 0.8)]
    code, out, _ = run(capsys, "store", "propose", "Governed", "2", "--impact", *sp)
    assert "2026-Q3 headline: 0.65 → 0.80, Red → Amber" in out
    code, out, _ = run(capsys, "store", "diff", "Governed", "1", "2", "--json", *sp)
    assert json.loads(out)["governance"]["review"] == {"1": "draft", "2": "proposed"}


def test_bad_input_is_one_line(saved: str, capsys: pytest.CaptureFixture[str]) -> None:
    sp = ["--store-path", saved]
    for args in (
        ("comment", "Governed", "churn", "2026-Q3", "--analysis", "x"),
        ("exception", "Governed", "2026-Q1"),
        ("action", "Governed", "--title", "x", "--due", "soon"),
        ("approve", "Governed", "1"),
    ):
        code, _out, err = run(capsys, "store", *args, *sp)
        assert code == 2, args
        assert err.startswith("scorecard-studio: "), err
        assert err.count("\n") == 1, err
