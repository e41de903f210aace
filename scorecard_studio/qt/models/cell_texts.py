"""A results cell's texts, from the fullest to the shortest, for a column of any width.

"▲ $28,656,156 / $29,000,000" is what a results cell says; a narrow column gets
"▲ $28.7M / $29M", then "▲ $28.7M" (see :mod:`scorecard_studio.qt.widgets.fitting_cells`,
which draws the first that fits). Values keep the KPI's unit as :mod:`~.domain.units`
writes it; only magnitudes from ten thousand on are shortened.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt

from scorecard_studio.domain import units
from scorecard_studio.domain.units import Unit, UnitKind

FIT_TEXTS = Qt.ItemDataRole.UserRole + 10
_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
#: Values from this magnitude on are written with a K/M/B suffix in a short text.
SHORT_FROM = 10_000


def _significant(number: float, digits: int) -> str:
    """``number`` (positive) to ``digits`` significant digits, never in e-notation."""
    if number >= 10 ** (digits - 1):
        return f"{number:.0f}"
    return f"{number:.{digits}g}"


def short_value(
    value: float, unit: Unit, *, symbol: bool = True, significant: int | None = None
) -> str:
    """``value`` in few characters: 28,656,156 → 28.7M, $954,967 → $955K, 7.4% stays.

    ``symbol=False`` leaves out a unit written after the number (days), which a short
    pair writes once, after both values. ``significant`` shortens further, small values
    and percentages too (5.267 → 5.3, 54.2% → 54%): the narrowest form of a cell.
    """
    if math.isnan(value) or math.isinf(value):
        return units.format_value(value, unit)
    if unit.is_percent:
        if significant is None:
            return units.format_value(value, unit)
        sign = "−" if value < 0 else ""
        return f"{sign}{_significant(abs(value) * 100, significant)}%"
    magnitude = abs(value)
    bare = Unit(unit.kind, unit.symbol if unit.kind is UnitKind.CURRENCY else "", unit.decimals)
    if magnitude < SHORT_FROM and significant is None:
        text = units.format_value(value, bare)
    else:
        divisor, suffix = next(((d, s) for d, s in _SCALES if magnitude >= d), (1.0, ""))
        if magnitude < SHORT_FROM:
            divisor, suffix = 1.0, ""
        digits = _significant(magnitude / divisor, significant or 3)
        sign = "−" if value < 0 else ""
        prefix = unit.symbol if unit.kind is UnitKind.CURRENCY else ""
        text = f"{sign}{prefix}{digits}{suffix}"
    if symbol and unit.symbol and unit.kind is not UnitKind.CURRENCY:
        return f"{text} {unit.symbol}"
    return text


def pair_texts(mark: str, actual: float, target: float, unit: Unit, flag: str) -> list[str]:
    """A KPI cell's texts, fullest first: exact pair, short pair, short actual, bare
    actual, and the actual to two digits against its mark."""
    after = f" {unit.symbol}" if unit.symbol and unit.kind is not UnitKind.CURRENCY else ""
    full = f"{mark} {units.format_value(actual, unit)} / {units.format_value(target, unit)}"
    short_actual = short_value(actual, unit, symbol=False)
    return [
        f"{full}{flag}",
        f"{mark} {short_actual} / {short_value(target, unit, symbol=False)}{after}{flag}",
        f"{mark} {short_actual}{after}{flag}",
        f"{mark} {short_actual}{flag}",
        f"{mark}{short_value(actual, unit, symbol=False, significant=2)}{flag}",
    ]
