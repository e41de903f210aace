"""The latest version of a portable ``.scorecard`` file, read without a store.

The window's first start shows the bundled sample's scores from its portable file while
the store (SQL, migrations, the import of the file's history) opens beside it: this
module loads no SQL, so the scores do not wait for SQLAlchemy. The file is checked as
fully as an import checks it (:func:`.portable_check.read_portable`); only the head
version's snapshots are decoded into tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store.documents import design_from_text
from scorecard_studio.engines.store.portable_check import read_portable
from scorecard_studio.engines.store.snapshots import decode_table

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class PortableHead:
    """The file's latest version: what the store will hold once the file is imported."""

    scorecard: str
    number: int
    hash: str
    design: Scorecard
    tables: dict[str, pd.DataFrame]


def read_portable_head(path: Path) -> PortableHead:
    """Check ``path`` and decode its latest version; StoreError names what is wrong."""
    checked = read_portable(path)
    head = max(checked.versions, key=lambda v: v.number)
    design = design_from_text(checked.designs[head.design], f"{path.name}: design")
    tables = {
        source: decode_table(checked.snapshots[digest].data)
        for source, digest in sorted(head.snapshots.items())
    }
    return PortableHead(checked.scorecard, head.number, head.hash, design, tables)
