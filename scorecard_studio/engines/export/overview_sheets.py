"""Summary and Tier matrix: the two sheets an executive reads first."""

from __future__ import annotations

import math

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.model import STATUS_BY_CODE, IndicatorType
from scorecard_studio.engines.export.cells import put_number, put_text
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.styles import (
    BOLD,
    BOX,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    PERCENT_FORMAT,
    RAG_FILLS,
    RAG_FONTS,
    RAG_LABELS,
    SCORE_FORMAT,
    SUBHEADER_FILL,
    SUBTITLE_FONT,
    TITLE_FONT,
)


def header_row(ws: Worksheet, row: int, labels: list[str], start: int = 1) -> None:
    for i, label in enumerate(labels):
        cell = put_text(ws, row, start + i, label)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = CENTER
        cell.border = BOX


def rag_cell(ws: Worksheet, row: int, column: int, status: str) -> None:
    cell = put_text(ws, row, column, RAG_LABELS[status])
    cell.fill = RAG_FILLS[status]
    cell.font = RAG_FONTS[status]
    cell.alignment = CENTER
    cell.border = BOX


def score_cell(ws: Worksheet, row: int, column: int, score: float, status: str) -> None:
    cell = put_number(ws, row, column, score, SCORE_FORMAT)
    cell.fill = RAG_FILLS[status]
    cell.font = RAG_FONTS[status]
    cell.alignment = CENTER
    cell.border = BOX


def _status(code: int) -> str:
    return STATUS_BY_CODE[int(code)].value


def write_summary(ws: Worksheet, ctx: ReportContext) -> None:
    """Headline, provenance, perspective scores per tier with coverage, and a bar chart."""
    r = ctx.result
    p = ctx.period_index
    prov = ctx.provenance
    put_text(ws, 1, 1, ctx.card.name).font = TITLE_FONT
    put_text(ws, 2, 1, f"Quarterly business review — {ctx.period_label}").font = SUBTITLE_FONT
    facts: list[tuple[str, str | float | None]] = [
        ("Reporting period", ctx.period_label),
        ("Scorecard version", "unsaved design" if prov.version is None else str(prov.version)),
        ("Version hash", prov.version_hash or "—"),
        ("Frozen as", prov.frozen_label or "not frozen"),
        ("Prepared by", ctx.author or "—"),
    ]
    for source_id, digest in sorted(prov.snapshot_hashes.items()):
        facts.append((f"Data snapshot: {source_id}", digest))
    row = 4
    for label, value in facts:
        put_text(ws, row, 1, label).font = BOLD
        put_text(ws, row, 2, str(value))
        row += 1
    row += 1
    put_text(ws, row, 1, "Headline score").font = BOLD
    head_status = _status(r.headline_status[p])
    score_cell(ws, row, 2, float(r.rollup.headline[p]), head_status)
    rag_cell(ws, row, 3, head_status)
    row += 1
    put_text(ws, row, 1, "Coverage (share of weight with data)").font = BOLD
    put_number(ws, row, 2, float(r.rollup.headline_coverage[p]), PERCENT_FORMAT)
    row += 2

    tiers = ctx.tiers()
    table_top = row
    header_row(ws, row, ["Perspective", "Weight", *[name for _, _, name in tiers]])
    for i, persp in enumerate(ctx.card.perspectives):
        row += 1
        put_text(ws, row, 1, persp.name).font = BOLD
        put_number(ws, row, 2, persp.weight, "0.##")
        for col, (t, _, _) in enumerate(tiers, start=3):
            score = float(r.rollup.perspective_score[i, t, p])
            score_cell(ws, row, col, score, _status(r.perspective_status[i, t, p]))
    chart_rows = (table_top, row)
    row += 1
    put_text(ws, row, 1, "Tier score").font = BOLD
    for col, (t, _, _) in enumerate(tiers, start=3):
        score_cell(ws, row, col, float(r.rollup.tier_score[t, p]), _status(r.tier_status[t, p]))
    row += 1
    put_text(ws, row, 1, "Coverage").font = BOLD
    for col, (t, _, _) in enumerate(tiers, start=3):
        put_number(ws, row, col, float(r.rollup.tier_coverage[t, p]), PERCENT_FORMAT)
    row += 1
    put_text(ws, row, 1, "Tier weight in the headline").font = BOLD
    weights = r.actuals.tier_weights[:, p]
    total = float(weights.sum())
    for col, (t, _, _) in enumerate(tiers[:-1], start=3):
        put_number(ws, row, col, float(weights[t]) / total if total else None, PERCENT_FORMAT)
    row += 1
    put_text(ws, row, 1, "Rows of data").font = BOLD
    for col, (t, _, _) in enumerate(tiers, start=3):
        put_number(ws, row, col, float(r.actuals.tier_rows[t]), "#,##0")

    if ctx.card.perspectives:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = f"Perspective scores by tier — {ctx.period_label}"
        chart.y_axis.title = "Score"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = max(1.0, ctx.card.settings.cap)
        top, bottom = chart_rows
        data = Reference(ws, min_col=3, max_col=2 + len(tiers) - 1, min_row=top, max_row=bottom)
        cats = Reference(ws, min_col=1, min_row=top + 1, max_row=bottom)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.height, chart.width = 8, 18
        ws.add_chart(chart, f"A{row + 3}")
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 24
    for col in range(3, 3 + len(tiers)):
        ws.column_dimensions[_letter(col)].width = 14


def write_tier_matrix(ws: Worksheet, ctx: ReportContext) -> None:
    """KPIs down, tiers across, actual beside target with RAG colour; leading then lagging."""
    r = ctx.result
    p = ctx.period_index
    tiers = ctx.tiers()
    put_text(ws, 1, 1, f"Tier matrix — {ctx.period_label}").font = TITLE_FONT
    put_text(
        ws, 2, 1, "Actual beside target per tier; * marks a low survey sample."
    ).font = SUBTITLE_FONT
    row = 4
    header = ["KPI", "Unit"]
    for _, _, name in tiers:
        header += [f"{name} actual", f"{name} target", f"{name} status"]
    for indicator, title in (
        (IndicatorType.LEADING, "Leading indicators"),
        (IndicatorType.LAGGING, "Lagging indicators"),
    ):
        block = [k for k, kpi in enumerate(r.kpis) if kpi.indicator is indicator]
        cell = put_text(ws, row, 1, f"{title} ({len(block)})")
        cell.font = BOLD
        cell.fill = SUBHEADER_FILL
        row += 1
        header_row(ws, row, header)
        for k in block:
            kpi = r.kpis[k]
            row += 1
            put_text(ws, row, 1, kpi.name)
            put_text(ws, row, 2, kpi.unit)
            fmt = ctx.value_format(kpi)
            for i, (t, _, _) in enumerate(tiers):
                col = 3 + 3 * i
                actual = float(r.actuals.value[k, t, p])
                put_number(ws, row, col, actual, fmt)
                put_number(ws, row, col + 1, float(r.targets.target[k, t, p]), fmt)
                status = _status(r.status[k, t, p])
                rag_cell(ws, row, col + 2, status)
                if r.low_sample[k, t, p]:
                    ws.cell(row=row, column=col + 2).value = f"{RAG_LABELS[status]} *"
        row += 2
    ws.column_dimensions["A"].width = 34
    for col in range(3, 3 + 3 * len(tiers)):
        ws.column_dimensions[_letter(col)].width = 12
    ws.freeze_panes = "C6"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def finite(value: float) -> float | None:
    return None if math.isnan(value) else value
