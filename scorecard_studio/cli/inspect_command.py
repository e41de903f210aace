"""``scorecard-studio inspect``: what a spreadsheet or CSV holds, before importing it.

Prints the sheets (with visibility), the detected header row, every column's type with
sample values and counts of missing and invalid cells, and the findings. Exits 0 when the
file was read and 2 with a one-line reason otherwise ("encrypted: password required",
"not a spreadsheet: …", "file too large: …", "unsafe file: …", "memory limit: …").
"""

from __future__ import annotations

import argparse
from typing import Any

from scorecard_studio.cli.output import format_table, print_json
from scorecard_studio.domain.wording import count


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "inspect",
        help="show the sheets, header, column types and findings of a spreadsheet",
        description="Inspect a spreadsheet or CSV file: sheets and their visibility, the "
        "detected header row, each column's inferred type with samples and counts, findings.",
    )
    parser.add_argument("file", help="xlsx, xlsm, xls, ods, csv, tsv or txt file")
    parser.add_argument("--sheet", help="sheet to inspect (default: the first visible one)")
    parser.add_argument("--password", help="password of an encrypted workbook")
    parser.add_argument("--json", action="store_true", help="print the inspection as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scorecard_studio.engines.importing import inspect_workbook

    inspection = inspect_workbook(args.file, sheet=args.sheet, password=args.password)
    document = inspection.to_json_dict()
    if args.json:
        print_json(document)
    else:
        print(render_text(document))
    return 0


def render_text(doc: dict[str, Any]) -> str:
    """Sheets, then the chosen sheet's columns, then findings."""
    lines = [f"{doc['file']} ({doc['format']}, read with {doc['reader']})", ""]
    sheet_rows = [
        [
            ("> " if s["name"] == doc["sheet"] else "  ") + s["name"],
            s["visibility"],
            f"{s['rows']:,}",
            f"{s['columns']:,}",
        ]
        for s in doc["sheets"]
    ]
    lines.append(format_table(["Sheet", "Visibility", "Rows", "Columns"], sheet_rows))
    header = doc["header_row"]
    lines += [
        "",
        f"Header row: {header + 1 if header is not None else 'none'}; "
        f"{count(doc['rows'], 'data row')}",
        "",
    ]
    column_rows = [
        [
            c["name"],
            c["type"],
            f"{c['missing']:,}",
            f"{c['invalid']:,}",
            ", ".join(str(v) for v in c["samples"][:3]),
        ]
        for c in doc["columns"]
    ]
    lines.append(format_table(["Column", "Type", "Missing", "Invalid", "Samples"], column_rows))
    if doc["findings"]:
        lines += ["", "Findings:"]
        lines += [f"  {f['severity']}: {f['message']}" for f in doc["findings"]]
    return "\n".join(lines)
