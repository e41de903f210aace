"""``store refresh``: next month's file through the saved mapping, with a change report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.design_codec import dumps_design, loads_design
from scorecard_studio.domain.model import (
    Aggregation,
    ColumnScale,
    ColumnUnit,
    DataSource,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.design_file import save_design
from scorecard_studio.engines.importing import import_table
from scorecard_studio.engines.store import open_store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run_cli(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    """Version 1 of "ARR card", saved with June's accounts.csv."""
    source = DataSource(
        "crm", "CRM", file="accounts.csv", key_column="account", date_column="month",
        tier_column="tier",
    )  # fmt: skip
    arr = Kpi(
        "arr",
        "ARR",
        Measure(Aggregation.SUM, source="crm", column="arr"),
        TargetSet(TargetValues(baseline=0, target=500)),
    )
    card = Scorecard("ARR card", (Perspective("fin", "Financial", kpis=(arr,)),), sources=(source,))
    save_design(card, tmp_path / "card.json")
    june = tmp_path / "june"
    june.mkdir()
    pd.DataFrame(
        {
            "account": ["A1", "A2", "A3"],
            "month": ["2025-06-01"] * 3,
            "tier": ["Tier 1", "Tier 2", "Tier 2"],
            "arr": [100, 200, 50],
        }
    ).to_csv(june / "accounts.csv", index=False)
    sp = str(tmp_path / "store.db")
    code, _out, err = run(
        capsys, "store", "save", str(tmp_path / "card.json"), "--data",
        str(june / "accounts.csv"), "-m", "June", "--store-path", sp,
    )  # fmt: skip
    assert code == 0, err
    return tmp_path, sp


def _month(folder: Path, frame: pd.DataFrame) -> Path:
    folder.mkdir()
    frame.to_csv(folder / "accounts.csv", index=False)
    return folder


