"""Build the template designs shipped in ``resources/templates`` from Python.

    python sample_workbooks/build_templates.py

Writing them through the design dataclasses and the design codec keeps every template a
valid, canonical design file. All three map onto ``customer_data.xlsx``, so each scores
the sample data completely.
"""

from __future__ import annotations

from pathlib import Path

from scorecard_studio.domain.analytics import (
    AccountValue,
    Analytics,
    HealthBands,
    LinkSign,
    Outcomes,
    RiskRule,
    RuleKind,
    StrategyLink,
)
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

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = "customer_data.xlsx"
LEAD, LAG = IndicatorType.LEADING, IndicatorType.LAGGING
Tiered = dict[str, tuple[float, float, float]]


def source(sid: str, sheet: str, date: str, columns: tuple[str, ...]) -> DataSource:
    return DataSource(
        sid,
        sheet,
        file=WORKBOOK,
        sheet=sheet,
        key_column="account_id",
        date_column=date,
        tier_column="tier",
        columns=columns,
    )


SOURCES = (
    source(
        "crm",
        "CRM",
        "contract_start",
        (
            "account_id",
            "account_name",
            "tier",
            "region",
            "segment",
            "owner",
            "contract_start",
            "churned_on",
            "arr",
            "days_to_value",
        ),
    ),
    source(
        "billing",
        "Billing",
        "month",
        ("account_id", "month", "tier", "revenue", "margin", "invoices", "dso"),
    ),
    source(
        "survey",
        "Survey",
        "responded_on",
        ("response_id", "account_id", "responded_on", "tier", "nps", "csat", "ces"),
    ),
    source(
        "support",
        "Support",
        "opened_on",
        ("ticket_id", "account_id", "opened_on", "tier", "escalated", "resolution_hours"),
    ),
    source(
        "usage", "Usage", "month", ("account_id", "month", "tier", "logins", "feature_adoption")
    ),
    source(
        "renewals",
        "Renewals",
        "renewal_date",
        ("account_id", "tier", "renewal_date", "outcome", "renewed"),
    ),
)


def targets(default: tuple[float, float, float], tiers: Tiered | None = None) -> TargetSet:
    """Baseline/target/stretch by default, overridden per tier."""

    def values(t: tuple[float, float, float]) -> TargetValues:
        return TargetValues(baseline=t[0], target=t[1], stretch=t[2])

    overrides = tuple(TargetOverride(values(v), tier=tier) for tier, v in (tiers or {}).items())
    return TargetSet(values(default), overrides)


def kpi(
    kid: str,
    name: str,
    measure: Measure,
    tset: TargetSet,
    indicator: IndicatorType,
    *,
    unit: str = "",
    fmt: str = "0.00",
    owner: str = "",
    description: str = "",
    weight: float = 1.0,
) -> Kpi:
    lower = (
        tset.default.target is not None
        and tset.default.baseline is not None
        and (tset.default.target < tset.default.baseline)
    )
    return Kpi(
        kid,
        name,
        measure,
        tset,
        weight=weight,
        direction=Direction.LOWER if lower else Direction.HIGHER,
        indicator=indicator,
        method=ScoringMethod.LINEAR,
        unit=unit,
        number_format=fmt,
        owner=owner,
        description=description,
    )


def _m(agg: Aggregation, src: str, column: str | None = None, **kw: object) -> Measure:
    return Measure(agg, source=src, column=column, **kw)  # type: ignore[arg-type]


