"""``scorecard-studio check``: the design findings of a design file (spec section 4)."""

from __future__ import annotations

import argparse

from scorecard_studio.cli.output import print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "check",
        help="list the design findings of a design file",
        description="Check a design: exit 0 when it has no errors, 1 when it has some.",
    )
    parser.add_argument("design", help="design file (.json)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: ``--help`` builds every command's parser.
    from scorecard_studio.domain.checks import check_design
    from scorecard_studio.domain.findings import has_errors
    from scorecard_studio.engines.design_file import load_design

    card = load_design(args.design)
    findings = check_design(card)
    if args.json:
        print_json(
            {
                "scorecard": card.name,
                "errors": sum(f.severity.value == "error" for f in findings),
                "warnings": sum(f.severity.value == "warning" for f in findings),
                "findings": [f.to_json_dict() for f in findings],
            }
        )
    elif findings:
        for f in findings:
            item = f" [{f.item}]" if f.item else ""
            print(f"{f.severity.value}{item}: {f.message}")
    else:
        print(f"{card.name}: no findings")
    return 1 if has_errors(findings) else 0
