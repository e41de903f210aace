"""Design checks (specification section 4) that need the design alone, not the data.

Run on every edit, so they are cheap and never raise: a broken design is still a design the
user is in the middle of fixing. Checks that need rows (a tier with no rows, survey answers
out of scale) are made by the scoring engine and merged into the same findings list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from scorecard_studio.domain.analytics_checks import check_analytics
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.formula import formula_order, parse_formula, references
from scorecard_studio.domain.model import (
    Aggregation,
    Direction,
    Kpi,
    Scorecard,
    ScoringMethod,
    TargetValues,
    TierMode,
    TierWeighting,
)
from scorecard_studio.domain.periods import Calendar, calendar_of
from scorecard_studio.domain.units import (
    format_value,
    metric_name,
    possible_range,
    range_hint,
    unit_of,
)

_E, _W = Severity.ERROR, Severity.WARNING


def check_design(card: Scorecard) -> list[Finding]:
    """Every design finding, in tree order."""
    out: list[Finding] = []
    out.extend(_check_ids(card))
    out.extend(_check_retired_ids(card))
    out.extend(_check_structure(card))
    out.extend(_check_formulas(card))
    calendar = calendar_of(card)
    sources = {s.id for s in card.sources}
    tiers = set(card.tier_ids())
    for kpi in card.all_kpis():
        out.extend(_check_kpi(kpi, sources, tiers, calendar))
    out.extend(_check_settings(card, sources))
    out.extend(check_analytics(card))
    return out


def _check_ids(card: Scorecard) -> Iterable[Finding]:
    groups = {
        "KPI": [k.id for k in card.all_kpis()],
        "perspective": [p.id for p in card.perspectives],
        "objective": [o.id for p in card.perspectives for o in p.objectives],
        "tier": card.tier_ids(),
        "data source": [s.id for s in card.sources],
    }
    for kind, ids in groups.items():
        for ident, count in Counter(ids).items():
            if count > 1:
                yield Finding(_E, "duplicate_id", ident, f"{count} {kind}s share the id {ident!r}")


def _check_retired_ids(card: Scorecard) -> Iterable[Finding]:
    """An active KPI may not take a retired KPI's id: the id is how history, commentary and
    actions name a KPI, so the new one would inherit the old one's past and its notes."""
    retired = {r.kpi.id: r for r in card.retired}
    for kpi in card.all_kpis():
        r = retired.get(kpi.id)
        if r is None:
            continue
        when = f"retired on {r.retired_on}" if r.retired_on else "retired"
        yield Finding(
            _E,
            "retired_id",
            kpi.id,
            f"{kpi.name}: the id {kpi.id!r} belongs to a KPI {when} ({r.kpi.name}); "
            "choose another id",
        )


def _check_structure(card: Scorecard) -> Iterable[Finding]:
    if not card.perspectives:
        yield Finding(_W, "empty_scorecard", "", "the scorecard has no perspectives yet")
    if card.perspectives and all(p.weight == 0 for p in card.perspectives):
        yield Finding(_E, "zero_weights", "", "every perspective has weight 0")
    if not card.tiers:
        yield Finding(_E, "no_tiers", "", "the scorecard has no tiers")
    for p in card.perspectives:
        children = [o.weight for o in p.objectives] + [k.weight for k in p.kpis]
        if not children:
            yield Finding(_W, "empty_group", p.id, f"perspective {p.name!r} has no KPIs")
        elif all(w == 0 for w in children):
            yield Finding(
                _E, "zero_weights", p.id, f"every child of perspective {p.name!r} has weight 0"
            )
        for o in p.objectives:
            if not o.kpis:
                yield Finding(_W, "empty_group", o.id, f"objective {o.name!r} has no KPIs")
            elif all(k.weight == 0 for k in o.kpis):
                yield Finding(
                    _E, "zero_weights", o.id, f"every KPI of objective {o.name!r} has weight 0"
                )


