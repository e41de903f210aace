"""``scorecard-studio score``: actuals, scores, statuses and coverage for one period."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from scorecard_studio.cli.design_source import add_design_arguments, load_design_and_data
from scorecard_studio.cli.output import fmt_number, format_table, print_json
from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.periods import calendar_of
from scorecard_studio.domain.units import format_value, unit_of

if TYPE_CHECKING:  # the engine (numpy, pandas) is imported when a score is computed
    from scorecard_studio.engines.scoring import ScoreResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "score",
        help="score a design over data files",
        description="Score a design over its data: every KPI, objective, perspective, tier "
        "and the headline for one period (default: the latest with data), for every period "
        "(--period all) or for a range (--from/--to), reading the data once.",
    )
    add_design_arguments(parser)
    parser.add_argument(
        "--period", help="period label, e.g. 2026-Q3, or 'all' (default: the latest with data)"
    )
    parser.add_argument("--from", dest="first", metavar="PERIOD", help="first period of a range")
    parser.add_argument("--to", dest="last", metavar="PERIOD", help="last period of a range")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_design_and_data(args)
    calendar = calendar_of(loaded.card)
    ranged = args.period == "all" or args.first is not None or args.last is not None
    if args.period == "all" and (args.first or args.last):
        raise ScorecardError("--period all and --from/--to exclude each other")
    if ranged and args.period not in (None, "all"):
        raise ScorecardError("give either --period or --from/--to, not both")
    # Validate and normalise ("2026q3" -> "2026-Q3") before any work.
    single = None if ranged or not args.period else calendar.label(calendar.parse(args.period))
    first = calendar.parse(args.first) if args.first else None
    last = calendar.parse(args.last) if args.last else None
    if first is not None and last is not None and first > last:
        raise ScorecardError(f"--from {args.first} is after --to {args.last}")
    periods = [single] if single and not loaded.tables else None
    from scorecard_studio.engines.scoring import score

    result = score(loaded.card, loaded.tables, periods)
    if not result.period_labels:
        raise ScorecardError("no dated rows in the data: nothing to score")
    data_range = f"data covers {result.period_labels[0]} to {result.period_labels[-1]}"
    if single and single not in result.period_labels:
        raise ScorecardError(f"period {single!r} has no data ({data_range})")
    if not ranged:
        document = result.to_json_dict(single)
        if loaded.provenance:
            document["version"] = loaded.provenance
        if args.json:
            print_json(document)
        else:
            print(render_text(result, document))
        return 0
    chosen = [
        label
        for ordinal, label in zip(result.actuals.periods, result.period_labels, strict=True)
        if (first is None or ordinal >= first) and (last is None or ordinal <= last)
    ]
    if not chosen:
        raise ScorecardError(f"no period with data from {args.first} to {args.last} ({data_range})")
    documents = [result.to_json_dict(label) for label in chosen]
    if args.json:
        print_json(_series_document(result, documents, loaded.provenance))
    else:
        print("\n\n".join(render_text(result, doc) for doc in documents))
    return 0


def _series_document(
    result: ScoreResult, documents: list[dict[str, Any]], provenance: dict[str, object]
) -> dict[str, Any]:
    """Several periods in one document: findings once, each period without them."""
    out: dict[str, Any] = {
        "scorecard": result.card.name,
        "periods": [doc["period"] for doc in documents],
        "results": [
            {k: v for k, v in doc.items() if k not in ("findings", "periods", "scorecard")}
            for doc in documents
        ],
        "findings": documents[0]["findings"] if documents else [],
    }
    if provenance:
        out["version"] = provenance
    return out


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
    for model, kpi in zip(result.kpis, doc["kpis"], strict=True):
        unit = unit_of(model)
        cells = [kpi["name"]]
        for tier in tiers:
            cell = kpi["by_tier"][tier]
            flag = "*" if cell["low_sample"] else ""
            cells.append(
                f"{format_value(cell['actual'], unit)}{flag} / "
                f"{format_value(cell['target'], unit)} {_badge(cell['status'])}"
            )
        rows.append(cells)
    rows.append(["Tier score", *(_node(t) for t in doc["tiers"])])
    lines.append(format_table(["KPI (actual / target)", *names], rows))
    findings = doc["findings"]
    if findings:
        lines += ["", "Findings:"]
        lines += [f"  {f['severity']}: {f['message']}" for f in findings]
    lines.append("G green · A amber · R red · – no data · ? insufficient data · * low sample")
    return "\n".join(lines)


def _node(t: dict[str, Any]) -> str:
    return f"{fmt_number(t['score'])} {_badge(str(t['status']))}"


def _badge(status: str) -> str:
    return {"green": "G", "amber": "A", "red": "R", "no_data": "–", "insufficient_data": "?"}[
        status
    ]
