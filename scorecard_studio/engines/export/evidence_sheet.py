"""The report's Evidence sheet: account health by tier, calibration, at-risk list, links.

Written from the same ``Evidence`` the window and ``analyze`` show, for the report's
period (or the latest period with account health when the report's period has none), as
the rows of ``evidence_rows`` that the PDF briefing's evidence page lists too.
Plain values, no formulas: these are findings about the data, not inputs to play with.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.model import STATUS_LABELS
from scorecard_studio.engines.analytics import Evidence
from scorecard_studio.engines.export.cells import put_number, put_text, restyle
from scorecard_studio.engines.export.evidence_rows import (
    at_risk_rows,
    evidence_period,
    link_rows,
    redundant_names,
)
from scorecard_studio.engines.export.overview_sheets import header_row
from scorecard_studio.engines.export.styles import BOLD, SCORE_FORMAT, SHARE_FORMAT, TITLE_FONT

#: Accounts listed at most in the at-risk table (the largest values at risk).
AT_RISK_ROWS = 200
_MONEY = "#,##0"


def write_evidence(ws: Worksheet, evidence: Evidence, period_label: str) -> int:
    """Fill the sheet; returns the period index it describes."""
    labels = evidence.period_labels
    period = evidence_period(evidence, period_label)
    restyle(put_text(ws, 1, 1, f"Evidence — {labels[period]}"), font=TITLE_FONT)
    row = _health(ws, evidence, period, 3)
    row = _calibration(ws, evidence, row + 1)
    row = _at_risk(ws, evidence, period, row + 1)
    _links(ws, evidence, row + 1)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["E"].width = 14
    ws.column_dimensions["F"].width = 60
    return period


def _section(ws: Worksheet, row: int, title: str) -> int:
    restyle(put_text(ws, row, 1, title), font=BOLD)
    return row + 1


def _health(ws: Worksheet, ev: Evidence, period: int, row: int) -> int:
    row = _section(ws, row, "Account health by tier")
    header_row(ws, row, ["Tier", "Accounts", "Mean health", "Green", "Amber", "Red"])
    for r in ev.health_by_tier(period):
        row += 1
        put_text(ws, row, 1, r.name)
        put_number(ws, row, 2, r.accounts)
        put_number(ws, row, 3, r.mean_health, SCORE_FORMAT)
        for i, band in enumerate(("green", "amber", "red")):
            put_number(ws, row, 4 + i, r.bands[band])
    return row + 1


def _calibration(ws: Worksheet, ev: Evidence, row: int) -> int:
    c = ev.calibration
    row = _section(ws, row, "Calibration against renewals")
    if c is None:
        put_text(ws, row, 1, "No renewal outcomes in the design.")
        return row + 1
    put_text(
        ws,
        row,
        1,
        f"Evaluated on {', '.join(c.eval_periods) or '—'}; bands fit on "
        f"{', '.join(c.fit_periods) or '—'}; renewal within {c.horizon} periods",
    )
    for name, value, fmt in (("AUC", c.auc, "0.000"), ("Brier score", c.brier, "0.0000")):
        row += 1
        put_text(ws, row, 1, name)
        put_number(ws, row, 2, value, fmt)
    for g in c.green_before_churn:
        row += 1
        put_text(ws, row, 1, f"Churned accounts green {g.lag} period(s) before")
        put_number(ws, row, 2, g.share, SHARE_FORMAT)
        put_text(ws, row, 3, f"{g.green} of {g.churned}")
    row += 2
    header_row(ws, row, ["Tier", "Band", "Due", "Renewed", "Renewal rate"])
    names = {t.id: t.name for t in ev.panel.card.tiers} | {"all": "All customers"}
    for r in c.rates:
        row += 1
        put_text(ws, row, 1, names.get(r.tier, r.tier))
        put_text(ws, row, 2, STATUS_LABELS.get(r.band, r.band))
        put_number(ws, row, 3, r.n)
        put_number(ws, row, 4, r.renewed)
        put_number(ws, row, 5, r.rate, SHARE_FORMAT)
    return row + 1


def _at_risk(ws: Worksheet, ev: Evidence, period: int, row: int) -> int:
    found = at_risk_rows(ev, period)
    row = _section(ws, row, f"At-risk accounts ({len(found):,}), largest value at risk first")
    if ev.catch is not None:
        put_text(
            ws,
            row,
            1,
            f"Over all periods, {ev.catch.caught} of {ev.catch.churned} accounts that churned "
            "were flagged before they did",
        )
        row += 1
    header_row(ws, row, ["Account", "Tier", "Health", "Band", "Value at risk", "Reasons"])
    for a in found[:AT_RISK_ROWS]:
        row += 1
        put_text(ws, row, 1, a.account)
        put_text(ws, row, 2, a.tier)
        put_number(ws, row, 3, a.health, SCORE_FORMAT)
        put_text(ws, row, 4, a.band)
        put_number(ws, row, 5, a.value_at_risk, _MONEY)
        put_text(ws, row, 6, a.reasons)
    return row + 1


def _links(ws: Worksheet, ev: Evidence, row: int) -> int:
    row = _section(ws, row, "Strategy-map links: Spearman r at the best lag (0–4), 95% CI")
    header_row(ws, row, ["Link", "Verdict", "Best lag", "r", "CI low", "CI high", "n"])
    for link in link_rows(ev):
        row += 1
        put_text(ws, row, 1, link.text)
        put_text(ws, row, 2, link.verdict_label)
        put_number(ws, row, 3, link.best_lag)
        if link.r is not None:
            put_number(ws, row, 4, link.r, "0.000")
            put_number(ws, row, 5, link.low, "0.000")
            put_number(ws, row, 6, link.high, "0.000")
            put_number(ws, row, 7, link.n)
    row = _section(ws, row + 2, "Redundant KPI pairs")
    header_row(ws, row, ["KPI pair", "r", "Suggestion"])
    for p in ev.redundant:
        row += 1
        put_text(ws, row, 1, redundant_names(ev, p.first, p.second))
        if p.correlation is None:
            put_text(ws, row, 2, "same definition")
        else:
            put_number(ws, row, 2, p.correlation.r, "0.000")
        put_text(ws, row, 3, p.suggestion)
    return row + 1
