"""Column roles kept in the design, and what changed when a file is refreshed.

A :class:`~scorecard_studio.domain.model.DataSource` records the columns seen at import
and which of them are the entity key, the date or period, the tier, and (long layout) the
metric name and value; everything else is a measure. Refreshing the source with a new
export compares the new columns with the recorded ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from scorecard_studio.domain.model import DataSource


def _norm(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def column_changes(source: DataSource, columns: Iterable[object]) -> tuple[list[str], list[str]]:
    """(missing, new): recorded columns absent from ``columns``, and columns not recorded.

    Names are compared trimmed, with runs of spaces collapsed and case ignored, so
    ``"Revenue "`` and ``"revenue"`` are the same column; the lists keep the spelling of
    the side they come from. Columns the source gives a role to come first in ``missing``.
    """
    names = [_name(c) for c in columns]
    now = {_norm(n) for n in names}
    before = {_norm(c) for c in source.columns}
    roles = {_norm(r) for r in role_columns(source)}
    missing = [c for c in source.columns if _norm(c) not in now]
    missing.sort(key=lambda c: _norm(c) not in roles)
    new = [n for n in names if _norm(n) not in before]
    return missing, new


def _name(column: object) -> str:
    if isinstance(column, dict):
        return str(column.get("name", ""))
    return str(getattr(column, "name", column))


def role_columns(source: DataSource) -> list[str]:
    """The columns the source gives a role to, in role order."""
    roles = (
        source.key_column,
        source.name_column,
        source.date_column,
        source.period_column,
        source.tier_column,
        source.metric_column,
        source.value_column,
    )
    return [r for r in roles if r]


def missing_roles(source: DataSource, columns: Sequence[str]) -> list[str]:
    """Role columns of ``source`` that the imported table does not have."""
    present = {_norm(c) for c in columns}
    return [r for r in role_columns(source) if _norm(r) not in present]


def refreshed(source: DataSource, columns: Sequence[str], header_row: int | None) -> DataSource:
    """The source as kept in the design after a successful import of ``columns``."""
    return replace(source, columns=tuple(columns), header_row=header_row)
