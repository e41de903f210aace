"""The cells of one slice of sheet XML: reference, kind, style and where the value lies.

Everything is computed for all cells of the slice at once (see :mod:`.xml_scan`). The
value text itself stays in the slice; :mod:`.stream_columns` turns it into typed arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import (
    GT,
    QUOTE,
    SLASH,
    SPACE,
    Slice,
    UnsupportedXmlError,
    attribute_values,
    read_digits,
)

__all__ = ["BOOL", "DATE", "ERROR", "NUMBER", "SHARED", "TEXT", "Cells", "scan_cells", "text_spans"]

#: Largest row and column numbers of a worksheet.
MAX_ROW, MAX_COL = 1_048_576, 16_384

#: Kinds of value a cell holds (numbers become DATE once styles are known).
NUMBER, DATE, SHARED, TEXT, BOOL, ERROR = range(6)
_KIND_CODES = {
    ord("n"): NUMBER,
    ord("s"): SHARED,
    ord("S"): TEXT,  # t="str", a formula's text result
    ord("i"): TEXT,  # t="inlineStr"
    ord("d"): TEXT,  # t="d", an ISO 8601 date as text
    ord("b"): BOOL,
    ord("e"): ERROR,
}
_KIND_LOOKUP = np.full(256, -1, np.int8)
for _byte, _cls in _KIND_CODES.items():
    _KIND_LOOKUP[_byte] = _cls
_PRESERVE = np.frombuffer(b't xml:space="preserve">', np.uint8)


def text_spans(s: Slice, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ``<t>`` text span outside phonetic runs: its owner index, start and length."""
    a, lt, n1, n2 = s.a, s.lt, s.n1, s.n2
    ti = np.flatnonzero(n1 == ord("t"))
    plain = n2[ti] == GT
    empty = n2[ti] == SLASH
    preserve = ~plain & ~empty
    if preserve.any():
        window = a[lt[ti[preserve]][:, None] + np.arange(1, 1 + len(_PRESERVE))]
        if not (window == _PRESERVE).all():
            raise UnsupportedXmlError("a text element with unexpected attributes")
    ti = ti[~empty]
    plain = plain[~empty]
    if len(ti) and ti[-1] + 1 >= len(lt):
        raise UnsupportedXmlError("a text element cut short")
    start = lt[ti] + np.where(plain, 3, 1 + len(_PRESERVE))
    close = ti + 1
    if not ((n1[close] == SLASH) & (n2[close] == ord("t"))).all():
        raise UnsupportedXmlError("markup inside a text element")
    length = lt[close] - start
    phonetic_open = lt[s.tags(b"rPh")]
    if len(phonetic_open):
        phonetic_close = lt[s.ends(b"rPh")]
        inside = np.searchsorted(phonetic_open, start) - np.searchsorted(phonetic_close, start)
        keep = inside == 0
        start, length = start[keep], length[keep]
    owner = np.searchsorted(owners, start, side="right") - 1
    if (owner < 0).any():
        raise UnsupportedXmlError("text outside an item")
    return owner, start, length


@dataclass(slots=True)
class Cells:
    """The cells of one slice: position, kind, style and where the value's text lies."""

    row: np.ndarray  # 1-based
    col: np.ndarray  # 1-based
    kind: np.ndarray  # one of NUMBER … ERROR (numbers not yet split into dates)
    style: np.ndarray
    start: np.ndarray  # -1: no value
    length: np.ndarray


def scan_cells(s: Slice) -> Cells:
    a, lt, n1, n2 = s.a, s.lt, s.n1, s.n2
    is_c = n1 == ord("c")
    if (is_c & (n2 != SPACE) & (n2 != ord("o")) & (n2 != ord("h"))).any():
        raise UnsupportedXmlError("a cell tag without attributes")
    if s.has(ord("r"), b"> P"):
        raise UnsupportedXmlError("rich text inside a cell")
    ci = np.flatnonzero(is_c & (n2 == SPACE))
    cells = lt[ci]
    n = len(cells)
    if n and ci[-1] + 1 >= len(lt):
        raise UnsupportedXmlError("a cell cut short")
    p = cells + 6
    if not ((a[cells + 3] == ord("r")) & (a[cells + 4] == ord("=")) & (a[p - 1] == QUOTE)).all():
        raise UnsupportedXmlError("a cell whose first attribute is not its reference")
    row, digits_at, ref_end = _rows(s, cells, p)
    col = _columns(a, p, digits_at)
    kind, style = _types_and_styles(s, cells, ref_end + 1, ci)
    start, length = _values(s, cells)
    return Cells(row, col, kind, style, start, length)


