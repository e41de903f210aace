"""Colours for the preview charts, safe for colour-blind viewers, in light and dark.

Tiers take Okabe–Ito hues (distinguishable under the common colour-vision deficiencies);
"All customers" is neutral, because it is a summary rather than a segment. RAG statuses use
bluish green, yellow and vermillion, which differ in hue *and* lightness for deuteranopes
and protanopes, and every chart also marks status by shape (circle, triangle, square,
cross), so no status is carried by colour alone. "No data" is neutral grey, never a red.

This module is plain Python and numpy so the mapping from scores to colours can be tested
without a display.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.model import STATUS_BY_CODE
from scorecard_studio.domain.model import STATUS_MARKS as MARKS_BY_STATUS

#: Status codes as the engine stores them: 0 no data, 1 red, 2 amber, 3 green, and 4 for a
#: roll-up whose score stands on too little of its weight to earn a colour.
NO_DATA, RED, AMBER, GREEN, INSUFFICIENT = 0, 1, 2, 3, 4

#: pyqtgraph symbol per status: shape carries the status as well as colour does.
STATUS_SYMBOLS = {NO_DATA: "x", RED: "s", AMBER: "t1", GREEN: "o", INSUFFICIENT: "d"}
#: The same shapes as text, matching the results matrix.
STATUS_MARKS = {code: MARKS_BY_STATUS[status] for code, status in enumerate(STATUS_BY_CODE)}
STATUS_NAMES = {
    NO_DATA: "no data",
    RED: "red",
    AMBER: "amber",
    GREEN: "green",
    INSUFFICIENT: "insufficient data",
}

LutArray = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Palette:
    """Every colour a chart needs, as ``#rrggbb`` strings."""

    dark: bool
    background: str
    foreground: str
    muted: str
    grid: str
    highlight: str
    tiers: tuple[str, ...]
    all_customers: str
    status: tuple[str, str, str, str, str]  # by status code
    band: tuple[str, str, str, str, str]  # bullet background bands, by status code
    no_data_fill: str
    heat_stops: tuple[str, str, str, str]  # score 0, amber, green, cap

    def tier_colour(self, row: int, n_real_tiers: int) -> str:
        """Colour of a tier row; the last row ("all customers") is neutral."""
        if row >= n_real_tiers:
            return self.all_customers
        return self.tiers[row % len(self.tiers)]


LIGHT = Palette(
    dark=False,
    background="#ffffff",
    foreground="#202124",
    muted="#5f6368",
    grid="#dadce0",
    highlight="#000000",
    tiers=("#0072b2", "#e69f00", "#56b4e9", "#cc79a7", "#009e73", "#d55e00", "#f0e442"),
    all_customers="#4d4d4d",
    status=("#9e9e9e", "#d55e00", "#e6c300", "#009e73", "#9e9e9e"),
    band=("#eeeeee", "#f6c7a8", "#fbf0b0", "#b3e0d2", "#eeeeee"),
    no_data_fill="#d9d9d9",
    heat_stops=("#d55e00", "#f0e442", "#009e73", "#00664a"),
)

DARK = Palette(
    dark=True,
    background="#202124",
    foreground="#e8eaed",
    muted="#9aa0a6",
    grid="#3c4043",
    highlight="#ffffff",
    tiers=("#56a8e6", "#e69f00", "#8fd3f7", "#e08fbf", "#2fc497", "#ff8a3d", "#f0e442"),
    all_customers="#bdbdbd",
    status=("#8a8a8a", "#ff7a29", "#f0e442", "#2fc497", "#8a8a8a"),
    band=("#33363a", "#6b3a1f", "#5e5722", "#1d5545", "#33363a"),
    no_data_fill="#4a4a4a",
    heat_stops=("#c85200", "#d9cc3a", "#16a07a", "#0d6b52"),
)


def palette(dark: bool) -> Palette:
    return DARK if dark else LIGHT


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` -> (r, g, b)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def heat_lut(pal: Palette, amber: float, green: float, cap: float, size: int = 256) -> LutArray:
    """A (size, 4) RGBA table over scores 0..cap, with the colour turning at the thresholds.

    Anchoring the stops at the scorecard's own amber and green thresholds keeps the heat
    map in step with the RAG statuses a reader sees elsewhere.
    """
    top = max(cap, green, 1e-9)
    xs = np.maximum.accumulate(np.array([0.0, min(amber, top), min(green, top), top]))
    stops = np.array([rgb(c) for c in pal.heat_stops], dtype=np.float64)
    if top <= green:  # no room above green: the deepest stop is never reached
        xs, stops = xs[:3], stops[:3]
    grid = np.linspace(0.0, top, size)
    lut = np.empty((size, 4), dtype=np.uint8)
    for channel in range(3):
        lut[:, channel] = np.round(np.interp(grid, xs, stops[:, channel])).astype(np.uint8)
    lut[:, 3] = 255
    return lut


def heat_rgba(
    score: npt.NDArray[np.float64],
    no_data: npt.NDArray[np.bool_],
    pal: Palette,
    amber: float,
    green: float,
    cap: float,
) -> LutArray:
    """Scores (rows, cols) -> RGBA (rows, cols, 4); cells without a score are neutral grey."""
    lut = heat_lut(pal, amber, green, cap)
    top = max(cap, green, 1e-9)
    filled = np.nan_to_num(score, nan=0.0)
    index = np.clip(np.round(filled / top * (len(lut) - 1)), 0, len(lut) - 1).astype(np.intp)
    out = lut[index]
    out[no_data] = (*rgb(pal.no_data_fill), 255)
    return out