def customer_kpis() -> dict[str, Kpi]:
    """The twelve KPIs of the customer-centric scorecard, by id."""
    return {
        k.id: k
        for k in (
            kpi(
                "nps",
                "Net Promoter Score",
                _m(Aggregation.NPS, "survey", "nps"),
                targets((0, 30, 45), {"tier_1": (10, 35, 50)}),
                LAG,
                fmt="0",
                owner="VP Customer Success",
                description="% promoters (9–10) minus % detractors (0–6) of survey answers",
            ),
            kpi(
                "csat",
                "CSAT",
                _m(Aggregation.CSAT, "survey", "csat"),
                targets((0.6, 0.8, 0.9)),
                LAG,
                unit="%",
                fmt="0.0%",
                owner="Support lead",
                description="Share of 4–5 answers on the 1–5 satisfaction question",
            ),
            kpi(
                "ces",
                "Customer Effort Score",
                _m(Aggregation.CES, "survey", "ces"),
                targets((4.5, 5.3, 6.0)),
                LEAD,
                fmt="0.00",
                owner="Support lead",
                description="Mean of the 1–7 ease answers (7 = very easy)",
            ),
            kpi(
                "churn",
                "Churn rate",
                _m(
                    Aggregation.CHURN_RATE,
                    "crm",
                    start_column="contract_start",
                    end_column="churned_on",
                ),
                targets((0.06, 0.03, 0.02), {"tier_1": (0.04, 0.02, 0.01)}),
                LAG,
                unit="%",
                fmt="0.0%",
                owner="VP Customer Success",
                description="Accounts lost in the quarter over accounts active at its start",
            ),
            kpi(
                "renewal_rate",
                "Renewal rate",
                _m(Aggregation.MEAN, "renewals", "renewed"),
                targets((0.85, 0.93, 0.97)),
                LAG,
                unit="%",
                fmt="0.0%",
                owner="Renewals desk",
                description="Renewals won over renewals due in the quarter",
            ),
            kpi(
                "clv",
                "Customer lifetime value",
                _m(
                    Aggregation.CLV_SIMPLE,
                    "billing",
                    "margin",
                    retention_rate=0.96,
                    discount_rate=0.03,
                ),
                targets(
                    (40_000, 70_000, 90_000),
                    {
                        "tier_1": (600_000, 900_000, 1_100_000),
                        "tier_2": (150_000, 250_000, 320_000),
                        "tier_3": (50_000, 80_000, 100_000),
                        "tier_4": (12_000, 20_000, 26_000),
                    },
                ),
                LAG,
                unit="USD",
                fmt="#,##0",
                owner="CFO",
                description="Margin per account per quarter × r ÷ (1 + d − r)",
            ),
            kpi(
                "ttm_revenue",
                "TTM revenue",
                _m(Aggregation.TTM_SUM, "billing", "revenue"),
                targets(
                    (55e6, 66e6, 72e6),
                    {
                        "tier_1": (24e6, 29e6, 32e6),
                        "tier_2": (21e6, 26e6, 29e6),
                        "tier_3": (6.5e6, 8e6, 9e6),
                        "tier_4": (2.2e6, 2.8e6, 3.2e6),
                    },
                ),
                LAG,
                unit="USD",
                fmt="#,##0",
                owner="CFO",
                description="Revenue over the trailing twelve months",
            ),
            kpi(
                "ttm_margin",
                "TTM margin",
                _m(Aggregation.TTM_SUM, "billing", "margin"),
                targets(
                    (36e6, 44e6, 48e6),
                    {
                        "tier_1": (16e6, 20e6, 22e6),
                        "tier_2": (13e6, 17e6, 19e6),
                        "tier_3": (4e6, 5e6, 5.6e6),
                        "tier_4": (1.3e6, 1.65e6, 1.9e6),
                    },
                ),
                LAG,
                unit="USD",
                fmt="#,##0",
                owner="CFO",
                description="Gross margin over the trailing twelve months",
            ),
            kpi(
                "dso",
                "Days sales outstanding",
                _m(Aggregation.MEAN, "billing", "dso"),
                targets((55, 40, 32), {"tier_1": (65, 50, 42)}),
                LAG,
                unit="days",
                fmt="0.0",
                owner="Finance operations",
                description="Mean days from invoice to payment",
            ),
            kpi(
                "time_to_value",
                "Time to value",
                _m(Aggregation.MEAN, "crm", "days_to_value"),
                targets((60, 30, 20), {"tier_1": (110, 70, 55), "tier_2": (75, 45, 35)}),
                LEAD,
                unit="days",
                fmt="0",
                owner="Onboarding lead",
                description="Mean days from contract start to first value, new accounts",
            ),
            kpi(
                "escalations",
                "Escalation rate",
                _m(Aggregation.MEAN, "support", "escalated"),
                targets((0.16, 0.09, 0.05)),
                LEAD,
                unit="%",
                fmt="0.0%",
                owner="Support lead",
                description="Share of support tickets escalated",
            ),
            kpi(
                "adoption",
                "Feature adoption",
                _m(Aggregation.MEAN, "usage", "feature_adoption"),
                targets((0.35, 0.5, 0.6)),
                LEAD,
                unit="%",
                fmt="0.0%",
                owner="Product",
                description="Mean share of key features used by each account",
            ),
        )
    }


SETTINGS = Settings(minimum_sample=30, currency="USD")

