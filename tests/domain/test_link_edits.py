"""Strategy-map link edits, and the design diff reporting links added, removed, re-signed."""

from __future__ import annotations

import dataclasses

import pytest

from scorecard_studio.domain.analytics import Analytics, LinkSign, StrategyLink
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
