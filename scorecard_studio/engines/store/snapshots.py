"""Data snapshots: an imported, typed table as compact, safe bytes, and back.

A version must be scorable again later exactly as it was, so a snapshot keeps every
column's values *and* its pandas dtype (``float64``, ``datetime64[us, UTC]``, ``bool``,
``str`` with missing values, nullable ``Int64``...). The bytes are an Arrow IPC file with
zstd-compressed buffers: typed, columnar, readable without executing anything (unlike
pickle), and written deterministically, so one table always gives one content hash and is
stored once however many versions use it.

Arrow has no type for a pandas ``object`` column holding a mix of numbers, text and dates
(what a hand-kept spreadsheet column often becomes). Such columns are kept as text cells
that each carry a small type tag, so every value comes back as the same Python value.

Only columns are kept: the row index is replaced by a plain 0..n-1 range (imported tables
have one; scoring never reads the index).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store.hashing import sha256_hex

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from scorecard_studio.domain.model import Scorecard

#: Stored in the ``format`` column; a new layout gets a new name, never a changed meaning.
SNAPSHOT_FORMAT = "arrow-ipc-zstd/1"

_META_KEY = b"scorecard_studio"
_TAGGED = "tagged"
_ARROW = "arrow"


@dataclass(frozen=True, slots=True)
class EncodedSnapshot:
    """A table's stored bytes with their hash and shape."""

    hash: str
    data: bytes
    rows: int
    columns: int
    format: str = SNAPSHOT_FORMAT


def encode_table(table: pd.DataFrame, source_id: str = "table") -> EncodedSnapshot:
    """Serialise a table; ``source_id`` only names it in error messages."""
    import pyarrow as pa
    from pyarrow import ipc

    labels = list(table.columns)
    columns_meta: list[dict[str, Any]] = []
    arrays: list[Any] = []
    names: list[str] = []
    for position, raw_label in enumerate(labels):
        label = raw_label.item() if hasattr(raw_label, "item") else raw_label
        if not _is_plain_label(label):
            raise StoreError(
                f"data of {source_id!r}: column {position + 1} has a name of type "
                f"{type(label).__name__}; a snapshot keeps text or number column names"
            )
        series = table.iloc[:, position]
        dtype = str(series.dtype)
        if dtype == "object":
            array = pa.array([_tag(v, source_id, label) for v in series.tolist()], type=pa.string())
            encoding = _TAGGED
        else:
            try:
                array = pa.Array.from_pandas(series)
            except (pa.ArrowException, TypeError, ValueError) as exc:
                raise StoreError(
                    f"data of {source_id!r}: column {label!r} ({dtype}) cannot be kept in a "
                    f"snapshot ({exc})"
                ) from None
            encoding = _ARROW
        columns_meta.append({"label": label, "dtype": dtype, "encoding": encoding})
        arrays.append(array)
        names.append(str(label))
    meta = {"format": SNAPSHOT_FORMAT, "rows": len(table), "columns": columns_meta}
    schema = pa.schema(
        [pa.field(n, a.type) for n, a in zip(names, arrays, strict=True)],
        metadata={_META_KEY: json.dumps(meta, sort_keys=True, ensure_ascii=False).encode()},
    )
    arrow_table = pa.Table.from_arrays(arrays, schema=schema)
    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression="zstd", use_threads=False)
    with ipc.new_file(sink, schema, options=options) as writer:
        writer.write_table(arrow_table)
    data = sink.getvalue().to_pybytes()
    return EncodedSnapshot(sha256_hex(data), data, len(table), len(labels))


def decode_table(data: bytes, *, untrusted: bool = False) -> pd.DataFrame:
    """The table a snapshot holds; raises StoreError for bytes that are not a snapshot.

    Safe on untrusted bytes: Arrow validates every buffer before a value is read, and the
    tagged cells are parsed as JSON, never evaluated. Bytes from outside (``untrusted``) are
    first sized from their headers and refused beyond the
    limits of :mod:`.snapshot_limits`; they are then read as the sequence of messages that
    was sized, not through the file's footer, which could point elsewhere.
    """
    import pandas as pd
    import pyarrow as pa
    from pyarrow import ipc

    if not isinstance(data, bytes):
        raise StoreError(f"data snapshot damaged (stored as {type(data).__name__}, not bytes)")
    max_rows: int | None = None
    if untrusted:
        from scorecard_studio.engines.store.snapshot_limits import MAX_CELLS, check_decoded_size

        check_decoded_size(data)
        max_rows = MAX_CELLS
    try:
        if untrusted:
            arrow_table = ipc.open_stream(pa.BufferReader(data[8:])).read_all()
        else:
            arrow_table = ipc.open_file(pa.BufferReader(data)).read_all()
        arrow_table.validate(full=True)
        raw_meta = (arrow_table.schema.metadata or {}).get(_META_KEY)
        if raw_meta is None:
            raise StoreError("not a Scorecard Studio data snapshot (no column types)")
        meta = json.loads(raw_meta)
        columns_meta = meta["columns"]
        rows = int(meta["rows"])
        if rows < 0 or (max_rows is not None and rows > max_rows):
            raise StoreError(f"data snapshot damaged (it claims {rows:,} rows)")
        # A table without columns has no rows in Arrow; its row count lives in the metadata.
        if len(columns_meta) != arrow_table.num_columns or (
            columns_meta and rows != arrow_table.num_rows
        ):
            raise StoreError("data snapshot damaged (its column list does not match its data)")
        series: list[pd.Series[Any]] = []
        for position, column_meta in enumerate(columns_meta):
            column = arrow_table.column(position)
            series.append(_decode_column(column, column_meta))
    except StoreError:
        raise
    except (pa.ArrowException, ValueError, KeyError, TypeError, MemoryError, OverflowError) as exc:
        raise StoreError(f"data snapshot damaged ({_first_line(exc)})") from None
    labels = [c["label"] for c in columns_meta]
    if not series:
        return pd.DataFrame(index=pd.RangeIndex(rows))
    frame = pd.concat(series, axis=1, ignore_index=True)
    frame.columns = pd.Index(labels)
    return frame