#: The customer-centric template's evidence: the strategy map's links (leading → lagging,
#: then loyalty → retention → value), the behavioural at-risk triggers, renewals as
#: outcomes and ARR as the value at risk. The sample data's hidden account health drives
#: usage, escalations, surveys and churn, so all links but time to value's are supported
#: there; time to value is recorded once per account and says nothing about its later fate.
#: Health bands are set from the 2022-Q4 … 2024-Q3 quarters (the calibration's fit periods).
CUSTOMER_EVIDENCE = Analytics(
    links=(
        StrategyLink("adoption", "churn", LinkSign.NEGATIVE),
        StrategyLink("adoption", "nps", LinkSign.POSITIVE),
        StrategyLink("escalations", "churn", LinkSign.POSITIVE),
        StrategyLink("escalations", "csat", LinkSign.NEGATIVE),
        StrategyLink("ces", "renewal_rate", LinkSign.POSITIVE),
        StrategyLink("time_to_value", "retain", LinkSign.NEGATIVE),
        StrategyLink("nps", "renewal_rate", LinkSign.POSITIVE),
        StrategyLink("nps", "churn", LinkSign.NEGATIVE),
        StrategyLink("churn", "ttm_revenue", LinkSign.NEGATIVE),
        StrategyLink("churn", "clv", LinkSign.NEGATIVE),
    ),
    risk_rules=(
        RiskRule("usage_falling", "Usage falling", RuleKind.FALL, 0.15, "adoption", 1, True),
        RiskRule("escalations", "Escalations", RuleKind.ABOVE, 0.5, "escalations"),
        RiskRule("detractor", "Detractor NPS", RuleKind.BELOW, 0, "nps"),
        RiskRule("overdue", "Overdue invoices", RuleKind.ABOVE, 60, "dso"),
        RiskRule(
            "health_drop",
            "Health fell fast",
            RuleKind.FALL,
            0.2,
            None,
            1,
            minimum_value=100_000,
        ),
    ),
    bands=HealthBands(green=0.85, amber=0.7),
    outcomes=Outcomes("renewals", "renewed", horizon=4),
    value=AccountValue("crm", "arr"),
)


def customer_centric() -> Scorecard:
    k = customer_kpis()
    return Scorecard(
        "Customer-centric scorecard",
        (
            Perspective(
                "financial",
                "Financial",
                1.0,
                objectives=(
                    Objective(
                        "grow_value",
                        "Grow account value",
                        1.0,
                        (k["ttm_revenue"], k["ttm_margin"], k["clv"]),
                    ),
                    Objective("cash", "Collect cash on time", 0.5, (k["dso"],)),
                ),
            ),
            Perspective(
                "customer",
                "Customer",
                1.5,
                objectives=(
                    Objective("loyalty", "Earn loyalty", 1.0, (k["nps"], k["csat"])),
                    Objective("retain", "Keep customers", 1.0, (k["churn"], k["renewal_rate"])),
                ),
            ),
            Perspective(
                "process",
                "Internal process",
                1.0,
                kpis=(k["ces"], k["escalations"], k["time_to_value"]),
            ),
            Perspective("growth", "Learning & growth", 0.5, kpis=(k["adoption"],)),
        ),
        sources=SOURCES,
        settings=SETTINGS,
        analytics=CUSTOMER_EVIDENCE,
        description="NPS, CSAT, CES, churn, renewals, CLV, TTM revenue and margin, DSO, time "
        "to value, escalations and adoption; leading and lagging marked, targets per tier.",
    )


def four_perspective() -> Scorecard:
    k = customer_kpis()
    return Scorecard(
        "Classic four-perspective scorecard",
        (
            Perspective(
                "financial", "Financial", kpis=(k["ttm_revenue"], k["ttm_margin"], k["dso"])
            ),
            Perspective("customer", "Customer", kpis=(k["nps"], k["churn"])),
            Perspective("process", "Internal Process", kpis=(k["time_to_value"], k["escalations"])),
            Perspective("learning", "Learning & Growth", kpis=(k["adoption"],)),
        ),
        sources=SOURCES,
        settings=SETTINGS,
        description="Kaplan and Norton's four perspectives with two or three KPIs each.",
    )


def cx_leading_lagging() -> Scorecard:
    k = customer_kpis()
    return Scorecard(
        "Customer experience: leading and lagging",
        (
            Perspective(
                "leading",
                "Leading indicators",
                1.0,
                kpis=(k["ces"], k["adoption"], k["escalations"], k["time_to_value"]),
            ),
            Perspective(
                "lagging",
                "Lagging outcomes",
                1.0,
                kpis=(k["nps"], k["csat"], k["churn"], k["renewal_rate"]),
            ),
        ),
        sources=tuple(s for s in SOURCES if s.id != "billing"),
        settings=SETTINGS,
        description="What customers do and feel now (leading) beside what it becomes "
        "(lagging): the classic customer-management dashboard.",
    )


TEMPLATES = {
    "customer_centric": customer_centric,
    "four_perspective": four_perspective,
    "cx_leading_lagging": cx_leading_lagging,
}


def main() -> None:
    folder = ROOT / "resources" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        save_design(build(), folder / f"{name}.json")
        print(f"wrote resources/templates/{name}.json")


if __name__ == "__main__":
    main()
