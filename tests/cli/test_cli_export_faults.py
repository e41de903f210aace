"""``export`` on a full disk, and the leftovers of a killed export."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.design_file import save_design
from scorecard_studio.engines.export import report


@pytest.fixture
def design(tmp_path: Path) -> Path:
    source = DataSource("billing", "Billing", file="billing.csv", date_column="month")
    revenue = Kpi(
        "revenue",
        "Revenue",
        Measure(Aggregation.SUM, source="billing", column="amount"),
        TargetSet(TargetValues(baseline=0, target=200)),
    )
    card = Scorecard("Card", (Perspective("fin", "Financial", kpis=(revenue,)),), sources=(source,))
    save_design(card, tmp_path / "card.json")
    pd.DataFrame({"month": ["2026-07-01"], "amount": [100.0]}).to_csv(
        tmp_path / "billing.csv", index=False
    )
    return tmp_path / "card.json"


def _export(design: Path, out: Path) -> int:
    return run_cli(
        ["export", str(design), "--data", str(design.parent / "billing.csv"), "--out", str(out)]
    )


def test_a_full_disk_is_one_line_and_leaves_no_file(
    design: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full(_wb: object, _filename: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report.Workbook, "save", full)
    out = tmp_path / "report.xlsx"
    assert _export(design, out) == 2
    err = capsys.readouterr().err
    expected = f"{out}: the disk is full; the report was not written (free some space)"
    assert err == f"scorecard-studio: {expected}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["billing.csv", "card.json"]


def test_the_next_export_removes_what_a_killed_export_left(design: Path, tmp_path: Path) -> None:
    # A process that has exited stands for the killed export; its id is free now.
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(gone.stdout)
    leftover = tmp_path / f".report.{dead_pid}-abcd1234.xlsx"
    leftover.write_bytes(b"half a workbook")
    ours = tmp_path / f".report.{os.getpid()}-efgh5678.xlsx"  # an export still running
    ours.write_bytes(b"in progress")
    old_style = tmp_path / ".report.k2j4h5g6.xlsx"
    old_style.write_bytes(b"from an older release")
    os.utime(old_style, (1_000_000_000, 1_000_000_000))
    unrelated = tmp_path / ".report.notes.xlsx"
    unrelated.write_bytes(b"the user's own hidden file")
    assert _export(design, tmp_path / "report.xlsx") == 0
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert left == [ours.name, unrelated.name]
    assert (tmp_path / "report.xlsx").stat().st_size > 1000
