"""Strategy-map link edits, and the design diff reporting links added, removed, re-signed."""

from __future__ import annotations

import dataclasses

import pytest

from scorecard_studio.domain import edits
from scorecard_studio.domain.analytics import Analytics, LinkSign, StrategyLink
from scorecard_studio.domain.checks import check_design
from scorecard_studio.domain.design_diff import ChangeKind, diff_designs
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.link_edits import add_link, remove_links, set_link_sign
from scorecard_studio.domain.model import (
    Aggregation,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
)
from scorecard_studio.domain.retirement import retire_kpi


def _kpi(kid: str) -> Kpi:
    return Kpi(kid, kid.title(), Measure(Aggregation.SUM, source="s", column=kid))


CARD = Scorecard(
    "links",
    (
        Perspective("fin", "Financial", objectives=(Objective("grow", "Grow", 1, (_kpi("rev"),)),)),
        Perspective("cust", "Customer", kpis=(_kpi("nps"), _kpi("usage"))),
    ),
    analytics=Analytics(links=(StrategyLink("usage", "nps"),)),
)


def test_add_link_appends_with_the_stated_sign() -> None:
    card = add_link(CARD, "nps", "grow", LinkSign.NEGATIVE)
    assert card.analytics.links == (
        StrategyLink("usage", "nps"),
        StrategyLink("nps", "grow", LinkSign.NEGATIVE),
    )
    assert CARD.analytics.links == (StrategyLink("usage", "nps"),)  # a new design, not a change


@pytest.mark.parametrize(
    ("cause", "effect", "message"),
    [
        ("usage", "nps", "already on the map"),
        ("nps", "nps", "to itself"),
        ("nps", "fin", "it is a perspective"),
        ("ghost", "nps", "not in the scorecard"),
    ],
)
def test_add_link_refuses_what_the_checks_would_flag(cause: str, effect: str, message: str) -> None:
    with pytest.raises(DesignError, match=message):
        add_link(CARD, cause, effect)


def test_remove_and_re_sign() -> None:
    card = add_link(CARD, "rev", "nps")
    assert remove_links(card, [("usage", "nps")]).analytics.links == (StrategyLink("rev", "nps"),)
    assert remove_links(card, [("usage", "nps"), ("rev", "nps")]).analytics == Analytics()
    with pytest.raises(DesignError, match="no link nps → rev"):
        remove_links(card, [("nps", "rev")])
    flipped = set_link_sign(card, "rev", "nps", LinkSign.NEGATIVE)
    assert flipped.analytics.links[1].sign is LinkSign.NEGATIVE


def test_design_diff_reports_each_link_added_removed_or_re_signed() -> None:
    after = set_link_sign(
        add_link(remove_links(CARD, [("usage", "nps")]), "rev", "nps"),
        "rev",
        "nps",
        LinkSign.NEGATIVE,
    )
    after = dataclasses.replace(after, name="links")
    diff = diff_designs(CARD, after)
    got = [(c.kind, c.item, c.item_name) for c in diff.changes]
    assert got == [
        (ChangeKind.ADDED, "link", "rev → nps"),
        (ChangeKind.REMOVED, "link", "usage → nps"),
    ]
    assert diff.changes[0].new == {"cause": "rev", "effect": "nps", "sign": "negative", "note": ""}
    assert diff.to_text().splitlines()[1:] == [
        "  + Link “rev → nps” added",
        "  - Link “usage → nps” removed",
    ]
    signed = diff_designs(after, set_link_sign(after, "rev", "nps", LinkSign.POSITIVE))
    assert [(c.kind, c.item_name, c.field, c.old, c.new) for c in signed.changes] == [
        (ChangeKind.CHANGED, "rev → nps", "sign", "negative", "positive")
    ]


#: Links touching each level of the tree: a KPI (usage, nps), an objective (grow) and an
#: objective's KPI (rev).
LINKED = dataclasses.replace(
    CARD,
    analytics=Analytics(
        links=(
            StrategyLink("usage", "nps"),
            StrategyLink("nps", "grow"),
            StrategyLink("rev", "nps", LinkSign.NEGATIVE),
            StrategyLink("usage", "rev"),
        )
    ),
)


@pytest.mark.parametrize(
    ("item", "left"),
    [
        ("usage", [("nps", "grow"), ("rev", "nps")]),
        ("nps", [("usage", "rev")]),
        ("rev", [("usage", "nps"), ("nps", "grow")]),  # the objective stays, its KPI goes
        ("grow", [("usage", "nps")]),  # with the objective goes its KPI rev, and rev's links
        ("fin", [("usage", "nps")]),  # the perspective holds grow and rev
        ("cust", []),  # nps and usage: every link has one of them at an end
    ],
)
def test_removing_an_item_removes_the_links_that_touch_it(
    item: str, left: list[tuple[str, str]]
) -> None:
    card = edits.remove_item(LINKED, item)
    assert [(k.cause, k.effect) for k in card.analytics.links] == left
    assert not [c for c in check_design(card) if c.code == "unknown_link_item"]


def test_moving_an_item_keeps_its_links() -> None:
    moved = edits.move_kpi(LINKED, "rev", "cust")
    assert moved.analytics.links == LINKED.analytics.links
    moved = edits.move_objective(LINKED, "grow", "cust")
    assert moved.analytics.links == LINKED.analytics.links


def test_retiring_a_kpi_removes_its_links() -> None:
    card = retire_kpi(LINKED, "rev", "replaced by net revenue retention", "2026-10-01")
    assert card.analytics.links == (StrategyLink("usage", "nps"), StrategyLink("nps", "grow"))
    assert card.retired[0].kpi.id == "rev"


def test_removing_a_kpi_removes_the_rules_and_the_account_value_that_read_it() -> None:
    from scorecard_studio.domain.analytics import AccountValue, RiskRule, RuleKind

    kind = next(iter(RuleKind))
    rules = (
        RiskRule("r1", "NPS low", kind, 0.0, kpi="nps"),
        RiskRule("r2", "Health low", kind, 0.5),  # reads the health score: no KPI
        RiskRule("r3", "Usage falls", kind, 0.2, kpi="usage"),
    )
    card = dataclasses.replace(
        LINKED,
        analytics=dataclasses.replace(
            LINKED.analytics, risk_rules=rules, value=AccountValue(kpi="nps")
        ),
    )
    after = edits.remove_item(card, "nps")
    assert [r.id for r in after.analytics.risk_rules] == ["r2", "r3"]
    assert after.analytics.value == AccountValue()
    assert not [f for f in check_design(after) if f.code in ("unknown_rule_kpi", "bad_value")]
    kept = edits.remove_item(card, "rev")  # nothing reads rev: rules and value unchanged
    assert kept.analytics.risk_rules == rules
    assert kept.analytics.value == AccountValue(kpi="nps")
