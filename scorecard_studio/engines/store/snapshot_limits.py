"""How large a data snapshot from outside would be once decoded, told before decoding it.

A snapshot's buffers are zstd-compressed, so a few kilobytes in a ``.scorecard`` file can
decode to gigabytes (a column of 64 million zeros compresses to almost nothing). The zip
limits of the portable file bound the compressed bytes only. This module reads the Arrow
IPC messages' own metadata (the flatbuffer header of each record batch: its row count and
its buffers, each of which starts with its uncompressed length) without decompressing
anything, and refuses a snapshot whose decoded table would exceed the stated limits.

Only snapshots from outside (a ``.scorecard`` import) are checked: the store's own
snapshots were written by this app from tables it already held in memory.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from scorecard_studio.domain.errors import StoreError

#: Most cells (rows x columns) a snapshot from outside may decode to; the importer's limit.
MAX_CELLS = 150_000_000

#: Most bytes a snapshot from outside may decode to.
MAX_DECODED_BYTES = 2 * 1024**3

#: Decoded bytes above this must come from at least 1/:data:`MAX_RATIO` as many stored
#: bytes: real tables compress a few times, a decompression bomb thousands of times.
RATIO_FREE_BYTES = 256 * 1024**2
MAX_RATIO = 1000

#: Bytes every cell takes once in pandas at the least, whatever its Arrow buffers hold (a
#: column of nulls has no buffers at all, yet 64 million rows of it fill 512 MB); text and
#: null cells become Python objects, several times larger.
CELL_BYTES = 8
OBJECT_CELL_BYTES = 64

_MAGIC = b"ARROW1"
_RECORD_BATCH = 3
_DICTIONARY_BATCH = 2


@dataclass(frozen=True, slots=True)
class DecodedSize:
    """What a snapshot's record batches add up to once decompressed."""

    rows: int
    columns: int
    bytes: int
    #: Least bytes per row once in pandas (see :data:`CELL_BYTES`).
    row_bytes: int = 0

    @property
    def in_memory(self) -> int:
        """A floor on the bytes the decoded table takes in pandas."""
        return self.bytes + self.rows * self.row_bytes


class _Flat:
    """Just enough of the flatbuffers wire format to read an Arrow message header."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def _unpack(self, fmt: str, pos: int) -> int:
        if pos < 0 or pos + struct.calcsize(fmt) > len(self.data):
            raise ValueError("truncated message header")
        return int(struct.unpack_from(fmt, self.data, pos)[0])

    def root(self) -> int:
        return self._unpack("<I", 0)

    def field(self, table: int, index: int) -> int | None:
        """Absolute position of field ``index`` of the table at ``table``, or None."""
        vtable = table - self._unpack("<i", table)
        size = self._unpack("<H", vtable)
        slot = 4 + 2 * index
        if slot + 2 > size:
            return None
        offset = self._unpack("<H", vtable + slot)
        return None if offset == 0 else table + offset

    def scalar(self, table: int, index: int, fmt: str, default: int = 0) -> int:
        pos = self.field(table, index)
        return default if pos is None else self._unpack(fmt, pos)

    def ref(self, table: int, index: int) -> int | None:
        pos = self.field(table, index)
        return None if pos is None else pos + self._unpack("<I", pos)

    def structs(self, table: int, index: int, size: int) -> list[int]:
        """Positions of the elements of a vector of structs ``size`` bytes each."""
        vector = self.ref(table, index)
        if vector is None:
            return []
        count = self._unpack("<I", vector)
        if vector + 4 + count * size > len(self.data):
            raise ValueError("truncated message header")
        return [vector + 4 + i * size for i in range(count)]


def decoded_size(data: bytes) -> DecodedSize:
    """Rows, columns and decoded bytes of a snapshot, from its headers alone."""
    import pyarrow as pa
    from pyarrow import ipc

    if not data.startswith(_MAGIC):
        raise StoreError("data snapshot damaged (not an Arrow file)")
    try:
        reader = ipc.MessageReader.open_stream(pa.BufferReader(data[8:]))
        rows = columns = total = row_bytes = 0
        while True:
            try:
                message = reader.read_next_message()
            except StopIteration:
                break
            if message is None:  # pragma: no cover - older pyarrow ends this way
                break
            if message.type == "schema":
                schema = ipc.read_schema(message)
                columns = len(schema)
                row_bytes = sum(_cell_bytes(field.type) for field in schema)
                continue
            flat = _Flat(message.metadata.to_pybytes())
            root = flat.root()
            kind = flat.scalar(root, 1, "<B")
            header = flat.ref(root, 2)
            if header is None or kind not in (_RECORD_BATCH, _DICTIONARY_BATCH):
                continue
            batch = flat.ref(header, 1) if kind == _DICTIONARY_BATCH else header
            if batch is None:
                continue
            length = flat.scalar(batch, 0, "<q")
            if kind == _RECORD_BATCH:
                rows += max(length, 0)
            total += _batch_bytes(flat, batch, message.body.to_pybytes())
    except (pa.ArrowException, ValueError, struct.error) as exc:
        raise StoreError(f"data snapshot damaged ({exc})") from None
    return DecodedSize(rows, columns, total, row_bytes)


def _cell_bytes(kind: object) -> int:
    import pyarrow as pa

    text_like = (
        pa.types.is_null(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_binary(kind)
    )
    return OBJECT_CELL_BYTES if text_like else CELL_BYTES


def _batch_bytes(flat: _Flat, batch: int, body: bytes) -> int:
    compressed = flat.ref(batch, 3) is not None
    total = 0
    for pos in flat.structs(batch, 2, 16):
        offset = flat._unpack("<q", pos)
        length = flat._unpack("<q", pos + 8)
        if offset < 0 or length < 0 or offset + length > len(body):
            raise ValueError("a buffer lies outside its message")
        if not compressed or length == 0:
            total += length
            continue
        if length < 8:
            raise ValueError("a compressed buffer without its length")
        (decoded,) = struct.unpack_from("<q", body, offset)
        total += length - 8 if decoded == -1 else max(decoded, 0)
    return total


def check_decoded_size(data: bytes) -> DecodedSize:
    """Refuse a snapshot that would decode beyond the limits; its size otherwise."""
    size = decoded_size(data)
    cells = size.rows * max(size.columns, 1)
    if cells > MAX_CELLS:
        raise StoreError(
            f"refused: {size.rows:,} rows x {size.columns:,} columns is more than "
            f"{MAX_CELLS:,} cells"
        )
    if size.bytes > MAX_DECODED_BYTES:
        raise StoreError(
            f"refused: it would decode to {size.bytes:,} bytes (at most {MAX_DECODED_BYTES:,})"
        )
    in_memory = size.in_memory
    if in_memory > RATIO_FREE_BYTES and in_memory > MAX_RATIO * len(data):
        raise StoreError(
            f"refused: {len(data):,} bytes would take {in_memory:,} bytes once decoded "
            "(a decompression bomb)"
        )
    return size
