"""Retiring a KPI through the store and the CLI (figures from ``governance_fixtures``).

Retiring orders leaves revenue alone in the design: the 2026-Q3 headline is revenue's
0.5 (red) where it was (0.5 + 0.8) / 2 = 0.65 with orders. Shown for trends, orders keeps
its own Q3 score of 8 / 10 = 0.8 (amber) and, weighing 0, leaves the headline at 0.5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from governance_fixtures import governed_card, sales_table

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.retirement import with_retired_shown
from scorecard_studio.engines.scoring import score
from scorecard_studio.engines.store import Store

NAME = "Governed"


def test_retire_saves_a_version_and_history_keeps_the_kpi(store: Store) -> None:
    store.save(governed_card(), {"sales": sales_table()}, "first")
    author = None if store.team else "ana"  # a team store's author is the database login
    info = store.retire_kpi(NAME, "orders", "replaced by NRR", on="2026-10-01", author=author)
    assert (info.number, info.parent, info.message) == (2, 1, "Retire Orders: replaced by NRR")
    assert info.snapshot_hashes == store.version_info(NAME, 1).snapshot_hashes
    v2 = store.checkout(NAME, 2)
    assert [k.id for k in v2.design.all_kpis()] == ["revenue"]
    assert [(r.kpi.id, r.reason) for r in v2.design.retired] == [("orders", "replaced by NRR")]
    assert [k.id for k in store.checkout(NAME, 1).design.all_kpis()] == ["revenue", "orders"]
    assert store.diff(NAME, 1, 2).to_text().splitlines()[1] == (
        "  x KPI orders “Orders” retired from Customer: “replaced by NRR”"
    )
    tables = v2.load_snapshots()
    assert score(v2.design, tables).to_json_dict("2026-Q3")["headline"]["score"] == 0.5
    shown = score(with_retired_shown(v2.design), tables).to_json_dict("2026-Q3")
    assert shown["headline"]["score"] == 0.5
    orders = next(k for k in shown["kpis"] if k["id"] == "orders")
    assert orders["name"] == "Orders (retired)"
    assert (orders["by_tier"]["tier_1"]["score"], orders["by_tier"]["tier_1"]["status"]) == (
        0.8,
        "amber",
    )
    with pytest.raises(DesignError, match="no KPI 'orders' in the design to retire"):
        store.retire_kpi(NAME, "orders", "again")
    assert store.verify() == []


def test_cli_retire_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scorecard_studio.engines.design_file import save_design

    save_design(governed_card(), tmp_path / "g.json")
    table = sales_table()
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    table.to_csv(tmp_path / "sales.csv", index=False)
    sp = ["--store-path", str(tmp_path / "store.sqlite3")]
    assert run_cli(["store", "save", str(tmp_path / "g.json"), "--data",
                    str(tmp_path / "sales.csv"), "-m", "v1", *sp]) == 0  # fmt: skip
    capsys.readouterr()
    code = run_cli(["store", "retire", NAME, "orders", "--reason", "replaced by NRR",
                    "--on", "2026-10-01", "--json", *sp])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (out["retired"], out["reason"], out["number"]) == ("orders", "replaced by NRR", 2)
    assert run_cli(["store", "diff", NAME, "1", "2", "--json", *sp]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert [(c["kind"], c["id"], c["new"]) for c in diff["changes"]] == [
        ("retired", "orders", "replaced by NRR")
    ]
    assert diff["counts"]["retired"] == 1
    try:
        code = run_cli(["store", "retire", NAME, "revenue", "--reason", " ", *sp])
    except SystemExit as stop:
        code = int(stop.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert "needs a reason" in err
    assert err.count("\n") == 1
