"""The axes of the preview charts: named slots, scores, values in a KPI's units, shares.

Kept apart from the chart base so that what an axis writes (labels thinned to fit, ticks
never in scientific notation, the KPI's unit on a value axis) can be read on its own.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from scorecard_studio.domain.units import PLAIN, Unit
from scorecard_studio.qt.number_format import fmt_ticks


class LabelAxis(pg.AxisItem):  # type: ignore[misc]
    """An axis of named slots at 0, 1, 2, …: thins its labels to fit, never overlaps them.

    Used for KPI names (a thousand of them on a scrollable axis), perspectives, tiers and
    periods. Only the labels in the visible range are drawn.
    """

    def __init__(
        self, orientation: str, spacing_px: float = 16.0, every: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(orientation, **kwargs)
        self._labels: list[str] = []
        self._spacing_px = spacing_px
        #: Label every slot, each elided to its slot's width, rather than thinning them:
        #: for a few categories (perspectives, tiers), where a missing one reads as absent.
        self.every = every
        self._slot_px = 0.0

    @property
    def labels(self) -> tuple[str, ...]:
        """The names of the slots, as drawn (before thinning)."""
        return tuple(self._labels)

    def set_labels(self, labels: list[str], spacing_px: float | None = None) -> None:
        if spacing_px is not None:
            self._spacing_px = spacing_px
        if labels != self._labels:
            self._labels = labels
            self.picture = None
            self.update()

    def tickValues(self, min_val: float, max_val: float, size: float) -> list[Any]:
        n = len(self._labels)
        if n == 0 or size <= 0:
            return []
        lo_v, hi_v = min(min_val, max_val), max(min_val, max_val)  # inverted axes
        lo, hi = max(0, math.ceil(lo_v)), min(n - 1, math.floor(hi_v))
        if hi < lo:
            return []
        per_slot = size / max(hi_v - lo_v, 1e-9)
        self._slot_px = per_slot
        step = 1 if self.every else max(1, math.ceil(self._spacing_px / per_slot))
        first = lo + (-lo % step)
        return [(float(step), [float(v) for v in range(first, hi + 1, step)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        metrics = QFontMetrics(self.style.get("tickFont") or QFont())
        room = max(int(self._slot_px) - 6, 12)
        for v in values:
            i = round(v)
            text = self._labels[i] if 0 <= i < len(self._labels) else ""
            if self.every and self.orientation in ("bottom", "top"):
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            out.append(text)
        return out


class ScoreAxis(pg.AxisItem):  # type: ignore[misc]
    """Scores on their own 0–1 scale, as the results matrix shows them."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{v:.1f}" if spacing >= 0.1 else f"{v:.2f}" for v in values]


class ValueAxis(pg.AxisItem):  # type: ignore[misc]
    """Values in a KPI's units: grouped digits or a million suffix, never 6e+07; a rate's
    fractions as percent ("6%"), a currency with its symbol."""

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self.unit = PLAIN

    def set_unit(self, unit: Unit) -> None:
        if unit != self.unit:
            self.unit = unit
            self.picture = None
            self.update()

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return fmt_ticks([v * scale for v in values], spacing * scale, self.unit)


class PercentAxis(pg.AxisItem):  # type: ignore[misc]
    """Shares of the headline as percentages."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{v:.0%}" if spacing >= 0.01 else f"{v:.1%}" for v in values]
