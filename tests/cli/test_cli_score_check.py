"""The headless CLI as a user runs it: exit codes, one-line errors, JSON documents."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_process import cli

from scorecard_studio import __version__
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


@pytest.fixture
def design(tmp_path: Path) -> Path:
    source = DataSource(
        "billing",
        "Billing",
        file="billing.csv",
        key_column="account",
        date_column="month",
        tier_column="tier",
    )
    revenue = Kpi(
        "revenue",
        "Revenue",
        Measure(Aggregation.SUM, source="billing", column="amount"),
        TargetSet(TargetValues(baseline=0, target=200)),
    )
    card = Scorecard(
        "Billing card", (Perspective("fin", "Financial", kpis=(revenue,)),), sources=(source,)
    )
    path = tmp_path / "card.json"
    save_design(card, path)
    pd.DataFrame(
        {
            "account": ["a", "b", "c"],
            "month": ["2026-07-01", "2026-08-01", "2026-08-15"],
            "tier": ["Tier 1", "Tier 1", "Tier 2"],
            "amount": [100.0, 60.0, 50.0],
        }
    ).to_csv(tmp_path / "billing.csv", index=False)
    return path


def test_version() -> None:
    done = cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"scorecard-studio {__version__}"


def test_score_json(design: Path) -> None:
    done = cli("score", str(design), "--data", str(design.parent / "billing.csv"), "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["period"] == "2026-Q3"
    tier1 = doc["kpis"][0]["by_tier"]["tier_1"]
    assert tier1["actual"] == 160.0
    assert tier1["score"] == pytest.approx(0.8)
    assert tier1["status"] == "amber"
    assert doc["kpis"][0]["by_tier"]["tier_2"]["status"] == "red"
    assert doc["kpis"][0]["by_tier"]["tier_3"]["status"] == "no_data"
    assert doc["headline"]["score"] == pytest.approx((0.8 + 0.25) / 2)
    assert doc["headline"]["coverage"] == pytest.approx(0.5)


def test_score_text_table(design: Path) -> None:
    done = cli("score", str(design), "--data", str(design.parent / "billing.csv"))
    assert done.returncode == 0
    assert "Billing card — 2026-Q3" in done.stdout
    assert "160 / 200 A" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "missing.json"], "missing.json: no such file"),
        (["score", "{design}", "--data", "{dir}/nope.csv"], "nope.csv: no such file"),
        (
            ["score", "{design}", "--data", "{dir}/billing.csv", "--period", "2019-Q1"],
            "period '2019-Q1' has no data (data covers 2026-Q3 to 2026-Q3)",
        ),
        (
            ["score", "{design}", "--data", "{dir}/billing.csv", "--period", "July"],
            "is not a quarter",
        ),
        (["check", "{dir}/broken.json"], "broken.json: not valid JSON"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(design: Path, args: list[str], message: str) -> None:
    (design.parent / "broken.json").write_text("{ nope")
    argv = [a.format(design=design, dir=design.parent) for a in args]
    done = cli(*argv, cwd=design.parent)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_check_lists_findings_and_exits_1_on_errors(design: Path) -> None:
    assert cli("check", str(design)).returncode == 0
    doc = json.loads(design.read_text())
    doc["perspectives"][0]["kpis"][0]["targets"]["default"]["baseline"] = 200
    design.write_text(json.dumps(doc))
    done = cli("check", str(design), "--json")
    assert done.returncode == 1
    findings = json.loads(done.stdout)["findings"]
    assert [f["code"] for f in findings] == ["baseline_equals_target"]
    assert findings[0]["item"] == "revenue"
