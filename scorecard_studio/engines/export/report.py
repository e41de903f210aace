"""The Excel QBR report: assemble the sheets, set up printing, save atomically.

A design with errors is refused (the errors are listed) because a report is what leaves the
building; warnings are listed in the report's Findings sheet.
"""

from __future__ import annotations

import getpass
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio import __version__
from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.engines.export.cells import clean_text, sheet_title
from scorecard_studio.engines.export.context import ReportContext, ReportProvenance
from scorecard_studio.engines.export.detail_sheets import (
    write_definitions,
    write_findings,
    write_kpi_detail,
    write_trends,
)
from scorecard_studio.engines.export.overview_sheets import write_summary, write_tier_matrix
from scorecard_studio.engines.export.whatif_sheet import WhatIfLayout, write_whatif
from scorecard_studio.engines.scoring import ScoreResult

if TYPE_CHECKING:
    from scorecard_studio.engines.analytics import Evidence

SHEETS = ("Summary", "Tier matrix", "KPI detail", "Trends", "What-if", "Definitions", "Findings")


class ExportRefusedError(ScorecardError):
    """The design has errors; the report would present wrong figures."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    period: str
    sheets: tuple[str, ...]
    whatif: WhatIfLayout


def export_report(
    result: ScoreResult,
    path: str | os.PathLike[str],
    *,
    period: str | None = None,
    provenance: ReportProvenance | None = None,
    author: str | None = None,
    extra_findings: Sequence[Finding] = (),
    evidence: Evidence | None = None,
) -> ExportSummary:
    """Write the QBR workbook for one period (default: the latest with data).

    With ``evidence`` (account health, at-risk accounts, link evidence) the workbook gets
    an Evidence sheet after the others.
    """
    errors = [f for f in result.findings if f.severity is Severity.ERROR and _is_design(f)]
    if errors:
        listed = "; ".join(f"{f.item or 'scorecard'}: {f.message}" for f in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ExportRefusedError(f"the design has {len(errors)} error(s): {listed}{more}")
    if not result.period_labels:
        raise ExportRefusedError("no dated rows in the data: nothing to report")
    try:
        index = result.period_index(period)
    except ValueError:
        raise ScorecardError(
            f"period {period!r} has no data (data covers {result.period_labels[0]} to "
            f"{result.period_labels[-1]})"
        ) from None
    ctx = ReportContext(
        result=result,
        period_index=index,
        provenance=provenance or ReportProvenance(),
        author=author if author is not None else _user(),
        findings=[*result.findings, *extra_findings],
    )
    wb = Workbook()
    titles: list[str] = []
    sheets: dict[str, Worksheet] = {}
    for name in SHEETS:
        title = sheet_title(name, titles)
        titles.append(title)
        ws = wb.active if not sheets else wb.create_sheet()
        assert ws is not None
        ws.title = title
        sheets[name] = ws
    write_summary(sheets["Summary"], ctx)
    write_tier_matrix(sheets["Tier matrix"], ctx)
    write_kpi_detail(sheets["KPI detail"], ctx)
    write_trends(sheets["Trends"], ctx)
    layout = write_whatif(sheets["What-if"], ctx)
    write_definitions(sheets["Definitions"], ctx)
    write_findings(sheets["Findings"], ctx)
    if evidence is not None and evidence.panel.n_customers:
        from scorecard_studio.engines.export.evidence_sheet import write_evidence

        sheets["Evidence"] = wb.create_sheet(sheet_title("Evidence", titles))
        titles.append(sheets["Evidence"].title)
        write_evidence(sheets["Evidence"], evidence, ctx.period_label)
    for ws in sheets.values():
        _print_setup(ws)
    _properties(wb, ctx)
    target = Path(path)
    _save_atomically(wb, target)
    return ExportSummary(target, ctx.period_label, tuple(titles), layout)


def _is_design(finding: Finding) -> bool:
    """Errors that come from the design (data errors are reported, not blocking)."""
    return finding.code not in {"no_data", "bad_tiering", "bad_tier_weights"}


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers and services
        return ""


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if ws.freeze_panes:
        header_row = int("".join(ch for ch in ws.freeze_panes if ch.isdigit())) - 1
        if header_row >= 1:
            ws.print_title_rows = f"1:{header_row}"
    if ws.oddFooter is not None and ws.oddFooter.center is not None:
        ws.oddFooter.center.text = "&A — page &P of &N"


def _properties(wb: Workbook, ctx: ReportContext) -> None:
    props = wb.properties
    props.title = clean_text(f"{ctx.card.name} — QBR {ctx.period_label}")
    props.subject = "Customer balanced scorecard"
    props.creator = clean_text(ctx.author or "Scorecard Studio")
    props.keywords = "scorecard, QBR"
    props.description = clean_text(
        f"Scorecard version {ctx.provenance.version or 'unsaved'}"
        f" hash {ctx.provenance.version_hash or '—'}; generated by Scorecard Studio {__version__}"
    )
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.created = props.modified = now
    wb.calculation = CalcProperties(fullCalcOnLoad=True)


def _save_atomically(wb: Workbook, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
