"""``scorecard-studio export``: the Excel QBR report of a design over its data."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scorecard_studio.cli.design_source import add_design_arguments, load_design_and_data
from scorecard_studio.cli.output import print_json
from scorecard_studio.domain.analytics import Analytics
from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.periods import calendar_of

#: The author setting (the store's, read here without loading the store).
AUTHOR_ENV = "SCORECARD_STUDIO_AUTHOR"

#: Writes the PDF briefing of a report context to a path and returns its page count. The
#: writer lives in the Qt layer (Qt's PDF writer), which the CLI may not import; the
#: launcher, above both, hands it over with :func:`use_pdf_writer`.
PdfWriter = Callable[[Any, Path], int]
_PDF_WRITER: dict[str, Callable[[], PdfWriter]] = {}


def use_pdf_writer(loader: Callable[[], PdfWriter]) -> None:
    """Give ``export --format pdf`` its writer (loaded only when a PDF is asked for)."""
    _PDF_WRITER["loader"] = loader


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export",
        help="write the Excel QBR report",
        description="Score a design over its data and write the Excel QBR report. A design "
        "with errors is refused, listing them.",
    )
    add_design_arguments(parser)
    parser.add_argument("--out", required=True, metavar="REPORT.xlsx|.pdf", help="report file")
    parser.add_argument(
        "--format",
        choices=("xlsx", "pdf"),
        help="the Excel pack or the PDF briefing (default: from the --out suffix, else xlsx)",
    )
    parser.add_argument(
        "--period",
        help="period label, e.g. 2026-Q3 (default: the period a frozen version's label names, "
        "else the latest with data)",
    )
    parser.add_argument(
        "--author", help="name shown as 'Prepared by' (default: the version's author)"
    )
    parser.add_argument(
        "--no-trends", action="store_true", help="leave the Trends appendix out of the report"
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), default="a4", help="paper size (landscape)"
    )
    parser.add_argument("--json", action="store_true", help="print what was written as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_design_and_data(args)
    period = args.period
    if period:
        calendar = calendar_of(loaded.card)
        period = calendar.label(calendar.parse(period))
    from scorecard_studio.engines.export import ReportProvenance, export_report
    from scorecard_studio.engines.export.report import report_context
    from scorecard_studio.engines.scoring import score

    fmt = args.format or ("pdf" if str(args.out).lower().endswith(".pdf") else "xlsx")
    if fmt == "pdf" and "loader" not in _PDF_WRITER:
        raise ScorecardError("the PDF briefing needs the window's libraries (PySide6)")

    result = score(loaded.card, loaded.tables)
    provenance = ReportProvenance.from_mapping(dict(loaded.provenance))
    # "Prepared by": who the user says, else who saved the version, else the author setting.
    author = args.author or provenance.saved_by or os.environ.get(AUTHOR_ENV, "").strip()
    # The Evidence sheet and the briefing's evidence page print the same evidence.
    evidence = None
    if loaded.tables and loaded.card.analytics != Analytics():
        from scorecard_studio.engines.analytics import analyze

        evidence = analyze(loaded.card, loaded.tables)
    if fmt == "pdf":
        ctx = report_context(
            result,
            period=period,
            provenance=provenance,
            author=author or None,
            paper=args.paper,
            governance=loaded.governance,
            evidence=evidence,
        )
        pages = _PDF_WRITER["loader"]()(ctx, Path(args.out))
        if args.json:
            print_json({"path": str(args.out), "period": ctx.period_label, "pages": pages})
        else:
            print(f"wrote {args.out} ({ctx.period_label}, {pages} pages)")
        return 0
    summary = export_report(
        result,
        args.out,
        period=period,
        provenance=provenance,
        author=author or None,
        trends=not args.no_trends,
        paper=args.paper,
        evidence=evidence,
        governance=loaded.governance,
    )
    if args.json:
        print_json(
            {"path": str(summary.path), "period": summary.period, "sheets": list(summary.sheets)}
        )
    else:
        print(f"wrote {summary.path} ({summary.period}, {len(summary.sheets)} sheets)")
    return 0
