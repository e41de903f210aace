"""The JSON Schema of the design document, derived from the dataclasses.

Deriving it keeps the schema and the model from drifting apart; the committed copy
(``resources/design.schema.json``, for editors and other tools) is checked against this
function by the test suite. Value ranges that a type cannot express are listed in
``_CONSTRAINTS``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any

from scorecard_studio.domain.analytics import Analytics, Outcomes, RiskRule
from scorecard_studio.domain.design_upgrade import CURRENT_SCHEMA_VERSION
from scorecard_studio.domain.model import (
    DataSource,
    Kpi,
    Objective,
    Perspective,
    RagThresholds,
    Scorecard,
    Settings,
    Tier,
    Tiering,
)

_CONSTRAINTS: dict[tuple[type, str], dict[str, Any]] = {
    (Kpi, "weight"): {"minimum": 0},
    (Objective, "weight"): {"minimum": 0},
    (Perspective, "weight"): {"minimum": 0},
    (Tier, "weight"): {"minimum": 0},
    (Settings, "cap"): {"minimum": 1.0, "maximum": 1.5},
    (Settings, "fiscal_year_start_month"): {"minimum": 1, "maximum": 12},
    (Settings, "minimum_sample"): {"minimum": 0},
    (Settings, "minimum_coverage"): {"minimum": 0.0, "maximum": 1.0},
    (Settings, "escalation_periods"): {"minimum": 1},
    (RagThresholds, "green"): {"minimum": 0},
    (RagThresholds, "amber"): {"minimum": 0},
    (Kpi, "id"): {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
    (RiskRule, "periods"): {"minimum": 1},
    (Outcomes, "horizon"): {"minimum": 1},
    (Outcomes, "fit_share"): {"exclusiveMinimum": 0.0, "exclusiveMaximum": 1.0},
    (Analytics, "minimum_pairs"): {"minimum": 4},
    (Analytics, "redundancy_threshold"): {"exclusiveMinimum": 0.0, "maximum": 1.0},
}

_MAPPING_FIELDS = {(Tiering, "values"), (DataSource, "tier_values")}


def design_json_schema() -> dict[str, Any]:
    """The whole schema (draft 2020-12) of a current-version design document."""
    definitions: dict[str, Any] = {}
    root = _object_schema(Scorecard, definitions)
    root["properties"] = {
        "schema_version": {"const": CURRENT_SCHEMA_VERSION},
        **root["properties"],
    }
    root["required"] = ["schema_version", *root.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://scorecard-studio.invalid/design.schema.json",
        "title": "Scorecard Studio design document",
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def _object_schema(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        if (cls, f.name) in _MAPPING_FIELDS:
            schema: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}
        else:
            schema = _type_schema(hints[f.name], definitions)
        schema = {**schema, **_CONSTRAINTS.get((cls, f.name), {})}
        properties[f.name] = schema
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _type_schema(hint: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(a, definitions) for a in typing.get_args(hint)]
        return {"anyOf": options}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(hint)[0], definitions)}
    if hint is type(None):
        return {"type": "null"}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in definitions:
            definitions[name] = {}  # placeholder against recursion
            definitions[name] = _object_schema(hint, definitions)
        return {"$ref": f"#/$defs/{name}"}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return {"enum": [m.value for m in hint]}
    simple = {float: "number", int: "integer", str: "string", bool: "boolean"}
    return {"type": simple[hint]}
