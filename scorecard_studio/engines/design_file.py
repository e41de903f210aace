"""Reading and writing design files (``*.json``) on disk.

Loading goes: bytes -> JSON -> upgrade to the current schema version -> JSON Schema check ->
typed ``Scorecard``. Each failure becomes a DesignError whose message names the file and the
field, so a hand-edited file that went wrong says where, never with a traceback. Saving is
atomic (write to a sibling temporary file, fsync, rename) so a crash mid-save leaves the old
file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from scorecard_studio.domain.design_codec import dumps_design, scorecard_from_dict
from scorecard_studio.domain.design_schema import design_json_schema
from scorecard_studio.domain.design_upgrade import upgrade_document
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.json_bounds import check_design_size, parse_json
from scorecard_studio.domain.model import Scorecard

#: Design files are small; anything larger is certainly not one.
MAX_DESIGN_BYTES = 32 * 1024 * 1024


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(design_json_schema())


def json_path(parts: Iterable[str | int]) -> str:
    """``('perspectives', 0, 'weight')`` -> ``perspectives[0].weight``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _schema_message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        return "unknown field"
    if error.validator in {"anyOf", "oneOf"} and error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        return _schema_message(deepest)
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is required")
    return str(error.message)


def validate_document(document: dict[str, Any]) -> None:
    """Check a current-version document against the schema; DesignError names the field."""
    error = next(iter(sorted(_validator().iter_errors(document), key=_error_rank)), None)
    if error is None:
        return
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        path.append(extra[0] if extra else "?")
    raise DesignError(json_path(path), _schema_message(error))


def _error_rank(error: ValidationError) -> tuple[int, str]:
    # The shallowest error first is the clearest to a person editing by hand.
    return (len(error.absolute_path), json_path(error.absolute_path))


def design_from_text(text: str, origin: str = "design") -> Scorecard:
    """Parse, upgrade, validate and decode design JSON text."""
    try:
        document = parse_json(text)
    except json.JSONDecodeError as exc:
        raise DesignError(
            "", f"{origin}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except DesignError as exc:
        raise DesignError(exc.path, exc.detail, origin=origin) from None
    if not isinstance(document, dict):
        raise DesignError("", f"{origin}: a design file must hold a JSON object")
    try:
        check_design_size(document)
        upgraded = upgrade_document(document)
        validate_document(upgraded)
        return scorecard_from_dict(upgraded)
    except DesignError as exc:
        raise DesignError(exc.path, exc.detail, origin=origin) from None


def load_design(path: str | os.PathLike[str]) -> Scorecard:
    """Load a design file; every failure is a one-line DesignError naming file and field."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_DESIGN_BYTES:
            raise DesignError("", f"{file.name}: {size:,} bytes is too large for a design file")
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DesignError("", f"{file}: no such file") from None
    except IsADirectoryError:
        raise DesignError("", f"{file}: is a folder, not a design file") from None
    except OSError as exc:
        raise DesignError("", f"{file}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DesignError("", f"{file.name}: not a design file (not UTF-8 text)") from None
    return design_from_text(text, file.name)


def save_design(card: Scorecard, path: str | os.PathLike[str]) -> None:
    """Write the canonical design text atomically."""
    atomic_write_text(Path(path), dumps_design(card))


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary sibling and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
