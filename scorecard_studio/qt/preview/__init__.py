"""Live preview charts of the scorecard and the what-if scenario controls.

The public classes load on first use: the charts bring pyqtgraph, which the window does
not need before a scorecard with data is open.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
