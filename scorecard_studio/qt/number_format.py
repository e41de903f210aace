"""Numbers as people read them on screen: grouped digits, never scientific notation.

Targets and actuals span from ratios (0.35) to revenues (55,000,000); Python's ``g``
format turns the latter into ``5.5e+07``, which nobody reads at a glance in a workshop.
"""

from __future__ import annotations

import math

from scorecard_studio.domain.units import Unit, UnitKind

SIGNIFICANT = 6


def fmt_number(value: float, significant: int = SIGNIFICANT) -> str:
    """``value`` with digit grouping and up to ``significant`` significant digits.

    Whole digits are never dropped (55,123,456 stays whole); decimals are added only as far
    as ``significant`` allows, and trailing zeros are removed. Very small magnitudes keep
    the ``g`` form, where a fixed form would read as 0.
    """
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude < 1e-4:
        return f"{value:.{significant}g}"
    whole_digits = max(math.floor(math.log10(magnitude)) + 1, 1)
    decimals = max(significant - whole_digits, 0)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"))


def fmt_ticks(values: list[float], spacing: float, unit: Unit | None = None) -> list[str]:
    """Axis tick labels for ticks ``spacing`` apart: short, aligned, never scientific.

    Millions and above are written with a suffix (56.5M) so an axis of revenues stays
    narrow; below, digits are grouped. Decimals are as many as the spacing needs. In a
    percentage KPI's unit the stored fractions read as percent (0.06 → "6%"), as the
    tooltips and tables have them; a currency carries its symbol.
    """
    if not values:
        return []
    if unit is not None and unit.is_percent:
        texts = fmt_ticks([v * 100 for v in values], spacing * 100)
        return [f"{t}%" for t in texts]
    if unit is not None and unit.kind is UnitKind.CURRENCY:
        texts = fmt_ticks(values, spacing)
        return [
            f"−{unit.symbol}{t[1:]}" if t.startswith("-") else f"{unit.symbol}{t}" for t in texts
        ]
    top = max(abs(v) for v in values)
    divisor, suffix = next(((d, s) for d, s in _SCALES if top >= d), (1.0, ""))
    step = spacing / divisor if spacing > 0 else 1.0
    decimals = min(max(-math.floor(math.log10(step)), 0), 8) if step > 0 else 0
    texts = []
    for v in values:
        text = f"{v / divisor:,.{decimals}f}"
        if text.lstrip("-").strip("0.,") == "":
            text = "0"  # no "-0" or "0.00"
        texts.append(text + (suffix if text != "0" else ""))
    return texts
