"""Data snapshots give back exactly the table that was saved: values and dtypes."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store.snapshots import decode_table, encode_table


def _round_trip(frame: pd.DataFrame) -> pd.DataFrame:
    return decode_table(encode_table(frame).data)


def test_typed_columns_keep_values_and_dtypes() -> None:
    frame = pd.DataFrame(
        {
            "amount": [1.5, np.nan, -0.0, 1e300],
            "month": pd.to_datetime(["2026-01-31", None, "2026-03-01", "1999-12-31"]),
            "stamp": pd.to_datetime(["2026-01-01T10:00:00+02:00"] * 4, utc=True),
            "active": [True, False, True, True],
            "tier": pd.Series(["Tier 1", None, "Tier 2", ""], dtype="str"),
            "count": np.array([1, 2, 3, 2**62], dtype="int64"),
            "maybe": pd.array([1, None, 3, 4], dtype="Int64"),
            "flag": pd.array([True, None, False, True], dtype="boolean"),
            "label": pd.array(["x", None, "z", "w"], dtype="string"),
        }
    )
    back = _round_trip(frame)
    pd.testing.assert_frame_equal(back, frame)
    assert [str(t) for t in back.dtypes] == [
        "float64",
        "datetime64[us]",
        "datetime64[us, UTC]",
        "bool",
        "str",
        "int64",
        "Int64",
        "boolean",
        "string",
    ]
    assert back["tier"].isna().tolist() == [False, True, False, False]
    assert back["count"].iloc[3] == 2**62


def test_mixed_object_column_keeps_each_python_value() -> None:
    cells = [
        1,
        2.5,
        "three",
        True,
        None,
        dt.date(2026, 7, 1),
        pd.Timestamp("2026-07-01 12:00"),
        float("nan"),
    ]
    frame = pd.DataFrame({"mixed": pd.Series(cells, dtype=object)})
    back = _round_trip(frame)
    assert str(back["mixed"].dtype) == "object"
    values = back["mixed"].tolist()
    assert values[:6] == cells[:6]
    assert [type(v) for v in values[:6]] == [int, float, str, bool, type(None), dt.date]
    assert values[6] == pd.Timestamp("2026-07-01 12:00")
    assert np.isnan(values[7])


def test_same_table_same_hash_and_hash_is_sha256_of_the_bytes() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    one, two = encode_table(frame), encode_table(frame.copy())
    assert one.hash == two.hash == hashlib.sha256(one.data).hexdigest()
    assert (one.rows, one.columns) == (2, 2)
    changed = encode_table(frame.assign(a=[1.0, 2.5]))
    assert changed.hash != one.hash


def test_numeric_and_duplicate_column_names_survive() -> None:
    frame = pd.DataFrame([[1.0, 2.0, 3.0]], columns=pd.Index([2024, "x", "x"], dtype=object))
    back = _round_trip(frame)
    assert list(back.columns) == [2024, "x", "x"]
    assert back.to_numpy().tolist() == [[1.0, 2.0, 3.0]]


def test_empty_tables() -> None:
    pd.testing.assert_frame_equal(
        _round_trip(pd.DataFrame({"a": pd.Series([], dtype="float64")})),
        pd.DataFrame({"a": pd.Series([], dtype="float64")}),
    )
    assert _round_trip(pd.DataFrame(index=range(3))).shape == (3, 0)


def test_unsupported_cells_are_refused_with_the_column_named() -> None:
    frame = pd.DataFrame({"odd": pd.Series([object()], dtype=object)})
    with pytest.raises(StoreError, match="column 'odd' holds a object value"):
        encode_table(frame, "crm")


@pytest.mark.parametrize("garbage", [b"", b"PAR1", b"ARROW1\x00\x00" + b"\xff" * 64])
def test_bytes_that_are_not_a_snapshot_are_a_store_error(garbage: bytes) -> None:
    with pytest.raises(StoreError, match="snapshot"):
        decode_table(garbage)


def test_a_plain_arrow_file_without_column_types_is_refused() -> None:
    import pyarrow as pa
    from pyarrow import ipc

    sink = pa.BufferOutputStream()
    table = pa.table({"a": [1, 2]})
    with ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    with pytest.raises(StoreError, match="no column types"):
        decode_table(sink.getvalue().to_pybytes())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=True, allow_infinity=True),
            st.one_of(st.none(), st.text(max_size=8)),
            st.booleans(),
            st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
        ),
        max_size=30,
    )
)
def test_any_table_of_the_import_dtypes_round_trips(rows: list[tuple[object, ...]]) -> None:
    frame = pd.DataFrame(
        {
            "f": pd.Series([r[0] for r in rows], dtype="float64"),
            "s": pd.Series([r[1] for r in rows], dtype="str"),
            "b": pd.Series([r[2] for r in rows], dtype="bool"),
            "d": pd.Series([r[3] for r in rows], dtype="datetime64[us]"),
        }
    )
    pd.testing.assert_frame_equal(_round_trip(frame), frame)
