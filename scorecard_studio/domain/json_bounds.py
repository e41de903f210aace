"""Parsing JSON that anybody may have written, within stated limits.

Design files, design documents in the store and the manifests of ``.scorecard`` files are
all JSON from outside. Python's parser has three ways to end in a traceback on hostile
text: nesting deep enough to exhaust the stack (``RecursionError``), integers longer than
the interpreter's 4,300-digit guard (``ValueError``), and integers too large for a float or
a database column (``OverflowError`` much later, far from the file). This module refuses
all three at the door with a message stating the limit, and counts the KPIs of a design
document before anything expensive (the schema check, decoding) is done with it.

Everything here is iterative, so no input can exhaust the stack.
"""

from __future__ import annotations

import json
from typing import Any

from scorecard_studio.domain.errors import DesignError

#: Deepest nesting of objects and lists accepted; a design needs about ten levels.
MAX_DEPTH = 64

#: Longest whole number accepted, in digits (a quintillion has 19).
MAX_INT_DIGITS = 18

#: Most KPIs in one design; scoring and checking stay well under a second at this size.
MAX_KPIS = 10_000


def parse_json(text: str | bytes, where: str = "") -> Any:
    """``json.loads`` that refuses deep nesting and huge numbers with a DesignError."""
    try:
        document = json.loads(text, parse_int=_bounded_int, parse_constant=_reject_constant)
    except RecursionError:
        raise DesignError("", _too_deep(where)) from None
    check_depth(document, where)
    return document


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise DesignError(
            "",
            f"a whole number of {len(digits.lstrip('-')):,} digits is too long "
            f"(at most {MAX_INT_DIGITS} digits)",
        )
    return int(digits)


def _reject_constant(name: str) -> float:
    raise DesignError("", f"{name} is not allowed (only finite numbers)")


def _too_deep(where: str) -> str:
    prefix = f"{where}: " if where else ""
    return f"{prefix}nested more than {MAX_DEPTH} levels deep (not a design)"


def check_depth(document: object, where: str = "") -> None:
    """Refuse a parsed document nested deeper than :data:`MAX_DEPTH` (walked iteratively)."""
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise DesignError("", _too_deep(where))
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def count_kpis(document: object) -> int:
    """KPIs in a raw design document (direct and under objectives), before any decoding."""
    if not isinstance(document, dict) or not isinstance(document.get("perspectives"), list):
        return 0
    total = 0
    for perspective in document["perspectives"]:
        if not isinstance(perspective, dict):
            continue
        if isinstance(perspective.get("kpis"), list):
            total += len(perspective["kpis"])
        objectives = perspective.get("objectives")
        for objective in objectives if isinstance(objectives, list) else []:
            if isinstance(objective, dict) and isinstance(objective.get("kpis"), list):
                total += len(objective["kpis"])
    return total


def check_design_size(document: object) -> None:
    """Refuse a design document with more than :data:`MAX_KPIS` KPIs, before decoding it."""
    count = count_kpis(document)
    if count > MAX_KPIS:
        raise DesignError(
            "", f"{count:,} KPIs is more than a scorecard can hold (at most {MAX_KPIS:,})"
        )
