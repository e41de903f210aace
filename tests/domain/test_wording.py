"""Counts agree with their nouns."""

from __future__ import annotations

from scorecard_studio.domain.wording import count, count_has


def test_count() -> None:
    assert count(1, "row") == "1 row"
    assert count(0, "row") == "0 rows"
    assert count(12_500, "row") == "12,500 rows"
    assert count(2, "entry", "entries") == "2 entries"
    assert count_has(1, "row") == "1 row has"
    assert count_has(3, "row") == "3 rows have"
