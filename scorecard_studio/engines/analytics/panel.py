"""Account health: every KPI per customer and period, scored and rolled up per customer.

The scoring engine lays its rows out on a (tier, period) grid; here the same aggregator runs
on a (customer, period) grid by giving each row its customer's index where the engine gives
it a tier index. Every aggregation therefore means exactly what it means for a tier (an
account's churn rate is 1 in the period it is lost, 0 while active; its NPS is over its own
answers). Each account is then scored against its tier's targets and rolled up with the
scorecard's weights (specification section 6).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import TARGET_FIELDS, Aggregation, Scorecard
from scorecard_studio.domain.periods import calendar_of
from scorecard_studio.engines.scoring.aggregate import Aggregator, Grid
from scorecard_studio.engines.scoring.engine import evaluate_formulas, period_axis
from scorecard_studio.engines.scoring.prepare import (
    UNASSIGNED,
    PreparedSource,
    normalise_keys,
    prepare_source,
)
from scorecard_studio.engines.scoring.rollup import Structure, roll_up
from scorecard_studio.engines.scoring.scores import (
    AMBER,
    GREEN,
    INSUFFICIENT,
    NO_DATA,
    RED,
    TargetArrays,
    compute_scores,
    resolve_targets,
)
from scorecard_studio.engines.scoring.tiering import customer_tiers

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(slots=True)
class CustomerPanel:
    """Per-customer values, scores and health on the (customer, period) grid."""

    card: Scorecard
    keys: tuple[str, ...]  # each customer's key as first written in the data
    tier: IntArray  # (C,) tier index, or -1 where the tier is unknown
    periods: tuple[int, ...]
    period_labels: tuple[str, ...]
    kpi_ids: tuple[str, ...]
    value: FloatArray  # (K, C, P) the KPI's per-customer actual
    score: FloatArray  # (K, C, P)
    objective_ids: tuple[str, ...]
    objective_score: FloatArray  # (O, C, P)
    health: FloatArray  # (C, P)
    coverage: FloatArray  # (C, P)
    band: npt.NDArray[np.int8]  # (C, P) status codes of the health score
    account_value: FloatArray  # (C, P) ARR or CLV; NaN when not set up
    prepared: dict[str, PreparedSource]  # the sources, each row's customer in ``tier``
    findings: list[Finding]

    @property
    def n_customers(self) -> int:
        return len(self.keys)

    def kpi_index(self, kpi_id: str) -> int:
        return self.kpi_ids.index(kpi_id)

    def series(self, item: str) -> FloatArray | None:
        """(C, P) values of a KPI, or the score of an objective; None for an unknown id."""
        out: FloatArray | None = None
        if item in self.kpi_ids:
            out = self.value[self.kpi_ids.index(item)]
        elif item in self.objective_ids:
            out = self.objective_score[self.objective_ids.index(item)]
        return out

    def has_health(self, period: int) -> bool:
        """Whether any account has a health score in period index ``period``."""
        return bool(np.isfinite(self.health[:, period]).any())

    def active(self) -> npt.NDArray[np.bool_]:
        """(C, P): the account has at least one KPI value in the period."""
        result: npt.NDArray[np.bool_] = np.asarray(np.isfinite(self.value).any(axis=0))
        return result


def build_panel(
    card: Scorecard, tables: Mapping[str, pd.DataFrame], periods: Sequence[str] | None = None
) -> CustomerPanel:
    """The panel of one design over its data (the expensive part of the evidence)."""
    calendar = calendar_of(card)
    findings: list[Finding] = []
    key_tiers = customer_tiers(card, dict(tables), [])
    prepared = {
        s.id: prepare_source(card, s, tables[s.id], calendar, key_tiers)
        for s in card.sources
        if s.id in tables
    }
    keyed = {
        sid: p
        for sid, p in prepared.items()
        if p.source.key_column and p.source.key_column in p.frame.columns
    }
    for sid in prepared.keys() - keyed.keys():
        findings.append(
            Finding(
                Severity.INFO,
                "no_customer_key",
                sid,
                f"{prepared[sid].source.name} has no customer key: its KPIs have no "
                "per-account values",
            )
        )
    keys, codes = _customer_codes(keyed)
    tier = _customer_tiers(keys, codes, keyed, key_tiers)
    axis = period_axis(prepared, calendar, periods)
    by_customer = {
        sid: dataclasses.replace(p, tier=codes.get(sid, np.full(len(p.frame), UNASSIGNED)))
        for sid, p in prepared.items()
    }
    n_c, n_p = len(keys), len(axis)
    grid = Grid(n_c, axis[0] if axis else 0, n_p, calendar, card.settings.timezone)
    value = _customer_values(card, by_customer, grid)
    labels = tuple(calendar.label(p) for p in axis)
    kpis = card.all_kpis()
    targets = _customer_targets(card, tier, labels)
    score = compute_scores(kpis, value, targets, card.settings.cap)
    structure = Structure.of(card)
    rolled = roll_up(structure, score, np.ones((n_c, n_p)), card.settings.missing_data)
    health = rolled.tier_score[:n_c]
    coverage = rolled.tier_coverage[:n_c]
    green, amber = card.analytics.band_thresholds(card.settings.rag.green, card.settings.rag.amber)
    band = health_bands(health, coverage, green, amber, card.settings.minimum_coverage)
    panel = CustomerPanel(
        card=card,
        keys=keys,
        tier=tier,
        periods=tuple(axis),
        period_labels=labels,
        kpi_ids=tuple(k.id for k in kpis),
        value=value,
        score=score,
        objective_ids=structure.objective_ids,
        objective_score=rolled.objective_score[:, :n_c]
        if rolled.objective_score.size
        else np.zeros((0, n_c, n_p)),
        health=health,
        coverage=coverage,
        band=band,
        account_value=np.full((n_c, n_p), np.nan),
        prepared=by_customer,
        findings=findings,
    )
    panel.account_value = _account_value(panel, grid)
    return panel


def health_bands(
    health: FloatArray, coverage: FloatArray, green: float, amber: float, minimum_coverage: float
) -> npt.NDArray[np.int8]:
    """Band codes (the status codes): green ≥ green, amber ≥ amber, else red.

    A health score over too little of the scorecard's weight earns no band, as a roll-up
    earns no colour: "insufficient data".
    """
    out = np.full(health.shape, NO_DATA, dtype=np.int8)
    has = np.isfinite(health)
    out[has & (health >= green)] = GREEN
    out[has & (health < green) & (health >= amber)] = AMBER
    out[has & (health < amber)] = RED
    with np.errstate(invalid="ignore"):
        out[has & (coverage < minimum_coverage)] = INSUFFICIENT
    return out


def _customer_codes(
    keyed: Mapping[str, PreparedSource],
) -> tuple[tuple[str, ...], dict[str, IntArray]]:
    """One index per distinct normalised key over every keyed source, and each row's index."""
    normal = {sid: normalise_keys(p.frame[p.source.key_column or ""]) for sid, p in keyed.items()}
    if not normal:
        return (), {}
    everything = pd.concat(list(normal.values()), ignore_index=True)
    raw = pd.concat(
        [p.frame[p.source.key_column or ""].astype("string") for p in keyed.values()],
        ignore_index=True,
    )
    codes, uniques = pd.factorize(everything, use_na_sentinel=True)
    shown = raw.groupby(codes).first() if len(codes) else pd.Series(dtype="string")
    # Each customer as first written (trimmed), else its normalised key: one vectorised pass,
    # not a lookup per customer (100,000 of them take seconds that way).
    shown = shown[shown.index >= 0].reindex(range(len(uniques))).astype("string")
    fallback = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
    keys = tuple(shown.fillna(fallback).str.strip().tolist())
    out: dict[str, IntArray] = {}
    start = 0
    for sid, series in normal.items():
        out[sid] = np.where(
            codes[start : start + len(series)] >= 0, codes[start : start + len(series)], UNASSIGNED
        ).astype(np.int64)
        start += len(series)
    return keys, out


