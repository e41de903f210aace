"""``scorecard-studio score``: actuals, scores, statuses and coverage for one period."""

from __future__ import annotations

import argparse
from typing import Any

from scorecard_studio.cli.design_source import add_design_arguments, load_design_and_data
from scorecard_studio.cli.output import fmt_number, format_table, print_json
from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.engines.scoring import ScoreResult, calendar_of, score


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "score",
        help="score a design over data files",
        description="Score a design over its data: every KPI, objective, perspective, tier "
        "and the headline for one period (default: the latest with data).",
    )
    add_design_arguments(parser)
    parser.add_argument("--period", help="period label, e.g. 2026-Q3 (default: latest)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_design_and_data(args)
    if args.period:  # validate and normalise ("2026q3" -> "2026-Q3") before any work
        calendar = calendar_of(loaded.card)
        args.period = calendar.label(calendar.parse(args.period))
    periods = [args.period] if args.period and not loaded.tables else None
    result = score(loaded.card, loaded.tables, periods)
    if not result.period_labels:
        raise ScorecardError("no dated rows in the data: nothing to score")
    if args.period and args.period not in result.period_labels:
        first, last = result.period_labels[0], result.period_labels[-1]
        raise ScorecardError(f"period {args.period!r} has no data (data covers {first} to {last})")
    document = result.to_json_dict(args.period)
    if loaded.provenance:
        document["version"] = loaded.provenance
    if args.json:
        print_json(document)
    else:
        print(render_text(result, document))
    return 0


def render_text(result: ScoreResult, doc: dict[str, Any]) -> str:
    """The readable table: KPIs down, tiers across, score and status in each cell."""
    tiers = [t["id"] for t in doc["tiers"]]
    names = [t["name"] for t in doc["tiers"]]
    head = doc["headline"]
    lines = [
        f"{result.card.name} — {doc['period']}",
        f"Headline score {fmt_number(head['score'])} ({head['status']}), "
        f"coverage {fmt_number(head['coverage'], percent=True)}",
        "",
    ]
    rows = []
    for kpi in doc["kpis"]:
        cells = [kpi["name"]]
        for tier in tiers:
            cell = kpi["by_tier"][tier]
            flag = "*" if cell["low_sample"] else ""
            cells.append(
                f"{fmt_number(cell['actual'])}{flag} / {fmt_number(cell['target'])} "
                f"{_badge(cell['status'])}"
            )
        rows.append(cells)
    rows.append(["Tier score", *(_node(t) for t in doc["tiers"])])
    lines.append(format_table(["KPI (actual / target)", *names], rows))
    findings = doc["findings"]
    if findings:
        lines += ["", "Findings:"]
        lines += [f"  {f['severity']}: {f['message']}" for f in findings]
    lines.append("* low sample")
    return "\n".join(lines)


def _node(t: dict[str, Any]) -> str:
    return f"{fmt_number(t['score'])} {_badge(str(t['status']))}"


def _badge(status: str) -> str:
    return {"green": "G", "amber": "A", "red": "R", "no_data": "–", "insufficient_data": "?"}[
        status
    ]
