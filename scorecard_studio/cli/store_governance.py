"""``store`` sub-commands for governance: commentary, exceptions, actions, review, impact.

Registered by ``store_command`` with its own ``add`` helper, so every one takes ``--json``
and ``--store-path`` like the rest. A version may be omitted where the head is meant
(commentary and actions are usually written on the newest version).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scorecard_studio.cli.output import format_table, print_json

if TYPE_CHECKING:
    from scorecard_studio.domain.governance import Action, Entry
    from scorecard_studio.engines.store import Store

Handler = Callable[["Store", argparse.Namespace], int]
Add = Callable[[str, str, Handler], argparse.ArgumentParser]


def register(add: Add, version: Callable[[str], int]) -> None:
    """Add the governance sub-commands through ``store_command``'s ``add``."""
    p = add("comment", "write commentary on a KPI for a period", _comment)
    p.add_argument("name", help="scorecard name")
    p.add_argument("kpi", help="KPI id")
    p.add_argument("period", help="period, e.g. 2026-Q3")
    p.add_argument("--analysis", default="", help="why the KPI is where it is")
    p.add_argument("--recommendation", default="", help="what should be done")
    p.add_argument("--version", type=version, metavar="V", help="default: the latest")
    p.add_argument("--replace", metavar="ID", help="edit this comment (unfrozen versions only)")
    p.add_argument("--author", help="who writes it")

    p = add("exception", "mark a period, or one KPI's value in it, as exceptional", _exception)
    p.add_argument("name", help="scorecard name")
    p.add_argument("period", help="period, e.g. 2026-Q2")
    p.add_argument("--reason", help="why (e.g. 'one-off contract'); required unless --withdraw")
    p.add_argument("--kpi", help="only this KPI (default: every KPI)")
    p.add_argument("--tier", help="only this tier (default: every tier)")
    p.add_argument("--withdraw", metavar="ID", help="withdraw the exception with this id")
    p.add_argument("--version", type=version, metavar="V", help="default: the latest")
    p.add_argument("--author", help="who marks it")

    p = add("action", "add an action item, or change one with --id", _action)
    p.add_argument("name", help="scorecard name")
    p.add_argument("--id", help="the action to change (A1, A2 …); omit to add one")
    p.add_argument("--title", help="what is being done")
    p.add_argument("--owner", help="who owns it")
    p.add_argument("--due", help="due date, YYYY-MM-DD")
    p.add_argument("--status", choices=("open", "done", "dropped"), help="default: open")
    p.add_argument("--kpi", action="append", metavar="KPI", help="linked KPI (repeatable)")
    p.add_argument("--tier", action="append", metavar="TIER", help="linked tier (repeatable)")
    p.add_argument("--notes", help="notes")
    p.add_argument("--note", default="", help="a note on this change")
    p.add_argument("--version", type=version, metavar="V", help="default: the latest")
    p.add_argument("--author", help="who writes it")

    p = add("governance", "commentary, exceptions, actions, review and escalations", _show)
    p.add_argument("name", help="scorecard name")
    p.add_argument("version", nargs="?", type=version, metavar="V", help="default: the latest")
    p.add_argument("--today", help="date overdue actions are judged on (default: today)")

    for step, text in (
        ("propose", "propose a version for review"),
        ("approve", "approve a proposed version"),
        ("reject", "reject a proposed version (with a comment saying why)"),
    ):
        p = add(step, text, _review)
        p.add_argument("name", help="scorecard name")
        p.add_argument("version", type=version, metavar="V", help="version number")
        p.add_argument("-c", "--comment", default="", help="the reviewer's comment")
        p.add_argument("--author", help="who reviews")
        p.set_defaults(review_step=step)
        if step == "propose":
            p.add_argument(
                "--impact", action="store_true", help="also print the impact of the change"
            )

    p = add(
        "impact",
        "score a version's design on the data of the version it replaces and of every frozen "
        "version, and list every headline, tier, perspective and KPI value that changes",
        _impact,
    )
    p.add_argument("name", help="scorecard name")
    p.add_argument("version", type=version, metavar="V", help="the proposed version")
    p.add_argument("--against", type=version, metavar="V", help="default: its parent")
    p.add_argument("--periods", type=int, default=4, help="periods compared (default 4)")
    p.add_argument("--no-frozen", action="store_true", help="skip the frozen versions")

    p = add(
        "retire",
        "retire a KPI with a reason: a new version without it (its history stays, and the "
        "diff says retired)",
        _retire,
    )
    p.add_argument("name", help="scorecard name")
    p.add_argument("kpi", help="KPI id")
    p.add_argument("--reason", required=True, help="why, e.g. 'replaced by NRR'")
    p.add_argument("-m", "--message", default="", help='default: "Retire KPI: reason"')
    p.add_argument("--on", help="retirement date, YYYY-MM-DD (default: today)")
    p.add_argument("--author", help="who retires it")


