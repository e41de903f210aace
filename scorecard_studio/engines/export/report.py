"""The Excel QBR report: assemble the sheets, set up printing, save atomically.

A design with errors is refused (the errors are listed) because a report is what leaves the
building; warnings are listed in the report's Findings sheet.
"""

from __future__ import annotations

import errno
import gc
import glob
import os
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio import __version__
from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.engines.export.actions_sheet import write_actions
from scorecard_studio.engines.export.cells import (
    CUT_MARKER,
    EXCEL_TEXT_LIMIT,
    clean_text,
    cut_cells,
    sheet_title,
)
from scorecard_studio.engines.export.charts import add_chart_pages
from scorecard_studio.engines.export.context import ReportContext, ReportProvenance
from scorecard_studio.engines.export.detail_sheets import (
    write_definitions,
    write_findings,
    write_kpi_detail,
    write_trends,
)
from scorecard_studio.engines.export.escalation_findings import report_escalations
from scorecard_studio.engines.export.layout import PrintPlan, set_up_printing
from scorecard_studio.engines.export.overview_sheets import write_tier_matrix
from scorecard_studio.engines.export.period_choice import default_period
from scorecard_studio.engines.export.provenance_sheet import write_provenance
from scorecard_studio.engines.export.sheet_writer import Workbook
from scorecard_studio.engines.export.summary_sheet import summary_plan, write_summary
from scorecard_studio.engines.export.whatif_sheet import WhatIfLayout, whatif_plan, write_whatif
from scorecard_studio.engines.scoring import ScoreResult

if TYPE_CHECKING:
    from scorecard_studio.domain.governance import GovernanceView
    from scorecard_studio.engines.analytics import Evidence

SHEETS = (
    "Summary",
    "Tier matrix",
    "KPI detail",
    "Trends",
    "What-if",
    "Actions",
    "Definitions",
    "Findings",
    "Provenance",
)
#: Sheets a user may leave out of the pack (appendices).
OPTIONAL_SHEETS = frozenset({"Trends"})
PAPERS = ("a4", "letter")


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
    trends: bool = True,
    paper: str = "a4",
    evidence: Evidence | None = None,
    governance: GovernanceView | None = None,
) -> ExportSummary:
    """Write the QBR workbook for one period.

    The period defaults to the one a frozen version names in its label, else the latest
    with data (see ``period_choice``). "Prepared by" is ``author``, else the version's
    author; never the login name, which says who ran the program, not who answers for
    the report. With ``evidence`` (account health, at-risk accounts, link evidence) the
    workbook gets an Evidence sheet after the others.
    """
    ctx = report_context(
        result,
        period=period,
        provenance=provenance,
        author=author,
        extra_findings=extra_findings,
        trends=trends,
        paper=paper,
        governance=governance,
    )
    with cycle_collection_paused():  # a fifth of a large report's time: see its docstring
        return _write_report(ctx, Path(path), trends=trends, evidence=evidence)


