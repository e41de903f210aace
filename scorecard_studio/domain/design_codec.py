"""The design document: a ``Scorecard`` as canonical JSON, and back.

Canonical means one scorecard has exactly one text: keys in the dataclasses' field order,
fields equal to their default left out, numbers written by Python's shortest round-trip
``repr``, two-space indentation and a final newline. Saving, loading and saving again gives
the same bytes, so versions hash and diff by content.

Decoding is driven by the dataclasses' type hints, so a new field needs no codec change, and
every error names the JSON path of the field at fault (``perspectives[1].kpis[0].weight``).
The structural JSON Schema (``design.schema.json`` beside the design-file engine) is checked
before this, but this module never trusts that it was.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

from scorecard_studio.domain.design_upgrade import CURRENT_SCHEMA_VERSION, upgrade_document
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.json_bounds import check_design_size, parse_json
from scorecard_studio.domain.model import DataSource, Scorecard, Tiering

T = TypeVar("T")

#: Fields whose tuple of pairs is written as a JSON object (raw value -> tier id or name).
_MAPPING_FIELDS = {(Tiering, "values"), (DataSource, "tier_values")}


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """The canonical document of a scorecard, with ``schema_version`` first."""
    body = _encode(card, Scorecard)
    assert isinstance(body, dict)
    return {"schema_version": CURRENT_SCHEMA_VERSION, **body}


def dumps_design(card: Scorecard) -> str:
    """Canonical JSON text of a scorecard (stable bytes for hashing and diffing)."""
    return json.dumps(scorecard_to_dict(card), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def scorecard_from_dict(document: object) -> Scorecard:
    """Decode a design document of any known schema version (older ones are upgraded)."""
    if not isinstance(document, dict):
        raise DesignError("", "a design file must hold a JSON object")
    check_design_size(document)
    upgraded = upgrade_document(document)
    body = {k: v for k, v in upgraded.items() if k != "schema_version"}
    return cast(Scorecard, _decode(body, Scorecard, ""))


def loads_design(text: str) -> Scorecard:
    """Parse design JSON text; errors give the line and column or the field path."""
    try:
        document = parse_json(text)
    except json.JSONDecodeError as exc:
        raise DesignError(
            "", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    return scorecard_from_dict(document)


# --- encoding ---------------------------------------------------------------------------


def _encode(value: object, hint: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if _is_default(f, item):
                continue
            if (type(value), f.name) in _MAPPING_FIELDS:
                out[f.name] = dict(item)
                continue
            out[f.name] = _encode(item, _hints(type(value))[f.name])
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_encode(v, None) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # 1 rather than 1.0; also folds -0.0 into 0
    return value


def _is_default(f: dataclasses.Field[Any], value: object) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


# --- decoding ---------------------------------------------------------------------------


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(value: object, hint: Any, path: str) -> object:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None and type(None) in args:
            return None
        non_none = [a for a in args if a is not type(None)]
        return _decode(value, non_none[0], path)
    if origin is tuple:
        if not isinstance(value, list):
            raise DesignError(path, f"expected a list, found {_describe(value)}")
        item_hint = typing.get_args(hint)[0]
        return tuple(_decode(v, item_hint, f"{path}[{i}]") for i, v in enumerate(value))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode_dataclass(value, hint, path)
    if isinstance(hint, type) and issubclass(hint, Enum):
        allowed = [m.value for m in hint]
        if value not in allowed:
            choices = ", ".join(repr(a) for a in allowed)
            raise DesignError(path, f"{value!r} is not one of {choices}")
        return hint(value)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DesignError(path, f"expected a number, found {_describe(value)}")
        if not math.isfinite(value):
            raise DesignError(path, "expected a finite number")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DesignError(path, f"expected a whole number, found {_describe(value)}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise DesignError(path, f"expected text, found {_describe(value)}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise DesignError(path, f"expected true or false, found {_describe(value)}")
        return value
    raise DesignError(path, f"unsupported field type {hint!r}")  # pragma: no cover


def _decode_dataclass(value: object, cls: type, path: str) -> object:
    if not isinstance(value, dict):
        raise DesignError(path, f"expected an object, found {_describe(value)}")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(value) - set(fields))
    if unknown:
        where = f"{path}." if path else ""
        raise DesignError(
            f"{where}{unknown[0]}", f"unknown field (known: {', '.join(sorted(fields))})"
        )
    kwargs: dict[str, object] = {}
    for name, f in fields.items():
        sub = f"{path}.{name}" if path else name
        if name not in value:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise DesignError(sub, "this field is required")
            continue
        if (cls, name) in _MAPPING_FIELDS:
            kwargs[name] = _decode_mapping(value[name], sub)
        else:
            kwargs[name] = _decode(value[name], hints[name], sub)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:  # pragma: no cover - hints guard this
        raise DesignError(path, str(exc)) from None


def _decode_mapping(value: object, path: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise DesignError(path, f"expected an object, found {_describe(value)}")
    for k, v in value.items():
        if not isinstance(v, str):
            raise DesignError(f"{path}.{k}", f"expected a tier, found {_describe(v)}")
    return tuple((str(k), str(v)) for k, v in value.items())


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
