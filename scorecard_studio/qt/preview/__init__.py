"""Live preview charts of the scorecard and the what-if scenario controls.

``PreviewPanel`` (the charts, with the what-if controls beside them) and ``WhatIfPanel``
load on first use: the module that defines them imports only Qt, and the charts bring
pyqtgraph when the first result arrives, so the window starts without either.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scorecard_studio.qt.preview.panel import PreviewPanel
    from scorecard_studio.qt.preview.state import PreviewState
    from scorecard_studio.qt.preview.whatif import WhatIfPanel

_EXPORTS = {
    "PreviewPanel": ".panel",
    "PreviewState": ".state",
    "WhatIfPanel": ".whatif",
}

__all__ = ["PreviewPanel", "PreviewState", "WhatIfPanel"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