def _check_formulas(card: Scorecard) -> Iterable[Finding]:
    ids = {k.id for k in card.all_kpis()}
    graph: dict[str, set[str]] = {}
    for kpi in card.all_kpis():
        if kpi.measure.aggregation is not Aggregation.FORMULA:
            continue
        try:
            node = parse_formula(kpi.measure.formula or "", f"{kpi.id}.formula")
        except DesignError as exc:
            yield Finding(_E, "formula_syntax", kpi.id, str(exc))
            continue
        refs = references(node)
        for ref in sorted(refs - ids):
            yield Finding(
                _E, "formula_unknown_reference", kpi.id, f"{kpi.name}: unknown KPI {ref!r}"
            )
        graph[kpi.id] = refs & ids
    _, cycles = formula_order(graph)
    for cycle in cycles:
        yield Finding(_E, "formula_cycle", cycle[0], "formula cycle: " + " -> ".join(cycle))


def _check_kpi(
    kpi: Kpi, sources: set[str], tiers: set[str], calendar: Calendar
) -> Iterable[Finding]:
    m = kpi.measure
    name = kpi.name
    if kpi.weight < 0:
        yield Finding(_E, "negative_weight", kpi.id, f"{name}: weight {kpi.weight} is negative")
    if m.aggregation is not Aggregation.FORMULA:
        if not m.source:
            yield Finding(_E, "no_source", kpi.id, f"{name}: no data source")
        elif m.source not in sources:
            yield Finding(_E, "unknown_source", kpi.id, f"{name}: unknown source {m.source!r}")
        yield from _check_measure_columns(kpi)
    yield from _check_targets(kpi, kpi.targets.default, "default targets")
    yield from _check_ranges(kpi, kpi.targets.default, "default")
    for override in kpi.targets.overrides:
        where = " / ".join(x for x in (override.tier, override.period) if x) or "override"
        yield from _check_ranges(kpi, override.values, where)
        if override.tier is not None and override.tier not in tiers:
            yield Finding(
                _E, "unknown_tier", kpi.id, f"{name}: override for unknown tier {override.tier!r}"
            )
        if override.period is not None and not calendar.is_valid_label(override.period):
            yield Finding(
                _E,
                "bad_period",
                kpi.id,
                f"{name}: override period {override.period!r} does not fit the "
                "scorecard's frequency",
            )
        merged = kpi.targets.resolve(override.tier, override.period)
        yield from _check_targets(kpi, merged, f"targets for {where}")


_RANGE_FIELDS = ("baseline", "target", "stretch", "red_flag", "low", "high")


def _check_ranges(kpi: Kpi, tv: TargetValues, where: str) -> Iterable[Finding]:
    """A target value the metric can never take: almost always a unit slip (80 for 80%)."""
    bounds = possible_range(kpi)
    if bounds is None:
        return
    low, high = bounds
    unit = unit_of(kpi)
    for field_name in _RANGE_FIELDS:
        value = getattr(tv, field_name)
        if value is None or low <= value <= high:
            continue
        label = field_name.replace("_", "-")
        span = (
            f"at least {format_value(low, unit)}"
            if high == float("inf")
            else f"{format_value(low, unit)} to {format_value(high, unit)}"
        )
        shown = f"{value:g}" if unit.is_percent else format_value(value, unit)
        hint = range_hint(kpi, value)
        yield Finding(
            _E,
            "target_out_of_range",
            kpi.id,
            f"{kpi.name}: {where} {label} {shown} is outside what "
            f"{metric_name(kpi.measure)} can be ({span})" + (f": {hint}" if hint else ""),
        )


def _check_measure_columns(kpi: Kpi) -> Iterable[Finding]:
    m = kpi.measure
    agg = m.aggregation
    needs_column = agg not in {Aggregation.COUNT, Aggregation.CHURN_RATE}
    if needs_column and not m.column:
        yield Finding(_E, "no_column", kpi.id, f"{kpi.name}: no column chosen for {agg.value}")
    if agg is Aggregation.RATIO and not m.denominator:
        yield Finding(_E, "no_denominator", kpi.id, f"{kpi.name}: a ratio needs a denominator")
    if agg is Aggregation.CHURN_RATE and not (m.start_column and m.end_column):
        yield Finding(
            _E, "no_column", kpi.id, f"{kpi.name}: churn rate needs start and end date columns"
        )
    scale = m.effective_scale()
    if scale is not None and not (
        scale.minimum <= scale.box_low <= scale.box_high <= scale.maximum
    ):
        yield Finding(_E, "bad_scale", kpi.id, f"{kpi.name}: the top box lies outside the scale")


