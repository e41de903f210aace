"""Scorecard names as the store keeps them.

SQL-free, so that reading a portable file (which checks the name it carries) does not
load SQLAlchemy.
"""

from __future__ import annotations

from scorecard_studio.domain.errors import StoreError

#: Longest scorecard name or freeze label, in characters.
MAX_NAME = 200


def check_name(name: str) -> str:
    """The name as stored (trimmed), or a StoreError saying what is wrong with it."""
    key = name.strip()
    if not key:
        raise StoreError("a scorecard needs a name to be saved")
    if len(key) > MAX_NAME:
        raise StoreError(f"a scorecard name is at most {MAX_NAME} characters")
    if any(ord(c) < 32 for c in key):
        raise StoreError("a scorecard name cannot contain control characters")
    return key
