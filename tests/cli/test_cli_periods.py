"""``score`` over several periods in one call, full-precision JSON, and a closed pipe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from cli_process import cli

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.design_file import save_design


@pytest.fixture
def design(tmp_path: Path) -> Path:
    source = DataSource("billing", "Billing", file="billing.csv", date_column="month")
    revenue = Kpi(
        "revenue",
        "Revenue",
        Measure(Aggregation.SUM, source="billing", column="amount"),
        TargetSet(TargetValues(baseline=0, target=3)),
    )
    card = Scorecard(
        "Monthly",
        (Perspective("fin", "Financial", kpis=(revenue,)),),
        sources=(source,),
        settings=Settings(frequency=Frequency.MONTH),
    )
    path = tmp_path / "card.json"
    save_design(card, path)
    pd.DataFrame(
        {"month": ["2026-01-10", "2026-02-10", "2026-04-10"], "amount": [1.0, 2.0, 1.0]}
    ).to_csv(tmp_path / "billing.csv", index=False)
    return path


def _score(design: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli("score", str(design), "--data", str(design.parent / "billing.csv"), *extra)


def test_period_all_returns_every_period_in_one_document(design: Path) -> None:
    done = _score(design, "--period", "all", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["periods"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    actuals = [r["kpis"][0]["by_tier"]["all"]["actual"] for r in doc["results"]]
    assert actuals == [1.0, 2.0, None, 1.0]
    # Full precision: 1/3 is not rounded to 12 decimals.
    assert doc["results"][0]["kpis"][0]["by_tier"]["all"]["score"] == 1 / 3
    assert "findings" in doc
    assert "findings" not in doc["results"][0]


def test_from_to_selects_a_range(design: Path) -> None:
    done = _score(design, "--from", "2026-02", "--to", "2026-03", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["periods"] == ["2026-02", "2026-03"]
    text = _score(design, "--from", "2026-03")
    assert text.returncode == 0
    assert "Monthly — 2026-03" in text.stdout
    assert "Monthly — 2026-04" in text.stdout
    assert "Monthly — 2026-02" not in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-04", "--to", "2026-01"], "--from 2026-04 is after --to 2026-01"),
        (["--period", "all", "--from", "2026-01"], "exclude each other"),
        (["--from", "2027-01"], "no period with data from 2027-01"),
    ],
)
def test_bad_ranges_are_one_line_refusals(design: Path, args: list[str], message: str) -> None:
    done = _score(design, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_closed_pipe_ends_quietly(design: Path) -> None:
    # Twenty years of months: far more JSON than a pipe buffers, so the write does fail.
    months = pd.date_range("2006-01-01", periods=240, freq="MS")
    pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "amount": 1.0}).to_csv(
        design.parent / "billing.csv", index=False
    )
    command = (
        f"{sys.executable} -m scorecard_studio score {design} "
        f"--data {design.parent / 'billing.csv'} --period all --json | head -n 1"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout == "{\n"
    assert done.stderr == ""
    assert done.returncode == 0
