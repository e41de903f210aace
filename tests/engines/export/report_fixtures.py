"""A small but complete scorecard and data set for report tests: every scoring method,
objectives and direct KPIs, overrides, a formula, a low survey sample, a tier without data,
and hostile text that must stay text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Direction,
    IndicatorType,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    ScoringMethod,
    Settings,
    TargetOverride,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.design_file import save_design

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tTabbed", "\rReturn"]


def _kpi(
    kid: str, name: str, agg: Aggregation, column: str | None, tv: TargetValues, **kw: object
) -> Kpi:
    measure_kw = {k: kw.pop(k) for k in list(kw) if k in {"formula", "denominator"}}
    return Kpi(
        kid,
        name,
        Measure(
            agg,
            source="data" if agg is not Aggregation.FORMULA else None,
            column=column,
            **measure_kw,
        ),  # type: ignore[arg-type]
        TargetSet(tv, kw.pop("overrides", ())),
        **kw,
    )  # type: ignore[arg-type]


def build_card() -> Scorecard:
    revenue = _kpi(
        "revenue",
        "Revenue",
        Aggregation.SUM,
        "revenue",
        TargetValues(baseline=0, target=1000, stretch=1500),
        weight=3,
        unit="$",
        overrides=(TargetOverride(TargetValues(target=2000, stretch=2500), tier="tier_1"),),
        owner=HOSTILE[0],
        description=HOSTILE[1],
        notes=HOSTILE[3],
    )
    margin = _kpi(
        "margin",
        "Margin",
        Aggregation.MEAN,
        "margin",
        TargetValues(baseline=0.1, target=0.3),
        number_format="0.0%",
        weight=2,
    )
    dso = _kpi(
        "dso",
        "DSO",
        Aggregation.MEAN,
        "dso",
        TargetValues(baseline=60, target=30),
        direction=Direction.LOWER,
        method=ScoringMethod.RATIO,
        unit="days",
    )
    nps = _kpi(
        "nps",
        HOSTILE[2],
        Aggregation.NPS,
        "nps",
        TargetValues(baseline=0, target=50),
        indicator=IndicatorType.LAGGING,
    )
    usage = _kpi(
        "usage",
        "Logins",
        Aggregation.MEDIAN,
        "logins",
        TargetValues(low=10, high=20, tolerance=10),
        method=ScoringMethod.RANGE,
        indicator=IndicatorType.LEADING,
    )
    tickets = _kpi(
        "tickets",
        HOSTILE[4],
        Aggregation.COUNT,
        "tickets",
        TargetValues(baseline=40, target=20),
        method=ScoringMethod.BINARY,
        indicator=IndicatorType.LEADING,
    )
    per = _kpi(
        "per_ticket",
        "Revenue per ticket",
        Aggregation.FORMULA,
        None,
        TargetValues(baseline=0, target=100),
        formula="revenue / tickets",
    )
    financial = Perspective(
        "fin",
        "Financial",
        2,
        objectives=(Objective("grow", "Grow", 2, (revenue, margin)),),
        kpis=(dso,),
    )
    customer = Perspective("cust", HOSTILE[5], 1, kpis=(nps, usage, tickets, per))
    source = DataSource(
        "data",
        "Data",
        file="data.csv",
        key_column="account",
        date_column="date",
        tier_column="tier",
    )
    return Scorecard(
        "Report test", (financial, customer), sources=(source,), settings=Settings(cap=1.2)
    )


def build_data(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for quarter, month in enumerate(("2026-01-15", "2026-04-15", "2026-07-15")):
        for tier, n in (("Tier 1", 40), ("Tier 2", 12), ("Tier 3", 35)):
            for i in range(n):
                rows.append(
                    {
                        "account": f"{tier[-1]}-{i}",
                        "date": month,
                        "tier": tier,
                        "revenue": float(rng.integers(5, 60) + quarter * 3),
                        "margin": float(rng.uniform(0.05, 0.4)),
                        "dso": float(rng.integers(20, 70)),
                        "nps": float(rng.integers(0, 11)),
                        "logins": float(rng.integers(0, 40)),
                        "tickets": 1.0 if rng.random() < 0.6 else None,
                    }
                )
    rows.append(
        {
            "account": "=cmd|' /C calc'!A0",
            "date": "2026-07-20",
            "tier": "=Tier 9",
            "revenue": 1.0,
            "margin": None,
            "dso": None,
            "nps": 11.0,
            "logins": None,
            "tickets": None,
        }
    )
    return pd.DataFrame(rows)


def write_inputs(folder: Path) -> tuple[Path, Path]:
    design = folder / "design.json"
    data = folder / "data.csv"
    save_design(build_card(), design)
    build_data().to_csv(data, index=False)
    return design, data


def cli_json(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "scorecard_studio", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
