"""Where the bundled resources (templates, sample scorecard, icons, schema) are found.

From a source tree they sit in ``resources/`` beside the package; in a wheel or a frozen
bundle they are shipped inside the package as ``_resources``. Callers never care which.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The folder holding templates/, sample/, icons/ and design.schema.json."""
    package = Path(__file__).resolve().parent
    candidates = [package / "_resources", package.parent / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
