"""Design checks of the evidence settings: links, at-risk rules, bands, outcomes, value.

Separate from ``checks.py`` so the scorecard checks stay readable; ``check_design`` calls
``check_analytics`` and merges the findings. Like every design check these never raise:
a rule half typed in is a design the user is still writing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from scorecard_studio.domain.analytics import CHANGE_KINDS, Analytics, RiskRule
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import IndicatorType, Scorecard

_E, _W = Severity.ERROR, Severity.WARNING


def check_analytics(card: Scorecard) -> list[Finding]:
    """Every finding about ``card.analytics``; empty for the default (no evidence set up)."""
    a = card.analytics
    if a == Analytics():
        return []
    out: list[Finding] = []
    out.extend(_check_links(card))
    out.extend(_check_rules(card))
    out.extend(_check_settings(card))
    return out


def _items(card: Scorecard) -> dict[str, str]:
    """Ids a link may name: KPIs and objectives, with their names for messages."""
    named = {k.id: k.name for k in card.all_kpis()}
    for p in card.perspectives:
        for o in p.objectives:
            named.setdefault(o.id, o.name)
    return named


def _check_links(card: Scorecard) -> Iterable[Finding]:
    items = _items(card)
    indicator = {k.id: k.indicator for k in card.all_kpis()}
    seen = Counter((link.cause, link.effect) for link in card.analytics.links)
    for (cause, effect), count in seen.items():
        if count > 1:
            yield Finding(
                _W, "duplicate_link", cause, f"the link {cause} → {effect} is stated {count} times"
            )
    for link in card.analytics.links:
        where = f"{link.cause} → {link.effect}"
        for end, ident in (("cause", link.cause), ("effect", link.effect)):
            if ident not in items:
                yield Finding(
                    _E,
                    "unknown_link_item",
                    ident,
                    f"link {where}: its {end} {ident!r} is no KPI or objective of the scorecard",
                )
        if link.cause == link.effect:
            yield Finding(_E, "self_link", link.cause, f"link {where} links an item to itself")
        elif (
            indicator.get(link.cause) is IndicatorType.LAGGING
            and indicator.get(link.effect) is IndicatorType.LEADING
        ):
            yield Finding(
                _W,
                "link_against_indicators",
                link.cause,
                f"link {where} runs from a lagging KPI to a leading one",
            )


def _check_rules(card: Scorecard) -> Iterable[Finding]:
    kpis = {k.id for k in card.all_kpis()}
    rules = card.analytics.risk_rules
    for ident, count in Counter(r.id for r in rules).items():
        if count > 1:
            yield Finding(
                _E, "duplicate_id", ident, f"{count} at-risk rules share the id {ident!r}"
            )
    value_set = card.analytics.value.column is not None or card.analytics.value.kpi is not None
    for rule in rules:
        yield from _check_rule(rule, kpis, value_set)


def _check_rule(rule: RiskRule, kpis: set[str], value_set: bool) -> Iterable[Finding]:
    label = f"at-risk rule {rule.name or rule.id!r}"
    if not rule.id:
        yield Finding(_E, "bad_rule", "", f"{label} has no id")
    if rule.kpi is not None and rule.kpi not in kpis:
        yield Finding(_E, "unknown_rule_kpi", rule.id, f"{label} reads unknown KPI {rule.kpi!r}")
    if not math.isfinite(rule.threshold):
        yield Finding(_E, "bad_rule", rule.id, f"{label} has no finite threshold")
    if rule.kind in CHANGE_KINDS:
        if rule.periods < 1:
            yield Finding(
                _E, "bad_rule", rule.id, f"{label} compares over {rule.periods} periods (need ≥ 1)"
            )
        if rule.threshold < 0:
            yield Finding(
                _E,
                "bad_rule",
                rule.id,
                f"{label}: a {rule.kind.value} is measured as a positive amount, "
                f"not {rule.threshold:g}",
            )
    elif rule.relative:
        yield Finding(
            _W, "bad_rule", rule.id, f"{label}: 'relative' only applies to a fall or a rise"
        )
    if rule.minimum_value is not None and not value_set:
        yield Finding(
            _W,
            "bad_rule",
            rule.id,
            f"{label} needs an account value (ARR or CLV) for its minimum value",
        )


def _check_settings(card: Scorecard) -> Iterable[Finding]:
    a = card.analytics
    sources = {s.id for s in card.sources}
    kpis = {k.id for k in card.all_kpis()}
    green, amber = a.band_thresholds(card.settings.rag.green, card.settings.rag.amber)
    if amber > green:
        yield Finding(_E, "bad_bands", "", "the amber health band starts above the green one")
    out = a.outcomes
    if out.source is not None and out.source not in sources:
        yield Finding(_E, "unknown_source", "", f"outcomes use unknown source {out.source!r}")
    if out.source is not None and not out.column:
        yield Finding(_E, "bad_outcomes", "", "outcomes need the column that says renewed/churned")
    if out.horizon < 1:
        yield Finding(_E, "bad_outcomes", "", f"the renewal horizon {out.horizon} is below 1")
    if not 0.0 < out.fit_share < 1.0:
        yield Finding(
            _E,
            "bad_outcomes",
            "",
            f"the share of periods that fit the bands ({out.fit_share:g}) must be between 0 and 1",
        )
    value = a.value
    if value.kpi is not None and value.column is not None:
        yield Finding(_E, "bad_value", "", "account value is a source column or a KPI, not both")
    if value.kpi is not None and value.kpi not in kpis:
        yield Finding(_E, "bad_value", value.kpi, f"account value reads unknown KPI {value.kpi!r}")
    if value.column is not None and value.source not in sources:
        yield Finding(
            _E, "unknown_source", "", f"account value uses unknown source {value.source!r}"
        )
    if a.minimum_pairs < 4:
        yield Finding(
            _E, "bad_evidence", "", f"minimum pairs {a.minimum_pairs} is below 4 (a CI needs 4)"
        )
    if not 0.0 < a.redundancy_threshold <= 1.0:
        yield Finding(
            _E,
            "bad_evidence",
            "",
            f"redundancy threshold {a.redundancy_threshold:g} is outside (0, 1]",
        )
