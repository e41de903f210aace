"""The evidence settings of a design: saved only when set, read back, checked."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

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
from scorecard_studio.domain.checks import check_design
from scorecard_studio.domain.design_codec import dumps_design, loads_design
from scorecard_studio.domain.design_diff import diff_designs
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

TEMPLATES = ("customer_centric.json", "four_perspective.json", "cx_leading_lagging.json")


def _kpi(kid: str, indicator: IndicatorType = IndicatorType.LAGGING) -> Kpi:
    return Kpi(
        kid,
        kid.upper(),
        Measure(Aggregation.MEAN, source="s", column=kid),
        TargetSet(TargetValues(baseline=0, target=1)),
        indicator=indicator,
    )


CARD = Scorecard(
    "c",
    (
        Perspective(
            "p",
            "P",
            kpis=(_kpi("usage", IndicatorType.LEADING), _kpi("churn")),
            objectives=(Objective("keep", "Keep customers", kpis=(_kpi("nps"),)),),
        ),
    ),
    sources=(DataSource("s", "S", key_column="id", date_column="d"),),
)


def _with(**changes: object) -> Scorecard:
    return dataclasses.replace(CARD, analytics=dataclasses.replace(Analytics(), **changes))


def _codes(card: Scorecard) -> set[str]:
    return {f.code for f in check_design(card)}


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_shipped_design_saves_to_the_same_bytes(repo_root: Path, name: str) -> None:
    text = (repo_root / "resources" / "templates" / name).read_text(encoding="utf-8")
    assert dumps_design(loads_design(text)) == text


def test_no_evidence_settings_write_no_analytics_key() -> None:
    assert "analytics" not in json.loads(dumps_design(CARD))


def test_evidence_settings_round_trip_and_only_set_fields_are_written() -> None:
    card = _with(
        links=(StrategyLink("usage", "churn", LinkSign.NEGATIVE),),
        risk_rules=(RiskRule("fall", "Usage falling", RuleKind.FALL, 0.2, "usage", 2, True),),
        bands=HealthBands(green=0.9),
        outcomes=Outcomes("s", "renewed", horizon=2),
        value=AccountValue("s", "arr"),
    )
    text = dumps_design(card)
    assert loads_design(text) == card
    doc = json.loads(text)["analytics"]
    assert doc["links"] == [{"cause": "usage", "effect": "churn", "sign": "negative"}]
    assert doc["bands"] == {"green": 0.9}
    assert doc["outcomes"] == {"source": "s", "column": "renewed", "horizon": 2}
    assert doc["risk_rules"][0] == {
        "id": "fall",
        "name": "Usage falling",
        "kind": "fall",
        "threshold": 0.2,
        "kpi": "usage",
        "periods": 2,
        "relative": True,
    }
    assert check_design(card) == []


def test_a_link_is_part_of_the_diff() -> None:
    new = _with(links=(StrategyLink("usage", "churn"),))
    changes = diff_designs(CARD, new).changes
    assert [(c.kind.value, c.item, c.item_name) for c in changes] == [
        ("added", "link", "usage → churn")
    ]


def test_bands_default_to_the_rag_thresholds() -> None:
    assert Analytics().band_thresholds(1.0, 0.7) == (1.0, 0.7)
    assert Analytics(bands=HealthBands(amber=0.5)).band_thresholds(1.0, 0.7) == (1.0, 0.5)


@pytest.mark.parametrize(
    ("analytics", "code"),
    [
        ({"links": (StrategyLink("usage", "nowhere"),)}, "unknown_link_item"),
        ({"links": (StrategyLink("ghost", "churn"),)}, "unknown_link_item"),
        ({"links": (StrategyLink("usage", "usage"),)}, "self_link"),
        ({"links": (StrategyLink("usage", "keep"),) * 2}, "duplicate_link"),
        ({"links": (StrategyLink("churn", "usage"),)}, "link_against_indicators"),
        ({"risk_rules": (RiskRule("r", "R", RuleKind.BELOW, 1, "ghost"),)}, "unknown_rule_kpi"),
        ({"risk_rules": (RiskRule("r", "R", RuleKind.FALL, -0.2, "usage"),)}, "bad_rule"),
        ({"risk_rules": (RiskRule("r", "R", RuleKind.FALL, 0.2, "usage", 0),)}, "bad_rule"),
        ({"risk_rules": (RiskRule("r", "R", RuleKind.ABOVE, 1, relative=True),)}, "bad_rule"),
        ({"risk_rules": (RiskRule("r", "R", RuleKind.FALL, 0.1, minimum_value=5),)}, "bad_rule"),
        ({"risk_rules": (RiskRule("r", "R", RuleKind.BELOW, 1),) * 2}, "duplicate_id"),
        ({"bands": HealthBands(green=0.5, amber=0.6)}, "bad_bands"),
        ({"outcomes": Outcomes("zz", "renewed")}, "unknown_source"),
        ({"outcomes": Outcomes("s")}, "bad_outcomes"),
        ({"outcomes": Outcomes("s", "renewed", horizon=0)}, "bad_outcomes"),
        ({"outcomes": Outcomes("s", "renewed", fit_share=1.0)}, "bad_outcomes"),
        ({"value": AccountValue("s", "arr", kpi="usage")}, "bad_value"),
        ({"value": AccountValue(kpi="ghost")}, "bad_value"),
        ({"value": AccountValue("zz", "arr")}, "unknown_source"),
        ({"minimum_pairs": 3}, "bad_evidence"),
        ({"redundancy_threshold": 1.5}, "bad_evidence"),
    ],
)
def test_bad_evidence_settings_are_findings(analytics: dict[str, object], code: str) -> None:
    assert code in _codes(_with(**analytics))


def test_links_may_join_objectives_and_kpis() -> None:
    card = _with(links=(StrategyLink("usage", "keep"),))
    assert check_design(card) == []