def _write_report(
    ctx: ReportContext, target: Path, *, trends: bool, evidence: Evidence | None
) -> ExportSummary:
    """The sheets, their print setup and the properties, saved to ``target``."""
    wb = Workbook()
    names = [n for n in SHEETS if trends or n not in OPTIONAL_SHEETS]
    titles: list[str] = []
    sheets: dict[str, Worksheet] = {}
    for name in names:
        title = sheet_title(name, titles)
        titles.append(title)
        ws = wb.active if not sheets else wb.create_sheet()
        assert ws is not None
        ws.title = title
        sheets[name] = ws
    plans: dict[str, PrintPlan] = {}
    summary_layout = write_summary(sheets["Summary"], ctx)
    plans["Tier matrix"] = write_tier_matrix(sheets["Tier matrix"], ctx)
    plans["KPI detail"] = write_kpi_detail(sheets["KPI detail"], ctx)
    trend_rows: dict[int, int] = {}
    if "Trends" in sheets:
        plans["Trends"], trend_rows = write_trends(sheets["Trends"], ctx)
    chart_breaks = add_chart_pages(
        sheets["Summary"], ctx, summary_layout, sheets.get("Trends"), trend_rows
    )
    plans["Summary"] = summary_plan(summary_layout.last_row, chart_breaks)
    layout = write_whatif(sheets["What-if"], ctx)
    plans["What-if"] = whatif_plan(sheets["What-if"], ctx)
    plans["Actions"] = write_actions(sheets["Actions"], ctx)
    plans["Definitions"] = write_definitions(sheets["Definitions"], ctx)
    plans["Provenance"] = write_provenance(sheets["Provenance"], ctx)
    if evidence is not None and evidence.panel.n_customers:
        from scorecard_studio.engines.export.evidence_sheet import write_evidence

        sheets["Evidence"] = wb.create_sheet(sheet_title("Evidence", titles))
        titles.append(sheets["Evidence"].title)
        write_evidence(sheets["Evidence"], evidence, ctx.period_label)
        plans["Evidence"] = PrintPlan(scale=85)
    ctx.findings.extend(_cut_findings(sheets))
    plans["Findings"] = write_findings(sheets["Findings"], ctx)
    footer = ctx.compact_provenance()
    for name, ws in sheets.items():
        set_up_printing(ws, plans[name], ctx.paper, footer_left=footer)
    _properties(wb, ctx)
    try:
        _save_atomically(wb, target)
    finally:
        _release(wb)
    return ExportSummary(target, ctx.period_label, tuple(titles), layout)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while the workbook is built and saved, then as it was.

    A large report makes a million small objects (openpyxl's cells, their styles, the rows'
    text) and keeps them all until it is saved, so every collection the allocations set
    off walks an ever larger heap without finding garbage: a fifth of the export's time for
    a thousand KPIs. Objects are still freed as their references go; cycles made meanwhile
    wait until the collector is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _release(wb: Workbook) -> None:
    """Let the saved workbook's cells go now rather than at some later collection.

    Each cell and its sheet refer to each other, so only the cycle collector would free
    them, in one pause as long as the workbook is large; emptied sheets free their cells
    as the references go.
    """
    for ws in wb.worksheets:
        ws._cells.clear()


