"""KPI detail, Trends, Definitions and Findings: the sheets analysts and auditors read."""

from __future__ import annotations

import numpy as np
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.model import STATUS_BY_CODE, Aggregation, Kpi, Measure
from scorecard_studio.engines.export.cells import put_number, put_numbers, put_text, restyle
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.layout import (
    ColumnWidths,
    PrintPlan,
    column_width,
    fit_row_height,
    fit_wrapped_rows,
    longest_word,
    max_number_width,
)
from scorecard_studio.engines.export.overview_sheets import header_row, rag_cell, title
from scorecard_studio.engines.export.styles import (
    BOLD,
    RIGHT,
    SCORE_FORMAT,
    SHARE_FORMAT,
    SPARK_FONT,
    WRAP,
)
from scorecard_studio.engines.export.summary_data import signed_change

#: The text trend in KPI detail shows this many periods up to the reported one.
TREND_PERIODS = 8
_SPARKS = "▁▂▃▄▅▆▇█"

#: KPI detail: what a reader needs first (the first printed page width), then the rest of
#: the figures behind the score, then where the KPI sits in the design. KPI and Tier repeat
#: on every page; a page break falls after "Owner".
_DETAIL_HEADER = [
    "KPI",
    "Tier",
    "Actual",
    "Target",
    "Status",
    "Score",
    "Previous",
    "Change",
    "Trend",
    "Owner",
    "Baseline",
    "Stretch",
    "Weight",
    "Share of headline",
    "Sample size",
    "Low sample",
    "Perspective",
    "Objective",
    "Indicator",
    "Direction",
    "Method",
]
DETAIL_BREAK_AFTER = _DETAIL_HEADER.index("Owner") + 1
_FIXED_WIDTHS = {"Status": 11, "Score": 7, "Trend": 11, "Weight": 8, "Share of headline": 9}
_FIXED_WIDTHS |= {"Sample size": 8, "Low sample": 8, "Indicator": 10, "Direction": 17}
_FIXED_WIDTHS |= {"Method": 9}