def _retire(store: Store, args: argparse.Namespace) -> int:
    from datetime import date

    from scorecard_studio.domain.errors import ScorecardError

    if args.on is not None:
        try:
            date.fromisoformat(args.on)
        except ValueError:
            raise ScorecardError(f"--on {args.on!r} is not a date (YYYY-MM-DD)") from None
    info = store.retire_kpi(
        args.name, args.kpi, args.reason, message=args.message, author=args.author, on=args.on
    )
    if args.json:
        print_json({"retired": args.kpi, "reason": args.reason.strip(), **info.to_json_dict()})
    else:
        print(f"retired {args.kpi} from {info.scorecard}: saved as v{info.number}")
    return 0


def _comment(store: Store, args: argparse.Namespace) -> int:
    entry = store.comment(
        args.name,
        args.version,
        args.kpi,
        args.period,
        args.analysis,
        args.recommendation,
        author=args.author,
        replaces=args.replace,
    )
    return _entry_out(entry, args, f"commentary on {entry.subject}")


def _exception(store: Store, args: argparse.Namespace) -> int:
    from scorecard_studio.domain.errors import ScorecardError

    if args.withdraw:
        entry = store.withdraw_exception(args.name, args.version, args.withdraw, args.author)
        return _entry_out(entry, args, "exception withdrawn")
    if not args.reason:
        raise ScorecardError("an exception needs --reason (e.g. --reason 'one-off contract')")
    entry = store.mark_exception(
        args.name, args.version, args.period, args.reason, args.kpi, args.tier, args.author
    )
    return _entry_out(entry, args, f"exception {entry.subject}")


def _action(store: Store, args: argparse.Namespace) -> int:
    from scorecard_studio.domain.errors import ScorecardError

    if args.id is None:
        if not args.title:
            raise ScorecardError("a new action needs --title")
        action = store.add_action(
            args.name,
            args.version,
            args.title,
            owner=args.owner or "",
            due=args.due,
            kpis=tuple(args.kpi or ()),
            tiers=tuple(args.tier or ()),
            notes=args.notes or "",
            author=args.author,
        )
    else:
        fields: dict[str, Any] = {
            k: getattr(args, k) for k in ("title", "owner", "due", "status", "notes")
        }
        if args.kpi:
            fields["kpis"] = tuple(args.kpi)
        if args.tier:
            fields["tiers"] = tuple(args.tier)
        action = store.update_action(
            args.name, args.version, args.id, note=args.note, author=args.author, **fields
        )
    if args.json:
        print_json(action.to_json_dict())
    else:
        print(_action_line(action))
    return 0


def _action_line(a: Action) -> str:
    due = f", due {a.due}" if a.due else ""
    kpis = f" [{', '.join(a.kpis)}]" if a.kpis else ""
    return f"{a.id} {a.status.value}: {a.title} ({a.owner or 'no owner'}{due}){kpis}"


def _review(store: Store, args: argparse.Namespace) -> int:
    from scorecard_studio.domain.governance import ReviewState

    state = {
        "propose": ReviewState.PROPOSED,
        "approve": ReviewState.APPROVED,
        "reject": ReviewState.REJECTED,
    }[args.review_step]
    entry = store.review(args.name, args.version, state, args.comment, args.author)
    runs = store.impact(args.name, args.version) if getattr(args, "impact", False) else []
    if args.json:
        print_json(
            {
                "scorecard": args.name,
                "version": args.version,
                "state": state.value,
                "entry": entry.id,
                "impact": [r.to_json_dict() for r in runs],
            }
        )
    else:
        print(f"{args.name} v{args.version} is {state.value}")
        for run in runs:
            print("\n".join(run.lines()))
    return 0


