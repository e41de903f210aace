"""Which store a command works on: ``--store-path FILE`` or ``--store-url postgresql://…``.

Both options are accepted before the command (``scorecard-studio --store-url URL store
list``), after ``store``, and after a ``store`` sub-command; ``score`` and ``export`` take
them beside ``--store NAME[@V]``. Without either, ``$SCORECARD_STUDIO_STORE_URL`` names a
team store, else ``$SCORECARD_STUDIO_STORE`` the file, else the per-user default file.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from scorecard_studio.domain.errors import ScorecardError

if TYPE_CHECKING:
    from scorecard_studio.engines.store import Store

URL_HELP = (
    "team store on PostgreSQL, postgresql://USER@HOST[:PORT]/DATABASE "
    "(default: $SCORECARD_STUDIO_STORE_URL)"
)


def add_store_url(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Add ``--store-url``; below the top level it only overrides a value given there."""
    parser.add_argument(
        "--store-url",
        metavar="URL",
        default=None if top else argparse.SUPPRESS,
        help=URL_HELP,
    )


def open_store_from(args: argparse.Namespace) -> Store:
    """Open the store the command line names (see the module docstring)."""
    from scorecard_studio.engines.store import open_store

    path = getattr(args, "store_path", None)
    url = getattr(args, "store_url", None)
    if path and url:
        raise ScorecardError("give either --store-path FILE or --store-url URL, not both")
    return open_store(path, url=url)
