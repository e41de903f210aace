"""Typed column segments: the values of one slice's cells as Arrow arrays, then columns.

Each slice gives every output column one segment covering the same rows, typed by the
kinds of cell it holds; :func:`finish` joins a column's segments once the whole sheet is
read and its type is known (a column mixing kinds becomes text, each value written out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scorecard_studio.engines.importing.columns.cells import ERROR_CODES
from scorecard_studio.engines.importing.readers.xlsx_stream.xlsx_cells import (
    BOOL,
    DATE,
    ERROR,
    NUMBER,
    SHARED,
    TEXT,
)
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import (
    UnsupportedXmlError,
    ooxml_unescape,
    utf8_strings,
    xml_text,
)

__all__ = ["MIXED", "Column", "finish", "segment"]

_MS_PER_DAY = 86_400_000
#: The class of a segment or column that holds several kinds of value (kept as text).
MIXED = 99


@dataclass(slots=True)
class Column:
    """One output column: a typed segment per slice, and the classes of value seen."""

    segments: list[tuple[int, int, int, pa.Array | None]] = field(default_factory=list)
    classes: set[int] = field(default_factory=set)


def dense(length: int, where: np.ndarray, values: pa.Array) -> pa.Array:
    """``values`` placed at rows ``where`` of a column of ``length`` rows, nulls elsewhere."""
    if len(where) == length and (where[1:] > where[:-1]).all():
        return values  # every row filled, in order
    index = np.full(length, -1, np.int64)
    index[where] = np.arange(len(where))
    return values.take(pa.array(index, mask=index < 0))


def _as_text(cls: int, values: pa.Array, date1904: bool) -> pa.Array:
    """A segment's values written out as text, for a column that mixes kinds."""
    if cls == NUMBER:
        return pc.cast(values, pa.string())
    if cls == DATE:
        stamps = _serial_to_timestamp(values, date1904)
        ms = stamps.cast(pa.int64()).to_numpy(zero_copy_only=False)
        midnight = pa.array(np.mod(ms, _MS_PER_DAY) == 0)
        return pc.if_else(
            midnight,
            pc.strftime(stamps, format="%Y-%m-%d"),
            pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%S"),
        )
    if cls == BOOL:
        return pc.if_else(values, "True", "False")  # as the grid reader's typing writes them
    return values


def _serial_to_timestamp(serials: pa.Array, date1904: bool) -> pa.Array:
    """Excel day numbers as millisecond timestamps (the 1900 system's leap-day quirk kept)."""
    days = serials.to_numpy(zero_copy_only=False)
    # Excel counts a 29 February 1900 that never was: 1900-system days before March shift
    shifted = days + 1462 - 25569 if date1904 else np.where(days < 61, days + 1, days) - 25569
    ms = np.round(shifted * _MS_PER_DAY)
    valid = ~np.isnan(ms)
    out = np.where(valid, ms, 0).astype(np.int64)
    return pa.array(out, pa.timestamp("ms"), mask=~valid)


def _empty_as_null(text: pa.Array) -> pa.Array:
    """An empty string is an empty cell, as the grid reader reads it."""
    return pc.if_else(pc.equal(pc.binary_length(text), 0), None, text)


def segment(
    parts: list[tuple[int, pa.Array, np.ndarray]],
    length: int,
    strings: pa.Array,
    date1904: bool,
    errors: list[tuple[int, int, str]],
    seg_start: int,
    j: int,
    raw: bytes,
) -> tuple[int, pa.Array] | None:
    """One column's cells of one slice, as (kind, values, rows) groups, as ``length`` rows."""
    typed: list[tuple[int, pa.Array, np.ndarray]] = []
    for cls, text, rows in parts:
        try:
            if cls == ERROR:
                codes = utf8_strings(text).to_pylist()
                for r, code in zip((rows + seg_start).tolist(), codes, strict=True):
                    errors.append((r, j, code if code in ERROR_CODES else "#VALUE!"))
                continue
            if cls in (NUMBER, DATE):
                values = pc.cast(text, pa.float64())
                if cls == DATE and pc.min(values).as_py() < 1:
                    raise UnsupportedXmlError("a date-formatted number before 1900")
            elif cls == SHARED:
                index = pc.cast(text, pa.int64())
                if pc.min(index).as_py() < 0 or pc.max(index).as_py() >= len(strings):
                    raise UnsupportedXmlError("a shared-string index out of range")
                values = strings.take(index)
            elif cls == BOOL:
                values = pc.is_in(utf8_strings(text), pa.array(["1", "true"]))
            else:
                values = ooxml_unescape(xml_text(utf8_strings(text), raw))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise UnsupportedXmlError("a value that is not of its cell's type") from None
        typed.append((cls, values, rows))
    if not typed:
        return None
    if len(typed) == 1:
        cls, values, rows = typed[0]
        if cls == SHARED:
            cls = TEXT
        if cls == TEXT:
            values = _empty_as_null(values)
        return cls, dense(length, rows, values)
    merged = pa.concat_arrays(
        [_as_text(cls, values, date1904).cast(pa.string()) for cls, values, _ in typed]
    )
    merged = _empty_as_null(merged)
    rows = np.concatenate([r for _, _, r in typed])
    return MIXED, dense(length, rows, merged)


def finish(column: Column, date1904: bool) -> pa.ChunkedArray:
    """A column's segments joined, each converted to the one type the column takes."""
    classes = {TEXT if c == SHARED else c for c in column.classes}
    if not classes:
        total = column.segments[-1][1] if column.segments else 0
        return pa.chunked_array([pa.nulls(total)], pa.null())
    kind = classes.pop() if len(classes) == 1 else MIXED
    target = {
        NUMBER: pa.float64(),
        DATE: pa.timestamp("ms"),
        BOOL: pa.bool_(),
    }.get(kind, pa.string())
    chunks: list[pa.Array] = []
    for start, end, cls, values in column.segments:
        if values is None:
            chunks.append(pa.nulls(end - start, target))
            continue
        out = values
        if kind == DATE:
            out = _serial_to_timestamp(values, date1904)
        elif kind == MIXED and cls in (NUMBER, DATE, BOOL):
            out = _as_text(cls, values, date1904)
        chunks.append(out.cast(target) if out.type != target else out)
    return pa.chunked_array(chunks, target)
