"""Plain cell values shared by the reader process and the typing code.

Readers hand over rows of Python values: ``None`` for an empty cell, ``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime``/``time``/``timedelta``, or an
:class:`ExcelError` for an error cell, which must never be confused with an empty one.
"""

from __future__ import annotations

import math
import re
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


#: OOXML writes characters XML cannot hold (and a literal ``_x`` sequence) as ``_xHHHH_``.
OOXML_ESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")


def decode_ooxml_escapes(text: str) -> str:
    """``_x000D_`` and its kind as the characters they stand for, as Excel reads them."""
    if "_x" not in text:
        return text
    return OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
