"""Arrow-kernel text checks agree with the per-cell rules they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard_studio.engines.importing.columns.arrow_text import strictly_increasing, text_cells
from scorecard_studio.engines.importing.columns.column_types import NULL_MARKERS, type_column

CELLS = ["a", "", None, " b", "b ", "#N/A", "NULL", "North", "n/a", "—", "Café", " ok ", "  "]


def test_text_cells_classifies_every_cell() -> None:
    series = pd.Series([*CELLS, "#DIV/0!", "Nan", "-"], dtype="str")
    cells = text_cells(series, NULL_MARKERS)
    assert cells is not None
    text = [None if isinstance(v, float) else v for v in cells.text.tolist()]
    assert text[:4] == ["a", "", None, "b"]
    assert text[11] == "ok"
    # by hand: markers NULL, n/a, —, Nan, - and #N/A (a marker before an error code)
    assert np.flatnonzero(cells.marker).tolist() == [5, 6, 8, 9, 14, 15]
    assert np.flatnonzero(cells.error).tolist() == [13]
    assert np.flatnonzero(cells.blank).tolist() == [1, 12]
    assert np.flatnonzero(~cells.valid).tolist() == [2]


def test_text_cells_leaves_other_columns_to_the_general_path() -> None:
    assert text_cells(pd.Series([1, 2]), NULL_MARKERS) is None
    assert text_cells(pd.Series(["a", 1], dtype=object), NULL_MARKERS) is None


def test_arrow_and_object_columns_type_alike() -> None:
    values = [*CELLS, "x"] * 3
    arrow = type_column("c", pd.Series(values, dtype="str"))
    objects = type_column("c", pd.Series(values, dtype=object))
    assert arrow.type == objects.type
    assert (arrow.missing, arrow.blank_text, arrow.errors) == (
        objects.missing,
        objects.blank_text,
        objects.errors,
    )
    assert arrow.values.tolist() == objects.values.tolist()


def test_strictly_increasing() -> None:
    keys = pd.Series(["a", "a", "b"], dtype="str")
    dates = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"])
    frame = pd.DataFrame({"k": keys, "d": dates})
    assert strictly_increasing(frame, ["k", "d"])  # a, a differ by date
    assert not strictly_increasing(frame, ["k"])  # a repeats
    assert not strictly_increasing(frame.iloc[::-1], ["k", "d"])
    with_gap = frame.assign(k=pd.Series(["a", None, "b"], dtype="str"))
    assert not strictly_increasing(with_gap, ["k", "d"])  # cannot tell: missing key
    assert strictly_increasing(pd.DataFrame({"n": [1, 2, 5]}), ["n"])
