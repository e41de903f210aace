"""The What-if sheet: targets and weights as inputs, scores as live Excel formulas.

A consultant changes a target or a weight in Excel and every score, roll-up and the headline
move, computed by the same arithmetic as the app (docs/scoring.md): with the report's own
inputs the formulas give exactly the app's scores. The formulas use only functions that
Excel and LibreOffice share (IF, AND, OR, ISNUMBER, MIN, MAX, SUMPRODUCT, IFERROR).
Missing values are empty strings, which SUMPRODUCT counts as 0 and ISNUMBER as absent,
so the renormalising roll-up is the same as the app's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.utils import get_column_letter as col_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.model import Direction, MissingDataPolicy, ScoringMethod
from scorecard_studio.engines.export.cells import put_formula, put_number, put_text, restyle
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.layout import (
    TITLE_HEIGHT,
    ColumnWidths,
    PrintPlan,
    group_breaks,
    max_number_width,
)
from scorecard_studio.engines.export.overview_sheets import header_row
from scorecard_studio.engines.export.styles import (
    BOLD,
    CENTER,
    INPUT_FILL,
    SCORE_FORMAT,
    SUBHEADER_FILL,
    SUBTITLE_FONT,
    TITLE_FONT,
)

_BLOCK = ("Actual", "Baseline", "Target", "Stretch", "Score")
_FIRST_BLOCK_COL = 6  # A perspective, B objective, C KPI, D method, E weight


@dataclass(frozen=True, slots=True)
class WhatIfLayout:
    """Where the What-if sheet put things, for tests and for readers of the code."""

    first_kpi_row: int
    tier_score_row: int
    headline_cell: str
    score_columns: tuple[str, ...]  # per tier


def _c(col: int, row: int) -> str:
    return f"${col_letter(col)}${row}"


def _rng(col: int, first: int, last: int) -> str:
    return f"${col_letter(col)}${first}:${col_letter(col)}${last}"


def _weighted(weights: str, scores: str) -> tuple[str, str]:
    return (f"SUMPRODUCT({weights},{scores})", f"SUMPRODUCT({weights},--ISNUMBER({scores}))")


def write_whatif(ws: Worksheet, ctx: ReportContext) -> WhatIfLayout:
    """The sheet; its print plan is :func:`whatif_plan`."""
    r = ctx.result
    p = ctx.period_index
    card = ctx.card
    tiers = ctx.tiers()[:-1]  # the headline weighs the real tiers
    zero = card.settings.missing_data is MissingDataPolicy.ZERO
    restyle(put_text(ws, 1, 1, f"What-if — {ctx.period_label}"), font=TITLE_FONT)
    ws.row_dimensions[1].height = TITLE_HEIGHT
    widths = ColumnWidths()
    put_text(
        ws,
        2,
        1,
        "Change the yellow cells (targets, weights, cap): scores, roll-ups and the headline "
        "recalculate. Actuals are the period's data.",
    ).font = SUBTITLE_FONT
    restyle(put_text(ws, 4, 1, "Score cap"), font=BOLD)
    cap_cell = put_number(ws, 4, 3, card.settings.cap, "0.00")
    cap_cell.fill = INPUT_FILL
    cap = _c(3, 4)
    restyle(put_text(ws, 5, 1, "Missing data"), font=BOLD)
    put_text(ws, 5, 3, "counted as 0" if zero else "left out, weights renormalised")

    header = ["Perspective", "Objective", "KPI", "Method", "Weight"]
    top = 8
    for i, (_, _, name) in enumerate(tiers):
        start = _FIRST_BLOCK_COL + i * len(_BLOCK)
        cell = put_text(ws, top - 1, start, name)
        cell.font = BOLD
        cell.fill = SUBHEADER_FILL
        cell.alignment = CENTER
        ws.merge_cells(start_row=top - 1, start_column=start, end_row=top - 1, end_column=start + 4)
        header += list(_BLOCK)
    header_row(ws, top, header)

    parents = ctx.parents()
    row = top
    kpi_rows: dict[str, int] = {}
    for k, kpi in enumerate(r.kpis):
        row += 1
        kpi_rows[kpi.id] = row
        persp, obj = parents[kpi.id]
        put_text(ws, row, 1, persp.name)
        put_text(ws, row, 2, obj.name if obj else "")
        put_text(ws, row, 3, kpi.name)
        put_text(ws, row, 4, kpi.method.value)
        restyle(put_number(ws, row, 5, kpi.weight, "0.##"), fill=INPUT_FILL)
        fmt = ctx.value_format(kpi)
        widths.note_texts(3, [kpi.name])
        for i, (t, _, _) in enumerate(tiers):
            start = _FIRST_BLOCK_COL + i * len(_BLOCK)
            for j, values in enumerate(
                (r.actuals.value, r.targets.baseline, r.targets.target, r.targets.stretch)
            ):
                widths.note(start + j, max_number_width(values[k, t, p : p + 1], fmt))
            put_number(ws, row, start, _f(r.actuals.value[k, t, p]), fmt)
            for j, values in enumerate(
                (r.targets.baseline, r.targets.target, r.targets.stretch), 1
            ):
                restyle(put_number(ws, row, start + j, _f(values[k, t, p]), fmt), fill=INPUT_FILL)
            cells = [_c(start + j, row) for j in range(4)]
            formula = _score_formula(
                kpi.method,
                kpi.direction,
                cells,
                cap,
                (
                    _f(r.targets.low[k, t, p]),
                    _f(r.targets.high[k, t, p]),
                    _f(r.targets.tolerance[k, t, p]),
                ),
            )
            put_formula(ws, row, start + 4, formula, SCORE_FORMAT)

    # Objectives, then perspectives, each a weighted average of its children's scores.
    row += 2
    restyle(put_text(ws, row, 1, "Roll-up"), font=BOLD)
    objective_rows: dict[str, int] = {}
    for persp in card.perspectives:
        for obj in persp.objectives:
            row += 1
            objective_rows[obj.id] = row
            put_text(ws, row, 1, persp.name)
            put_text(ws, row, 2, obj.name)
            put_text(ws, row, 4, "objective")
            restyle(put_number(ws, row, 5, obj.weight, "0.##"), fill=INPUT_FILL)
            if obj.kpis:
                first, last = kpi_rows[obj.kpis[0].id], kpi_rows[obj.kpis[-1].id]
                for i in range(len(tiers)):
                    score_col = _FIRST_BLOCK_COL + i * len(_BLOCK) + 4
                    children = [_weighted(_rng(5, first, last), _rng(score_col, first, last))]
                    formula = _average(children, [_rng(5, first, last)], zero)
                    put_formula(ws, row, score_col, formula, SCORE_FORMAT)
    perspective_rows: list[int] = []
    for persp in card.perspectives:
        row += 1
        perspective_rows.append(row)
        restyle(put_text(ws, row, 1, persp.name), font=BOLD)
        put_text(ws, row, 4, "perspective")
        restyle(put_number(ws, row, 5, persp.weight, "0.##"), fill=INPUT_FILL)
        for i in range(len(tiers)):
            score_col = _FIRST_BLOCK_COL + i * len(_BLOCK) + 4
            parts: list[tuple[str, str]] = []
            weights: list[str] = []
            if persp.kpis:
                first, last = kpi_rows[persp.kpis[0].id], kpi_rows[persp.kpis[-1].id]
                parts.append(_weighted(_rng(5, first, last), _rng(score_col, first, last)))
                weights.append(_rng(5, first, last))
            if persp.objectives:
                first = objective_rows[persp.objectives[0].id]
                last = objective_rows[persp.objectives[-1].id]
                parts.append(_weighted(_rng(5, first, last), _rng(score_col, first, last)))
                weights.append(_rng(5, first, last))
            if parts:
                put_formula(ws, row, score_col, _average(parts, weights, zero), SCORE_FORMAT)
    row += 1
    tier_score_row = row
    restyle(put_text(ws, row, 1, "Tier score"), font=BOLD)
    score_columns = []
    for i in range(len(tiers)):
        score_col = _FIRST_BLOCK_COL + i * len(_BLOCK) + 4
        score_columns.append(col_letter(score_col))
        if perspective_rows:
            first, last = perspective_rows[0], perspective_rows[-1]
            parts = [_weighted(_rng(5, first, last), _rng(score_col, first, last))]
            put_formula(
                ws, row, score_col, _average(parts, [_rng(5, first, last)], zero), SCORE_FORMAT
            ).font = BOLD

    # The headline: tier weights (inputs) beside references to the tier scores.
    row += 2
    header_row(ws, row, ["Tier", "Weight", "Score"])
    tier_weights = r.actuals.tier_weights[:, p]
    total = float(tier_weights.sum())
    first_tier_row = row + 1
    for i, (t, _, name) in enumerate(tiers):
        row += 1
        put_text(ws, row, 1, name)
        put_number(
            ws, row, 2, float(tier_weights[t]) / total if total else 0.0, "0.0%"
        ).fill = INPUT_FILL
        score_col = _FIRST_BLOCK_COL + i * len(_BLOCK) + 4
        ref = _c(score_col, tier_score_row)
        put_formula(ws, row, 3, f'=IF(ISNUMBER({ref}),{ref},"")', SCORE_FORMAT)
    last_tier_row = row
    row += 1
    restyle(put_text(ws, row, 1, "Headline score"), font=BOLD)
    parts = [
        _weighted(_rng(2, first_tier_row, last_tier_row), _rng(3, first_tier_row, last_tier_row))
    ]
    put_formula(
        ws, row, 3, _average(parts, [_rng(2, first_tier_row, last_tier_row)], zero), SCORE_FORMAT
    ).font = BOLD
    headline = f"C{row}"

    for i, (_, _, name) in enumerate(tiers):
        start = _FIRST_BLOCK_COL + i * len(_BLOCK)
        for j, label in enumerate(_BLOCK):
            widths.note(start + j, max(len(label), 6))
        widths.note(start, len(name) - 2)  # the tier's name sits over its first column
    widths.note(1, 20)
    widths.note(2, 16)
    widths.note(3, 14)
    widths.note(4, 10)
    widths.note(5, 6)
    widths.apply(ws, maximum=34)
    ws.freeze_panes = f"{col_letter(_FIRST_BLOCK_COL)}{top + 1}"
    return WhatIfLayout(top + 1, tier_score_row, headline, tuple(score_columns))


#: The What-if sheet prints at this scale (a wide sheet: five columns per tier).
WHATIF_SCALE = 75


def whatif_plan(ws: Worksheet, ctx: ReportContext) -> PrintPlan:
    """Tier names and column titles repeat down the pages, the KPI's names across them.

    Pages break between tiers, never inside one: a tier's actual, targets and score read
    on one page under its name (the method and weight columns go with the first tier).
    """
    n_tiers = len(ctx.tiers()) - 1
    groups = [4] + [_FIRST_BLOCK_COL + i * len(_BLOCK) for i in range(1, n_tiers)]
    breaks = group_breaks(ws, ctx.paper, WHATIF_SCALE, 3, groups)
    return PrintPlan(
        scale=WHATIF_SCALE, title_rows=(7, 8), title_columns=(1, 3), column_breaks=breaks
    )


def _average(parts: list[tuple[str, str]], weights: list[str], zero: bool) -> str:
    numerator = "+".join(num for num, _ in parts)
    if zero:
        denominator = "+".join(f"SUM({w})" for w in weights)
    else:
        denominator = "+".join(den for _, den in parts)
    return f'=IFERROR(({numerator})/({denominator}),"")'


def _score_formula(
    method: ScoringMethod,
    direction: Direction,
    cells: list[str],
    cap: str,
    range_values: tuple[float | None, float | None, float | None],
) -> str:
    a, b, t, s = cells
    declared = "TRUE" if direction is Direction.HIGHER else "FALSE"
    higher = f"IF(AND(ISNUMBER({b}),ISNUMBER({t}),{b}<>{t}),{t}>{b},{declared})"
    if method is ScoringMethod.LINEAR:
        base = f"({a}-{b})/({t}-{b})"
        stretch = f"1+({cap}-1)*({a}-{t})/({s}-{t})"
        body = (
            f"MAX(0,MIN({cap},IF(AND({cap}>1,ISNUMBER({s}),{s}<>{t},{base}>1),{stretch},{base})))"
        )
        return (
            f'=IF(OR(NOT(ISNUMBER({a})),NOT(ISNUMBER({b})),NOT(ISNUMBER({t}))),"",'
            f'IF({t}={b},"",{body}))'
        )
    if method is ScoringMethod.RATIO:
        body = f"MAX(0,MIN({cap},IF({higher},{a}/{t},IF({a}=0,{cap},{t}/{a}))))"
        return f'=IF(OR(NOT(ISNUMBER({a})),NOT(ISNUMBER({t}))),"",IF(OR({t}<=0,{a}<0),"",{body}))'
    if method is ScoringMethod.BINARY:
        return (
            f'=IF(OR(NOT(ISNUMBER({a})),NOT(ISNUMBER({t}))),"",'
            f"IF({higher},IF({a}>={t},1,0),IF({a}<={t},1,0)))"
        )
    low, high, tol = range_values
    if low is None or high is None:
        return '=""'
    tolerance = tol or 0.0
    below = f"IF({tolerance!r}>0,MAX(0,1-({low!r}-{a})/{tolerance!r}),0)"
    above = f"IF({tolerance!r}>0,MAX(0,1-({a}-{high!r})/{tolerance!r}),0)"
    return f'=IF(NOT(ISNUMBER({a})),"",IF({a}<{low!r},{below},IF({a}>{high!r},{above},1)))'


def _f(value: float) -> float | None:
    v = float(value)
    return None if math.isnan(v) else v