def _check_targets(kpi: Kpi, tv: TargetValues, where: str) -> Iterable[Finding]:
    name = kpi.name
    method = kpi.method
    if method is ScoringMethod.RANGE:
        if tv.low is None or tv.high is None:
            yield Finding(_E, "no_target", kpi.id, f"{name}: {where} need low and high")
        elif tv.low > tv.high:
            yield Finding(_E, "bad_range", kpi.id, f"{name}: {where}: low is above high")
        return
    if tv.target is None:
        yield Finding(_E, "no_target", kpi.id, f"{name}: {where} have no target")
        return
    if method is ScoringMethod.LINEAR and tv.baseline is None:
        yield Finding(_E, "no_baseline", kpi.id, f"{name}: {where} have no baseline")
        return
    if tv.baseline is not None and tv.baseline == tv.target and method is ScoringMethod.LINEAR:
        yield Finding(
            _E, "baseline_equals_target", kpi.id, f"{name}: {where}: baseline equals target"
        )
        return
    higher = _higher_is_better(kpi, tv)
    if tv.baseline is not None and tv.baseline != tv.target:
        by_targets = tv.target > tv.baseline
        if by_targets != (kpi.direction is Direction.HIGHER):
            yield Finding(
                _W,
                "direction_mismatch",
                kpi.id,
                f"{name}: direction says {kpi.direction.value} is better but {where} say the "
                "opposite; the targets decide",
            )
    if method is ScoringMethod.RATIO and (tv.target <= 0 or (tv.baseline or 1) <= 0):
        yield Finding(
            _E, "ratio_non_positive", kpi.id, f"{name}: ratio scoring needs positive targets"
        )
    if tv.stretch is not None and (tv.stretch <= tv.target if higher else tv.stretch >= tv.target):
        yield Finding(
            _E, "stretch_wrong_side", kpi.id, f"{name}: {where}: stretch is not beyond the target"
        )
    if tv.red_flag is not None and (
        tv.red_flag >= tv.target if higher else tv.red_flag <= tv.target
    ):
        yield Finding(
            _E,
            "red_flag_wrong_side",
            kpi.id,
            f"{name}: {where}: red-flag value {format_value(tv.red_flag, unit_of(kpi))} is on "
            "the good side of the target",
        )


def _higher_is_better(kpi: Kpi, tv: TargetValues) -> bool:
    if tv.baseline is not None and tv.target is not None and tv.baseline != tv.target:
        return tv.target > tv.baseline
    return kpi.direction is Direction.HIGHER


def _check_settings(card: Scorecard, sources: set[str]) -> Iterable[Finding]:
    s = card.settings
    if s.rag.amber > s.rag.green:
        yield Finding(_E, "bad_rag", "", "the amber threshold is above the green threshold")
    if not 1.0 <= s.cap <= 1.5:
        yield Finding(_E, "bad_cap", "", f"cap {s.cap} is outside 1.0 to 1.5")
    tiering = card.tiering
    if tiering.source and tiering.source not in sources:
        yield Finding(_E, "unknown_source", "", f"tiering uses unknown source {tiering.source!r}")
    if tiering.mode is TierMode.RULES:
        if not (tiering.source and tiering.column and tiering.rules):
            yield Finding(_E, "bad_tiering", "", "tier rules need a source, a column and rules")
        tier_ids = set(card.tier_ids())
        for rule in tiering.rules:
            if rule.tier not in tier_ids:
                yield Finding(
                    _E, "unknown_tier", rule.tier, f"tier rule for unknown tier {rule.tier!r}"
                )
    for raw, tier in tiering.values:
        if tier not in set(card.tier_ids()):
            yield Finding(
                _E, "unknown_tier", tier, f"tier value {raw!r} maps to unknown tier {tier!r}"
            )
    if card.tier_weights.mode is TierWeighting.COLUMN and not (
        card.tier_weights.source and card.tier_weights.column
    ):
        yield Finding(
            _E, "bad_tier_weights", "", "tier weights from a column need a source and column"
        )
    if card.tier_weights.mode is TierWeighting.FIXED and all(t.weight == 0 for t in card.tiers):
        yield Finding(_E, "zero_weights", "", "every tier has weight 0")