def _decode_column(column: Any, meta: dict[str, Any]) -> pd.Series[Any]:
    import pandas as pd

    dtype_name = str(meta["dtype"])
    if meta["encoding"] == _TAGGED:
        return pd.Series([_untag(v) for v in column.to_pylist()], dtype=object)
    if meta["encoding"] != _ARROW:
        raise StoreError(f"data snapshot uses an unknown column encoding {meta['encoding']!r}")
    dtype = pd.api.types.pandas_dtype(dtype_name)
    from_arrow = getattr(dtype, "__from_arrow__", None)
    if from_arrow is not None and not isinstance(dtype, pd.CategoricalDtype):
        return pd.Series(from_arrow(column), dtype=dtype)
    out: pd.Series[Any] = column.to_pandas(use_threads=False)
    if str(out.dtype) != dtype_name:
        out = out.astype(dtype)
    return out


# --- tagged cells of object columns -------------------------------------------------------


def _tag(value: object, source_id: str, label: object) -> str | None:
    """One cell as ``[tag, value]`` JSON text; None stays a null cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return json.dumps(["b", value])
    if isinstance(value, int):
        return json.dumps(["i", str(value)])
    if isinstance(value, float):
        return json.dumps(["f", value.hex()])
    if isinstance(value, str):
        return json.dumps(["s", value], ensure_ascii=False)
    import numpy as np
    import pandas as pd

    if isinstance(value, np.generic):
        return _tag(value.item(), source_id, label)
    if value is pd.NaT:
        return json.dumps(["nat"])
    if value is pd.NA:
        return json.dumps(["na"])
    if isinstance(value, pd.Timestamp):
        return json.dumps(["ts", value.isoformat(), value.unit])
    if isinstance(value, dt.datetime):
        return json.dumps(["dt", value.isoformat()])
    if isinstance(value, dt.date):
        return json.dumps(["d", value.isoformat()])
    if isinstance(value, dt.time):
        return json.dumps(["t", value.isoformat()])
    if isinstance(value, pd.Timedelta):
        return json.dumps(["ptd", value.value])
    if isinstance(value, dt.timedelta):
        return json.dumps(["td", value.days, value.seconds, value.microseconds])
    raise StoreError(
        f"data of {source_id!r}: column {label!r} holds a {type(value).__name__} value; "
        "a snapshot keeps numbers, text, true/false, dates and times"
    )


def _untag(cell: object) -> object:
    import pandas as pd

    if cell is None:
        return None
    tag, *rest = json.loads(str(cell))
    if tag == "b":
        return bool(rest[0])
    if tag == "i":
        return int(rest[0])
    if tag == "f":
        return float.fromhex(rest[0])
    if tag == "s":
        return str(rest[0])
    if tag == "nat":
        return pd.NaT
    if tag == "na":
        return pd.NA
    if tag == "ts":
        return pd.Timestamp(rest[0]).as_unit(rest[1])
    if tag == "dt":
        return dt.datetime.fromisoformat(rest[0])
    if tag == "d":
        return dt.date.fromisoformat(rest[0])
    if tag == "t":
        return dt.time.fromisoformat(rest[0])
    if tag == "ptd":
        return pd.Timedelta(int(rest[0]))
    if tag == "td":
        return dt.timedelta(days=rest[0], seconds=rest[1], microseconds=rest[2])
    raise ValueError(f"unknown cell tag {tag!r}")


def _is_plain_label(label: object) -> bool:
    if isinstance(label, bool):
        return False
    if isinstance(label, float):
        return math.isfinite(label)
    return isinstance(label, str | int)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def encode_tables(
    card: Scorecard, tables: Mapping[str, pd.DataFrame] | None
) -> dict[str, EncodedSnapshot]:
    """The tables to store with ``card``, encoded; data for an unknown source is refused."""
    if not tables:
        return {}
    known = {s.id for s in card.sources}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise StoreError(
            f"data given for {unknown[0]!r}, which is not a data source of {card.name!r}"
        )
    return {sid: encode_table(df, sid) for sid, df in sorted(tables.items())}
