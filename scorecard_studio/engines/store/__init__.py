"""The versioned scorecard store (described in ``docs/store.md``).

``open_store()`` gives a :class:`Store`; ``resolve_store_ref("NAME[@V]", store)`` turns the
CLI's ``--store`` reference into a checked-out version.

The names below load on first use (PEP 562): importing the package, or one of its
SQL-free modules (snapshots, the portable file's reader), does not load SQLAlchemy.
The window's first start reads the bundled sample's data that way while the store
opens beside it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scorecard_studio.engines.store.api import (
        FreezeRefusedError,
        SaveConflictError,
        Store,
        StoredVersion,
    )
    from scorecard_studio.engines.store.location import default_store_path, resolve_store_path
    from scorecard_studio.engines.store.opening import open_store
    from scorecard_studio.engines.store.records import (
        AuditRecord,
        DraftInfo,
        ImportSummary,
        Problem,
        ScorecardInfo,
        VersionInfo,
    )
    from scorecard_studio.engines.store.refs import parse_store_ref, resolve_store_ref
    from scorecard_studio.engines.store.saving import LATEST

#: Public name -> the module of this package that defines it.
_HOMES = {
    "FreezeRefusedError": "api",
    "SaveConflictError": "api",
    "Store": "api",
    "StoredVersion": "api",
    "default_store_path": "location",
    "resolve_store_path": "location",
    "open_store": "opening",
    "AuditRecord": "records",
    "DraftInfo": "records",
    "ImportSummary": "records",
    "Problem": "records",
    "ScorecardInfo": "records",
    "VersionInfo": "records",
    "parse_store_ref": "refs",
    "resolve_store_ref": "refs",
    "LATEST": "saving",
}

__all__ = [
    "LATEST",
    "AuditRecord",
    "DraftInfo",
    "FreezeRefusedError",
    "ImportSummary",
    "Problem",
    "SaveConflictError",
    "ScorecardInfo",
    "Store",
    "StoredVersion",
    "VersionInfo",
    "default_store_path",
    "open_store",
    "parse_store_ref",
    "resolve_store_path",
    "resolve_store_ref",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
