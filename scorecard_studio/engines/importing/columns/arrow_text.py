"""Whole-column work on Arrow-backed text with Arrow's own kernels.

A million-row import spends most of its time not reading but looking at text: trimming,
"no value" markers, error codes, duplicate keys. Done through pandas' string methods each
step is a pass over every cell, several per column. Here each question is one Arrow
kernel over the column's buffers: trim once, then one hash lookup answers "is this a
marker or an error code" for every cell (markers in every mix of case are in the lookup
set, so no lower-cased copy is made). And a key column that is strictly increasing, as
most exports sorted by id are, is proved free of duplicates by one comparison pass instead
of a hash table of every key.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scorecard_studio.engines.importing.columns.cells import ERROR_CODES

BoolArray = npt.NDArray[np.bool_]


@functools.cache
def _lookup(markers: frozenset[str]) -> tuple[str, ...]:
    """Every spelling to look up: the markers in every mix of case, and the error codes."""
    spellings = set(ERROR_CODES).union(*(_case_variants(m) for m in markers))
    return tuple(sorted(spellings))


def _case_variants(word: str) -> set[str]:
    """Every upper/lower mix of ``word`` ("n/a" → n/a, N/a, n/A, N/A)."""
    options = [(c.lower(), c.upper()) if c.isalpha() else (c,) for c in word]
    return {"".join(p) for p in itertools.product(*options)}


@dataclass(frozen=True, slots=True)
class TextCells:
    """A text column trimmed, with what its cells turned out to be.

    ``text``: trimmed values (missing where the source was missing); ``marker``: a "no
    value" marker; ``blank``: empty or only spaces; ``error``: an Excel error code;
    ``valid``: not missing in the source. The masks count source cells, so ``marker`` and
    ``blank`` never overlap and neither includes missing cells.
    """

    text: pd.Series
    marker: BoolArray
    blank: BoolArray
    error: BoolArray
    valid: BoolArray


def _as_arrow(series: pd.Series) -> pa.ChunkedArray | None:
    if not isinstance(series.array, pd.arrays.ArrowStringArray):
        return None
    arr = pa.chunked_array(series.array.__arrow_array__())
    return arr if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) else None


def text_cells(series: pd.Series, markers: frozenset[str]) -> TextCells | None:
    """Trim an Arrow text column and find its markers, blanks and error codes.

    ``markers`` are compared without regard to case, error codes exactly. None when the
    column is not Arrow text (the caller then uses its general path).
    """
    arr = _as_arrow(series)
    if arr is None:
        return None
    trimmed = pc.utf8_trim_whitespace(arr)
    n = len(arr)
    valid = _bools(arr.is_valid()) if arr.null_count else np.ones(n, dtype=bool)
    marker = np.zeros(n, dtype=bool)
    error = np.zeros(n, dtype=bool)
    blank_arrow = pc.equal(pc.binary_length(trimmed), 0)  # missing cells stay missing
    blank = _bools(blank_arrow) if pc.any(blank_arrow).as_py() else np.zeros(n, dtype=bool)
    hit_arrow = pc.is_in(trimmed, value_set=pa.array(_lookup(markers), type=arr.type))
    if pc.any(hit_arrow).as_py():  # rare: most columns hold neither
        rows = np.flatnonzero(_bools(hit_arrow))
        found = pc.take(trimmed, pa.array(rows)).to_pylist()
        # "#N/A" is both; as in the general path it counts as a marker
        is_error = np.array(
            [v in ERROR_CODES and v.lower() not in markers for v in found], dtype=bool
        )
        error[rows[is_error]] = True
        marker[rows[~is_error]] = True
    text = pd.Series(pd.arrays.ArrowStringArray(trimmed, dtype=series.dtype))  # type: ignore[call-arg]
    return TextCells(text, marker, blank, error, valid)


def _bools(values: pa.ChunkedArray | pa.Array) -> BoolArray:
    """A boolean Arrow result as numpy (missing as False)."""
    filled = pc.fill_null(values, False)
    out: BoolArray = np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)
    return out


def strictly_increasing(frame: pd.DataFrame, subset: list[str]) -> bool:
    """Whether the rows are in strictly increasing order of ``subset`` (no missing values).

    Such rows cannot repeat a combination: one comparison of each row with the next proves
    what a hash table of every key would. False whenever it cannot tell (missing values,
    columns that do not compare, any step that is not an increase).
    """
    if len(frame) < 2 or not subset:
        return len(frame) < 2
    before_equal = np.ones(len(frame) - 1, dtype=bool)  # equal on the columns so far
    increasing = np.zeros(len(frame) - 1, dtype=bool)
    for name in subset:
        pair = _steps(frame[name])
        if pair is None:
            return False
        less, equal = pair
        increasing |= before_equal & less
        before_equal &= equal
    return bool(increasing.all())


def _steps(values: pd.Series) -> tuple[BoolArray, BoolArray] | None:
    """For each row and the next: (row < next, row == next); None if it cannot compare."""
    if values.isna().any():
        return None
    arr = _as_arrow(values)
    if arr is not None:
        head, tail = arr.slice(0, len(arr) - 1), arr.slice(1)
        return _bools(pc.less(head, tail)), _bools(pc.equal(head, tail))
    kind = values.dtype.kind if isinstance(values.dtype, np.dtype) else ""
    if kind not in "iufM":
        return None
    data = values.to_numpy()
    return data[:-1] < data[1:], data[:-1] == data[1:]
