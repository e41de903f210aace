"""Reading a large xlsx sheet into Arrow columns one slice of XML at a time.

Why: calamine, and fastexcel on top of it, build the whole sheet as a grid of cells before
anything else happens; for a million rows that grid is seven to eight times the memory of
the finished table. This reader inflates the sheet part in slices of a few megabytes,
finds the cells of each slice with whole-array byte searches (:mod:`.xml_scan`), lets
Arrow parse the numbers, and keeps only typed column segments: memory stays close to the
size of the result, and inflating the next slice overlaps the scan of this one.

It reads the XML that spreadsheet writers produce (Excel, LibreOffice, Google Sheets,
openpyxl, xlsxwriter): unprefixed elements, cells whose first attribute is their ``r``
reference, plain ``<v>`` values, shared strings, inline strings. Anything else — a
namespace prefix, comments or CDATA among the cells, a cell without a reference, rich text
inside a cell, a date-formatted number before 1900 or a time of day — raises
:class:`~.xml_scan.UnsupportedXmlError` before any value is handed out, and the caller reads the
sheet with fastexcel instead.

Column types follow the cells: a column of numbers is float64, of date-formatted numbers a
timestamp, of text a string, of booleans a boolean; a column that mixes them is text, each
cell written out (numbers in their shortest exact form, dates in ISO form) so that the
column typing downstream sees every value. Error cells are left empty and listed.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from scorecard_studio.engines.importing.errors import FileTooLargeError
from scorecard_studio.engines.importing.readers.xlsx_stream.stream_columns import (
    Column,
    finish,
    segment,
)
from scorecard_studio.engines.importing.readers.xlsx_stream.xlsx_cells import (
    DATE,
    MAX_COL,
    MAX_ROW,
    NUMBER,
    scan_cells,
    text_spans,
)
from scorecard_studio.engines.importing.readers.xlsx_stream.xlsx_format import (
    SheetFormat,
    sheet_format,
    workbook_parts,
)
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import (
    SLASH,
    Slice,
    UnsupportedXmlError,
    gather,
    ooxml_unescape,
    string_array,
    utf8_strings,
    view_array,
    xml_text,
)
from scorecard_studio.engines.importing.safety.guard import column_number
from scorecard_studio.engines.importing.safety.memory import release_free_memory

__all__ = [
    "SheetData",
    "SheetFormat",
    "StreamedSheet",
    "UnsupportedXmlError",
    "inflate_ahead",
    "read_sheet",
    "shared_strings",
    "sheet_format",
    "workbook_parts",
]

#: Bytes of XML inflated and scanned at a time.
SLICE_BYTES = 4 * 1024**2
#: The first slice of a part: small, so scanning starts while the rest is inflated (a
#: sheet of a few megabytes would otherwise be inflated whole before any scan); each
#: next slice doubles, up to :data:`SLICE_BYTES`, so large parts keep few slices.
FIRST_SLICE_BYTES = 256 * 1024
#: Slices between returns of free memory to the system: each return costs page faults
#: when the memory is used again, so it is done now and then, not after every slice.
TRIM_EVERY = 16
#: What is read after the sheet data to find its merged cells (they come right after it).
MAX_TAIL_BYTES = 16 * 1024**2

_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')


@dataclass(frozen=True, slots=True)
class StreamedSheet:
    """What :func:`read_sheet` found: the table, its error cells and the sheet's merges."""

    table: pa.Table
    errors: list[tuple[int, int, str]]  # (row offset, column offset, code)
    merges: list[tuple[int, int, int, int]]  # first row, first col, last row, last col
    outside: bool = False  # a value beside the columns read, at or below ``watch_from``
    #: column offset → how its first number is shown (("percent", ""), ("currency", "$"))
    displays: dict[int, tuple[str, str]] = field(default_factory=dict)


