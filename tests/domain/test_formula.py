"""The formula language: parsing, evaluation, references, cycles, and refusals."""

from __future__ import annotations

import math

import pytest

from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.formula import (
    FloatArithmetic,
    evaluate,
    formula_order,
    parse_formula,
    references,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 / 4", 2.5),
        ("-a + b", 1),
        ("a × b ÷ 4", 1.5),
        ("max(a, b, 7) - min(a, 1)", 6),
        ("abs(a - b) * 2", 2),
        ("1.5e2 + .5", 150.5),
        ("- - a", 2),
        ("a / 0", math.nan),
    ],
)
def test_evaluate(text: str, expected: float) -> None:
    value = evaluate(parse_formula(text), {"a": 2.0, "b": 3.0}, FloatArithmetic())
    if math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected)


def test_references() -> None:
    assert references(parse_formula("max(nps, 0) - churn / (arr + 1)")) == {"nps", "churn", "arr"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("1 +", "ends too early"),
        ("a ** 2", "position"),
        ("__import__('os')", "unexpected character"),
        ("exec(a)", "unknown function 'exec'"),
        ("abs(a, b)", "exactly 1 argument"),
        ("min(a)", "at least 2 arguments"),
        ("a; b", "unexpected character ';'"),
    ],
)
def test_refusals_are_precise(text: str, message: str) -> None:
    with pytest.raises(DesignError, match=message):
        parse_formula(text)


def test_formula_order_and_cycles() -> None:
    order, cycles = formula_order({"c": {"b"}, "b": {"a", "x"}, "a": {"x"}})
    assert order == ["a", "b", "c"]
    assert cycles == []
    _, cycles = formula_order({"a": {"b"}, "b": {"a"}, "c": {"c"}})
    assert sorted(map(tuple, cycles)) == [("a", "b", "a"), ("c", "c")]