def report_context(
    result: ScoreResult,
    *,
    period: str | None = None,
    provenance: ReportProvenance | None = None,
    author: str | None = None,
    extra_findings: Sequence[Finding] = (),
    trends: bool = True,
    paper: str = "a4",
    governance: GovernanceView | None = None,
    evidence: Evidence | None = None,
) -> ReportContext:
    """What every sheet (and the PDF briefing) reads; refuses a design with errors."""
    errors = [f for f in result.findings if f.severity is Severity.ERROR and _is_design(f)]
    if errors:
        listed = "; ".join(f"{f.item or 'scorecard'}: {f.message}" for f in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ExportRefusedError(f"the design has {len(errors)} error(s): {listed}{more}")
    if not result.period_labels:
        raise ExportRefusedError("no dated rows in the data: nothing to report")
    if paper not in PAPERS:
        raise ScorecardError(f"paper {paper!r} is not one of {', '.join(PAPERS)}")
    prov = provenance or ReportProvenance()
    if period is None:
        period = default_period(result, prov.frozen_label)
    try:
        index = result.period_index(period)
    except ValueError:
        raise ScorecardError(
            f"period {period!r} has no data (data covers {result.period_labels[0]} to "
            f"{result.period_labels[-1]})"
        ) from None
    now = generation_time()
    return ReportContext(
        result=result,
        period_index=index,
        provenance=prov,
        author=(author if author is not None else prov.saved_by or "").strip(),
        findings=[
            *result.findings,
            *extra_findings,
            *report_escalations(result, index, governance, now),
        ],
        generated_at=now.strftime("%Y-%m-%d %H:%M UTC"),
        include_trends=trends,
        paper=paper,
        governance=governance,
        evidence=evidence,
    )


def _cut_findings(sheets: dict[str, Worksheet]) -> list[Finding]:
    """A warning for every text cut at Excel's cell limit, naming the cell."""
    out = []
    for name, ws in sheets.items():
        for coordinate, units in cut_cells(ws):
            out.append(
                Finding(
                    Severity.WARNING,
                    "text_cut",
                    f"{name}!{coordinate}",
                    f"text of {units:,} characters (UTF-16 units) cut to Excel's limit of "
                    f"{EXCEL_TEXT_LIMIT:,}; it ends with {CUT_MARKER!r}",
                )
            )
    return out


def generation_time() -> datetime:
    """When the report is made: now, or ``SOURCE_DATE_EPOCH`` where it is set.

    That variable is the reproducible-builds convention: with it, the same version exported
    twice gives the same workbook, "generated at" included.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _is_design(finding: Finding) -> bool:
    """Errors that come from the design (data errors are reported, not blocking)."""
    return finding.code not in {"no_data", "bad_tiering", "bad_tier_weights"}


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
    now = generation_time().replace(tzinfo=None)
    props.created = props.modified = now
    _witness_properties(wb, ctx.provenance)
    wb.calculation = CalcProperties(fullCalcOnLoad=True)


def current_umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it
    os.umask(mask)
    return mask


#: Custom document properties naming the stored version a report was made from.
WITNESS_PROPERTIES = {
    "scorecard": "ScorecardStudio.Scorecard",
    "version": "ScorecardStudio.Version",
    "version_hash": "ScorecardStudio.VersionHash",
    "head": "ScorecardStudio.LatestVersion",
    "head_hash": "ScorecardStudio.LatestHash",
}


def _witness_properties(wb: Workbook, prov: ReportProvenance) -> None:
    """The version (and the store's latest one) as properties ``store verify --against`` reads."""
    from openpyxl.packaging.custom import StringProperty

    values: dict[str, str | None] = {
        "scorecard": prov.scorecard,
        "version": None if prov.version is None else str(prov.version),
        "version_hash": prov.version_hash,
        "head": None if prov.head is None else str(prov.head),
        "head_hash": prov.head_hash,
    }
    properties = wb.custom_doc_props  # type: ignore[attr-defined]  # openpyxl >= 3.1
    for key, name in WITNESS_PROPERTIES.items():
        value = values[key]
        if value:
            properties.append(StringProperty(name=name, value=clean_text(value)))


#: A temporary report file older than this is left over from a killed export.
STALE_TEMP_SECONDS = 3600


def _save_atomically(wb: Workbook, target: Path) -> None:
    """Write beside the target, then rename; a full disk or a read-only folder is one line.

    The temporary name carries the writer's process id, so the next export can tell the
    leftovers of a killed export (their process is gone) from another export in progress.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temp_files(target)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.stem}.{os.getpid()}-", suffix=".xlsx", dir=target.parent
        )
        os.close(fd)
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600 whatever the umask
    except OSError as exc:
        raise ScorecardError(_write_failure(target, exc)) from None
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ScorecardError(_write_failure(target, exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_failure(target: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{target}: the disk is full; the report was not written (free some space)"
    return f"{target}: cannot write the report ({exc.strerror or exc})"


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Delete the hidden ``.NAME.*.xlsx`` files killed exports left beside ``target``."""
    removed = []
    now = time.time()
    shape = re.compile(rf"^\.{re.escape(target.stem)}\.(?:(\d+)-)?[a-z0-9_]{{8}}\.xlsx$")
    for candidate in target.parent.glob(f".{glob.escape(target.stem)}.*.xlsx"):
        match = shape.match(candidate.name)
        if match is None:
            continue  # not a name this module gives its temporary files
        pid_text = match.group(1) or ""
        try:
            age = now - candidate.stat().st_mtime
            owner_gone = pid_text.isdigit() and not _process_alive(int(pid_text))
            if owner_gone or age > STALE_TEMP_SECONDS:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue  # gone meanwhile, or not ours to delete: the export goes on
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no cheap, safe probe: leave it to the age rule
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