def test_same_columns_refresh_in_one_step(
    saved: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    tmp, sp = saved
    july = _month(
        tmp / "july",
        pd.DataFrame(
            {
                "account": ["A1", "A2", "A3", "A4"],
                "month": ["2025-07-01"] * 4,
                "tier": ["Tier 1", "Tier 2", "Tier 2", "Tier 1"],
                "arr": [110, 210, 50, 40],
            }
        ),
    )
    code, out, err = run(capsys, "store", "refresh", "ARR card", "--data", str(july),
                         "--store-path", sp, "--json")  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    (crm,) = report["sources"]
    assert (crm["rows_before"], crm["rows_after"]) == (3, 4)
    assert crm["dates_before"] == ["2025-06-01", "2025-06-01"]
    assert crm["dates_after"] == ["2025-07-01", "2025-07-01"]
    assert crm["needs_review"] is False
    assert report["saved"]["number"] == 2
    with open_store(sp) as store:
        tables = store.checkout("ARR card").load_snapshots()
    assert tables["crm"]["arr"].tolist() == [110.0, 210.0, 50.0, 40.0]


def test_changed_columns_are_reported_and_saved_only_when_accepted(
    saved: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    tmp, sp = saved
    august = _month(
        tmp / "august",
        pd.DataFrame(
            {
                "Account": ["A1", "A2"],  # renamed by case only: matched
                "month": ["2025-08-01", "2025-08-02"],
                "segment": ["Ent", "SMB"],  # new
                "tier": ["Tier 1", "Tier 9"],  # a tier value never seen
                "annual_revenue": [120, 220],  # "arr" renamed: needs a --map
            }
        ),
    )
    args = ["store", "refresh", "ARR card", "--data", str(august), "--store-path", sp]
    code, out, _err = run(capsys, *args)
    assert code == 1
    assert "renamed: 'account' → 'Account'" in out
    assert "missing column: 'arr'" in out
    assert "new column: 'annual_revenue'" in out
    assert "new column: 'segment'" in out
    assert "new tier values: 'Tier 9'" in out
    assert "nothing saved" in out
    with open_store(sp) as store:
        assert store.head("ARR card") == 1

    code, out, err = run(capsys, *args, "--map", "crm:arr=annual_revenue", "--accept", "--json")
    assert code == 0, err
    (crm,) = json.loads(out)["sources"]
    assert crm["renamed"] == {"account": "Account", "arr": "annual_revenue"}
    assert crm["missing_columns"] == []
    assert crm["new_columns"] == ["segment"]
    with open_store(sp) as store:
        version = store.checkout("ARR card")
        table = version.load_snapshots()["crm"]
        assert version.number == 2
    # the design's names are kept, so its KPIs and roles still find their columns
    assert list(table.columns) == ["account", "month", "segment", "tier", "arr"]
    assert table["arr"].tolist() == [120.0, 220.0]
    assert version.design.sources[0].columns == ("account", "month", "segment", "tier", "arr")


def test_a_type_change_needs_review(
    saved: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    tmp, sp = saved
    september = _month(
        tmp / "september",
        pd.DataFrame(
            {
                "account": ["A1"],
                "month": ["2025-09-01"],
                "tier": ["Tier 1"],
                "arr": ["one hundred"],
            }
        ),
    )
    code, out, _err = run(capsys, "store", "refresh", "ARR card", "--data",
                          str(september / "accounts.csv"), "--store-path", sp)  # fmt: skip
    assert code == 1
    assert "type changed: 'arr' number → text" in out


# --- import profiles: file pattern, tier value map, column units ------------------------


def _profiled_card() -> Scorecard:
    source = DataSource(
        "pay", "Payments", file="stripe_payments_2025-06.csv", key_column="customer",
        date_column="month", tier_column="plan", file_pattern="stripe_payments_*.csv",
        tier_values=(("Enterprise", "Tier 1"), ("smb", "Tier 2")),
        units=(ColumnUnit("uptime", ColumnScale.PERCENT_POINTS),),
    )  # fmt: skip
    kpi = Kpi(
        "rev",
        "Revenue",
        Measure(Aggregation.SUM, source="pay", column="amount"),
        TargetSet(TargetValues(baseline=0, target=500)),
    )
    return Scorecard("Pay card", (Perspective("fin", "Financial", kpis=(kpi,)),), sources=(source,))


def test_the_profile_round_trips_with_the_design() -> None:
    card = _profiled_card()
    text = dumps_design(card)
    (source,) = json.loads(text)["sources"]
    assert source["file_pattern"] == "stripe_payments_*.csv"
    assert source["tier_values"] == {"Enterprise": "Tier 1", "smb": "Tier 2"}
    assert source["units"] == [{"column": "uptime", "scale": "percent_0_100"}]
    assert loads_design(text) == card


def test_import_applies_the_tier_map_and_units(tmp_path: Path) -> None:
    path = tmp_path / "stripe_payments_2025-06.csv"
    path.write_text(
        "customer,month,plan,amount,uptime\n"
        "C1,2025-06-01, ENTERPRISE ,100,99.5\n"
        "C2,2025-06-01,SMB,20,45\n"
        "C3,2025-06-01,Strategic,5,100\n"
    )
    result = import_table(path, _profiled_card().sources[0])
    assert result.frame["plan"].tolist() == ["Tier 1", "Tier 2", "Strategic"]
    assert result.frame["uptime"].tolist() == pytest.approx([0.995, 0.45, 1.0])
    assert {c.name: c.type for c in result.columns}["uptime"] == "percent"
    messages = [f.message for f in result.report.findings]
    assert "2 values of 'plan' mapped to tiers by the profile" in messages
    assert "tier values of 'plan' the profile does not map: 'Strategic'" in messages


def test_a_percent_column_is_not_divided_twice(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("customer,uptime\nC1,45%\nC2,80%\n")
    source = DataSource(
        "pay", "P", file="p.csv", units=(ColumnUnit("uptime", ColumnScale.PERCENT_POINTS),)
    )
    assert import_table(path, source).frame["uptime"].tolist() == pytest.approx([0.45, 0.8])


def _payments(path: Path, rows: list[tuple[str, str, str, int, float]], mtime: float) -> None:
    lines = ["customer,month,plan,amount,uptime"] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    os.utime(path, (mtime, mtime))


def test_refresh_from_a_folder_takes_the_newest_file_of_the_pattern(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_design(_profiled_card(), tmp_path / "card.json")
    june = tmp_path / "june"
    june.mkdir()
    _payments(
        june / "stripe_payments_2025-06.csv",
        [("C1", "2025-06-01", "Enterprise", 100, 99.0), ("C2", "2025-06-01", "SMB", 20, 50.0)],
        1_750_000_000,
    )
    sp = str(tmp_path / "store.db")
    code, _out, err = run(capsys, "store", "save", str(tmp_path / "card.json"), "--data",
                          str(june / "stripe_payments_2025-06.csv"), "-m", "June",
                          "--store-path", sp)  # fmt: skip
    assert code == 0, err
    folder = tmp_path / "downloads"
    folder.mkdir()
    _payments(
        folder / "stripe_payments_2025-06.csv",
        [("C1", "2025-06-01", "Enterprise", 100, 99.0)],
        1_750_000_000,
    )
    _payments(  # named earlier, written later: the newest file wins, not the last name
        folder / "stripe_payments_2025-07b.csv",
        [
            ("C1", "2025-07-01", "Enterprise", 110, 98.0),
            ("C2", "2025-07-01", "SMB", 25, 60.0),
            ("C3", "2025-07-02", "Strategic", 7, 100.0),
        ],
        1_760_000_000,
    )
    _payments(folder / "stripe_payments_2025-07.csv", [], 1_755_000_000)
    (folder / "other.csv").write_text("a,b\n1,2\n")
    args = ["store", "refresh", "Pay card", "--data", str(folder), "--store-path", sp]
    code, out, _err = run(capsys, *args, "--json")
    assert code == 1
    (pay,) = json.loads(out)["sources"]
    assert pay["file"] == "stripe_payments_2025-07b.csv"
    assert (pay["rows_before"], pay["rows_after"]) == (2, 3)
    assert pay["new_tier_values"] == ["Strategic"]  # Enterprise/SMB map to known tiers
    assert pay["dates_after"] == ["2025-07-01", "2025-07-02"]
    code, out, err = run(capsys, *args, "--accept")
    assert code == 0, err
    with open_store(sp) as store:
        table = store.checkout("Pay card").load_snapshots()["pay"]
    assert table["plan"].tolist() == ["Tier 1", "Tier 2", "Strategic"]
    assert table["uptime"].tolist() == pytest.approx([0.98, 0.6, 1.0])