def _rows(s: Slice, cells: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each cell's row (from its ``<row r="…">``), where its row digits start and end."""
    a = s.a
    rows_at = s.lt[s.tags(b"row")]
    if (
        len(rows_at) == 0
        or not (
            (a[rows_at + 5] == ord("r")) & (a[rows_at + 6] == ord("=")) & (a[rows_at + 7] == QUOTE)
        ).all()
    ):
        raise UnsupportedXmlError("a row without a leading r attribute")
    number, digits = read_digits(a, rows_at + 8, 7)
    if (digits == 0).any():
        raise UnsupportedXmlError("a row number that is not a number")
    which = np.searchsorted(rows_at, cells, side="right") - 1
    if (which < 0).any():
        raise UnsupportedXmlError("a cell outside a row")
    row = number[which]
    n_digits = digits[which]
    upper = (a[p + 1] >= 65) & (a[p + 1] <= 90)
    upper3 = upper & (a[p + 2] >= 65) & (a[p + 2] <= 90)
    digits_at = p + 1 + upper + upper3
    ref_end = digits_at + n_digits
    # the reference's row must be its row element's: same first digit, same length
    if (
        (a[ref_end] != QUOTE).any()
        or (a[digits_at] != a[rows_at[which] + 8]).any()
        or (a[ref_end - 1] != a[rows_at[which] + 7 + n_digits]).any()
    ):
        raise UnsupportedXmlError("a cell reference that does not match its row")
    return row, digits_at, ref_end


def _columns(a: np.ndarray, p: np.ndarray, digits_at: np.ndarray) -> np.ndarray:
    """1-based column numbers from the letters of each reference."""
    n_letters = digits_at - p
    if not ((a[p] >= 65) & (a[p] <= 90)).all():
        raise UnsupportedXmlError("a cell reference without a column")
    col = a[p].astype(np.int64) - 64
    two = n_letters >= 2
    col = np.where(two, col * 26 + a[p + 1] - 64, col)
    out: np.ndarray = np.where(n_letters == 3, col * 26 + a[p + 2] - 64, col)
    return out


def _attribute_at(a: np.ndarray, pos: np.ndarray, name: str) -> np.ndarray:
    """Which positions hold `` name="`` (a one-letter attribute), as indices into ``pos``."""
    hit = (a[pos] == SPACE) & (a[pos + 1] == ord(name)) & (a[pos + 2] == ord("="))
    out: np.ndarray = np.flatnonzero(hit & (a[pos + 3] == QUOTE))
    return out


def _types_and_styles(
    s: Slice, cells: np.ndarray, after_ref: np.ndarray, ci: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's kind (from ``t``) and style number (from ``s``).

    Spreadsheet writers put ``s`` then ``t`` right after the reference; that order is read
    at fixed offsets. A slice whose cells carry anything else is read attribute by
    attribute instead.
    """
    a = s.a
    n = len(cells)
    kind = np.full(n, ord("n"), np.uint8)
    style = np.zeros(n, np.int64)
    pos = after_ref.copy()
    idx = _attribute_at(a, pos, "s")
    if len(idx):
        number, digits = read_digits(a, pos[idx] + 4, 6)
        if (digits == 0).any() or (a[pos[idx] + 4 + digits] != QUOTE).any():
            raise UnsupportedXmlError("a cell style that is not a number")
        style[idx] = number
        pos[idx] += 5 + digits
    idx = _attribute_at(a, pos, "t")
    if len(idx):
        first, second = a[pos[idx] + 4], a[pos[idx] + 5]
        code = np.where((first == ord("s")) & (second == ord("t")), ord("S"), first)
        kind[idx] = code
        width = np.select([code == ord("S"), code == ord("i")], [3, 9], default=1)
        pos[idx] += 5 + width
    ends = a[pos]
    if not ((ends == GT) | ((ends == SLASH) & (a[pos + 1] == GT))).all():
        owner, at = attribute_values(s, b"t", cells, s.lt[ci + 1])
        first, second = a[at], a[at + 1]
        kind[:] = ord("n")
        kind[owner] = np.where((first == ord("s")) & (second == ord("t")), ord("S"), first)
        owner, at = attribute_values(s, b"s", cells, s.lt[ci + 1])
        number, digits = read_digits(a, at, 6)
        if (digits == 0).any():
            raise UnsupportedXmlError("a cell style that is not a number")
        style[:] = 0
        style[owner] = number
    classes = _KIND_LOOKUP[kind]
    if (classes < 0).any():
        raise UnsupportedXmlError("a cell type this reader does not know")
    return classes, style


def _values(s: Slice, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each cell's value text starts (-1: none) and its length in bytes."""
    lt, n1, n2 = s.lt, s.n1, s.n2
    n = len(cells)
    start = np.full(n, -1, np.int64)
    length = np.zeros(n, np.int64)
    v_like = n1 == ord("v")
    vi = np.flatnonzero(v_like & (n2 == GT))
    if len(vi) != int(v_like.sum()):
        raise UnsupportedXmlError("a value element with attributes")
    if len(vi):
        if vi[-1] + 1 >= len(lt) or not ((n1[vi + 1] == SLASH) & (n2[vi + 1] == ord("v"))).all():
            raise UnsupportedXmlError("markup inside a value")
        v_start = lt[vi] + 3
        if len(vi) == n and (cells < v_start).all() and (v_start[:-1] < cells[1:]).all():
            v_owner = np.arange(n)  # every cell has a value: the usual case
        else:
            v_owner = np.searchsorted(cells, v_start, side="right") - 1
            if (v_owner < 0).any() or (np.diff(v_owner) <= 0).any():
                raise UnsupportedXmlError("a value outside a cell, or two in one")
        start[v_owner] = v_start
        length[v_owner] = lt[vi + 1] - v_start
    if s.has(ord("i"), b"s"):
        t_owner, t_start, t_length = text_spans(s, cells)
        if (np.diff(t_owner) <= 0).any() or (start[t_owner] >= 0).any():
            raise UnsupportedXmlError("an inline string in several pieces")
        start[t_owner] = t_start
        length[t_owner] = t_length
    return start, length
