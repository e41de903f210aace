"""``scorecard-studio accounts``: a hand-computed case, the sample's churners, bad input."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from cli_process import cli

from scorecard_studio.domain.analytics import AccountValue, Analytics, RiskRule, RuleKind
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    TargetOverride,
    TargetSet,
    TargetValues,
    Tier,
)

TEMPLATE = "resources/templates/customer_centric.json"
DATA = "sample_workbooks/customer_data.xlsx"
SRC = DataSource("src", "Usage", key_column="key", date_column="date", tier_column="tier")
CRM = DataSource("crm", "CRM", key_column="key", date_column="date", tier_column="tier")
Q1, Q2, Q3 = "2026-01-15", "2026-04-15", "2026-07-15"


def _kpi(kid: str, column: str, target: float, t2_target: float | None = None) -> Kpi:
    overrides = ()
    if t2_target is not None:
        overrides = (TargetOverride(TargetValues(target=t2_target), tier="t2"),)
    return Kpi(
        kid,
        kid,
        Measure(Aggregation.MEAN, source="src", column=column),
        TargetSet(TargetValues(baseline=0, target=target), overrides),
    )


CARD = Scorecard(
    "hand",
    (
        Perspective("p1", "P1", 1.0, kpis=(_kpi("usage", "u", 10),)),
        Perspective("p2", "P2", 3.0, kpis=(_kpi("sat", "s", 100, t2_target=50),)),
    ),
    tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
    sources=(SRC, CRM),
    analytics=Analytics(
        risk_rules=(
            RiskRule("fall", "Usage falling", RuleKind.FALL, 0.3, "usage", 1, True),
            RiskRule("low", "Low health", RuleKind.BELOW, 0.65),
        ),
        value=AccountValue("crm", "arr"),
    ),
)
USAGE = [  # key, date, tier, usage, satisfaction
    ("a", Q1, "t1", 8, 80),
    ("a", Q1, "t1", 10, None),
    ("a", Q2, "t1", 6, 60),
    ("a", Q3, "t1", 3, 40),
    ("b", Q1, "t2", 10, 50),
    ("b", Q2, "t2", 10, 50),
    ("b", Q3, "t2", 10, 25),
    ("c", Q1, "t1", 2, None),
    ("c", Q3, "t1", 5, None),
    ("d", Q1, "t2", 10, 100),
    ("d", Q3, "t2", 10, 50),
]
CRM_ROWS = [("a", Q1, "t1", 100.0), ("b", Q1, "t2", 300.0), ("c", Q1, "t1", 50.0)]
CRM_ROWS += [("a", Q3, "t1", 120.0), ("d", Q1, "t2", 80.0)]


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from scorecard_studio.engines.design_file import save_design

    folder = tmp_path_factory.mktemp("accounts")
    save_design(CARD, folder / "hand.json")
    pd.DataFrame(USAGE, columns=["key", "date", "tier", "u", "s"]).to_csv(
        folder / "usage.csv", index=False
    )
    pd.DataFrame(CRM_ROWS, columns=["key", "date", "tier", "arr"]).to_csv(
        folder / "crm.csv", index=False
    )
    return [
        str(folder / "hand.json"),
        "--data",
        f"src={folder / 'usage.csv'}",
        "--data",
        f"crm={folder / 'crm.csv'}",
    ]


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    run = cli("accounts", *args, "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


#: 2026-Q3 by hand: health = (usage/10 + 3·sat/target) ÷ 4 over the KPIs with data; t2's
#: satisfaction target is 50. a: (0.3 + 3·0.4)/4; b: (1 + 3·0.5)/4; c: usage only, 0.5, on a
#: quarter of the weight (no band); d: (1 + 3·1)/4.
Q3_HEALTH = {"a": 0.375, "b": 0.625, "c": 0.5, "d": 1.0}


def test_every_account_worst_first_with_reasons_and_value(hand: list[str]) -> None:
    doc = _json(*hand, "--period", "2026-Q3")
    assert doc["period"] == "2026-Q3"
    rows = doc["accounts"]
    assert [r["key"] for r in rows] == ["a", "c", "b", "d"]
    for r in rows:
        assert r["health"] == pytest.approx(Q3_HEALTH[r["key"]])
    assert [r["band"] for r in rows] == ["red", "insufficient_data", "red", "green"]
    assert [r["value_at_risk"] for r in rows] == [120, 50, 300, 80]  # latest ARR up to Q3
    assert [r["coverage"] for r in rows] == [1, 0.25, 1, 1]
    assert [r["at_risk"] for r in rows] == [True, True, True, False]
    a = rows[0]
    assert [x["rule"] for x in a["reasons"]] == ["fall", "low"]
    assert a["reasons"][0]["text"] == "usage fell 50% over 1 period (6 → 3)"
    assert a["reasons"][1]["text"] == "health 0.375 is below 0.65"
    assert rows[3]["reasons"] == []
    assert doc["at_risk"] == 3
    assert doc["value_at_risk"] == 470  # 120 + 50 + 300
    assert doc["catch_rate"] is None  # no renewals in this design


def test_at_risk_only_ranked_by_value_and_tier_filter(hand: list[str]) -> None:
    doc = _json(*hand, "--period", "2026-Q3", "--at-risk")
    assert [(r["key"], r["value_at_risk"]) for r in doc["accounts"]] == [
        ("b", 300),
        ("a", 120),
        ("c", 50),
    ]
    t2 = _json(*hand, "--period", "2026-Q3", "--tier", "t2")
    assert [r["key"] for r in t2["accounts"]] == ["b", "d"]
    assert t2["value_at_risk"] == 300
    # Q2: a fell 9 → 6 (33 %) with health (0.6 + 1.8)/4 = 0.6; b is at 1.0; c and d have no rows
    q2 = _json(*hand, "--period", "2026-Q2", "--at-risk")
    assert [r["key"] for r in q2["accounts"]] == ["a"]
    assert q2["accounts"][0]["health"] == pytest.approx(0.6)


def test_the_text_is_a_table_with_a_total(hand: list[str]) -> None:
    run = cli("accounts", *hand, "--period", "2026-Q3", "--at-risk")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "hand — 3 accounts at risk in 2026-Q3"
    columns = ["Account", "Tier", "Health", "Band", "Value at risk", "At risk", "Reasons"]
    assert re.split(r"\s{2,}", lines[2]) == columns
    reason = "health 0.625 is below 0.65"
    assert re.split(r"\s{2,}", lines[4]) == ["b", "t2", "0.625", "red", "300", "yes", reason]
    assert "3 at risk, 470 of value at risk." in run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tier", "gold"], "unknown tier 'gold' (tiers: t1, t2, all)"),
        (["--period", "2031-Q1"], "period '2031-Q1' has no data (data covers 2026-Q1 to 2026-Q3)"),
        (["--period", "soon"], "soon"),
    ],
)
def test_bad_tier_or_period_is_one_line_and_exit_2(
    hand: list[str], args: list[str], message: str
) -> None:
    run = cli("accounts", *hand, *args)
    assert run.returncode == 2
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


def test_without_data_it_says_so(repo_root: Path) -> None:
    run = cli("accounts", TEMPLATE, cwd=repo_root)
    assert run.returncode == 2
    assert "accounts needs data" in run.stderr


def _quarter(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates)
    return d.dt.year.astype(str) + "-Q" + ((d.dt.month - 1) // 3 + 1).astype(str)


def test_on_the_sample_the_at_risk_lists_caught_most_accounts_that_later_churned(
    repo_root: Path,
) -> None:
    """Each quarter's at-risk list, as the command prints it, against renewals.csv.

    An account that churned at a renewal in quarter q is caught when it is on the at-risk
    list of one of the four quarters before q in which it was active: 26 of 35 on the
    sample (docs/analytics.md).
    """
    from scorecard_studio.cli.accounts_command import accounts_json
    from scorecard_studio.engines.analytics import analyze
    from scorecard_studio.engines.data_loading import load_source_tables
    from scorecard_studio.engines.design_file import load_design

    card = load_design(repo_root / TEMPLATE)
    evidence = analyze(card, load_source_tables(card, [str(repo_root / DATA)]))
    labels = list(evidence.period_labels)
    flagged = {
        label: {a["key"] for a in accounts_json(evidence, p, None, at_risk_only=True)["accounts"]}
        for p, label in enumerate(labels)
    }
    active = evidence.panel.active()
    row = {k: i for i, k in enumerate(evidence.panel.keys)}
    renewals = pd.read_csv(repo_root / "sample_workbooks" / "csv" / "renewals.csv")
    renewals = renewals.assign(q=_quarter(renewals["renewal_date"]))
    churned, caught = set(), set()
    for account, quarter in renewals.loc[renewals.renewed == 0, ["account_id", "q"]].itertuples(
        index=False
    ):
        q = labels.index(quarter)
        before = [t for t in range(max(q - 4, 0), q) if active[row[account], t]]
        if not before:
            continue
        churned.add(account)
        if any(account in flagged[labels[t]] for t in before):
            caught.add(account)
    assert (len(caught), len(churned)) == (26, 35)
    assert evidence.catch is not None
    assert (evidence.catch.caught, evidence.catch.churned) == (26, 35)
    assert math.isclose(len(caught) / len(churned), 0.743, abs_tol=0.001)
