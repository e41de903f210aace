"""Numbers on screen: grouped digits, never scientific notation for business values."""

from __future__ import annotations

import math

import pytest

from scorecard_studio.domain.units import PLAIN, Unit, UnitKind
from scorecard_studio.qt.number_format import fmt_number, fmt_ticks


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (55_000_000.0, "55,000,000"),
        (55_000_000.4, "55,000,000"),
        (12_345.67, "12,345.7"),
        (999_999.5, "1,000,000"),
        (0.35, "0.35"),
        (0.1 + 0.2, "0.3"),
        (100.0, "100"),
        (-2.25, "-2.25"),
        (0.0, "0"),
        (1.2345e-05, "1.2345e-05"),
        (math.nan, "—"),
    ],
)
def test_fmt_number(value: float, text: str) -> None:
    assert fmt_number(value) == text


def test_fmt_number_fewer_digits() -> None:
    assert fmt_number(1234.5678, 4) == "1,235"
    assert fmt_number(60_123_456.0, 4) == "60,123,456"  # whole digits are never dropped


def test_fmt_ticks_scale_and_decimals() -> None:
    assert fmt_ticks([56e6, 58e6, 60e6], 2e6) == ["56M", "58M", "60M"]
    assert fmt_ticks([56.5e6, 57e6], 5e5) == ["56.5M", "57.0M"]
    assert fmt_ticks([-2e6, 0.0, 2e6], 2e6) == ["-2M", "0", "2M"]
    assert fmt_ticks([10_000.0, 20_000.0], 10_000) == ["10,000", "20,000"]
    assert fmt_ticks([0.5, 1.0, 1.5], 0.5) == ["0.5", "1.0", "1.5"]
    assert fmt_ticks([2e9, 4e9], 2e9) == ["2B", "4B"]
    assert fmt_ticks([], 1.0) == []


def test_fmt_ticks_in_a_kpis_unit() -> None:
    percent = Unit(UnitKind.PERCENT, "%")
    assert fmt_ticks([0.0, 0.05, 0.1], 0.05, percent) == ["0%", "5%", "10%"]
    assert fmt_ticks([0.025, 0.03], 0.005, percent) == ["2.5%", "3.0%"]
    dollars = Unit(UnitKind.CURRENCY, "$")
    assert fmt_ticks([-2e6, 0.0, 2e6], 2e6, dollars) == ["−$2M", "$0", "$2M"]
    assert fmt_ticks([1.0, 2.0], 1.0, PLAIN) == ["1", "2"]
