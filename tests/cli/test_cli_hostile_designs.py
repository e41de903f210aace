"""Hostile design files given to ``check`` and ``score``: one line and exit 2, never a traceback.

Every file is generated here; the limits each message states are checked by value.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.design_codec import scorecard_to_dict
from scorecard_studio.domain.formula import (
    FloatArithmetic,
    evaluate,
    formula_order,
    parse_formula,
)
from scorecard_studio.domain.json_bounds import MAX_KPIS
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

SOURCE = DataSource(
    "billing", "Billing", file="billing.csv", key_column="account", date_column="month"
)


def _kpi(i: int) -> Kpi:
    return Kpi(
        f"k{i}",
        f"KPI {i}",
        Measure(Aggregation.SUM, source="billing", column="amount"),
        TargetSet(TargetValues(baseline=0, target=200)),
    )


def _document(kpis: int = 1) -> dict[str, Any]:
    card = Scorecard(
        "Hostile",
        (Perspective("fin", "Financial", kpis=tuple(_kpi(i) for i in range(kpis))),),
        sources=(SOURCE,),
    )
    return scorecard_to_dict(card)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    pd.DataFrame(
        {"account": ["a", "b"], "month": ["2026-07-01", "2026-08-01"], "amount": [1.0, 2.0]}
    ).to_csv(tmp_path / "billing.csv", index=False)
    return tmp_path


def _run(folder: Path, text: str, command: str, capsys: pytest.CaptureFixture[str]) -> str:
    design = folder / "design.json"
    design.write_text(text, encoding="utf-8")
    extra = ["--data", str(folder / "billing.csv")] if command == "score" else []
    code = run_cli([command, str(design), *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    return err


def _with_formula(formula: str) -> dict[str, Any]:
    doc = _document()
    kpi = dict(doc["perspectives"][0]["kpis"][0], id="f", name="F")
    kpi["measure"] = {"aggregation": "formula", "formula": formula}
    doc["perspectives"][0]["kpis"].append(kpi)
    return doc


@pytest.mark.parametrize("command", ["check", "score"])
def test_deeply_nested_json_is_refused_stating_the_limit(
    folder: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _run(folder, '{"a":' * 100_000 + "1" + "}" * 100_000, command, capsys)
    assert "nested more than 64 levels deep" in err


@pytest.mark.parametrize("command", ["check", "score"])
def test_a_5000_digit_number_is_refused_stating_the_limit(
    folder: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(_document()).replace('"target": 200', '"target": ' + "7" * 5000)
    err = _run(folder, text, command, capsys)
    assert "5,000 digits is too long (at most 18 digits)" in err


@pytest.mark.parametrize("command", ["check", "score"])
def test_a_design_of_100k_kpis_is_refused_at_once(
    folder: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _document()
    doc["perspectives"][0]["kpis"] *= 100_000
    started = time.perf_counter()
    err = _run(folder, json.dumps(doc), command, capsys)
    assert f"100,000 KPIs is more than a scorecard can hold (at most {MAX_KPIS:,})" in err
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "formula", ["-" * 10_000 + "k0", "+".join(["k0"] * 100_000)], ids=["minus", "plus"]
)
def test_huge_formulas_are_a_finding_stating_the_limit(
    folder: Path, formula: str, capsys: pytest.CaptureFixture[str]
) -> None:
    design = folder / "design.json"
    design.write_text(json.dumps(_with_formula(formula)), encoding="utf-8")
    assert run_cli(["check", str(design)]) == 1
    out = capsys.readouterr()
    assert f"the formula is {len(formula):,} characters long (at most 10,000)" in out.out
    assert run_cli(["score", str(design), "--data", str(folder / "billing.csv")]) == 0
    assert "at most 10,000" in capsys.readouterr().out


def test_deep_formulas_within_the_limit_evaluate_without_recursion() -> None:
    # 9,990 unary minuses: an even count gives the value back; 3,333 terms add up.
    assert evaluate(parse_formula("-" * 9_990 + "a"), {"a": 2.0}, FloatArithmetic()) == 2.0
    terms = parse_formula("+".join(["a"] * 3_333))
    assert evaluate(terms, {"a": 2.0}, FloatArithmetic()) == 6_666.0
    nested = parse_formula("(" * 4_000 + "a" + ")" * 4_000)
    assert evaluate(nested, {"a": 3.0}, FloatArithmetic()) == 3.0


def test_a_chain_of_3000_formula_kpis_is_ordered_and_scored(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _document()
    base = doc["perspectives"][0]["kpis"][0]
    chain = []
    for i in range(3000, 0, -1):  # the last of the chain first: the deepest search
        kpi = dict(base, id=f"c{i}", name=f"C{i}")
        kpi["measure"] = {"aggregation": "formula", "formula": "k0" if i == 1 else f"c{i - 1}"}
        chain.append(kpi)
    doc["perspectives"][0]["kpis"] += chain
    design = folder / "design.json"
    design.write_text(json.dumps(doc), encoding="utf-8")
    assert run_cli(["check", str(design)]) == 0
    assert capsys.readouterr().out == "Hostile: no findings\n"
    assert run_cli(["score", str(design), "--data", str(folder / "billing.csv"), "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    by_id = {k["id"]: k for k in scored["kpis"]}
    # Every link of the chain copies k0's actual, which is the 2026-Q3 sum 1 + 2.
    actuals = {t: cell["actual"] for t, cell in by_id["k0"]["by_tier"].items()}
    assert 3.0 in actuals.values()
    assert {t: cell["actual"] for t, cell in by_id["c3000"]["by_tier"].items()} == actuals
    order, cycles = formula_order({f"c{i}": {f"c{i - 1}"} for i in range(3000, 0, -1)})
    assert order[:2] == ["c1", "c2"]
    assert len(order) == 3000
    assert cycles == []


def test_check_and_score_grow_linearly_with_the_number_of_kpis(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scorecard_studio.domain.checks import check_design
    from scorecard_studio.domain.design_codec import scorecard_from_dict
    from scorecard_studio.engines.scoring import score

    table = pd.read_csv(folder / "billing.csv")
    timings = []
    for size in (1_000, 4_000):
        card = scorecard_from_dict(_document(size))
        started = time.perf_counter()
        check_design(card)
        score(card, {"billing": table}).to_json_dict()
        timings.append(time.perf_counter() - started)
    # Four times the KPIs: linear work takes about four times as long, quadratic sixteen.
    assert timings[1] < 9 * timings[0] + 0.05
