"""How a design diff writes values: quoted names, numbers, a KPI's unit, locations.

Kept beside ``design_diff`` (which only finds the changes) so that module stays readable.
Pure.
"""

from __future__ import annotations

import json
from typing import Any

from scorecard_studio.domain.units import Unit, format_value

JsonValue = None | bool | int | float | str | list[Any] | dict[str, Any]


def fmt(value: JsonValue) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f"“{value}”"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


_TARGET_VALUE_FIELDS = ("baseline", "target", "stretch", "red_flag", "low", "high", "tolerance")


def is_target_value(path: str) -> bool:
    return path.startswith("targets") and path.rsplit(".", 1)[-1] in _TARGET_VALUE_FIELDS


def fmt_in(value: JsonValue, unit: Unit) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_value(float(value), unit)
    return fmt(value)


def location_text(value: JsonValue) -> str:
    return "(top level)" if value is None else str(value)


def where(fields: JsonValue) -> str:
    if isinstance(fields, dict):
        location = fields.get("location")
        if isinstance(location, str):
            return location
    return ""
