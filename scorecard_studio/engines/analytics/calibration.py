"""Calibration: does health at t say who renews in t+1 … t+h? (specification section 6)

A *unit* is an account at a period t that has a health score and an outcome (a renewal or a
churn) in t+1 … t+h; its outcome is the first one in that window. The periods that have
units are split in time: band renewal rates are estimated on the first ``fit_share`` of
them (only from outcomes observed by then), and every figure reported — renewal rate per
band and tier, green-before-churn shares, AUC, Brier score, reliability — is computed on
the later periods alone, so the bands are never judged on the data that set them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.model import STATUS_BY_CODE
from scorecard_studio.engines.analytics.panel import GREEN, NO_DATA, CustomerPanel
from scorecard_studio.engines.analytics.stats import auc, brier

FloatArray = npt.NDArray[np.float64]

_RENEWED_TEXT = {"1", "renewed", "renew", "yes", "y", "true"}
_CHURNED_TEXT = {"0", "churned", "churn", "lost", "no", "n", "false"}


@dataclass(frozen=True, slots=True)
class BandRate:
    """Renewals among the units of one band (and tier)."""

    tier: str  # tier id, or "all"
    band: str  # status value of the band
    n: int
    renewed: int

    @property
    def rate(self) -> float:
        return self.renewed / self.n if self.n else math.nan


@dataclass(frozen=True, slots=True)
class GreenBeforeChurn:
    """Of the churns in the evaluation periods, how many were green ``lag`` periods before."""

    lag: int
    churned: int  # churns whose account had a band at that period
    green: int

    @property
    def share(self) -> float:
        return self.green / self.churned if self.churned else math.nan


@dataclass(frozen=True, slots=True)
class ReliabilityRow:
    """One band used as a probability: predicted (fit) against observed (evaluation)."""

    band: str
    n: int
    predicted: float
    observed: float


@dataclass(frozen=True, slots=True)
class Calibration:
    """Every calibration figure, computed on the evaluation periods only."""

    horizon: int
    fit_periods: tuple[str, ...]
    eval_periods: tuple[str, ...]
    fit_rates: tuple[BandRate, ...]  # per band, all tiers: the probabilities
    rates: tuple[BandRate, ...]  # evaluation: per tier and band, then all tiers
    green_before_churn: tuple[GreenBeforeChurn, ...]
    n_units: int
    n_renewed: int
    auc: float
    brier: float
    reliability: tuple[ReliabilityRow, ...]


def outcome_grid(panel: CustomerPanel) -> FloatArray | None:
    """(C, P): 1 where the account renewed in the period, 0 where it churned, else NaN.

    Several outcome rows of one account in one period count as a churn if any is one.
    None when the design names no outcome source or its data is missing.
    """
    setting = panel.card.analytics.outcomes
    source = panel.prepared.get(setting.source or "")
    if source is None or not setting.column or setting.column not in source.frame.columns:
        return None
    flags = _outcome_flags(source.frame[setting.column])
    first = panel.periods[0] if panel.periods else 0
    period = source.period - first
    keep = (source.tier >= 0) & (source.period >= 0) & (period < len(panel.periods))
    keep &= np.isfinite(flags)
    rows = pd.DataFrame({"c": source.tier[keep], "p": period[keep], "y": flags[keep]})
    worst = rows.groupby(["c", "p"])["y"].min()
    out = np.full((panel.n_customers, len(panel.periods)), np.nan)
    out[
        worst.index.get_level_values(0).to_numpy(dtype=np.int64),
        worst.index.get_level_values(1).to_numpy(dtype=np.int64),
    ] = worst.to_numpy(dtype=np.float64)
    return out


def _outcome_flags(series: pd.Series) -> FloatArray:
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        numbers = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(np.isin(numbers, (0.0, 1.0)), numbers, np.nan)
    text = series.astype("string").str.strip().str.casefold()
    out = np.full(len(series), np.nan)
    out[text.isin(_RENEWED_TEXT).fillna(False).to_numpy(dtype=bool)] = 1.0
    out[text.isin(_CHURNED_TEXT).fillna(False).to_numpy(dtype=bool)] = 0.0
    return out


def next_outcome(outcomes: FloatArray, horizon: int) -> tuple[FloatArray, FloatArray]:
    """Per (C, t): the first outcome in t+1 … t+h and the period index it fell in (NaN)."""
    n_p = outcomes.shape[1]
    found = np.full(outcomes.shape, np.nan)
    when = np.full(outcomes.shape, np.nan)
    for k in range(1, horizon + 1):
        if k >= n_p:
            break
        ahead = outcomes[:, k:]
        empty = np.isnan(found[:, : n_p - k]) & np.isfinite(ahead)
        found[:, : n_p - k] = np.where(empty, ahead, found[:, : n_p - k])
        later = np.arange(k, n_p, dtype=np.float64)[None, :]
        when[:, : n_p - k] = np.where(empty, later, when[:, : n_p - k])
    return found, when


def calibrate(panel: CustomerPanel) -> Calibration | None:
    """The calibration of the panel's health against its outcomes; None without outcomes."""
    outcomes = outcome_grid(panel)
    if outcomes is None:
        return None
    setting = panel.card.analytics.outcomes
    y, when = next_outcome(outcomes, setting.horizon)
    unit = np.isfinite(panel.health) & np.isfinite(y)
    with_units = np.flatnonzero(unit.any(axis=0))
    labels = panel.period_labels
    if with_units.size < 2:
        return _empty(setting.horizon, labels, with_units)
    n_fit = min(with_units.size - 1, max(1, math.ceil(setting.fit_share * with_units.size)))
    last_fit = int(with_units[n_fit - 1])
    t_index = np.broadcast_to(np.arange(len(labels))[None, :], unit.shape)
    fit = unit & (t_index <= last_fit) & (when <= last_fit)
    evaluate = unit & (t_index > last_fit)
    band = panel.band
    fit_rates = tuple(_band_rates(band[fit], y[fit], "all"))
    overall = float(y[fit].mean()) if fit.any() else math.nan
    probability = {r.band: r.rate for r in fit_rates}
    rates: list[BandRate] = []
    eval_tier = np.broadcast_to(panel.tier[:, None], unit.shape)[evaluate]
    eval_band, eval_y = band[evaluate], y[evaluate]
    for t, tier in enumerate(panel.card.tiers):
        chosen = eval_tier == t
        rates += _band_rates(eval_band[chosen], eval_y[chosen], tier.id)
    rates += _band_rates(eval_band, eval_y, "all")
    names = np.array([STATUS_BY_CODE[b].value for b in eval_band], dtype=object)
    predicted = np.array([probability.get(n, overall) for n in names], dtype=np.float64)
    reliability = tuple(
        ReliabilityRow(r.band, r.n, probability.get(r.band, overall), r.rate)
        for r in rates
        if r.tier == "all"
    )
    return Calibration(
        horizon=setting.horizon,
        fit_periods=tuple(labels[i] for i in with_units[:n_fit]),
        eval_periods=tuple(labels[i] for i in with_units[n_fit:]),
        fit_rates=fit_rates,
        rates=tuple(rates),
        green_before_churn=_green_before_churn(panel, outcomes, last_fit),
        n_units=int(evaluate.sum()),
        n_renewed=int(eval_y.sum()),
        auc=auc(panel.health[evaluate], eval_y == 1.0),
        brier=brier(predicted, eval_y) if np.isfinite(predicted).all() else math.nan,
        reliability=reliability,
    )


