"""The evidence on the bundled sample, checked against pandas and scipy on the CSV files.

Every expected number here is computed straight from ``sample_workbooks/csv`` without the
application's code: per-account quarterly values with pandas, correlations with
``scipy.stats.spearmanr``, intervals by Fisher's z, AUC by the Mann–Whitney formula.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scorecard_studio.engines.analytics import Evidence, analyze
from scorecard_studio.engines.data_loading import load_source_tables
from scorecard_studio.engines.design_file import load_design

ROOT = Path(__file__).resolve().parents[3]
CSV = ROOT / "sample_workbooks" / "csv"


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    card = load_design(ROOT / "resources" / "templates" / "customer_centric.json")
    tables = load_source_tables(card, [str(ROOT / "sample_workbooks" / "customer_data.xlsx")])
    return analyze(card, tables)


def _quarter(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates)
    return d.dt.year.astype(str) + "-Q" + ((d.dt.month - 1) // 3 + 1).astype(str)


def _per_account(frame: pd.DataFrame, date: str, reduce) -> pd.Series:  # type: ignore[no-untyped-def]
    frame = frame.assign(q=_quarter(frame[date]))
    return frame.groupby(["account_id", "q"]).apply(reduce, include_groups=False)


def _grid(series: pd.Series, ev: Evidence) -> np.ndarray:
    """An (account, quarter) series on the panel's (customer, period) axes."""
    out = np.full((ev.panel.n_customers, len(ev.period_labels)), np.nan)
    row = {k: i for i, k in enumerate(ev.panel.keys)}
    col = {q: j for j, q in enumerate(ev.period_labels)}
    for (account, q), v in series.items():
        out[row[account], col[q]] = v
    return out


@pytest.fixture(scope="module")
def adoption(evidence: Evidence) -> np.ndarray:
    usage = pd.read_csv(CSV / "usage.csv")
    return _grid(_per_account(usage, "month", lambda g: g["feature_adoption"].mean()), evidence)


@pytest.fixture(scope="module")
def nps(evidence: Evidence) -> np.ndarray:
    survey = pd.read_csv(CSV / "survey.csv")
    return _grid(
        _per_account(
            survey, "responded_on", lambda g: 100 * ((g.nps >= 9).mean() - (g.nps <= 6).mean())
        ),
        evidence,
    )


def test_per_account_values_are_the_accounts_own_aggregates(
    evidence: Evidence, adoption: np.ndarray, nps: np.ndarray
) -> None:
    p = evidence.panel
    assert p.n_customers == 1200
    np.testing.assert_allclose(p.value[p.kpi_index("adoption")], adoption, equal_nan=True)
    np.testing.assert_allclose(p.value[p.kpi_index("nps")], nps, equal_nan=True)


def test_link_evidence_equals_spearman_with_fishers_interval_at_every_lag(
    evidence: Evidence, adoption: np.ndarray, nps: np.ndarray
) -> None:
    link = next(e for e in evidence.links if (e.link.cause, e.link.effect) == ("adoption", "nps"))
    n_p = adoption.shape[1]
    expected = {}
    for lag, got in link.by_lag:
        x, y = adoption[:, : n_p - lag].ravel(), nps[:, lag:].ravel()
        both = ~np.isnan(x) & ~np.isnan(y)
        r = stats.spearmanr(x[both], y[both]).statistic
        n = int(both.sum())
        half = stats.norm.ppf(0.975) / math.sqrt(n - 3)
        assert got is not None
        assert got.n == n
        assert got.r == pytest.approx(r, abs=1e-10)
        assert (got.low, got.high) == pytest.approx(
            (math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half)), abs=1e-10
        )
        expected[lag] = r
    assert link.best_lag == max(expected, key=lambda lag: expected[lag])
    assert link.verdict.value == "supported"  # healthy accounts adopt more and answer better


def test_redundant_pairs_are_those_correlated_at_090_or_more(
    evidence: Evidence, nps: np.ndarray
) -> None:
    survey = pd.read_csv(CSV / "survey.csv")
    ces = _grid(_per_account(survey, "responded_on", lambda g: g["ces"].mean()), evidence)
    both = ~np.isnan(nps) & ~np.isnan(ces)
    r = stats.spearmanr(nps[both], ces[both]).statistic
    pairs = {(p.first, p.second): p for p in evidence.redundant}
    assert abs(r) >= 0.9
    got = pairs[("nps", "ces")].correlation
    assert got is not None
    assert got.r == pytest.approx(r, abs=1e-10)
    assert ("nps", "csat") not in pairs or abs(pairs[("nps", "csat")].correlation.r) >= 0.9  # type: ignore[union-attr]