def _impact(store: Store, args: argparse.Namespace) -> int:
    runs = store.impact(
        args.name,
        args.version,
        against=args.against,
        periods=max(1, args.periods),
        frozen=not args.no_frozen,
    )
    if args.json:
        print_json(
            {
                "scorecard": args.name,
                "version": args.version,
                "runs": [r.to_json_dict() for r in runs],
            }
        )
    elif not runs:
        print(f"v{args.version} has no earlier or frozen version to compare with")
    else:
        for run in runs:
            print("\n".join(run.lines()))
    return 0


def _show(store: Store, args: argparse.Namespace) -> int:
    from scorecard_studio.engines.governance import escalations, report_period_index
    from scorecard_studio.engines.scoring import score

    version = store.checkout(args.name, args.version)
    seen = store.governance(args.name, version.number)
    today = args.today or datetime.now(UTC).date().isoformat()
    findings = []
    if version.design.all_kpis():
        result = score(version.design, version.load_snapshots())
        if result.period_labels:
            period = report_period_index(result, version.info.frozen_label)
            findings = escalations(result, seen, period, today)
    accountable = {k.id: k.accountable for k in version.design.all_kpis()}
    if args.json:
        print_json(
            {
                "scorecard": args.name,
                "version": version.number,
                "review_state": seen.review_state.value,
                "reviews": [r.to_json_dict() for r in seen.reviews],
                "comments": [c.to_json_dict() for c in seen.comments],
                "exceptions": [e.to_json_dict() for e in seen.exceptions],
                "actions": [a.to_json_dict() for a in seen.actions],
                "accountable": accountable,
                "escalations": [f.to_json_dict() for f in findings],
            }
        )
        return 0
    print(f"{args.name} v{version.number}: {seen.review_state.value}")
    for r in seen.reviews:
        print(f"  {r.state.value} by {r.author} on {r.at[:10]}: {r.comment}".rstrip(": "))
    if seen.comments:
        rows = [
            [c.kpi, c.period, c.analysis, c.recommendation, c.author, c.id[:10]]
            for c in seen.comments
        ]
        print(format_table(["KPI", "Period", "Analysis", "Recommendation", "By", "Id"], rows))
    for e in seen.exceptions:
        what = "every KPI" if e.kpi == "*" else e.kpi
        tier = "" if e.tier == "*" else f" in {e.tier}"
        print(f"exception {e.id[:10]}: {e.period} {what}{tier}: {e.reason}")
    for owner, actions in seen.by_owner().items():
        print(f"{owner or 'No owner'}:")
        for a in actions:
            print(f"  {_action_line(a)}")
    for f in findings:
        print(f"escalation: {f.message}")
    return 0


def _entry_out(entry: Entry, args: argparse.Namespace, text: str) -> int:
    if args.json:
        print_json(
            {
                "id": entry.id,
                "version": entry.version,
                "kind": entry.kind.value,
                "subject": entry.subject,
                "body": dict(entry.body),
                "author": entry.author,
                "at": entry.at,
            }
        )
    else:
        print(f"{text} on v{entry.version} (id {entry.id[:10]})")
    return 0


def governance_diff(store: Store, name: str, a: int, b: int) -> dict[str, Any]:
    """What the version diff shows of governance: each side's review state, and the entries
    written on versions after ``a`` up to ``b``."""
    low, high = min(a, b), max(a, b)
    entries = [e for e in store.governance_entries(name) if low < e.version <= high]
    return {
        "review": {
            str(a): store.governance(name, a).review_state.value,
            str(b): store.governance(name, b).review_state.value,
        },
        "entries": [
            {
                "version": e.version,
                "kind": e.kind.value,
                "subject": e.subject,
                "author": e.author,
                "at": e.at,
            }
            for e in entries
        ],
    }


def governance_lines(governance: dict[str, Any]) -> list[str]:
    review = governance["review"]
    lines = ["Review: " + ", ".join(f"v{v} {state}" for v, state in review.items())]
    for e in governance["entries"]:
        lines.append(f"  v{e['version']} {e['kind']} {e['subject']} by {e['author']}")
    return lines
