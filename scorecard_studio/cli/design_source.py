"""Where a command's design comes from: a design file, or ``--store NAME[@V]``.

The store is optional at import time so the scoring commands keep working (and stay fast)
without touching SQL when they are given a design file.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scorecard_studio.cli.store_location import add_store_url, open_store_from
from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.model import Scorecard

if TYPE_CHECKING:  # the data engines are imported only by a command that reads data
    import pandas as pd

    from scorecard_studio.domain.governance import GovernanceView


@dataclass(slots=True)
class LoadedDesign:
    """A design with its data tables and, when it came from the store, its provenance."""

    card: Scorecard
    tables: dict[str, pd.DataFrame]
    provenance: dict[str, object] = field(default_factory=dict)
    #: Commentary, exceptions and actions the stored version sees (None: a design file).
    governance: GovernanceView | None = None


def add_design_arguments(parser: argparse.ArgumentParser, *, data: bool = True) -> None:
    parser.add_argument("design", nargs="?", help="design file (.json)")
    if data:
        parser.add_argument(
            "--data",
            action="append",
            default=[],
            metavar="FILE",
            help="data file for the design's sources (repeatable; SOURCE_ID=FILE to assign)",
        )
        parser.add_argument(
            "--store",
            metavar="NAME[@V]",
            dest="store_ref",
            help="take the design and its data snapshots from the version store",
        )
        parser.add_argument("--store-path", metavar="PATH", help="store file (default: user data)")
        add_store_url(parser)


def load_design_and_data(args: argparse.Namespace) -> LoadedDesign:
    """The design and tables a scoring command works on."""
    store_ref = getattr(args, "store_ref", None)
    if store_ref:
        if args.design:
            raise ScorecardError("give either a design file or --store NAME[@V], not both")
        return _from_store(store_ref, args, args.data)
    if not args.design:
        raise ScorecardError("a design file (or --store NAME[@V]) is required")
    from scorecard_studio.engines.design_file import load_design

    card = load_design(args.design)
    tables = _load_tables(card, args.data) if getattr(args, "data", None) else {}
    return LoadedDesign(card, tables)


def _load_tables(card: Scorecard, data: list[str]) -> dict[str, pd.DataFrame]:
    from scorecard_studio.engines.data_loading import load_source_tables

    return load_source_tables(card, data)


def _from_store(ref: str, args: argparse.Namespace, data: list[str]) -> LoadedDesign:
    from scorecard_studio.engines.store import resolve_store_ref

    store = open_store_from(args)
    try:
        version = resolve_store_ref(ref, store)
        tables = version.load_snapshots()
        card = version.design
        if data:
            tables.update(_load_tables(card, data))
        # A frozen version's report states the governance as it was when it was frozen.
        governance = store.governance_for_report(version.info.scorecard, version.number)
        return LoadedDesign(card, tables, version.provenance(), governance)
    finally:
        store.close()
