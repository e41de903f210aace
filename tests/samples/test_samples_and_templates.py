"""The sample data is reproducible and every template scores it completely."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from scorecard_studio.domain.checks import check_design
from scorecard_studio.domain.findings import Severity
from scorecard_studio.engines.data_loading import load_source_tables
from scorecard_studio.engines.design_file import load_design
from scorecard_studio.engines.scoring import score

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
TEMPLATES = sorted((ROOT / "resources" / "templates").glob("*.json"))


def _generator():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_data():  # type: ignore[no-untyped-def]
    """The generated tables, made once for this module (generation takes seconds)."""
    return _generator().generate()


def test_same_seed_same_tables_and_committed_csvs_match(sample_data) -> None:  # type: ignore[no-untyped-def]
    gen = _generator()
    first, second = sample_data, gen.generate()
    for (name, a), b in zip(first.sheets().items(), second.sheets().values(), strict=True):
        pd.testing.assert_frame_equal(a, b, obj=name)
    # The committed CSVs are what the generator writes today.
    committed = pd.read_csv(SAMPLES / "csv" / "survey.csv")
    assert len(committed) == len(first.survey)
    assert committed["nps"].tolist() == first.survey["nps"].tolist()


def test_sample_relations_are_plausible(sample_data) -> None:  # type: ignore[no-untyped-def]
    data = sample_data
    crm = data.crm
    share = crm["tier"].value_counts(normalize=True)
    assert 0.05 < share["Tier 1"] < 0.11
    assert 0.40 < share["Tier 4"] < 0.50
    assert data.survey["nps"].between(0, 10).all()
    assert data.survey["csat"].between(1, 5).all()
    assert data.survey["ces"].between(1, 7).all()
    # Escalations are more frequent in tickets of accounts that later churned.
    churned = set(crm.loc[crm["churned_on"].notna(), "account_id"])
    tickets = data.support
    lost = tickets["account_id"].isin(churned)
    assert tickets.loc[lost, "escalated"].mean() > 1.5 * tickets.loc[~lost, "escalated"].mean()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_template_checks_and_scores_the_sample_fully(template: Path) -> None:
    card = load_design(template)
    assert not [f for f in check_design(card) if f.severity is Severity.ERROR]
    tables = load_source_tables(card, [SAMPLES / "customer_data.xlsx"])
    result = score(card, tables)
    doc = result.to_json_dict()
    assert doc["period"] == "2026-Q3"
    assert doc["headline"]["coverage"] == 1.0
    assert not [f for f in doc["findings"] if f["severity"] == "error"]
    for kpi in doc["kpis"]:
        for tier, cell in kpi["by_tier"].items():
            assert cell["actual"] is not None, (kpi["id"], tier)


def test_nps_of_one_tier_recomputed_from_the_csv() -> None:
    card = load_design(ROOT / "resources" / "templates" / "customer_centric.json")
    tables = load_source_tables(card, [SAMPLES / "customer_data.xlsx"])
    doc = score(card, tables).to_json_dict()
    nps = next(k for k in doc["kpis"] if k["id"] == "nps")["by_tier"]["tier_2"]["actual"]
    survey = pd.read_csv(SAMPLES / "csv" / "survey.csv", parse_dates=["responded_on"])
    q3 = survey[(survey["tier"] == "Tier 2") & (survey["responded_on"] >= "2026-07-01")]
    expected = 100 * ((q3["nps"] >= 9).mean() - (q3["nps"] <= 6).mean())
    assert math.isclose(nps, expected, abs_tol=1e-9)


def test_templates_are_listed_with_names() -> None:
    names = {json.loads(p.read_text())["name"] for p in TEMPLATES}
    assert names == {
        "Customer-centric scorecard",
        "Classic four-perspective scorecard",
        "Customer experience: leading and lagging",
    }


def test_written_workbook_is_byte_identical(tmp_path: Path, sample_data) -> None:  # type: ignore[no-untyped-def]
    _generator().write_messy_export(sample_data, tmp_path / "messy.xlsx")
    assert (tmp_path / "messy.xlsx").read_bytes() == (SAMPLES / "messy_export.xlsx").read_bytes()
