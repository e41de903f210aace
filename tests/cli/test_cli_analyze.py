"""``scorecard-studio analyze`` on the sample: JSON documents and one-line errors."""

from __future__ import annotations

import json

import pytest
from cli_process import cli

TEMPLATE = "resources/templates/customer_centric.json"
DATA = "sample_workbooks/customer_data.xlsx"


def test_health_by_tier_with_a_tiers_accounts_and_calibration(repo_root) -> None:  # type: ignore[no-untyped-def]
    doc = cli(
        "analyze",
        "health",
        TEMPLATE,
        "--data",
        DATA,
        "--json",
        "--tier",
        "tier_1",
        "--period",
        "2026q2",
        cwd=repo_root,
    )
    assert doc.returncode == 0, doc.stderr
    body = json.loads(doc.stdout)
    assert body["period"] == "2026-Q2"
    tiers = {t["tier"]: t for t in body["tiers"]}
    assert tiers["all"]["accounts"] == sum(tiers[f"tier_{i}"]["accounts"] for i in range(1, 5))
    assert len(body["accounts"]) == tiers["tier_1"]["accounts"]
    assert {a["tier"] for a in body["accounts"]} == {"tier_1"}
    assert 0.5 < body["calibration"]["auc"] <= 1


def test_at_risk_is_ranked_by_value_and_every_account_has_reasons(repo_root) -> None:  # type: ignore[no-untyped-def]
    run = cli("analyze", "at-risk", TEMPLATE, "--data", DATA, "--json", cwd=repo_root)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    values = [a["value_at_risk"] for a in doc["accounts"]]
    assert values == sorted(values, reverse=True)
    assert all(a["reasons"] for a in doc["accounts"])
    assert doc["catch_rate"]["caught"] <= doc["catch_rate"]["churned"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["links", TEMPLATE], "analyze needs data"),
        (["health", TEMPLATE, "--data", DATA, "--tier", "gold"], "unknown tier 'gold'"),
        (["health", TEMPLATE, "--data", DATA, "--period", "2031-Q1"], "has no data"),
        (["health", TEMPLATE, "--data", DATA, "--period", "soon"], "soon"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(repo_root, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    run = cli("analyze", *args, cwd=repo_root)
    assert run.returncode == 2
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr
