"""One truth for how a KPI's values are shown and typed, everywhere.

A KPI's actual, baseline, target, stretch and red-flag value are numbers in one unit, and
every place that shows or takes one — targets matrix, properties, what-if, version diff,
charts, results, CLI, report — must agree on it. Rates and top-box survey shares are
stored as fractions (0.029) and shown as percentages (2.9%); on a percentage KPI a typed
"25" means 25%, exactly as "25%" does, because a manager setting a churn target thinks in
percent, never in fractions. NPS is in points (−100…100), currencies carry their symbol.

:func:`unit_of` decides the unit from the KPI (its measure first, then its unit text and
number format); :func:`format_value` and :func:`parse_value` turn values into text and
back; :func:`possible_range` gives the values a metric can take at all, which the design
checks use to catch a CSAT target of 80 meant as 80%.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from scorecard_studio.domain.model import Aggregation, CesMode, Kpi, Measure


class UnitKind(StrEnum):
    """How a value reads."""

    PERCENT = "percent"  # stored as a fraction, shown ×100 with "%"
    POINTS = "points"  # NPS: −100…100
    CURRENCY = "currency"  # a symbol or code before the number
    NUMBER = "number"  # anything else, with the unit text after it (days, tickets)


#: Aggregations whose values are fractions by definition (shown as percentages).
FRACTION_METRICS = frozenset({Aggregation.CSAT, Aggregation.CHURN_RATE})

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "$": "$", "€": "€", "£": "£"}


@dataclass(frozen=True, slots=True)
class Unit:
    """A KPI's unit: its kind, the text around the number, and decimals shown."""

    kind: UnitKind
    symbol: str = ""  # currency symbol (before) or unit text (after)
    decimals: int | None = None  # None: as many as the value needs (up to 4 significant)

    @property
    def is_percent(self) -> bool:
        return self.kind is UnitKind.PERCENT


#: No unit: plain grouped digits.
PLAIN = Unit(UnitKind.NUMBER)


def _is_fraction_measure(kpi: Kpi) -> bool:
    m = kpi.measure
    if m.aggregation in FRACTION_METRICS:
        return True
    return m.aggregation is Aggregation.CES and m.ces_mode is CesMode.TOP_BOX


def _format_decimals(number_format: str) -> int | None:
    """Decimals an Excel-style format asks for ("0.0%" -> 1, "#,##0" -> 0)."""
    if not number_format or number_format == "0.00":  # the model's default says nothing
        return None
    match = re.search(r"0\.(0+)", number_format)
    if match:
        return len(match.group(1))
    return 0 if "0" in number_format else None


def unit_of(kpi: Kpi) -> Unit:
    """The KPI's unit: a rate or top-box share is a percentage whatever its unit text."""
    text = kpi.unit.strip()
    fmt = kpi.number_format.strip()
    decimals = _format_decimals(fmt)
    if _is_fraction_measure(kpi) or text == "%" or fmt.endswith("%"):
        return Unit(UnitKind.PERCENT, "%", decimals)
    if kpi.measure.aggregation is Aggregation.NPS:
        return Unit(UnitKind.POINTS, "", decimals)
    if text.upper() in _CURRENCY_SYMBOLS or text in _CURRENCY_SYMBOLS:
        return Unit(UnitKind.CURRENCY, _CURRENCY_SYMBOLS.get(text.upper(), text), decimals)
    return Unit(UnitKind.NUMBER, text, decimals)


def currency_unit(symbol: str) -> Unit:
    """A currency written with ``symbol`` or its code ("USD" reads as "$")."""
    text = symbol.strip()
    return Unit(UnitKind.CURRENCY, _CURRENCY_SYMBOLS.get(text.upper(), text))