def test_calibration_by_hand_from_health_and_the_renewals_file(evidence: Evidence) -> None:
    p = evidence.panel
    renewals = pd.read_csv(CSV / "renewals.csv")
    renewals["q"] = _quarter(renewals["renewal_date"])
    col = {q: j for j, q in enumerate(p.period_labels)}
    row = {k: i for i, k in enumerate(p.keys)}
    outcome: dict[tuple[int, int], float] = {}
    for account, q, renewed in renewals[["account_id", "q", "renewed"]].itertuples(index=False):
        key = (row[account], col[q])
        outcome[key] = min(outcome.get(key, 1.0), float(renewed))
    h = 4
    units = []  # (customer, t, outcome, period of the outcome)
    for c in range(p.n_customers):
        for t in range(len(p.period_labels)):
            if math.isnan(p.health[c, t]):
                continue
            ahead = [(t + k, outcome[(c, t + k)]) for k in range(1, h + 1) if (c, t + k) in outcome]
            if ahead:
                units.append((c, t, ahead[0][1], ahead[0][0]))
    periods = sorted({t for _, t, _, _ in units})
    last_fit = periods[math.ceil(0.5 * len(periods)) - 1]
    fit = [u for u in units if u[1] <= last_fit and u[3] <= last_fit]
    test = [u for u in units if u[1] > last_fit]
    cal = evidence.calibration
    assert cal is not None
    assert cal.fit_periods[-1] == p.period_labels[last_fit]
    assert cal.n_units == len(test)
    # AUC: the share of (renewed, churned) pairs in which the renewed account was healthier.
    pos = np.array([p.health[c, t] for c, t, y, _ in test if y == 1])
    neg = np.array([p.health[c, t] for c, t, y, _ in test if y == 0])
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    assert cal.auc == pytest.approx(wins / (pos.size * neg.size), abs=1e-12)
    # Brier: each band's renewal rate on the fit units used as the probability.
    rate = {}
    for b in {int(p.band[c, t]) for c, t, _, _ in fit}:
        ys = [y for c, t, y, _ in fit if p.band[c, t] == b]
        rate[b] = sum(ys) / len(ys)
    errors = [(rate[int(p.band[c, t])] - y) ** 2 for c, t, y, _ in test]
    assert cal.brier == pytest.approx(sum(errors) / len(errors), abs=1e-12)
    everyone = {r.band: r for r in cal.rates if r.tier == "all"}
    red = [y for c, t, y, _ in test if p.band[c, t] == 1]
    assert everyone["red"].n == len(red)
    assert everyone["red"].rate == pytest.approx(sum(red) / len(red))
    # Health separates renewals from churn better than chance on the later periods.
    assert cal.auc > 0.6


def test_green_before_churn_counts_churns_after_the_fit_periods(evidence: Evidence) -> None:
    cal = evidence.calibration
    assert cal is not None
    p = evidence.panel
    renewals = pd.read_csv(CSV / "renewals.csv")
    renewals["q"] = _quarter(renewals["renewal_date"])
    first_eval = p.period_labels.index(cal.eval_periods[0])
    churns = renewals[(renewals.renewed == 0)]
    for g in cal.green_before_churn:
        bands = []
        for account, q in churns[["account_id", "q"]].itertuples(index=False):
            t = p.period_labels.index(q)
            if t >= first_eval:
                bands.append(int(p.band[p.keys.index(account), t - g.lag]))
        known = [b for b in bands if b != 0]
        assert (g.churned, g.green) == (len(known), known.count(3))


def test_the_at_risk_rules_catch_most_accounts_that_later_churned(evidence: Evidence) -> None:
    catch = evidence.catch
    assert catch is not None
    assert catch.churned > 20
    assert catch.share >= 0.7  # 26 of 35 on the sample (docs/analytics.md)
    latest = evidence.at_risk(evidence.period_index(None))
    values = [a.value_at_risk for a in latest]
    assert values == sorted(values, reverse=True)
    assert all(a.reasons for a in latest)


def test_the_bundled_sample_shows_its_links_and_their_evidence() -> None:
    """The sample a first start opens carries the template's links, one of them unsupported.

    NPS → renewal rate at lag 1 is recomputed from the survey and renewals files: an
    account's quarterly NPS against its renewal rate (renewals won ÷ due) a quarter later.
    """
    card = load_design(ROOT / "resources" / "sample" / "sample_design.json")
    template = load_design(ROOT / "resources" / "templates" / "customer_centric.json")
    assert card.analytics.links == template.analytics.links
    tables = load_source_tables(card, [str(ROOT / "sample_workbooks" / "customer_data.xlsx")])
    ev = analyze(card, tables)
    verdicts = {(e.link.cause, e.link.effect): e.verdict.value for e in ev.links}
    assert len(verdicts) == 10
    assert [k for k, v in verdicts.items() if v != "supported"] == [("time_to_value", "retain")]
    survey = pd.read_csv(CSV / "survey.csv")
    nps = _grid(
        _per_account(
            survey, "responded_on", lambda g: 100 * ((g.nps >= 9).mean() - (g.nps <= 6).mean())
        ),
        ev,
    )
    renewals = pd.read_csv(CSV / "renewals.csv")
    rate = _grid(_per_account(renewals, "renewal_date", lambda g: g["renewed"].mean()), ev)
    x, y = nps[:, :-1].ravel(), rate[:, 1:].ravel()
    both = ~np.isnan(x) & ~np.isnan(y)
    r = stats.spearmanr(x[both], y[both]).statistic
    link = next(e for e in ev.links if (e.link.cause, e.link.effect) == ("nps", "renewal_rate"))
    got = dict(link.by_lag)[1]
    assert got is not None
    assert (got.n, got.r) == (int(both.sum()), pytest.approx(r, abs=1e-10))
    assert link.best_lag == 1
    assert round(r, 3) == 0.115  # the figure docs/analytics.md states
