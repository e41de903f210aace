"""The hash chain over versions, and the seals over freezes.

A version's hash covers everything that makes it what it is: the hash of its design text,
the hashes of its data snapshots (by source id), its message, author and time, and the hash
of its parent. Changing any of these in an earlier version changes its hash, which no longer
matches the ``parent_hash`` its child recorded, so ``verify`` finds the first broken link.

The local version *number* is deliberately not hashed: numbers are names a store gives its
versions, hashes are their identity. That is what lets an imported history merge with a
local one by hash, even when the two stores numbered a diverging version differently.

The hashed text is a small JSON document with sorted keys and a format tag, so the rule is
stable across Python versions and easy to recompute with any SHA-256 tool.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

#: Tag mixed into every version hash; a new rule would get a new tag, never reuse this one.
VERSION_HASH_TAG = "scorecard-studio/version/1"
FREEZE_SEAL_TAG = "scorecard-studio/freeze/1"
GOVERNANCE_TAG = "scorecard-studio/governance/1"


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256, the form every hash in the store takes."""
    return hashlib.sha256(data).hexdigest()


def _canonical(document: Mapping[str, object]) -> bytes:
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def version_hash(
    *,
    parent_hash: str | None,
    design_hash: str,
    snapshots: Mapping[str, str],
    message: str,
    author: str,
    created_at: str,
) -> str:
    """The chained hash of one version (see the module docstring for what it covers)."""
    return sha256_hex(
        _canonical(
            {
                "tag": VERSION_HASH_TAG,
                "parent": parent_hash,
                "design": design_hash,
                "snapshots": dict(sorted(snapshots.items())),
                "message": message,
                "author": author,
                "created_at": created_at,
            }
        )
    )


def freeze_seal(*, version_hash: str, label: str, frozen_at: str, frozen_by: str) -> str:
    """Hash binding a freeze label, time and author to the version it freezes."""
    return sha256_hex(
        _canonical(
            {
                "tag": FREEZE_SEAL_TAG,
                "version": version_hash,
                "label": label,
                "frozen_at": frozen_at,
                "frozen_by": frozen_by,
            }
        )
    )


def governance_hash(
    *,
    version_hash: str,
    prev_hash: str | None,
    kind: str,
    subject: str,
    body: Mapping[str, object],
    author: str,
    created_at: str,
) -> str:
    """Hash of one governance entry, chained to its version and the entry before it."""
    return sha256_hex(
        _canonical(
            {
                "tag": GOVERNANCE_TAG,
                "version": version_hash,
                "prev": prev_hash,
                "kind": kind,
                "subject": subject,
                "body": dict(body),
                "author": author,
                "created_at": created_at,
            }
        )
    )


def canonical_text(document: Mapping[str, object]) -> str:
    """The canonical JSON text the store writes (sorted keys, no spaces)."""
    return _canonical(document).decode("utf-8")


def is_hex_digest(text: object) -> bool:
    """Whether ``text`` looks like a hash this store writes (64 lower-case hex digits)."""
    return isinstance(text, str) and len(text) == 64 and all(c in "0123456789abcdef" for c in text)
