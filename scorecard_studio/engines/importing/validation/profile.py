"""A data source's import profile applied to its typed table: tier values and column units.

The profile is saved with the design (:class:`~scorecard_studio.domain.model.DataSource`),
so next month's file is read exactly as this month's was, without the wizard:

* ``tier_values`` turns the tier column's values as the source writes them ("Enterprise",
  "ENT") into the design's tier names ("Tier 1"); values the map does not name are kept as
  read and reported, so a new segment in the CRM is never scored silently as no tier.
* ``units`` gives the scale of a column whose percentages the file does not mark: 0–100
  points are divided by 100 (percentages are fractions everywhere), 0–1 fractions are kept
  and marked as percentages. A column already read as a percentage (``45%`` text or a
  percent number format) is a fraction already and is never divided again.

Each change is described in a note (severity, code, text) for the import's findings.
"""

from __future__ import annotations

import pandas as pd

from scorecard_studio.domain.model import ColumnScale, DataSource
from scorecard_studio.engines.importing.columns.column_types import ColumnType, TypedColumn

Note = tuple[str, str, str]

#: Quoted values shown in a note before "and N more".
_SHOWN = 5


def _key(value: object) -> str:
    """How a tier value is looked up: trimmed, inner spaces collapsed, case ignored."""
    return " ".join(str(value).split()).casefold()


def _quoted(values: list[str]) -> str:
    head = ", ".join(repr(v) for v in values[:_SHOWN])
    return head + (f" and {len(values) - _SHOWN:,} more" if len(values) > _SHOWN else "")


def tier_lookup(source: DataSource) -> dict[str, str]:
    """The source's tier map keyed as :func:`_key` compares values."""
    return {_key(raw): tier for raw, tier in source.tier_values}


def unmapped_tiers(source: DataSource, values: pd.Series) -> list[str]:
    """The tier values (as written) that the source's map neither names nor produces."""
    lookup = tier_lookup(source)
    targets = {_key(t) for t in lookup.values()}
    seen = {" ".join(str(v).split()) for v in values.dropna()}
    return sorted(v for v in seen if v and _key(v) not in lookup and _key(v) not in targets)


def _map_tiers(
    source: DataSource, frame: pd.DataFrame, typed: dict[str, TypedColumn]
) -> list[Note]:
    column = source.tier_column
    if not source.tier_values or not column or column not in frame.columns:
        return []
    lookup = tier_lookup(source)
    values = frame[column]
    mapped = values.map(lambda v: lookup.get(_key(v), v) if pd.notna(v) else v)
    changed = int((mapped.astype(object) != values.astype(object)).fillna(False).sum())
    frame[column] = mapped
    if column in typed:
        typed[column].values = mapped
    notes: list[Note] = [
        ("info", "tier_values", f"{changed:,} values of {column!r} mapped to tiers by the profile")
    ]
    left = unmapped_tiers(source, mapped)
    if left:
        notes.append(
            (
                "warning",
                "tier_values_unmapped",
                f"tier values of {column!r} the profile does not map: {_quoted(left)}",
            )
        )
    return notes


def _apply_unit(name: str, scale: ColumnScale, col: TypedColumn, frame: pd.DataFrame) -> Note:
    label = "0–100" if scale is ColumnScale.PERCENT_POINTS else "0–1"
    if col.type is ColumnType.PERCENT:
        return (
            "info",
            "column_unit",
            f"{name!r} is read as a percentage already (the file marks it)",
        )
    if col.type is not ColumnType.NUMBER:
        return (
            "warning",
            "column_unit",
            f"{name!r} holds {col.type.value} values, not numbers: its unit (percent {label}) "
            "was not applied",
        )
    values = frame[name].astype("float64")
    top = 100.0 if scale is ColumnScale.PERCENT_POINTS else 1.0
    outside = int(((values < 0) | (values > top)).sum())
    if scale is ColumnScale.PERCENT_POINTS:
        values = values / 100.0
    frame[name] = col.values = values
    col.type = ColumnType.PERCENT
    text = f"{name!r} read as a percentage of {label}, as the profile says"
    if outside:
        return ("warning", "column_unit", f"{text}; {outside:,} values are outside {label}")
    return ("info", "column_unit", text)


def apply_number_formats(
    displays: dict[int, tuple[str, str]], frame: pd.DataFrame, typed: dict[str, TypedColumn]
) -> None:
    """Number columns the workbook formats as percentages or money take that type.

    The values do not change (a cell showing 87% holds 0.87, as percentages are held
    everywhere); the type and symbol let previews and reports show them as the source did.
    """
    for offset, (kind, symbol) in displays.items():
        if offset >= len(frame.columns) or not kind:
            continue
        col = typed.get(str(frame.columns[offset]))
        if col is None or col.type is not ColumnType.NUMBER:
            continue
        col.type = ColumnType.PERCENT if kind == "percent" else ColumnType.CURRENCY
        col.symbol = symbol if kind == "currency" else col.symbol


def apply_profile(
    source: DataSource | None, frame: pd.DataFrame, typed: dict[str, TypedColumn]
) -> list[Note]:
    """Apply ``source``'s tier map and column units to the typed table, in place."""
    if source is None:
        return []
    notes = _map_tiers(source, frame, typed)
    for unit in source.units:
        col = typed.get(unit.column)
        if col is None or unit.column not in frame.columns:
            notes.append(
                (
                    "warning",
                    "column_unit",
                    f"column {unit.column!r} of the profile's units is not in the file",
                )
            )
            continue
        notes.append(_apply_unit(unit.column, unit.scale, col, frame))
    return notes