def _customer_tiers(
    keys: tuple[str, ...],
    codes: Mapping[str, IntArray],
    keyed: Mapping[str, PreparedSource],
    key_tiers: dict[str, int] | None,
) -> IntArray:
    """Each customer's tier: the tiering source's, else that of its latest dated row."""
    tier = np.full(len(keys), -1, dtype=np.int64)
    parts = [pd.DataFrame({"c": codes[sid], "m": p.month, "t": p.tier}) for sid, p in keyed.items()]
    if parts:
        rows = pd.concat(parts, ignore_index=True)
        rows = rows[(rows["c"] >= 0) & (rows["t"] >= 0)]
        rows = rows.iloc[np.argsort(rows["m"].to_numpy(), kind="stable")]
        latest = rows.groupby("c")["t"].last()
        tier[latest.index.to_numpy(dtype=np.int64)] = latest.to_numpy(dtype=np.int64)
    if key_tiers:
        normal = normalise_keys(pd.Series(keys, dtype="string"))
        mapped = normal.map(key_tiers)
        known = mapped.notna().to_numpy()
        tier[known] = mapped[known].to_numpy(dtype=np.int64)
    return tier


def _customer_values(
    card: Scorecard, by_customer: dict[str, PreparedSource], grid: Grid
) -> FloatArray:
    """(K, C, P): every KPI's aggregation with customers in place of tiers."""
    kpis = card.all_kpis()
    aggregator = Aggregator(by_customer, grid)
    aggregator.plan(kpis)
    value = np.full((len(kpis), *grid.shape), np.nan)
    sample = np.zeros((len(kpis), *grid.shape))
    formulas: dict[str, int] = {}
    for k, kpi in enumerate(kpis):
        if kpi.measure.aggregation is Aggregation.FORMULA:
            formulas[kpi.id] = k
            continue
        actual = aggregator.actual(kpi)  # its findings are the scorecard's own, reported there
        value[k], sample[k] = actual.value, actual.sample
    evaluate_formulas(card, formulas, value, sample)
    out: FloatArray = value[:, : grid.n_tiers]  # the last row holds rows without a key
    return out


