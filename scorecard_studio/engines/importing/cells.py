"""Plain cell values shared by the reader process and the typing code.

Readers hand over rows of Python values: ``None`` for an empty cell, ``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime``/``time``/``timedelta``, or an
:class:`ExcelError` for an error cell, which must never be confused with an empty one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Excel's error values, as they appear in cells and in text exports.
ERROR_CODES = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#BUSY!",
        "#CONNECT!",
        "#N/A!",
    }
)


@dataclass(frozen=True, slots=True)
class ExcelError:
    """An error cell such as ``#N/A`` or ``#DIV/0!``: missing, with a finding."""

    code: str

    def __str__(self) -> str:
        return self.code


def column_letter(index: int) -> str:
    """0 → ``"A"``, 26 → ``"AA"``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def is_blank(value: object) -> bool:
    """Empty, or text made only of spaces (a blank typed as a space is still a blank)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)