def spark(values: np.ndarray) -> str:
    """A text sparkline of ``values`` (missing periods as spaces), low to high."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return ""
    low, high = float(finite.min()), float(finite.max())
    span = high - low
    out = []
    for v in values:
        if not np.isfinite(v):
            out.append(" ")
        elif span == 0:
            out.append(_SPARKS[3])
        else:
            out.append(_SPARKS[min(7, int((float(v) - low) / span * 8))])
    return "".join(out).rstrip()


def write_kpi_detail(ws: Worksheet, ctx: ReportContext) -> PrintPlan:
    """One row per KPI and tier with every figure behind its score."""
    r = ctx.result
    p = ctx.period_index
    prev = ctx.previous_index
    parents = ctx.parents()
    previous = f" (vs {ctx.previous_label})" if prev is not None else ""
    title(
        ws,
        f"KPI detail — {ctx.period_label}",
        f"Every KPI in every tier; change{previous} in the KPI's unit; "
        f"trend over up to {TREND_PERIODS} periods.",
    )
    header_row(ws, 3, _DETAIL_HEADER)
    col = {name: i for i, name in enumerate(_DETAIL_HEADER, start=1)}
    widths = ColumnWidths()
    for name in _DETAIL_HEADER:
        widths.note(col[name], _FIXED_WIDTHS.get(name, 6) - 2)
        widths.note(col[name], longest_word(name) + 1)
    first_trend = max(0, p - TREND_PERIODS + 1)
    row = 3
    tiers = ctx.tiers()
    widths.note_texts(col["Tier"], [name for _, _, name in tiers])
    for k, kpi in enumerate(r.kpis):
        persp, obj = parents[kpi.id]
        fmt = ctx.value_format(kpi)
        widths.note_texts(col["KPI"], [kpi.name])
        widths.note_texts(col["Owner"], [kpi.accountable])
        widths.note_texts(col["Perspective"], [persp.name])
        widths.note_texts(col["Objective"], [obj.name if obj else ""])
        for name, values in (
            ("Baseline", r.targets.baseline),
            ("Target", r.targets.target),
            ("Stretch", r.targets.stretch),
            ("Actual", r.actuals.value),
        ):
            widths.note(col[name], max_number_width(values[k, :, p], fmt))
        if prev is not None:
            widths.note(col["Previous"], max_number_width(r.actuals.value[k, :, prev], fmt))
        for t, _, tier_name in tiers:
            row += 1
            put_text(ws, row, 1, kpi.name)
            put_text(ws, row, 2, tier_name)
            actual = float(r.actuals.value[k, t, p])
            put_number(ws, row, 3, actual, fmt)
            put_number(ws, row, 4, float(r.targets.target[k, t, p]), fmt)
            rag_cell(ws, row, 5, STATUS_BY_CODE[int(r.status[k, t, p])].value)
            put_number(ws, row, 6, float(r.score[k, t, p]), SCORE_FORMAT)
            if prev is not None:
                before = float(r.actuals.value[k, t, prev])
                put_number(ws, row, 7, before, fmt)
                change = signed_change(actual - before, kpi)
                restyle(put_text(ws, row, 8, change), alignment=RIGHT)
                widths.note(col["Change"], len(change))
            trend = put_text(ws, row, 9, spark(r.actuals.value[k, t, first_trend : p + 1]))
            restyle(trend, font=SPARK_FONT)
            put_text(ws, row, 10, kpi.accountable)
            put_number(ws, row, 11, float(r.targets.baseline[k, t, p]), fmt)
            put_number(ws, row, 12, float(r.targets.stretch[k, t, p]), fmt)
            put_number(ws, row, 13, kpi.weight, "0.##")
            put_number(ws, row, 14, float(r.effective_share[k]), SHARE_FORMAT)
            sample = float(r.actuals.sample[k, t, p])
            put_number(ws, row, 15, None if np.isnan(sample) else sample, "#,##0")
            put_text(ws, row, 16, "yes" if r.low_sample[k, t, p] else "")
            put_text(ws, row, 17, persp.name)
            put_text(ws, row, 18, obj.name if obj else "")
            put_text(ws, row, 19, kpi.indicator.value)
            put_text(ws, row, 20, f"{kpi.direction.value} is better")
            put_text(ws, row, 21, kpi.method.value)
    widths.apply(ws, maximum=36)
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{_letter(len(_DETAIL_HEADER))}{max(row, 4)}"
    _fit_header(ws, 3, len(_DETAIL_HEADER))
    # The printed page holds what a reader needs (actual, target, status, score, change,
    # trend, owner); weights, samples and method stay in the workbook for whoever filters.
    return PrintPlan(
        scale=80, title_rows=(3, 3), title_columns=(1, 2), print_columns=DETAIL_BREAK_AFTER
    )


def _fit_header(ws: Worksheet, row: int, n_columns: int) -> None:
    """A header row tall enough for its wrapped titles."""
    cells = []
    for c in range(1, n_columns + 1):
        value = ws.cell(row=row, column=c).value
        if isinstance(value, str):
            cells.append((value, column_width(ws, c)))
    fit_row_height(ws, row, cells)


def write_trends(ws: Worksheet, ctx: ReportContext) -> tuple[PrintPlan, dict[int, int]]:
    """Each KPI by period for every tier, its target below (an appendix).

    Returns the print plan and, per KPI index, the row of its first tier's actuals (the
    chart pages draw from there).
    """
    r = ctx.result
    first = ctx.trend_start
    labels = r.period_labels[first : ctx.period_index + 1]
    title(
        ws,
        "Trends by period",
        f"Appendix: every KPI by period, actual and target per tier, the last {len(labels)} "
        f"periods to {ctx.period_label}.",
    )
    header_row(ws, 3, ["KPI", "Tier", "Series", *labels])
    row = 3
    blocks: dict[int, int] = {}
    widths = ColumnWidths()
    widths.note_texts(2, [name for _, _, name in ctx.tiers()])
    widths.note(3, 6)
    period_width = max((len(label) for label in labels), default=6)
    for j in range(len(labels)):
        widths.note(4 + j, period_width)
    for k, kpi in enumerate(r.kpis):
        fmt = ctx.value_format(kpi)
        blocks[k] = row + 1
        widths.note_texts(1, [kpi.name])
        for values in (r.actuals.value, r.targets.target):
            width = max_number_width(values[k, :, first : first + len(labels)], fmt)
            for j in range(len(labels)):
                widths.note(4 + j, width)
        for t, _, tier_name in ctx.tiers():
            for series, values in (("Actual", r.actuals.value), ("Target", r.targets.target)):
                row += 1
                put_text(ws, row, 1, kpi.name)
                put_text(ws, row, 2, tier_name)
                put_text(ws, row, 3, series)
                put_numbers(ws, row, 4, values[k, t, first : first + len(labels)].tolist(), fmt)
    widths.apply(ws, maximum=36)
    ws.freeze_panes = "D4"
    plan = PrintPlan(scale=80, title_rows=(3, 3), title_columns=(1, 3))
    return plan, blocks


def describe_measure(m: Measure) -> str:
    """How the KPI is calculated, in words an auditor can check."""
    agg = m.aggregation
    column = repr(m.column) if m.column else "rows"
    if agg is Aggregation.FORMULA:
        return f"Formula over other KPIs of the same tier and period: {m.formula}"
    if agg is Aggregation.RATIO:
        return (
            f"{m.aggregation_of_column.value} of {column} divided by "
            f"{m.aggregation_of_denominator.value} of {m.denominator!r}"
        )
    scale = m.effective_scale()
    if agg is Aggregation.NPS and scale:
        return (
            f"Net Promoter Score of {column}: % of answers {scale.box_low:g}–{scale.box_high:g} "
            f"minus % of answers {scale.minimum:g}–{scale.box_low - 3:g}"
        )
    if agg in (Aggregation.CSAT, Aggregation.CES) and scale:
        if agg is Aggregation.CES and m.ces_mode.value == "mean":
            return f"Mean answer of {column} on a {scale.minimum:g}–{scale.maximum:g} scale"
        return (
            f"Share of answers {scale.box_low:g}–{scale.box_high:g} in {column} "
            f"({scale.minimum:g}–{scale.maximum:g} scale)"
        )
    if agg is Aggregation.CHURN_RATE:
        return (
            f"Accounts lost in the period ({m.end_column!r}) divided by accounts active at its "
            f"start ({m.start_column!r})"
        )
    if agg in (Aggregation.CLV_SIMPLE, Aggregation.CLV_DISCOUNTED):
        retention = m.retention_column or m.retention_rate or "1 − churn rate"
        form = (
            "m·r ÷ (1 + d − r)"
            if agg is Aggregation.CLV_SIMPLE
            else (f"Σ m·rᵗ ÷ (1 + d)ᵗ for t = 1…{m.horizon}")
        )
        return (
            f"Customer lifetime value {form}; m = {column} per customer, r = {retention}, "
            f"d = {m.discount_rate:g}"
        )
    if agg is Aggregation.TTM_SUM:
        return f"Sum of {column} over the trailing twelve months"
    if agg is Aggregation.LAST:
        return f"Latest value of {column} in the period"
    return f"{agg.value.replace('_', ' ').capitalize()} of {column} in the period"


def write_definitions(ws: Worksheet, ctx: ReportContext) -> PrintPlan:
    """How each KPI is calculated, from which columns, with its assumptions and notes."""
    title(ws, "Definitions", "How each figure in this report is calculated.")
    header_row(
        ws,
        4,
        [
            "KPI",
            "Id",
            "Calculation",
            "Source",
            "Columns",
            "Unit",
            "Scoring",
            "Description",
            "Notes",
        ],
    )
    sources = {s.id: s for s in ctx.card.sources}
    row = 4
    for kpi in ctx.result.kpis:
        row += 1
        m = kpi.measure
        source = sources.get(m.source or "")
        columns = [
            c
            for c in (m.column, m.denominator, m.start_column, m.end_column, m.retention_column)
            if c
        ]
        source_text = (
            f"{source.name} ({source.file}{' / ' + source.sheet if source.sheet else ''})"
            if source
            else (m.source or "—")
        )
        values = [
            kpi.name,
            kpi.id,
            describe_measure(m),
            source_text,
            ", ".join(columns),
            kpi.unit,
            _scoring_text(kpi),
            kpi.description,
            kpi.notes,
        ]
        for col, text in enumerate(values, start=1):
            restyle(put_text(ws, row, col, text), alignment=WRAP)
    widths = [28, 16, 50, 30, 22, 8, 40, 36, 36]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[_letter(col)].width = width
    fit_wrapped_rows(ws, 5, row, range(1, len(widths) + 1))
    _fit_header(ws, 4, len(widths))
    row += 2
    settings = ctx.card.settings
    for label, value in (
        ("Frequency", settings.frequency.value),
        ("Fiscal year starts in month", str(settings.fiscal_year_start_month)),
        ("Time zone", settings.timezone),
        ("Score cap", f"{settings.cap:g}"),
        ("Green at score ≥", f"{settings.rag.green:g}"),
        ("Amber at score ≥", f"{settings.rag.amber:g}"),
        ("Missing data", settings.missing_data.value),
        ("Minimum survey sample", str(settings.minimum_sample)),
    ):
        restyle(put_text(ws, row, 1, label), font=BOLD)
        put_text(ws, row, 3, value)
        row += 1
    ws.freeze_panes = "B5"
    # Without a single note the Notes column would print as a page of KPI names alone.
    noted = any(kpi.notes for kpi in ctx.result.kpis)
    return PrintPlan(
        scale=75,
        title_rows=(4, 4),
        title_columns=(1, 1),
        print_columns=None if noted else len(widths) - 1,
    )


def _scoring_text(kpi: Kpi) -> str:
    method = kpi.method.value
    texts = {
        "linear": "(actual − baseline) ÷ (target − baseline), clipped to [0, cap]",
        "ratio": "actual ÷ target (or target ÷ actual when lower is better)",
        "range": "1 inside [low, high], falling to 0 at the tolerance",
        "binary": "1 when the target is met, else 0",
    }
    rule = "; status by red-flag value" if kpi.status_rule.value == "red_flag" else ""
    return f"{method}: {texts[method]}{rule}"


def write_findings(ws: Worksheet, ctx: ReportContext) -> PrintPlan:
    """Design warnings, data findings and escalations that applied to this report.

    A KPI is named by its name (the reader of a report does not know its ids)."""
    title(ws, "Findings")
    header_row(ws, 3, ["Severity", "Code", "Item", "Finding"])
    names = {k.id: k.name for k in ctx.card.all_kpis()}
    row = 3
    for finding in ctx.findings:
        row += 1
        put_text(ws, row, 1, finding.severity.value)
        put_text(ws, row, 2, finding.code)
        restyle(put_text(ws, row, 3, names.get(finding.item, finding.item)), alignment=WRAP)
        restyle(put_text(ws, row, 4, finding.message), alignment=WRAP)
    if not ctx.findings:
        put_text(
            ws, 4, 1, "No findings: the design passed every check and the data every validation."
        )
    for col, width in enumerate([10, 26, 20, 64], start=1):
        ws.column_dimensions[_letter(col)].width = width
    fit_wrapped_rows(ws, 4, row, [3, 4])
    ws.freeze_panes = "A4"
    return PrintPlan(scale=85, title_rows=(3, 3))


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


__all__ = [
    "describe_measure",
    "write_definitions",
    "write_findings",
    "write_kpi_detail",
    "write_trends",
]