def _customer_targets(card: Scorecard, tier: IntArray, labels: tuple[str, ...]) -> TargetArrays:
    """Targets per (KPI, customer, period): the customer's tier's, default when unknown.

    A field that is the same for every tier (no tier overrides, or unset) is a read-only
    broadcast of one tier's row, not 100,000 copies of it: scoring only reads targets.
    """
    resolved = resolve_targets(card.all_kpis(), card.tier_ids(), labels)
    index = np.where(tier >= 0, tier, len(card.tiers))  # the last row: default targets
    fields = {}
    for name in TARGET_FIELDS:
        by_tier = resolved.field(name)
        first = by_tier[:, :1]
        same = (by_tier == first) | (np.isnan(by_tier) & np.isnan(first))
        shape = (by_tier.shape[0], index.size, by_tier.shape[2])
        if bool(same.all()):
            fields[name] = np.broadcast_to(first, shape)
        else:  # np.take: the same gather as [:, index], an order of magnitude faster
            fields[name] = np.take(by_tier, index, axis=1)
    return TargetArrays(**fields)


def _account_value(panel: CustomerPanel, grid: Grid) -> FloatArray:
    """What each account is worth per period: a KPI's value, or a column's latest value.

    A column is read from the account's latest row up to and including the period (ARR
    written once at contract start holds until a later row changes it).
    """
    setting = panel.card.analytics.value
    shape = (panel.n_customers, len(panel.periods))
    if setting.kpi is not None and setting.kpi in panel.kpi_ids:
        by_kpi: FloatArray = panel.value[panel.kpi_index(setting.kpi)]
        return by_kpi
    source = panel.prepared.get(setting.source or "")
    if source is None or not setting.column or setting.column not in source.frame.columns:
        return np.full(shape, np.nan)
    numbers = pd.to_numeric(source.frame[setting.column], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    period = np.clip(source.period - grid.first_period, 0, None)
    keep = (source.tier >= 0) & (source.period >= 0) & np.isfinite(numbers)
    keep &= period < grid.n_periods
    order = source.order_by_time()
    order = order[keep[order]]
    rows = pd.DataFrame({"c": source.tier[order], "p": period[order], "v": numbers[order]})
    latest = rows.groupby(["c", "p"], sort=False)["v"].last()
    out = np.full(shape, np.nan)
    out[
        latest.index.get_level_values(0).to_numpy(dtype=np.int64),
        latest.index.get_level_values(1).to_numpy(dtype=np.int64),
    ] = latest.to_numpy()
    filled: FloatArray = pd.DataFrame(out).ffill(axis=1).to_numpy(dtype=np.float64)
    return filled


__all__ = ["AMBER", "GREEN", "INSUFFICIENT", "NO_DATA", "RED", "CustomerPanel", "build_panel"]
