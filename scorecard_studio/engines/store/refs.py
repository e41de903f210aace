"""``NAME[@V]`` references to a stored version, as ``score``/``export --store`` take them.

``V`` is a version number (``Retention@7``, also ``@v7``) or a freeze label
(``Retention@FY26 Q3 QBR``); without it the head is meant. A scorecard whose own name
contains ``@`` is found by its whole name first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard_studio.domain.errors import StoreError

if TYPE_CHECKING:
    from scorecard_studio.engines.store.api import Store, StoredVersion


def parse_store_ref(ref: str) -> tuple[str, str | None]:
    """Split ``NAME@V`` into name and version text (None when there is no ``@``)."""
    text = ref.strip()
    if not text:
        raise StoreError("an empty store reference; expected NAME or NAME@VERSION")
    name, sep, version = text.rpartition("@")
    if not sep:
        return text, None
    if not name.strip():
        raise StoreError(f"{ref!r}: the scorecard name is missing before '@'")
    return name.strip(), version.strip() or None


def resolve_store_ref(ref: str, store: Store) -> StoredVersion:
    """The version ``ref`` names (see the module docstring)."""
    text = ref.strip()
    known = {s.name for s in store.list_scorecards()}
    if text in known:
        return store.checkout(text)
    name, version = parse_store_ref(ref)
    if version is None:
        return store.checkout(name)
    digits = version[1:] if version[:1] in {"v", "V"} else version
    if digits.isdigit():
        return store.checkout(name, int(digits))
    if version.lower() in {"head", "latest"}:
        return store.checkout(name)
    return store.checkout_label(name, version)
