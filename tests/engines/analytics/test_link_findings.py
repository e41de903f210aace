"""Leading KPIs without a supported link to a lagging item, and unsupported links, are findings.

The design checks (``domain/analytics_checks.py``) cannot say this: it needs the data. The
analytics' ``link_findings`` does, and ``analyze`` returns its findings with the evidence.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard_studio.domain.analytics import Analytics, StrategyLink
from scorecard_studio.domain.findings import Severity
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    IndicatorType,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.analytics import Evidence, Verdict, analyze

SRC = DataSource("src", "Rows", key_column="key", date_column="date")
LEAD, LAG = IndicatorType.LEADING, IndicatorType.LAGGING


def _kpi(kid: str, indicator: IndicatorType) -> Kpi:
    return Kpi(
        kid,
        kid.title(),
        Measure(Aggregation.MEAN, source="src", column=kid),
        TargetSet(TargetValues(baseline=0, target=1000)),  # never capped: scores follow values
        indicator=indicator,
    )


CARD = Scorecard(
    "findings",
    (
        Perspective(
            "cust",
            "Customer",
            objectives=(Objective("keep", "Keep", 1, (_kpi("loyalty", LAG),)),),
        ),
        Perspective(
            "proc",
            "Process",
            kpis=tuple(_kpi(k, LEAD) for k in ("usage", "tickets", "ces", "logins", "clicks")),
        ),
    ),
    sources=(SRC,),
    analytics=Analytics(
        links=(
            StrategyLink("usage", "loyalty"),  # supported, to a lagging KPI
            StrategyLink("tickets", "loyalty"),  # unrelated: not supported
            StrategyLink("ces", "keep"),  # supported, to an objective
            StrategyLink("clicks", "usage"),  # supported, but to a leading KPI
        ),  # logins: no link at all
        minimum_pairs=10,
    ),
)


def _tables() -> dict[str, pd.DataFrame]:
    rows = []
    for i in range(20):
        for q, date in enumerate(("2026-01-15", "2026-04-15", "2026-07-15")):
            usage = float(i + 3 * q)
            rows.append(
                {
                    "key": f"A{i:02d}",
                    "date": date,
                    "usage": usage,
                    "loyalty": 2 * usage + 1,
                    "tickets": float((i * 7 + q * 3) % 5),
                    "ces": usage + 0.5,
                    "logins": usage,
                    "clicks": usage / 2,
                }
            )
    return {"src": pd.DataFrame(rows)}


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return analyze(CARD, _tables())


def test_the_links_verdicts(evidence: Evidence) -> None:
    verdicts = {(e.link.cause, e.link.effect): e.verdict for e in evidence.links}
    assert verdicts == {
        ("usage", "loyalty"): Verdict.SUPPORTED,
        ("tickets", "loyalty"): Verdict.NOT_SUPPORTED,
        ("ces", "keep"): Verdict.SUPPORTED,
        ("clicks", "usage"): Verdict.SUPPORTED,
    }


def test_leading_kpis_without_a_supported_link_to_a_lagging_item_are_findings(
    evidence: Evidence,
) -> None:
    leading = [f for f in evidence.findings if f.code == "leading_without_support"]
    # usage → loyalty and ces → the objective count; tickets' link is not supported, logins
    # has none, and clicks only reaches another leading KPI
    assert sorted(f.item for f in leading) == ["clicks", "logins", "tickets"]
    assert all(f.severity is Severity.WARNING for f in leading)
    assert "'Logins' has no supported link to a lagging item" in next(
        f.message for f in leading if f.item == "logins"
    )


def test_an_unsupported_link_is_a_finding_with_its_numbers(evidence: Evidence) -> None:
    (unsupported,) = [f for f in evidence.findings if f.code == "link_not_supported"]
    assert unsupported.item == "tickets"
    assert "link 'Tickets' → 'Loyalty':" in unsupported.message  # names, not ids
    # its strongest positive r is at lag 2: Q1 against Q3, one pair per account
    assert "best lag 2" in unsupported.message
    assert unsupported.message.endswith("n = 20)")


def test_the_findings_reach_the_cli_document(evidence: Evidence) -> None:
    codes = [f["code"] for f in evidence.links_json()["findings"]]
    assert codes.count("leading_without_support") == 3
