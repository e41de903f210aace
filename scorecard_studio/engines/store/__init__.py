"""The versioned scorecard store (described in ``docs/store.md``).

``open_store()`` gives a :class:`Store`; ``resolve_store_ref("NAME[@V]", store)`` turns the
CLI's ``--store`` reference into a checked-out version. Importing this package loads
SQLAlchemy but not alembic, pandas or pyarrow; those load when first needed.
"""

from __future__ import annotations

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
