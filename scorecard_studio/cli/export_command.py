"""``scorecard-studio export``: the Excel QBR report of a design over its data."""

from __future__ import annotations

import argparse

from scorecard_studio.cli.design_source import add_design_arguments, load_design_and_data
from scorecard_studio.cli.output import print_json
from scorecard_studio.domain.analytics import Analytics
from scorecard_studio.domain.periods import calendar_of


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export",
        help="write the Excel QBR report",
        description="Score a design over its data and write the Excel QBR report. A design "
        "with errors is refused, listing them.",
    )
    add_design_arguments(parser)
    parser.add_argument("--out", required=True, metavar="REPORT.xlsx", help="report file")
    parser.add_argument("--period", help="period label, e.g. 2026-Q3 (default: latest)")
    parser.add_argument("--author", help="name shown as the report's author")
    parser.add_argument("--json", action="store_true", help="print what was written as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_design_and_data(args)
    period = args.period
    if period:
        calendar = calendar_of(loaded.card)
        period = calendar.label(calendar.parse(period))
    from scorecard_studio.engines.export import ReportProvenance, export_report
    from scorecard_studio.engines.scoring import score

    result = score(loaded.card, loaded.tables)
    provenance = ReportProvenance.from_mapping(dict(loaded.provenance))
    evidence = None
    if loaded.tables and loaded.card.analytics != Analytics():
        from scorecard_studio.engines.analytics import analyze

        evidence = analyze(loaded.card, loaded.tables)
    summary = export_report(
        result,
        args.out,
        period=period,
        provenance=provenance,
        author=args.author,
        evidence=evidence,
    )
    if args.json:
        print_json(
            {"path": str(summary.path), "period": summary.period, "sheets": list(summary.sheets)}
        )
    else:
        print(f"wrote {summary.path} ({summary.period}, {len(summary.sheets)} sheets)")
    return 0
