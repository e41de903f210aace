"""``scorecard-studio accounts``: every account's health in a period, and why it is at risk.

The per-account view of what ``analyze`` computes (the same ``Evidence``): one row per
account with its tier, health, band and value at risk, flagged when an at-risk rule holds,
with the rule's reasons. By default every account with a health score (or a flag) is
listed, worst health first; ``--at-risk`` keeps the flagged ones, ranked by value at risk,
largest first, as the at-risk list is (specification section 6).
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from scorecard_studio.cli.analyze_command import analyse
from scorecard_studio.cli.design_source import add_design_arguments
from scorecard_studio.cli.output import fmt_number, format_table, print_json
from scorecard_studio.domain.model import STATUS_BY_CODE

if TYPE_CHECKING:
    from scorecard_studio.engines.analytics import Evidence


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "accounts",
        help="accounts with their health, at-risk reasons and value at risk",
        description="One row per account in a period: tier, health, band, value at risk and, "
        "when an at-risk rule holds, its reasons. --at-risk lists only flagged accounts, "
        "largest value at risk first.",
    )
    add_design_arguments(parser)
    parser.add_argument(
        "--period", help="period label, e.g. 2026-Q3 (default: the latest with account health)"
    )
    parser.add_argument("--tier", help="only the accounts of this tier id")
    parser.add_argument(
        "--at-risk", action="store_true", help="only accounts an at-risk rule flags"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    done = analyse(args, "accounts")
    document = accounts_json(done.evidence, done.period, args.tier, at_risk_only=args.at_risk)
    if done.provenance:
        document["version"] = done.provenance
    if args.json:
        print_json(document)
    else:
        print(_text(document))
    return 0


def _num(value: float) -> float | None:
    return value if math.isfinite(value) else None


def accounts_json(
    evidence: Evidence, period: int, tier: str | None, *, at_risk_only: bool
) -> dict[str, Any]:
    """The ``--json`` document: stable keys, NaN as ``null``, accounts in display order."""
    flagged = {a.key: a for a in evidence.at_risk(period, tier)}
    rows: list[dict[str, Any]] = []
    listed: set[str] = set()
    if not at_risk_only:
        for a in evidence.accounts(period, tier):  # worst health first
            listed.add(a.key)
            rows.append(_row(a.key, a.tier, a.health, a.coverage, a.band, a.value_at_risk))
    p = evidence.panel
    index = {k: i for i, k in enumerate(p.keys)}
    for key, f in flagged.items():  # ranked by value at risk; flagged without health too
        if key not in listed:
            coverage = float(p.coverage[index[key], period])
            band = STATUS_BY_CODE[f.band].value
            rows.append(_row(key, f.tier, f.health, coverage, band, f.value_at_risk))
    for row in rows:
        found = flagged.get(row["key"])
        row["at_risk"] = found is not None
        row["reasons"] = (
            []
            if found is None
            else [
                {"rule": r.rule, "name": r.name, "text": r.text, "value": _num(r.value)}
                for r in found.reasons
            ]
        )
    catch = evidence.catch
    return {
        "scorecard": p.card.name,
        "period": evidence.period_labels[period],
        "tier": tier,
        "at_risk_only": at_risk_only,
        "accounts": rows,
        "at_risk": len(flagged),
        "value_at_risk": _num(
            sum(a.value_at_risk for a in flagged.values() if math.isfinite(a.value_at_risk))
        ),
        "catch_rate": None
        if catch is None
        else {
            "churned": catch.churned,
            "caught": catch.caught,
            "share": _num(catch.share),
            "precision": _num(catch.precision),
        },
    }


def _row(
    key: str, tier: str, health: float, coverage: float, band: str, value: float
) -> dict[str, Any]:
    return {
        "key": key,
        "tier": tier,
        "health": _num(health),
        "coverage": _num(coverage),
        "band": band,
        "value_at_risk": _num(value),
    }


def _money(value: float | None) -> str:
    """Value at risk reads as an amount: whole units with thousands separators."""
    return "—" if value is None else f"{value:,.0f}"


def _text(doc: dict[str, Any]) -> str:
    rows = [
        [
            a["key"],
            a["tier"] or "—",
            fmt_number(a["health"]),
            a["band"].replace("_", " "),
            _money(a["value_at_risk"]),
            "yes" if a["at_risk"] else "",
            "; ".join(r["text"] for r in a["reasons"]),
        ]
        for a in doc["accounts"]
    ]
    n = len(rows)
    which = "at risk" if doc["at_risk_only"] else "with health"
    tier = f", tier {doc['tier']}" if doc["tier"] not in (None, "all") else ""
    lines = [
        f"{doc['scorecard']} — {n} account{'s' if n != 1 else ''} {which} in {doc['period']}{tier}",
        "",
        format_table(
            ["Account", "Tier", "Health", "Band", "Value at risk", "At risk", "Reasons"], rows
        ),
        "",
        f"{doc['at_risk']} at risk, {_money(doc['value_at_risk'])} of value at risk.",
    ]
    catch = doc["catch_rate"]
    if catch is not None:
        lines.append(
            f"Over all periods the rules flagged {catch['caught']} of the {catch['churned']} "
            f"accounts that churned ({fmt_number(catch['share'], percent=True)}) before they did."
        )
    return "\n".join(lines)
