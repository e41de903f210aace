"""The Actions sheet: who owns what (RACI per KPI) and what is being done, by owner and status.

Ownership comes from the design, so even a report of a design file lists it; actions come
from the stored version's governance (none for a design file, said so in one line).
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.governance import Action, ActionStatus, GovernanceView
from scorecard_studio.domain.model import Kpi
from scorecard_studio.engines.export.cells import merge_new, put_number, put_text, restyle
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.layout import PrintPlan, fit_row_height, fit_wrapped_rows
from scorecard_studio.engines.export.overview_sheets import header_row, title
from scorecard_studio.engines.export.styles import BOLD, SUBTITLE_FONT, WRAP

NONE_RECORDED = "— (none recorded)"
#: Column widths: 128 units, one page width of Letter at the sheet's 80 % (A4 has more).
_WIDTHS = (20, 7, 30, 9, 11, 20, 13, 18)
_SCALE = 80


def accountable_text(kpi: Kpi) -> str:
    """Who the report names beside the KPI."""
    return kpi.accountable or NONE_RECORDED


def action_text(action: Action) -> str:
    due = f", due {action.due}" if action.due else ""
    return f"{action.id} {action.title} ({action.owner or 'no owner'}{due})"


def open_actions_text(view: GovernanceView | None, kpi: str) -> str:
    if view is None:
        return ""
    return "; ".join(action_text(a) for a in view.actions_for(kpi, open_only=True))


def write_actions(ws: Worksheet, ctx: ReportContext) -> PrintPlan:
    title(ws, "Actions and ownership", "Who is accountable for each KPI, and what is being done.")
    # The widths first: the rows' heights are worked out from them.
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    row = 4
    restyle(put_text(ws, row, 1, "Ownership (RACI)"), font=BOLD)
    row += 1
    header_row(ws, row, ["KPI", "", "Accountable", "", "Responsible", "", "Consulted", "Informed"])
    # The RACI table spans the eight columns of the actions below: the KPI over the owner
    # and id, the accountable person (named in the QBR) and the responsible people over
    # two columns each, so a name wraps only when it is longer than both.
    spans = ((1, 2), (3, 4), (5, 6), (7, 7), (8, 8))
    for start, end in spans:
        if end != start:
            merge_new(ws, row, start, end)
    for kpi in ctx.card.all_kpis():
        row += 1
        texts = (
            kpi.name,
            accountable_text(kpi),
            ", ".join(kpi.raci.responsible),
            ", ".join(kpi.raci.consulted),
            ", ".join(kpi.raci.informed),
        )
        for (start, end), text in zip(spans, texts, strict=True):
            restyle(put_text(ws, row, start, text), alignment=WRAP)
            if end != start:
                merge_new(ws, row, start, end)
        fit_row_height(
            ws,
            row,
            [
                (text, sum(_WIDTHS[c - 1] for c in range(start, end + 1)))
                for (start, end), text in zip(spans, texts, strict=True)
            ],
        )
    row += 2
    view = ctx.governance
    actions = [] if view is None else list(view.actions)
    restyle(put_text(ws, row, 1, f"Actions by owner ({len(actions)})"), font=BOLD)
    if view is None or not actions:
        restyle(put_text(ws, row + 1, 1, "No action recorded."), font=SUBTITLE_FONT)
        row += 1
    else:
        names = {k.id: k.name for k in ctx.card.all_kpis()}
        tiers = {t.id: t.name for t in ctx.card.tiers}
        row += 1
        header_row(ws, row, ["Owner", "Id", "Action", "Status", "Due", "KPIs", "Tiers", "Notes"])
        first = row + 1
        for owner, owned in view.by_owner().items():
            for a in owned:
                row += 1
                restyle(put_text(ws, row, 1, owner or NONE_RECORDED), alignment=WRAP)
                put_text(ws, row, 2, a.id)
                restyle(put_text(ws, row, 3, a.title), alignment=WRAP)
                put_text(ws, row, 4, a.status.value)
                put_text(ws, row, 5, a.due or "")
                restyle(
                    put_text(ws, row, 6, ", ".join(names.get(k, k) for k in a.kpis)), alignment=WRAP
                )
                restyle(
                    put_text(ws, row, 7, ", ".join(tiers.get(t, t) for t in a.tiers)),
                    alignment=WRAP,
                )
                restyle(put_text(ws, row, 8, a.notes), alignment=WRAP)
        fit_wrapped_rows(ws, first, row, [1, 3, 6, 7, 8])
        row += 2
        restyle(put_text(ws, row, 1, "Actions by status"), font=BOLD)
        for status in ActionStatus:
            row += 1
            put_text(ws, row, 1, status.value)
            put_number(ws, row, 2, float(len(view.by_status()[status])), "0")
    return PrintPlan(scale=_SCALE)