def _digits(value: float, decimals: int | None, significant: int = 4) -> str:
    """Grouped digits, never scientific notation; trailing zeros dropped when free."""
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude < 1e-4:
        return f"{value:.{significant}g}"
    whole = max(math.floor(math.log10(magnitude)) + 1, 1)
    text = f"{value:,.{max(significant - whole, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: float | None, unit: Unit, *, missing: str = "—") -> str:
    """A value as the KPI's readers see it: ``2.9%``, ``$1,250``, ``42 points``, ``3.5 days``."""
    if value is None or math.isnan(value):
        return missing
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if unit.kind is UnitKind.PERCENT:
        return f"{_digits(value * 100, unit.decimals).replace('-', '−')}%"
    if unit.kind is UnitKind.CURRENCY:
        digits = _digits(
            abs(value), 0 if unit.decimals is None and abs(value) >= 100 else unit.decimals
        )
        sign = "−" if value < 0 else ""
        return f"{sign}{unit.symbol}{digits}"
    digits = _digits(value, unit.decimals).replace("-", "−")
    return f"{digits} {unit.symbol}" if unit.symbol else digits


def edit_text(value: float | None, unit: Unit) -> str:
    """A value as an editor starts with it: the number the user would type, full precision.

    A percentage shows as its percent figure ("25" for 0.25) so that typing over it means
    the same as what was there; no grouping, so the text parses back exactly.
    """
    if value is None or math.isnan(value):
        return ""
    shown = value * 100 if unit.is_percent else value
    text = repr(round(shown, 10))
    return text[:-2] if text.endswith(".0") else text


_NUMBER_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)


def parse_value(text: str, unit: Unit) -> float | None:
    """A value typed or pasted for a KPI; ``None`` for an empty cell (clear).

    On a percentage KPI "25", "25%" and "25 %" all mean 25% (0.25). Elsewhere a trailing
    "%" still divides by 100, thousands separators and currency signs are ignored, and a
    unit text after the number ("45 days") is allowed. Raises ValueError with a message
    saying what was expected.
    """
    cleaned = text.strip().replace("\u00a0", "").replace("\u2212", "-")
    if not cleaned:
        return None
    if unit.symbol and unit.kind is UnitKind.NUMBER and cleaned.endswith(unit.symbol):
        cleaned = cleaned[: -len(unit.symbol)]
    cleaned = cleaned.replace(" ", "").replace(",", "")
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%")
    for sign in ("$", "€", "£", "¥", unit.symbol if unit.kind is UnitKind.CURRENCY else ""):
        if sign and cleaned.lstrip("+-").startswith(sign):
            negative = cleaned.startswith("-")
            cleaned = ("-" if negative else "") + cleaned.lstrip("+-")[len(sign) :]
    if not _NUMBER_TEXT.match(cleaned):
        expected = "a percentage such as 25 or 25%" if unit.is_percent else "a number"
        raise ValueError(f"{text.strip()!r} is not {expected}")
    value = float(cleaned)
    if percent or unit.is_percent:
        return value / 100
    return value


def possible_range(kpi: Kpi) -> tuple[float, float] | None:
    """The values the KPI's metric can take at all, or None when nothing bounds it."""
    m = kpi.measure
    if _is_fraction_measure(kpi):
        return (0.0, 1.0)
    if m.aggregation is Aggregation.NPS:
        return (-100.0, 100.0)
    if m.aggregation is Aggregation.CES:  # the mean of answers on the scale
        scale = m.effective_scale()
        if scale is not None:
            return (scale.minimum, scale.maximum)
    if m.aggregation in (Aggregation.COUNT, Aggregation.DISTINCT_COUNT):
        return (0.0, math.inf)
    return None


_METRIC_NAMES = {
    Aggregation.CSAT: "CSAT",
    Aggregation.NPS: "NPS",
    Aggregation.CES: "CES",
    Aggregation.CHURN_RATE: "a churn rate",
    Aggregation.COUNT: "a count",
    Aggregation.DISTINCT_COUNT: "a count",
}


def metric_name(measure: Measure) -> str:
    """How a message names the metric a value belongs to."""
    return _METRIC_NAMES.get(measure.aggregation, "this KPI")


def range_hint(kpi: Kpi, value: float) -> str:
    """What a value outside the metric's range was probably meant to be."""
    unit = unit_of(kpi)
    if unit.is_percent and 1 < value <= 100:
        return f"did you mean {_digits(value, None)}%?"
    if unit.is_percent and -100 <= value < 0:
        return "a share cannot be negative"
    return ""
