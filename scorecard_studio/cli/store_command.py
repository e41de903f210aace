"""``scorecard-studio store``: the versioned store from the command line.

Sub-commands: save, refresh, list, log, diff, freeze, restore, delete, verify, export,
import, checkout, drafts, audit and whoami; on a team store also roles and grant; and
governance (``store_governance``): comment, exception, action, governance, propose, approve,
reject and impact. Every one accepts ``--json`` and ``--store-path PATH`` (default:
``$SCORECARD_STUDIO_STORE``, else the per-user data folder) or ``--store-url postgresql://…``
for a team store (``cli/store_location.py``). ``--store`` is not used here because ``score``
and ``export`` already take ``--store NAME[@V]`` to mean a stored version.

Errors are one line on stderr with exit code 2; ``verify`` exits 1 when it finds problems.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from scorecard_studio.cli import store_governance, store_team
from scorecard_studio.cli.output import format_table, print_json
from scorecard_studio.cli.store_location import add_store_url, open_store_from
from scorecard_studio.domain.errors import ScorecardError

if TYPE_CHECKING:
    from scorecard_studio.engines.store import Store, VersionInfo

Handler = Callable[["Store", argparse.Namespace], int]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "store",
        help="save, list, compare, freeze, share and verify scorecard versions",
        description="The versioned scorecard store. Each sub-command takes --store-path PATH "
        "(default: $SCORECARD_STUDIO_STORE, else the per-user data folder) and --json.",
    )
    parser.add_argument("--store-path", metavar="PATH", default=None, help="store file")
    add_store_url(parser)
    parser.set_defaults(handler=lambda _args: _usage(parser))
    commands = parser.add_subparsers(dest="store_command", metavar="SUBCOMMAND")

    def add(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--store-path",
            metavar="PATH",
            default=argparse.SUPPRESS,
            help="store file (default: $SCORECARD_STUDIO_STORE, else the per-user data folder)",
        )
        add_store_url(p)
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        p.set_defaults(handler=_with_store(handler))
        return p

    p = add("save", "save a design file (and its data) as a new version", _save)
    p.add_argument("design", help="design file (.json)")
    p.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="FILE",
        help="data file for the design's sources (repeatable; SOURCE_ID=FILE to assign); "
        "sources without one keep the data of the previous version",
    )
    p.add_argument("-m", "--message", required=True, help="what changed in this version")
    p.add_argument("--author", help="who saves it (default: $SCORECARD_STUDIO_AUTHOR or login)")
    p.add_argument("--name", help="scorecard name in the store (default: the design's name)")
    p.add_argument(
        "--parent",
        type=_version_number,
        metavar="V",
        help="the version these edits started from: refused as a conflict if it is no "
        "longer the latest (default: save on top of the latest)",
    )

    p = add(
        "refresh",
        "import next month's files with each source's saved mapping and save a new version; "
        "changed columns, types or tier values are reported and need --accept (exit 1)",
        _refresh,
    )
    p.add_argument("name", help="scorecard name")
    p.add_argument(
        "--data",
        action="append",
        required=True,
        metavar="FILE",
        help="new data file (repeatable; SOURCE_ID=FILE to assign) or a folder holding "
        "the files the sources name",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="[SOURCE:]OLD=NEW",
        help="a column the design calls OLD is called NEW in the new file (repeatable)",
    )
    p.add_argument("--accept", action="store_true", help="save even though columns changed")
    p.add_argument("-m", "--message", help='message (default: "Refresh SOURCE from FILE")')
    p.add_argument("--author", help="who saves it")

    add("list", "list the scorecards in the store", _list)

    p = add("log", "list the versions of a scorecard, newest first", _log)
    p.add_argument("name", help="scorecard name")

    p = add("diff", "what changed in the design between two versions", _diff)
    p.add_argument("name", help="scorecard name")
    p.add_argument("a", type=_version_number, metavar="V1", help="older version")
    p.add_argument("b", type=_version_number, metavar="V2", help="newer version")

    p = add("freeze", "freeze a version with a label: it can never change again", _freeze)
    p.add_argument("name", help="scorecard name")
    p.add_argument("version", type=_version_number, metavar="V", help="version number")
    p.add_argument("--label", required=True, help='freeze label, e.g. "FY26 Q3 QBR"')
    p.add_argument("--author", help="who freezes it")

    p = add("restore", "save an old version again as the newest version", _restore)
    p.add_argument("name", help="scorecard name")
    p.add_argument("version", type=_version_number, metavar="V", help="version to restore")
    p.add_argument("-m", "--message", help='message (default: "Restore version V")')
    p.add_argument("--author", help="who restores it")

    p = add("delete", "delete an unfrozen version that has no later versions", _delete)
    p.add_argument("name", help="scorecard name")
    p.add_argument("version", type=_version_number, metavar="V", help="version number")
    p.add_argument("--author", help="who deletes it")

    p = add(
        "verify", "check the store's integrity and every hash chain (exit 1 on problems)", _verify
    )
    p.add_argument(
        "--against",
        metavar="FILE",
        help="also check that the versions an exported report (.xlsx) or .scorecard file "
        "names are still in the store, with the same hash",
    )

    p = add("export", "write a scorecard with its whole history to a .scorecard file", _export)
    p.add_argument("name", help="scorecard name")
    p.add_argument("--out", required=True, metavar="FILE.scorecard", help="file to write")

    p = add("import", "merge a .scorecard file into the store", _import)
    p.add_argument("file", metavar="FILE.scorecard", help="file to import")

    p = add("checkout", "write a version's design to a design file", _checkout)
    p.add_argument("name", help="scorecard name")
    p.add_argument("version", nargs="?", type=_version_number, metavar="V", help="default: latest")
    p.add_argument("--out", required=True, metavar="DESIGN.json", help="design file to write")

    p = add("drafts", "list unsaved drafts (autosaves and saves refused by a conflict)", _drafts)
    p.add_argument("name", nargs="?", help="only this scorecard's drafts")

    p = add("audit", "show the audit log of every store operation", _audit)
    p.add_argument("name", nargs="?", help="only this scorecard's operations")

    store_governance.register(add, _version_number)
    store_team.register(add, commands)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _version_number(text: str) -> int:
    digits = text[1:] if text[:1] in {"v", "V"} else text
    if not digits.isdigit() or int(digits) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a version number (e.g. 3 or v3)")
    return int(digits)


def _with_store(handler: Handler) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        store = open_store_from(args)
        try:
            return handler(store, args)
        finally:
            store.close()

    return run


# --- sub-commands -------------------------------------------------------------------------


def _save(store: Store, args: argparse.Namespace) -> int:
    from scorecard_studio.engines.data_loading import load_source_tables
    from scorecard_studio.engines.design_file import load_design
    from scorecard_studio.engines.store import LATEST

    card = load_design(args.design)
    tables = load_source_tables(card, args.data) if args.data else None
    info = store.save(
        card,
        tables,
        args.message,
        author=args.author,
        parent=LATEST if args.parent is None else args.parent,
        name=args.name,
    )
    if args.json:
        print_json(info.to_json_dict())
    else:
        print(f"saved {info.scorecard} v{info.number} (hash {info.hash[:12]})")
    return 0


def _refresh(store: Store, args: argparse.Namespace) -> int:
    from scorecard_studio.engines.refresh import apply_refresh, plan_refresh

    mapping: dict[str, dict[str, str]] = {}
    ids = [s.id for s in store.checkout(args.name).design.sources]
    for item in args.map:
        scope, colon, pair = item.partition(":")
        if not colon or scope not in ids:  # a column name may hold a colon too
            scope, pair = "", item
        old, eq, new = pair.partition("=")
        if not eq or not old or not new:
            raise ScorecardError(f"--map {item!r}: expected [SOURCE:]OLD=NEW")
        targets = [scope] if scope else ids
        for source_id in targets:
            mapping.setdefault(source_id, {})[old] = new
    plan = plan_refresh(store, args.name, args.data, mapping)
    saved = None
    if not plan.needs_review or args.accept:
        saved = apply_refresh(store, plan, args.message, args.author)
    if args.json:
        print_json(
            {
                "scorecard": plan.scorecard,
                "compared_with": plan.version,
                "sources": [c.to_json_dict() for c in plan.changes],
                "saved": None if saved is None else saved.to_json_dict(),
            }
        )
    else:
        for change in plan.changes:
            print("\n".join(change.lines()))
        if saved is not None:
            print(f"saved {saved.scorecard} v{saved.number} (hash {saved.hash[:12]})")
        else:
            print(
                "nothing saved: the columns changed; check them, map renamed columns with "
                "--map OLD=NEW, then run again with --accept"
            )
    return 0 if saved is not None else 1


def _list(store: Store, args: argparse.Namespace) -> int:
    cards = store.list_scorecards()
    if args.json:
        print_json({"scorecards": [c.to_json_dict() for c in cards]})
    elif not cards:
        print("the store is empty")
    else:
        rows = [
            [
                c.name,
                "—" if c.head is None else f"v{c.head}",
                str(c.versions),
                str(c.frozen),
                _when(c.updated_at),
                str(c.drafts) if c.drafts else "",
            ]
            for c in cards
        ]
        print(format_table(["Scorecard", "Latest", "Versions", "Frozen", "Saved", "Drafts"], rows))
    return 0


def _log(store: Store, args: argparse.Namespace) -> int:
    versions = store.log(args.name)
    if args.json:
        print_json({"scorecard": args.name, "versions": [v.to_json_dict() for v in versions]})
        return 0
    sys.stdout.write(render_log(versions))
    return 0


def render_log(versions: Sequence[VersionInfo]) -> str:
    """The version table, newest first. Column widths are computed once per column rather
    than per cell, so a history of 10,000 versions prints in a few milliseconds."""
    number_w = max([len("Version"), *(len(str(v.number)) + 1 for v in versions)])
    author_w = max([len("Author"), *(len(v.author) for v in versions)])
    frozen_w = max([len("Frozen"), *(len(v.frozen_label or "") for v in versions)])
    head = (
        f"{'Version':<{number_w}}  {'Hash':<12}  {'Saved (UTC)':<19}  "
        f"{'Author':<{author_w}}  {'Frozen':<{frozen_w}}  Message"
    )
    rule = "  ".join("-" * w for w in (number_w, 12, 19, author_w, frozen_w, 7))
    lines = [head, rule]
    lines.extend(
        f"{'v' + str(v.number):<{number_w}}  {v.hash[:12]}  "
        f"{v.created_at[:19].replace('T', ' '):<19}  {v.author:<{author_w}}  "
        f"{v.frozen_label or '':<{frozen_w}}  {' '.join(v.message.split())}".rstrip()
        for v in reversed(versions)
    )
    return "\n".join(lines) + "\n"


def _diff(store: Store, args: argparse.Namespace) -> int:
    diff = store.diff(args.name, args.a, args.b)
    governance = store_governance.governance_diff(store, args.name, args.a, args.b)
    if args.json:
        print_json({"scorecard": args.name, **diff.to_json_dict(), "governance": governance})
    else:
        print(diff.to_text())
        for line in store_governance.governance_lines(governance):
            print(line)
    return 0


def _freeze(store: Store, args: argparse.Namespace) -> int:
    info = store.freeze(args.name, args.version, args.label, author=args.author)
    if args.json:
        print_json(info.to_json_dict())
    else:
        print(f"froze {info.scorecard} v{info.number} as {info.frozen_label!r}")
    return 0


def _restore(store: Store, args: argparse.Namespace) -> int:
    info = store.restore(args.name, args.version, args.message, author=args.author)
    if args.json:
        print_json({"restored": args.version, **info.to_json_dict()})
    else:
        print(f"restored {info.scorecard} v{args.version} as v{info.number}")
    return 0


def _delete(store: Store, args: argparse.Namespace) -> int:
    store.delete_version(args.name, args.version, author=args.author)
    if args.json:
        print_json({"scorecard": args.name, "deleted": args.version})
    else:
        print(f"deleted {args.name} v{args.version}")
    return 0


def _verify(store: Store, args: argparse.Namespace) -> int:
    problems = store.verify()
    if args.against:
        problems += store.verify_against(args.against)
    cards = store.list_scorecards()
    versions = sum(c.versions for c in cards)
    if args.json:
        print_json(
            {
                "ok": not problems,
                "scorecards": len(cards),
                "versions": versions,
                "problems": [p.to_json_dict() for p in problems],
            }
        )
    elif problems:
        print(f"{len(problems)} problem(s) found; the first is the first broken link:")
        for problem in problems:
            print(f"  {problem}")
    else:
        print(f"store verified: {len(cards)} scorecard(s), {versions} version(s), chains intact")
    return 1 if problems else 0


def _export(store: Store, args: argparse.Namespace) -> int:
    path = store.export_scorecard(args.name, args.out)
    versions = len(store.log(args.name))
    if args.json:
        print_json({"scorecard": args.name, "path": str(path), "versions": versions})
    else:
        print(f"wrote {path} ({args.name}, {versions} version(s))")
    return 0


def _import(store: Store, args: argparse.Namespace) -> int:
    summary = store.import_scorecard(args.file)
    if args.json:
        print_json(summary.to_json_dict())
        return 0
    added = ", ".join(f"v{n}" for n in summary.added) or "nothing new"
    print(
        f"imported {summary.scorecard}: added {added}; "
        f"{summary.already_present} version(s) already present"
    )
    if summary.governance_added:
        print(f"  {summary.governance_added} governance entry(ies) added")
    if summary.governance_not_merged:
        print(
            f"  {summary.governance_not_merged} governance entry(ies) of the file not merged: "
            "the same versions have other entries here"
        )
    for old, new in sorted(summary.renumbered.items()):
        print(f"  their v{old} is v{new} here (the number was taken by a local version)")
    for number in summary.freezes_kept:
        print(f"  v{number}: kept the local freeze label (the file had another)")
    return 0


def _checkout(store: Store, args: argparse.Namespace) -> int:
    from scorecard_studio.engines.design_file import save_design

    version = store.checkout(args.name, args.version)
    try:
        save_design(version.design, args.out)
    except OSError as exc:
        raise ScorecardError(f"{args.out}: cannot write ({exc.strerror})") from None
    if args.json:
        print_json({"path": str(args.out), **version.provenance()})
    else:
        print(f"wrote {args.out} ({args.name} v{version.number}, hash {version.info.hash[:12]})")
    return 0


def _drafts(store: Store, args: argparse.Namespace) -> int:
    drafts = store.recover_drafts(args.name)
    if args.json:
        print_json({"drafts": [d.to_json_dict() for d in drafts]})
    elif not drafts:
        print("no drafts")
    else:
        rows = [
            [
                str(d.id),
                d.scorecard,
                d.kind,
                "—" if d.base_number is None else f"v{d.base_number}",
                _when(d.updated_at),
                d.author,
                d.conflicts_with or "",
            ]
            for d in drafts
        ]
        print(
            format_table(
                ["Draft", "Scorecard", "Kind", "Based on", "Saved (UTC)", "By", "Conflicts with"],
                rows,
            )
        )
    return 0


def _audit(store: Store, args: argparse.Namespace) -> int:
    entries = store.audit(args.name)
    if args.json:
        print_json({"entries": [e.to_json_dict() for e in entries]})
        return 0
    rows = [
        [
            _when(e.at),
            e.author,
            e.operation,
            e.scorecard or "",
            "" if e.version is None else f"v{e.version}",
            _detail(e.detail),
        ]
        for e in entries
    ]
    print(format_table(["When (UTC)", "Who", "Operation", "Scorecard", "Version", "Detail"], rows))
    return 0


def _when(stamp: str | None) -> str:
    """``2026-07-01T10:11:12.123456Z`` -> ``2026-07-01 10:11:12``."""
    if not stamp:
        return "—"
    return stamp[:19].replace("T", " ")


def _detail(detail: dict[str, Any]) -> str:
    keys = ("label", "message", "file", "draft", "restored")
    parts = [f"{k}={detail[k]}" for k in keys if detail.get(k) not in (None, "")]
    return " ".join(" ".join(parts).split())[:60]
