"""Counts in words: "1 row", "2 rows", "1 row has", "3 rows have" — never "1 rows"."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the form that agrees with it, digits grouped."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def count_has(n: int, noun: str, plural: str | None = None) -> str:
    """``count`` with "has" or "have" after it."""
    return f"{count(n, noun, plural)} {'has' if n == 1 else 'have'}"