def _merges(tail: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges listed after the sheet data (0-based, as the grid reader gives)."""
    out = []
    for m in _MERGE.finditer(tail):
        c1, r1 = column_number(m.group(1).decode()) - 1, int(m.group(2)) - 1
        if m.group(3):
            c2, r2 = column_number(m.group(3).decode()) - 1, int(m.group(4)) - 1
        else:
            c2, r2 = c1, r1
        out.append((r1, c1, r2, c2))
    return out


# --- slices of a part ---------------------------------------------------------------------


def _slices(
    zf: zipfile.ZipFile,
    part: str,
    opening: bytes,
    cut: bytes,
    closing: bytes,
    tail: list[bytes] | None = None,
) -> Iterator[bytes]:
    """The content of the element ``opening`` in slices that end just after a ``cut`` tag.

    With ``tail``, up to :data:`MAX_TAIL_BYTES` of what follows the element are kept in it.
    """
    sizes = _slice_sizes()
    with zf.open(part) as fh:
        head = b""
        while True:
            block = fh.read(next(sizes))
            if not block:
                if b":" + opening[1:] in head:
                    raise UnsupportedXmlError("namespace-prefixed elements")
                return
            head += block
            at = head.find(opening)
            if at >= 0:
                break
            if b":" + opening[1:] in head:
                raise UnsupportedXmlError("namespace-prefixed elements")
            head = head[-len(opening) :]
        close = head.find(b">", at)
        while close < 0:
            block = fh.read(next(sizes))
            if not block:
                return
            head += block
            close = head.find(b">", at)
        if head[close - 1] == SLASH:
            return  # an empty element
        rest = head[close + 1 :]
        while True:
            end = rest.find(closing)
            if end >= 0:
                if end:
                    yield rest[:end]
                if tail is not None:
                    after = rest[end + len(closing) :]
                    tail.append(after + fh.read(max(MAX_TAIL_BYTES - len(after), 0)))
                return
            block = fh.read(next(sizes))
            if not block:
                raise UnsupportedXmlError("the part ends inside its data")
            buf = rest + block
            end = buf.find(closing)
            if end >= 0:
                rest = buf
                continue
            at_cut = buf.rfind(cut)
            if at_cut < 0:
                rest = buf
                continue
            at_cut += len(cut)
            yield buf[:at_cut]
            rest = buf[at_cut:]


def _slice_sizes() -> Iterator[int]:
    """How much to read each time: :data:`FIRST_SLICE_BYTES`, doubling to :data:`SLICE_BYTES`."""
    size = min(FIRST_SLICE_BYTES, SLICE_BYTES)
    while True:
        yield size
        size = min(2 * size, SLICE_BYTES)


class Inflating:
    """``items`` produced on a second thread from the moment this is made.

    Inflating overlaps scanning; made before a sheet is read (:func:`inflate_ahead`), it
    also overlaps the work on the sheet before it. Iterate once; :meth:`close` stops it.
    """

    def __init__(self, items: Iterator[bytes]) -> None:
        self._box: queue.Queue[object] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._done = object()
        self._worker = threading.Thread(
            target=self._produce, args=(items,), name="xlsx-inflate", daemon=True
        )
        self._worker.start()

    def _produce(self, items: Iterator[bytes]) -> None:
        try:
            for item in items:
                if self._stop.is_set():
                    return
                self._box.put(item)
            self._box.put(self._done)
        except BaseException as exc:  # handed to the consumer, raised there
            self._box.put(exc)

    def __iter__(self) -> Iterator[bytes]:
        try:
            while True:
                item = self._box.get()
                if item is self._done:
                    return
                if isinstance(item, BaseException):
                    raise item
                assert isinstance(item, bytes)
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """Stop producing and wait for the thread (what it holds is let go)."""
        self._stop.set()
        while self._worker.is_alive():
            with contextlib.suppress(queue.Empty):
                self._box.get(timeout=0.05)


def _prefetched(items: Iterator[bytes]) -> Iterator[bytes]:
    """``items`` produced on a second thread once iterated, so inflating overlaps scanning."""
    yield from Inflating(items)


@dataclass(slots=True)
class SheetData:
    """The data slices of a sheet part being inflated ahead of its read."""

    part: str
    slices: Inflating
    tail: list[bytes]  # what follows the data (its merged cells), once all is inflated


def _sheet_slices(zf: zipfile.ZipFile, part: str, tail: list[bytes]) -> Iterator[bytes]:
    return _slices(zf, part, b"<sheetData", b"</row>", b"</sheetData>", tail)


def inflate_ahead(zf: zipfile.ZipFile, part: str) -> SheetData:
    """Start inflating the data of ``part`` now, for a :func:`read_sheet` to come."""
    tail: list[bytes] = []
    return SheetData(part, Inflating(_sheet_slices(zf, part, tail)), tail)


def shared_strings(zf: zipfile.ZipFile, part: str | None) -> pa.Array:
    """The shared-string table as one Arrow string array (rich-text runs joined)."""
    if part is None:
        return pa.array([], pa.string())
    pieces: list[pa.Array] = []
    for raw in _prefetched(_slices(zf, part, b"<sst", b"</si>", b"</sst>")):
        s = Slice.of(raw)
        items = s.lt[s.tags(b"si")]
        owner, start, length = text_spans(s, items)
        if len(owner) == len(items) and (owner == np.arange(len(items))).all():
            arr = utf8_strings(view_array(s, start, length))  # one run per item: the usual case
        else:  # rich text: runs joined
            per_item = np.bincount(owner, weights=length, minlength=len(items)).astype(np.int64)
            arr = string_array(gather(s.a, start, length), per_item)
        pieces.append(ooxml_unescape(xml_text(arr, raw)))
    release_free_memory(zf.getinfo(part).file_size)  # the XML slices just let go
    if not pieces:
        return pa.array([], pa.string())
    out = pa.concat_arrays(pieces)
    return out.cast(pa.string()) if out.type != pa.string() else out


#: Memory of an empty numeric cell in a finished column: 8 bytes and a validity bit.
_BYTES_PER_CELL = 9


def _too_large(max_bytes: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"the table needs more than the {max_bytes / 1024**3:.1f} GiB of memory an import may use"
    )


def _note_displays(
    displays: dict[int, tuple[str, str]], cols: np.ndarray, styles: np.ndarray, fmt: SheetFormat
) -> None:
    """Record, for columns not seen yet, how their first number cell is formatted."""
    if not fmt.style_display:
        return
    seen, first = np.unique(cols, return_index=True)
    for col, at in zip(seen.tolist(), first.tolist(), strict=True):
        if col not in displays:
            style = min(int(styles[at]), len(fmt.style_display) - 1)
            displays[col] = fmt.style_display[style]


def read_sheet(
    zf: zipfile.ZipFile,
    part: str,
    fmt: SheetFormat,
    strings: pa.Array,
    *,
    first_row: int,
    end_row: int | None,
    first_col: int,
    last_col: int,
    on_slice: Callable[[float], None] | None = None,
    max_bytes: int | None = None,
    watch_from: int | None = None,
    ahead: SheetData | None = None,
) -> StreamedSheet:
    """Rows ``first_row``..``end_row`` and columns ``first_col``..``last_col`` (0-based).

    Returns the table (one column per sheet column), the error cells and the merged
    ranges the sheet lists after its data. After each slice ``on_slice`` gets the share of
    the sheet read so far (it may raise to stop the read); a table growing past
    ``max_bytes`` stops it with :class:`~...errors.FileTooLargeError`. With ``watch_from``
    (a 0-based sheet row), ``outside`` tells whether a cell of that row or a later one
    holds a value in a column outside the ones read. ``ahead`` is the part's data already
    being inflated (:func:`inflate_ahead`).
    """
    width = last_col - first_col + 1
    columns = [Column() for _ in range(width)]
    errors: list[tuple[int, int, str]] = []
    end = MAX_ROW if end_row is None else end_row
    done_rows = 0  # output rows covered by segments so far
    last_key = -1
    total = max(zf.getinfo(part).file_size, 1)
    seen = held = 0
    n_slices = 0
    tail: list[bytes] = []
    slices: Iterator[bytes]
    if ahead is not None and ahead.part == part:
        tail, slices = ahead.tail, iter(ahead.slices)
    else:
        slices = _prefetched(_sheet_slices(zf, part, tail))
    outside = False
    displays: dict[int, tuple[str, str]] = {}
    for raw in slices:
        n_slices += 1
        seen += len(raw)
        if on_slice is not None:
            on_slice(min(seen / total, 1.0))
        s = Slice.of(raw)
        cells = scan_cells(s)
        if len(cells.row) == 0:
            continue
        key = cells.row * (MAX_COL + 1) + cells.col
        if key[0] <= last_key or (np.diff(key) <= 0).any():
            raise UnsupportedXmlError("cells out of order")
        last_key = int(key[-1])
        out_row = cells.row - 1 - first_row
        in_rows = (cells.start >= 0) & (out_row >= 0) & (cells.row - 1 < end)
        in_columns = (cells.col - 1 >= first_col) & (cells.col - 1 <= last_col)
        keep = in_rows & in_columns
        if watch_from is not None and not outside:
            beside = (cells.start >= 0) & ~in_columns & (cells.row - 1 >= watch_from)
            outside = bool(beside.any())
        idx = np.flatnonzero(keep)
        if len(idx) == 0:
            continue
        seg_start, seg_end = done_rows, int(out_row[idx[-1]]) + 1
        length = seg_end - seg_start
        # Rows far below the last ones (a stray cell at row 1,048,576) would be allocated
        # as empty cells of every column: check the bound before, not after.
        if max_bytes is not None and seg_end * width * _BYTES_PER_CELL > max_bytes:
            raise _too_large(max_bytes)
        kind = cells.kind[idx].copy()
        numbers = kind == NUMBER
        col_of = cells.col[idx] - 1 - first_col
        if numbers.any():
            style = np.minimum(cells.style[idx[numbers]], len(fmt.style_class) - 1)
            cls = fmt.style_class[style]
            if (cls == 2).any():
                raise UnsupportedXmlError("a time of day or duration")
            kind[np.flatnonzero(numbers)[cls == 1]] = DATE
            if len(displays) < width:
                _note_displays(displays, col_of[numbers], style, fmt)
        local = out_row[idx] - seg_start
        # one view array for the slice, grouped by column and kind, sliced per group
        group = col_of * 8 + kind
        order = np.argsort(group, kind="stable")
        group = group[order]
        views = view_array(s, cells.start[idx][order], cells.length[idx][order])
        local = local[order]
        bounds = np.flatnonzero(np.diff(group)) + 1
        starts = np.concatenate([[0], bounds])
        stops = np.concatenate([bounds, [len(group)]])
        by_column: dict[int, list[tuple[int, pa.Array, np.ndarray]]] = {}
        for lo, hi in zip(starts.tolist(), stops.tolist(), strict=True):
            g = int(group[lo])
            by_column.setdefault(g // 8, []).append((g % 8, views.slice(lo, hi - lo), local[lo:hi]))
        for j in range(width):
            parts = by_column.get(j)
            seg = None
            if parts:
                seg = segment(parts, length, strings, fmt.date1904, errors, seg_start, j, raw)
            if seg is not None:
                held += seg[1].nbytes
                columns[j].classes.add(seg[0])
                columns[j].segments.append((seg_start, seg_end, seg[0], seg[1]))
            else:
                columns[j].segments.append((seg_start, seg_end, -1, None))
        done_rows = seg_end
        if n_slices % TRIM_EVERY == 0:
            release_free_memory()
        if max_bytes is not None and held > max_bytes:
            raise _too_large(max_bytes)
    arrays = [finish(c, fmt.date1904) for c in columns]
    table = pa.table(arrays, names=[f"c{i}" for i in range(width)])
    return StreamedSheet(table, errors, _merges(tail[0]) if tail else [], outside, displays)
