"""``store`` sub-commands of a team store: push and pull by hash, who writes, roles.

Registered by ``store_command`` with its own ``add`` helper (so ``whoami``, ``roles`` and
``grant`` take ``--json`` and a store like the rest); ``push`` and ``pull`` open two stores,
the local file and the team store at ``--store-url``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from scorecard_studio.cli.output import print_json
from scorecard_studio.cli.store_location import add_store_url
from scorecard_studio.domain.errors import ScorecardError

if TYPE_CHECKING:
    from scorecard_studio.engines.store import Store
    from scorecard_studio.engines.store.sync import SyncReport

Handler = Callable[["Store", argparse.Namespace], int]
Add = Callable[[str, str, Handler], argparse.ArgumentParser]


def register(add: Add, commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add push, pull, whoami, roles and grant under ``store``."""
    for name, handler, text in (
        (
            "push",
            _push,
            "bring the local store's versions to the team store (by hash); work "
            "built on an older team version is kept there as a draft",
        ),
        (
            "pull",
            _pull,
            "bring the team store's versions into the local store (by hash); no "
            "local version is changed",
        ),
    ):
        p = commands.add_parser(
            name,
            help=text,
            description=text + ". The local store is "
            "--store-path (or its default), the team store --store-url.",
        )
        p.add_argument("names", nargs="*", metavar="NAME", help="scorecards (default: all)")
        p.add_argument(
            "--store-path",
            metavar="PATH",
            default=argparse.SUPPRESS,
            help="local store file (default: $SCORECARD_STUDIO_STORE, else the "
            "per-user data folder)",
        )
        add_store_url(p)
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        p.set_defaults(handler=_syncing(handler))

    add("whoami", "who the store records as author, and what they may do", _whoami)
    add(
        "roles",
        "team store: create the roles viewer, editor and approver and grant their rights "
        "(run by the store's owner, again after an upgrade)",
        _roles,
    )
    p = add("grant", "team store: give a database login a role", _grant)
    p.add_argument("login", help="database login")
    p.add_argument("role", choices=("viewer", "editor", "approver"), help="role")


SyncHandler = Callable[["Store", "Store", argparse.Namespace], int]


def _syncing(handler: SyncHandler) -> Callable[[argparse.Namespace], int]:
    """Open the local store (a file) and the team store (a URL) for push and pull."""

    def run(args: argparse.Namespace) -> int:
        import os

        from scorecard_studio.engines.store import open_store, resolve_store_path
        from scorecard_studio.engines.store.location import STORE_URL_ENV

        url = getattr(args, "store_url", None) or os.environ.get(STORE_URL_ENV, "").strip()
        if not url:
            raise ScorecardError(
                f"{args.store_command} needs the team store: --store-url postgresql://… or "
                f"${STORE_URL_ENV}"
            )
        path = resolve_store_path(getattr(args, "store_path", None))
        if str(path).startswith(("postgresql:", "postgres:")):
            raise ScorecardError(
                "--store-path names the local store file; the team store is --store-url"
            )
        local = open_store(path)
        try:
            team = open_store(url=url)
            try:
                return handler(local, team, args)
            finally:
                team.close()
        finally:
            local.close()

    return run


def _push(local: Store, team: Store, args: argparse.Namespace) -> int:
    return _report_sync(local.push(team, args.names), args, team.name)


def _pull(local: Store, team: Store, args: argparse.Namespace) -> int:
    return _report_sync(local.pull(team, args.names), args, local.name)


def _report_sync(reports: Sequence[SyncReport], args: argparse.Namespace, where: str) -> int:
    """Print what a push or pull did; exit 1 when a scorecard diverged (kept as a draft)."""
    if args.json:
        print_json({"into": where, "scorecards": [r.to_json_dict() for r in reports]})
    for r in [] if args.json else reports:
        added = ", ".join(f"v{n}" for n in r.added) or "nothing new"
        print(f"{r.direction} {r.scorecard}: added {added} ({r.already_present} already there)")
        for old, new in sorted(r.renumbered.items()):
            print(f"  v{old} is v{new} there (the number was taken)")
        if r.diverged:
            kept = ", ".join(f"draft {d}" for d in r.drafts) or "the draft made earlier"
            print(
                f"  diverged: {', '.join(f'v{n}' for n in r.diverged)} build on an older "
                f"version than {r.conflicts_with}; kept as {kept}, not as versions"
            )
        if r.freezes_left_out:
            print(
                f"  freezes of {', '.join(f'v{n}' for n in r.freezes_left_out)} left out: "
                "only an approver may freeze there"
            )
        if r.governance_added:
            print(f"  {r.governance_added} governance entry(ies) added")
        if r.governance_not_merged:
            print(
                f"  {r.governance_not_merged} governance entry(ies) not merged: both stores "
                "wrote different entries on the same version, or its version was not merged"
            )
    return 1 if any(r.diverged for r in reports) else 0


def _whoami(store: Store, args: argparse.Namespace) -> int:
    facts = {
        "store": store.name,
        "team": store.team,
        "author": store.identity(),
        "can_save": store.can_write(),
        "can_freeze": store.can_freeze(),
    }
    if args.json:
        print_json(facts)
    else:
        rights = (
            "saves and freezes"
            if facts["can_freeze"]
            else ("saves, cannot freeze" if facts["can_save"] else "reads only")
        )
        print(f"{facts['author']} on {facts['store']}: {rights}")
    return 0


def _roles(store: Store, args: argparse.Namespace) -> int:
    roles = store.setup_roles()
    if args.json:
        print_json({"roles": list(roles)})
    else:
        print(f"roles ready on {store.name}: {', '.join(roles)}")
    return 0


def _grant(store: Store, args: argparse.Namespace) -> int:
    role = store.grant_role(args.login, args.role)
    if args.json:
        print_json({"login": args.login, "role": args.role, "database_role": role})
    else:
        print(f"{args.login} is now {args.role} ({role}) on {store.name}")
    return 0