def _band_rates(band: npt.NDArray[np.int8], y: FloatArray, tier: str) -> list[BandRate]:
    out = []
    for code in np.unique(band):
        chosen = band == code
        out.append(
            BandRate(tier, STATUS_BY_CODE[int(code)].value, int(chosen.sum()), int(y[chosen].sum()))
        )
    return out


def _green_before_churn(
    panel: CustomerPanel, outcomes: FloatArray, last_fit: int
) -> tuple[GreenBeforeChurn, ...]:
    """For churns after the fit periods: the share whose account was green 1 and 2 periods
    before, among those that had a band then (an account with no data then is not counted).
    """
    customer, period = np.nonzero(outcomes == 0.0)
    later = period > last_fit
    customer, period = customer[later], period[later]
    out = []
    for lag in (1, 2):
        ok = period - lag >= 0
        before = panel.band[customer[ok], period[ok] - lag]
        known = before != NO_DATA
        out.append(GreenBeforeChurn(lag, int(known.sum()), int((before[known] == GREEN).sum())))
    return tuple(out)


def _empty(horizon: int, labels: tuple[str, ...], with_units: npt.NDArray[np.intp]) -> Calibration:
    return Calibration(
        horizon, tuple(labels[i] for i in with_units), (), (), (), (), 0, 0, math.nan, math.nan, ()
    )
