"""Every shipped template is valid, current, and scores the sample data completely."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from scorecard_studio.domain.checks import check_design
from scorecard_studio.domain.design_codec import dumps_design
from scorecard_studio.domain.findings import Severity
from scorecard_studio.domain.model import Aggregation, IndicatorType
from scorecard_studio.engines.data_loading import load_source_tables
from scorecard_studio.engines.design_file import load_design
from scorecard_studio.engines.scoring import score

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
TEMPLATES = ROOT / "resources" / "templates"
NAMES = ("customer_centric", "four_perspective", "cx_leading_lagging")
#: The last four quarters must be complete, not only the latest.
RECENT = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scorecard_studio", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    """The score command's JSON for the customer-centric template on the sample workbook."""
    run = _cli(
        "score",
        "resources/templates/customer_centric.json",
        "--data",
        "sample_workbooks/customer_data.xlsx",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    doc: dict[str, Any] = json.loads(run.stdout)
    return doc


def test_the_three_templates_are_shipped_with_their_names() -> None:
    assert sorted(p.stem for p in TEMPLATES.glob("*.json")) == sorted(NAMES)
    names = {json.loads((TEMPLATES / f"{n}.json").read_text())["name"] for n in NAMES}
    assert names == {
        "Customer-centric scorecard",
        "Classic four-perspective scorecard",
        "Customer experience: leading and lagging",
    }


@pytest.mark.parametrize("name", NAMES)
def test_committed_template_is_what_the_builder_writes(
    name: str, template_builder: ModuleType
) -> None:
    built = dumps_design(template_builder.TEMPLATES[name]())
    assert (TEMPLATES / f"{name}.json").read_text(encoding="utf-8") == built


@pytest.mark.parametrize("name", NAMES)
def test_template_passes_checks_and_scores_recent_quarters_fully(name: str) -> None:
    card = load_design(TEMPLATES / f"{name}.json")
    assert [f for f in check_design(card) if f.severity is Severity.ERROR] == []
    assert {s.file for s in card.sources} == {"customer_data.xlsx"}
    result = score(card, load_source_tables(card, [SAMPLES / "customer_data.xlsx"]))
    assert result.to_json_dict()["period"] == "2026-Q3"
    statuses: Counter[str] = Counter()
    for period in RECENT:
        doc = result.to_json_dict(period)
        assert doc["headline"]["coverage"] == 1.0, period
        assert [f for f in doc["findings"] if f["severity"] == "error"] == [], period
        for tier in doc["tiers"]:
            assert tier["coverage"] == 1.0, (period, tier["id"])
        for kpi in doc["kpis"]:
            assert set(kpi["by_tier"]) == {"tier_1", "tier_2", "tier_3", "tier_4", "all"}
            for tier, cell in kpi["by_tier"].items():
                assert cell["actual"] is not None, (period, kpi["id"], tier)
                assert cell["score"] is not None, (period, kpi["id"], tier)
                statuses[cell["status"]] += 1
    # Targets are set so that a review has something to talk about.
    assert statuses["green"] > 0
    assert statuses["amber"] > 0
    assert statuses["red"] > 0
    assert statuses["no data"] == 0


def test_customer_centric_has_the_issue_kpis_leading_and_lagging_and_tier_targets() -> None:
    card = load_design(TEMPLATES / "customer_centric.json")
    kpis = {k.id: k for k in card.all_kpis()}
    assert set(kpis) == {
        "nps", "csat", "ces", "churn", "renewal_rate", "clv", "ttm_revenue", "ttm_margin",
        "dso", "time_to_value", "escalations", "adoption",
    }  # fmt: skip
    assert kpis["nps"].measure.aggregation is Aggregation.NPS
    assert kpis["csat"].measure.aggregation is Aggregation.CSAT
    assert kpis["ces"].measure.aggregation is Aggregation.CES
    assert kpis["churn"].measure.aggregation is Aggregation.CHURN_RATE
    assert kpis["clv"].measure.aggregation is Aggregation.CLV_SIMPLE
    assert kpis["ttm_revenue"].measure.aggregation is Aggregation.TTM_SUM
    indicators = {k.indicator for k in kpis.values()}
    assert indicators == {IndicatorType.LEADING, IndicatorType.LAGGING}
    assert [t.name for t in card.tiers] == ["Tier 1", "Tier 2", "Tier 3", "Tier 4"]
    assert any(o.tier for k in kpis.values() for o in k.targets.overrides)


def test_nps_of_one_tier_and_quarter_recomputed_with_pandas(scored: dict[str, Any]) -> None:
    survey = pd.read_csv(SAMPLES / "csv" / "survey.csv", parse_dates=["responded_on"])
    q3 = survey[
        (survey["tier"] == "Tier 2")
        & (survey["responded_on"] >= "2026-07-01")
        & (survey["responded_on"] < "2026-10-01")
    ]
    expected = 100 * ((q3["nps"] >= 9).mean() - (q3["nps"] <= 6).mean())
    cell = _kpi(scored, "nps")["by_tier"]["tier_2"]
    assert math.isclose(cell["actual"], expected, abs_tol=1e-9)
    assert cell["sample"] == len(q3)


def test_csat_ces_and_low_sample_recomputed_with_pandas(scored: dict[str, Any]) -> None:
    survey = pd.read_csv(SAMPLES / "csv" / "survey.csv", parse_dates=["responded_on"])
    q3 = survey[survey["responded_on"].between("2026-07-01", "2026-09-30")]
    tier1 = q3[q3["tier"] == "Tier 1"]
    tier4 = q3[q3["tier"] == "Tier 4"]
    csat = _kpi(scored, "csat")["by_tier"]["tier_1"]
    assert math.isclose(csat["actual"], (tier1["csat"] >= 4).mean(), abs_tol=1e-12)
    ces = _kpi(scored, "ces")["by_tier"]["tier_4"]
    assert math.isclose(ces["actual"], tier4["ces"].mean(), abs_tol=1e-12)
    assert csat["sample"] == len(tier1)
    assert csat["status"] in {"green", "amber", "red"}


def test_small_tier_1_survey_samples_are_flagged_not_dropped() -> None:
    card = load_design(TEMPLATES / "customer_centric.json")
    result = score(card, load_source_tables(card, [SAMPLES / "customer_data.xlsx"]))
    survey = pd.read_csv(SAMPLES / "csv" / "survey.csv", parse_dates=["responded_on"])
    quarter = survey["responded_on"].dt.to_period("Q")
    counts = survey.groupby([quarter, "tier"]).size()
    # 2025 Q3: Tier 1 answered fewer times than the minimum sample of 30; Tier 2 did not.
    assert counts[(pd.Period("2025Q3"), "Tier 1")] < card.settings.minimum_sample
    assert counts[(pd.Period("2025Q3"), "Tier 2")] >= card.settings.minimum_sample
    nps = _kpi(result.to_json_dict("2025-Q3"), "nps")["by_tier"]
    assert nps["tier_1"]["low_sample"] is True
    assert nps["tier_1"]["sample"] == counts[(pd.Period("2025Q3"), "Tier 1")]
    assert nps["tier_1"]["score"] is not None
    assert nps["tier_2"]["low_sample"] is False


def test_churn_rate_recomputed_with_pandas(scored: dict[str, Any]) -> None:
    crm = pd.read_csv(SAMPLES / "csv" / "crm.csv", parse_dates=["contract_start", "churned_on"])
    crm = crm[crm["tier"] == "Tier 3"]
    first, last = pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-30")
    active = (crm["contract_start"] < first) & ~(crm["churned_on"] < first)
    lost = active & (crm["churned_on"] <= last)
    cell = _kpi(scored, "churn")["by_tier"]["tier_3"]
    assert math.isclose(cell["actual"], lost.sum() / active.sum(), abs_tol=1e-12)


def test_ttm_revenue_recomputed_with_pandas(scored: dict[str, Any]) -> None:
    billing = pd.read_csv(SAMPLES / "csv" / "billing.csv", parse_dates=["month"])
    window = billing[(billing["month"] >= "2025-10-01") & (billing["month"] < "2026-10-01")]
    cell = _kpi(scored, "ttm_revenue")["by_tier"]["all"]
    assert math.isclose(cell["actual"], window["revenue"].sum(), rel_tol=1e-12)


def test_check_command_reports_no_errors() -> None:
    run = _cli("check", "resources/templates/customer_centric.json", "--json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    findings = doc["findings"] if isinstance(doc, dict) else doc
    assert [f for f in findings if f["severity"] == "error"] == []


def _kpi(doc: dict[str, Any], kpi_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(k for k in doc["kpis"] if k["id"] == kpi_id)
    return found
