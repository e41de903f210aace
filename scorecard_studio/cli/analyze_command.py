"""``scorecard-studio analyze``: account health, at-risk accounts, link evidence, redundancy.

The same ``Evidence`` the window and the report read (specification section 6), as text
tables or, with ``--json``, as documents whose NaNs are ``null``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scorecard_studio.cli.design_source import add_design_arguments, load_design_and_data
from scorecard_studio.cli.output import fmt_number, format_table, print_json
from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.periods import calendar_of

if TYPE_CHECKING:  # numpy and pandas load only when a command computes evidence
    from scorecard_studio.engines.analytics import Evidence

VIEWS = ("health", "at-risk", "links", "redundant")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "analyze",
        help="account health, at-risk accounts and evidence for the strategy map",
        description="Evidence from the design's own data: account health by tier with its "
        "calibration against renewals (health), the accounts the at-risk rules flag, ranked "
        "by value at risk (at-risk), the lagged correlation behind each strategy-map link "
        "(links), and KPI pairs that say the same thing (redundant).",
    )
    parser.add_argument("view", choices=VIEWS, help="what to show")
    add_design_arguments(parser)
    parser.add_argument(
        "--period", help="period label, e.g. 2026-Q3 (default: the latest with account health)"
    )
    parser.add_argument("--tier", help="tier id: health lists its accounts; at-risk keeps them")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


@dataclass(slots=True)
class Analysed:
    """What ``analyze`` and ``accounts`` read: the evidence, the period, the provenance."""

    evidence: Evidence
    period: int
    provenance: dict[str, object]


def analyse(args: argparse.Namespace, command: str = "analyze") -> Analysed:
    """Load the design and data of ``args``, check --tier and --period, compute the evidence.

    Every bad input is a ScorecardError naming it (one line, exit 2), before the slow part.
    """
    loaded = load_design_and_data(args)
    card = loaded.card
    if not loaded.tables:
        raise ScorecardError(f"{command} needs data: give --data FILE (or --store NAME[@V])")
    if args.tier is not None and args.tier not in (*card.tier_ids(), "all"):
        raise ScorecardError(
            f"unknown tier {args.tier!r} (tiers: {', '.join(card.tier_ids())}, all)"
        )
    label = None
    if args.period:
        calendar = calendar_of(card)
        label = calendar.label(calendar.parse(args.period))
    from scorecard_studio.engines.analytics import analyze

    evidence = analyze(card, loaded.tables)
    if evidence.panel.n_customers == 0:
        raise ScorecardError("no source has a customer key: there are no accounts to analyse")
    return Analysed(evidence, _period(evidence, label), dict(loaded.provenance))


def run(args: argparse.Namespace) -> int:
    done = analyse(args)
    document = _document(done.evidence, args.view, done.period, args.tier)
    if done.provenance:
        document["version"] = done.provenance
    if args.json:
        print_json(document)
    else:
        print(_TEXT[args.view](document))
    return 0


def _period(evidence: Evidence, label: str | None) -> int:
    labels = evidence.period_labels
    try:
        return evidence.period_index(label)
    except ValueError:
        if not labels:
            raise ScorecardError("no dated rows in the data: nothing to analyse") from None
        if label is None:
            raise ScorecardError("no account has a health score in any period") from None
        raise ScorecardError(
            f"period {label!r} has no data (data covers {labels[0]} to {labels[-1]})"
        ) from None


def _document(evidence: Evidence, view: str, period: int, tier: str | None) -> dict[str, Any]:
    if view == "health":
        return evidence.health_json(period, tier)
    if view == "at-risk":
        return evidence.at_risk_json(period, tier)
    if view == "links":
        return evidence.links_json()
    return evidence.redundant_json()


def _health_text(doc: dict[str, Any]) -> str:
    rows = [
        [
            t["name"],
            str(t["accounts"]),
            fmt_number(t["mean_health"]),
            *(str(t["bands"][b]) for b in ("green", "amber", "red")),
        ]
        for t in doc["tiers"]
    ]
    lines = [f"{doc['scorecard']} — account health {doc['period']}", ""]
    lines.append(format_table(["Tier", "Accounts", "Mean health", "Green", "Amber", "Red"], rows))
    if "accounts" in doc:
        lines += ["", "Accounts (worst first):"]
        lines.append(
            format_table(
                ["Account", "Health", "Band", "Value"],
                [
                    [a["key"], fmt_number(a["health"]), a["band"], fmt_number(a["value_at_risk"])]
                    for a in doc["accounts"]
                ],
            )
        )
    cal = doc["calibration"]
    if cal is None:
        lines += ["", "No renewal outcomes in the design: no calibration."]
        return "\n".join(lines)
    lines += [
        "",
        f"Calibration on {', '.join(cal['eval_periods']) or 'no periods'} "
        f"(bands fit on {cal['fit_periods'][0] if cal['fit_periods'] else '—'} to "
        f"{cal['fit_periods'][-1] if cal['fit_periods'] else '—'}; renewal within "
        f"{cal['horizon']} periods):",
        f"  AUC {fmt_number(cal['auc'])}, Brier score {fmt_number(cal['brier'])}, "
        f"{cal['units']:,} account-periods, {cal['renewed']:,} renewed",
    ]
    for g in cal["green_before_churn"]:
        lines.append(
            f"  churned accounts green {g['periods_before']} period(s) before: "
            f"{g['green']} of {g['churned']} ({fmt_number(g['share'], percent=True)})"
        )
    rate_rows = [
        [r["tier"], r["band"], str(r["n"]), fmt_number(r["rate"], percent=True)]
        for r in cal["renewal_rate"]
    ]
    lines += ["", format_table(["Tier", "Band", "Due", "Renewal rate"], rate_rows)]
    return "\n".join(lines)


def _at_risk_text(doc: dict[str, Any]) -> str:
    rows = [
        [
            a["key"],
            a["tier"],
            fmt_number(a["value_at_risk"]),
            fmt_number(a["health"]),
            "; ".join(r["text"] for r in a["reasons"]),
        ]
        for a in doc["accounts"]
    ]
    n = len(rows)
    lines = [
        f"{doc['scorecard']} — {n} account{'s' if n != 1 else ''} at risk in {doc['period']}",
        "",
        format_table(["Account", "Tier", "Value at risk", "Health", "Reasons"], rows),
    ]
    catch = doc["catch_rate"]
    if catch is not None:
        lines += [
            "",
            f"Of {catch['churned']} accounts that churned, {catch['caught']} "
            f"({fmt_number(catch['share'], percent=True)}) were flagged before they did.",
        ]
    return "\n".join(lines)


def _links_text(doc: dict[str, Any]) -> str:
    rows = []
    for link in doc["links"]:
        best = next((lag for lag in link["lags"] if lag["lag"] == link["best_lag"]), None)
        rows.append(
            [
                f"{link['cause']} → {link['effect']} ({link['sign']})",
                link["verdict"].replace("_", " "),
                "—" if best is None else str(best["lag"]),
                "—" if best is None else fmt_number(best["r"]),
                "—" if best is None else f"{fmt_number(best['low'])} … {fmt_number(best['high'])}",
                "—" if best is None else f"{best['n']:,}",
            ]
        )
    lines = [
        f"{doc['scorecard']} — strategy-map links",
        "",
        format_table(["Link", "Verdict", "Best lag", "Spearman r", "95% CI", "n"], rows),
    ]
    if doc["findings"]:
        lines += ["", "Findings:"] + [f"  {f['severity']}: {f['message']}" for f in doc["findings"]]
    return "\n".join(lines)


def _redundant_text(doc: dict[str, Any]) -> str:
    if not doc["pairs"]:
        return f"{doc['scorecard']} — no redundant KPI pairs (|r| ≥ {doc['threshold']:g})"
    rows = [
        [
            f"{p['first']} / {p['second']}",
            "same definition" if p["same_definition"] else fmt_number(p["r"]),
            p["suggestion"],
        ]
        for p in doc["pairs"]
    ]
    return "\n".join(
        [
            f"{doc['scorecard']} — redundant KPI pairs (|r| ≥ {doc['threshold']:g})",
            "",
            format_table(["Pair", "r", "Suggestion"], rows),
        ]
    )


_TEXT = {
    "health": _health_text,
    "at-risk": _at_risk_text,
    "links": _links_text,
    "redundant": _redundant_text,
}
