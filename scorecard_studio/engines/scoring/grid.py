"""The grid every actual is laid out on, and the actual itself.

Results are arrays of shape ``(n_tiers + 1, n_periods)``; the last row is "all customers",
which also counts rows whose tier is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.findings import Finding
from scorecard_studio.domain.periods import Calendar

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(slots=True)
class Grid:
    """The (tier, period) grid results are laid out on."""

    n_tiers: int
    first_period: int
    n_periods: int
    calendar: Calendar
    timezone: str = "UTC"

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_tiers + 1, self.n_periods)


@dataclass(slots=True)
class Actual:
    """A KPI's actual per (tier, period) and the number of values behind it."""

    value: FloatArray
    sample: FloatArray
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class Codes:
    by_tier: IntArray  # group per row: slot * n_periods + period (slot n_tiers = unassigned)
    by_period: IntArray  # period index per row
    in_range: npt.NDArray[np.bool_]
