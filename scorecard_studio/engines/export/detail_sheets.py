"""KPI detail, Trends, Definitions and Findings: the sheets analysts and auditors read."""

from __future__ import annotations

import numpy as np
from openpyxl.chart import LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.model import STATUS_BY_CODE, Aggregation, Kpi, Measure
from scorecard_studio.engines.export.cells import put_number, put_text
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.overview_sheets import header_row, rag_cell
from scorecard_studio.engines.export.styles import (
    BOLD,
    SCORE_FORMAT,
    SHARE_FORMAT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP,
)

#: Trend charts are drawn for the KPIs with the largest share of the headline.
MAX_TREND_CHARTS = 12

_DETAIL_HEADER = [
    "KPI",
    "Definition",
    "Perspective",
    "Objective",
    "Direction",
    "Indicator",
    "Method",
    "Tier",
    "Baseline",
    "Target",
    "Stretch",
    "Actual",
    "Score",
    "Status",
    "Weight",
    "Share of headline",
    "Sample size",
    "Low sample",
    "Owner",
]


def write_kpi_detail(ws: Worksheet, ctx: ReportContext) -> None:
    """One row per KPI and tier with every figure behind its score."""
    r = ctx.result
    p = ctx.period_index
    parents = ctx.parents()
    put_text(ws, 1, 1, f"KPI detail — {ctx.period_label}").font = TITLE_FONT
    header_row(ws, 3, _DETAIL_HEADER)
    row = 3
    for k, kpi in enumerate(r.kpis):
        persp, obj = parents[kpi.id]
        fmt = ctx.value_format(kpi)
        for t, _, tier_name in ctx.tiers():
            row += 1
            texts = [
                kpi.name,
                kpi.description,
                persp.name,
                obj.name if obj else "",
                f"{kpi.direction.value} is better",
                kpi.indicator.value,
                kpi.method.value,
                tier_name,
            ]
            for col, text in enumerate(texts, start=1):
                put_text(ws, row, col, text)
            for col, values in zip(
                (9, 10, 11, 12),
                (r.targets.baseline, r.targets.target, r.targets.stretch, r.actuals.value),
                strict=True,
            ):
                put_number(ws, row, col, float(values[k, t, p]), fmt)
            put_number(ws, row, 13, float(r.score[k, t, p]), SCORE_FORMAT)
            rag_cell(ws, row, 14, STATUS_BY_CODE[int(r.status[k, t, p])].value)
            put_number(ws, row, 15, kpi.weight, "0.##")
            put_number(ws, row, 16, float(r.effective_share[k]), SHARE_FORMAT)
            sample = float(r.actuals.sample[k, t, p])
            put_number(ws, row, 17, None if np.isnan(sample) else sample, "#,##0")
            put_text(ws, row, 18, "yes" if r.low_sample[k, t, p] else "")
            put_text(ws, row, 19, kpi.owner)
    widths = [30, 40, 18, 18, 16, 10, 10, 14, 11, 11, 11, 11, 8, 10, 8, 10, 10, 9, 18]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[_letter(col)].width = width
    ws.freeze_panes = "B4"
    ws.auto_filter.ref = f"A3:{_letter(len(_DETAIL_HEADER))}{max(row, 4)}"


def write_trends(ws: Worksheet, ctx: ReportContext) -> None:
    """Each KPI by period for every tier, its target below; line charts for the main KPIs."""
    r = ctx.result
    labels = r.period_labels
    put_text(ws, 1, 1, "Trends by period").font = TITLE_FONT
    header_row(ws, 3, ["KPI", "Tier", "Series", *labels])
    row = 3
    blocks: dict[int, tuple[int, int]] = {}
    for k, kpi in enumerate(r.kpis):
        fmt = ctx.value_format(kpi)
        first = row + 1
        for t, _, tier_name in ctx.tiers():
            for series, values in (("Actual", r.actuals.value), ("Target", r.targets.target)):
                row += 1
                put_text(ws, row, 1, kpi.name)
                put_text(ws, row, 2, tier_name)
                put_text(ws, row, 3, series)
                for j in range(len(labels)):
                    put_number(ws, row, 4 + j, float(values[k, t, j]), fmt)
        blocks[k] = (first, row)
    ws.freeze_panes = "D4"
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 14
    order = np.argsort(-r.effective_share, kind="stable")[:MAX_TREND_CHARTS]
    anchor_col = _letter(5 + len(labels))
    for n, k in enumerate(order):
        first, _ = blocks[int(k)]
        chart = LineChart()
        chart.title = r.kpis[int(k)].name
        chart.y_axis.title = r.kpis[int(k)].unit or "Actual"
        chart.x_axis.title = "Period"
        chart.height, chart.width = 7, 16
        n_tiers = len(ctx.tiers())
        for i in range(n_tiers):
            actual_row = first + 2 * i  # actual rows of each tier, targets left to the table
            ref = Reference(ws, min_col=3, max_col=3 + len(labels), min_row=actual_row)
            chart.add_data(ref, titles_from_data=True, from_rows=True)
        all_target_row = first + 2 * (n_tiers - 1) + 1
        target = Reference(ws, min_col=3, max_col=3 + len(labels), min_row=all_target_row)
        chart.add_data(target, titles_from_data=True, from_rows=True)
        for i, series in enumerate(chart.series):
            name = ctx.tiers()[i][2] if i < n_tiers else "Target (all customers)"
            from openpyxl.chart.series import SeriesLabel

            series.tx = SeriesLabel(v=name)
        chart.set_categories(Reference(ws, min_col=4, max_col=3 + len(labels), min_row=3))
        ws.add_chart(chart, f"{anchor_col}{4 + n * 16}")


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


def write_definitions(ws: Worksheet, ctx: ReportContext) -> None:
    """How each KPI is calculated, from which columns, with its assumptions and notes."""
    put_text(ws, 1, 1, "Definitions").font = TITLE_FONT
    put_text(ws, 2, 1, "How each figure in this report is calculated.").font = SUBTITLE_FONT
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
            put_text(ws, row, col, text).alignment = WRAP
    for col, width in enumerate([28, 16, 60, 34, 24, 8, 44, 40, 40], start=1):
        ws.column_dimensions[_letter(col)].width = width
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
        put_text(ws, row, 1, label).font = BOLD
        put_text(ws, row, 3, value)
        row += 1
    ws.freeze_panes = "B5"


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


def write_findings(ws: Worksheet, ctx: ReportContext) -> None:
    """Design warnings and data findings that applied to this report."""
    put_text(ws, 1, 1, "Findings").font = TITLE_FONT
    header_row(ws, 3, ["Severity", "Code", "Item", "Finding"])
    row = 3
    for finding in ctx.findings:
        row += 1
        put_text(ws, row, 1, finding.severity.value)
        put_text(ws, row, 2, finding.code)
        put_text(ws, row, 3, finding.item)
        put_text(ws, row, 4, finding.message).alignment = WRAP
    if not ctx.findings:
        put_text(
            ws, 4, 1, "No findings: the design passed every check and the data every validation."
        )
    for col, width in enumerate([10, 24, 18, 100], start=1):
        ws.column_dimensions[_letter(col)].width = width
    ws.freeze_panes = "A4"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


__all__ = [
    "SUBTITLE_FONT",
    "describe_measure",
    "write_definitions",
    "write_findings",
    "write_kpi_detail",
    "write_trends",
]
