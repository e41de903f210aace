"""The first rows of a sheet as a grid, found with the stream's array scans.

Finding the table needs the sheet's first rows as plain values. An XML pull parser gives
them at some tens of microseconds per element, which for a few hundred rows costs more
than streaming a whole small sheet; the cell scan of :mod:`.xlsx_cells` finds the same
cells in one pass over the bytes, and only the values of those rows are made Python
objects. The values are those :func:`.xlsx_head.head_rows` gives (numbers in date styles
stay numbers: the preview only tells text from other kinds), so either can serve; XML the
scan does not take raises :class:`UnsupportedXmlError` and the caller uses that one.
"""

from __future__ import annotations

import zipfile
from xml.parsers import expat

import numpy as np
import pyarrow as pa

from scorecard_studio.engines.importing.columns.cells import (
    ERROR_CODES,
    ExcelError,
    decode_ooxml_escapes,
)
from scorecard_studio.engines.importing.readers.xlsx_stream.xlsx_cells import (
    BOOL,
    ERROR,
    NUMBER,
    SHARED,
    scan_cells,
)
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import (
    Slice,
    UnsupportedXmlError,
    read_digits,
    xml_text,
)

__all__ = ["head_grid"]

#: Bytes inflated at a time while looking for the first rows.
_BLOCK = 64 * 1024
#: Past this much XML for the first rows (very wide rows), the pull parser takes over.
_MAX_HEAD_BYTES = 8 * 1024**2


def _head_bytes(zf: zipfile.ZipFile, part: str, rows: int) -> bytes | None:
    """The sheet data from its first row through its ``rows``-th ``</row>``; None: no data."""
    with zf.open(part) as fh:
        data = b""
        start = -1
        while True:
            block = fh.read(_BLOCK)
            data += block
            if start < 0:
                at = data.find(b"<sheetData")
                if at >= 0:
                    close = data.find(b">", at)
                    if close >= 0:
                        if data[close - 1 : close] == b"/":
                            return None  # <sheetData/>: an empty sheet
                        start = close + 1
            if start >= 0:
                end = data.find(b"</sheetData>", start)
                if end >= 0:
                    return data[start:end]
                cut = _after_nth(data, b"</row>", rows, start)
                if cut >= 0:
                    return data[start:cut]
            if not block:
                raise UnsupportedXmlError("a sheet without its data element")
            if len(data) > _MAX_HEAD_BYTES:
                raise UnsupportedXmlError("very wide first rows")


def _after_nth(data: bytes, needle: bytes, n: int, start: int) -> int:
    """The position just after the ``n``-th ``needle`` from ``start``, or -1."""
    at = start
    for _ in range(n):
        at = data.find(needle, at)
        if at < 0:
            return -1
        at += len(needle)
    return at


def head_grid(
    zf: zipfile.ZipFile, part: str, strings: pa.Array, rows: int
) -> tuple[list[list[object]], int]:
    """The sheet's first ``rows`` rows from its first row element, and that row (0-based).

    As :func:`.xlsx_head.head_rows`: text, numbers, booleans or :class:`ExcelError`,
    ``None`` where a cell holds nothing; the preview spans at most ``rows`` sheet rows.
    """
    data = _head_bytes(zf, part, rows)
    if not data or b"<row" not in data:
        return [], 0
    try:  # well-formed, as the pull parser would insist (one call in C, no Python per tag)
        # without namespace processing: the prefixes of row attributes (x14ac:dyDescent)
        # are declared on the worksheet element, outside these bytes
        expat.ParserCreate().Parse(b"<sheetData>" + data + b"</sheetData>", True)
    except expat.ExpatError:
        raise UnsupportedXmlError("XML the pull parser must judge") from None
    s = Slice.of(data)
    row_tags = s.lt[s.tags(b"row")]
    if len(row_tags) == 0:
        return [], 0
    if not ((s.a[row_tags + 5] == ord("r")) & (s.a[row_tags + 7] == ord('"'))).all():
        raise UnsupportedXmlError("a row without a leading r attribute")
    numbers, _ = read_digits(s.a, row_tags + 8, 7)
    if (numbers == 0).any() or (np.diff(numbers) <= 0).any():
        raise UnsupportedXmlError("rows numbered from 0 or out of order")
    first = int(numbers[0])
    kept_rows = numbers[:rows]
    last = int(kept_rows[kept_rows < first + rows].max())
    cells = scan_cells(s)
    keep = (cells.start >= 0) & (cells.row >= first) & (cells.row <= last)
    idx = np.flatnonzero(keep)
    grid: list[list[object]] = [[] for _ in range(last - first + 1)]
    if len(idx) == 0:
        return grid, first - 1
    kinds = cells.kind[idx]
    # a few hundred rows: each value's bytes sliced here (Arrow's to_pylist costs more)
    values: list[object] = [
        data[at : at + n]
        for at, n in zip(cells.start[idx].tolist(), cells.length[idx].tolist(), strict=True)
    ]
    shared = np.flatnonzero(kinds == SHARED)
    if len(shared):
        index = np.array([_int(values[i]) for i in shared.tolist()], np.int64)
        inside = (index >= 0) & (index < len(strings))
        found = (
            strings.take(pa.array(np.where(inside, index, 0))).to_numpy(zero_copy_only=False)
            if len(strings)
            else []
        )
        for k, i in enumerate(shared.tolist()):
            values[i] = str(found[k]) if inside[k] else ""
    width = int(cells.col[idx].max())
    grid = [[None] * width for _ in range(last - first + 1)]
    for r, c, kind, value in zip(
        (cells.row[idx] - first).tolist(),
        (cells.col[idx] - 1).tolist(),
        kinds.tolist(),
        values,
        strict=True,
    ):
        grid[r][c] = _value(kind, value)
    return grid, first - 1


def _int(raw: object) -> int:
    try:
        return int(raw if isinstance(raw, bytes | str) else "")
    except ValueError:
        return -1


def _text(raw: bytes) -> str:
    """A value's bytes as the XML parser gives its text (line ends, references, escapes)."""
    text = raw.decode("utf-8")
    if b"\r" in raw:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if b"&" in raw:
        text = xml_text(pa.array([text]), raw).to_pylist()[0]
    if b"_x" in raw:
        text = decode_ooxml_escapes(text)
    return text


def _value(kind: int, value: object) -> object:
    if kind == SHARED:
        return value  # already the string
    assert isinstance(value, bytes)
    if kind == NUMBER:
        # The usual number: its ASCII bytes read as they are. Whatever float() refuses
        # here (a reference, an escape, bytes that are not UTF-8) takes the full way below,
        # which gives the same float for everything accepted here.
        try:
            return float(value)
        except ValueError:
            pass
    try:
        text = _text(value)
    except UnicodeDecodeError:
        raise UnsupportedXmlError("text that is not UTF-8") from None
    if kind == NUMBER:
        try:
            return float(text)
        except ValueError:
            return text
    if kind == BOOL:
        return text.strip() == "1"
    if kind == ERROR:
        return ExcelError(text if text in ERROR_CODES else "#VALUE!")
    return text
