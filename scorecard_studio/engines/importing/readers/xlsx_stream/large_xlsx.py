"""xlsx sheets of any size: find the table on the first rows, then read just it into Arrow.

Two ways, in order:

* :func:`read_in_process` streams the sheet with :mod:`.stream` in the importing
  process. That reader is numpy and Arrow over slices of XML: it allocates in proportion
  to the data it has actually read (never to a size a file declares), raises ordinary
  exceptions, checks the cancel flag, the time limit and a memory budget after every slice,
  and reports real progress. Keeping it in process saves the reader process's copy of the
  table and the file that would carry it back (most of a large import's peak memory), and
  the start of a reader process and the per-cell Python of the grid (most of a small
  import's time). Several sheets of one workbook share one :class:`.book.XlsxBook`.
* When the sheet uses XML that reader does not take on, the isolated reader process reads
  it: a sheet small enough to read whole (:data:`.xlsx_head.GRID_MAX_PART_BYTES`) as a
  grid, which finds the table on every row; a larger one with fastexcel
  (:func:`read_in_child`). A small sheet whose rows past the preview could change the
  table the grid would find goes there too (:class:`GridNeededError`), so both ways give the
  same table.
"""

from __future__ import annotations

import re
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from scorecard_studio.engines.importing.errors import ImportCancelled, UnsafeFileError
from scorecard_studio.engines.importing.readers.sheets import RawRead, SheetMeta, calamine_error
from scorecard_studio.engines.importing.readers.xlsx_stream import stream
from scorecard_studio.engines.importing.readers.xlsx_stream.book import Plan, XlsxBook
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import UnsupportedXmlError
from scorecard_studio.engines.importing.tables.detect import TableSpec, detect_table

__all__ = ["GridNeededError", "UnsupportedXmlError", "XlsxBook", "read_in_child", "read_in_process"]

_FASTEXCEL_ERRORS = {
    "NA": "#N/A",
    "Div0": "#DIV/0!",
    "Value": "#VALUE!",
    "Ref": "#REF!",
    "Name": "#NAME?",
    "Num": "#NUM!",
    "Null": "#NULL!",
    "GettingData": "#GETTING_DATA",
}


def _raw(plan: Plan, reader: str, rows: int, errors: list[tuple[int, int, str]]) -> RawRead:
    spec, chosen = plan.spec, plan.chosen
    meta = SheetMeta(
        chosen.name, chosen.visibility, chosen.kind, spec.data_start + rows, spec.last_column + 1
    )
    sheets = [meta if s.name == chosen.name else s for s in plan.sheets]
    return RawRead(sheets, chosen.name, plan.spec, reader, n_rows=rows, errors=errors)


def _stream(
    book: XlsxBook,
    plan: Plan,
    on_slice: Callable[[float], None] | None = None,
    max_bytes: int | None = None,
    watch_from: int | None = None,
) -> tuple[Plan, stream.StreamedSheet, list[tuple[str, str, str]]]:
    """The table streamed, with merged cells taken into account as the grid reader does.

    Merges are listed after the sheet data, so the table is found first without them;
    when they change where it lies (a header spanning merged rows), the sheet is read
    again for the table they show. Data cells inside a merge take its value.
    """

    def read(spec: TableSpec, ahead: stream.SheetData | None = None) -> stream.StreamedSheet:
        return stream.read_sheet(
            book.zf,
            plan.part,
            book.fmt,
            book.strings,
            first_row=spec.data_start,
            end_row=spec.data_end,
            first_col=spec.first_column,
            last_col=spec.last_column,
            on_slice=on_slice,
            max_bytes=max_bytes,
            watch_from=watch_from,
            ahead=ahead,
        )

    sheet = read(plan.spec, book.take_ahead(plan.part))
    findings: list[tuple[str, str, str]] = []
    if not sheet.merges:
        return plan, sheet, findings
    spec = detect_table(plan.preview, plan.origin, sheet.merges, plan.header_row)
    old = plan.spec
    if (spec.data_start, spec.data_end, spec.first_column, spec.last_column) != (
        old.data_start,
        old.data_end,
        old.first_column,
        old.last_column,
    ):
        sheet = read(spec)
    plan = replace(plan, spec=spec)
    table, filled = fill_merged(sheet.table, sheet.merges, spec)
    if filled:
        findings.append(
            (
                "info",
                "merged_data_cells",
                f"{filled:,} cells inside merged ranges take the value shown across the merge",
            )
        )
    return plan, replace(sheet, table=table), findings


def fill_merged(
    table: Any, merges: list[tuple[int, int, int, int]], spec: TableSpec
) -> tuple[Any, int]:
    """Empty cells inside a merged range given the range's value (its top-left cell's).

    As the grid reader does: only merges that start in the data, and only empty cells;
    a column that receives a value of another type becomes text.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    first, lo, hi, n = spec.data_start, spec.first_column, spec.last_column, table.num_rows
    # (target column, source column) -> anchor row for every row to fill
    plans: dict[tuple[int, int], np.ndarray] = {}
    for r1, c1, r2, c2 in merges:
        if (r1 == r2 and c1 == c2) or r1 < first or r1 - first >= n or not lo <= c1 <= hi:
            continue
        top, bottom = r1 - first, min(r2 - first, n - 1)
        for c in range(max(c1, lo), min(c2, hi) + 1):
            index = plans.setdefault((c - lo, c1 - lo), np.full(n, -1, np.int64))
            index[top : bottom + 1] = top
            if c == c1:
                index[top] = -1  # the anchor itself
    if not plans:
        return table, 0
    columns = [table.column(j).combine_chunks() for j in range(table.num_columns)]
    filled = 0
    for (target, source), index in plans.items():
        taken = columns[source].take(pa.array(index, mask=index < 0))
        current = columns[target]
        if pa.types.is_null(current.type):
            current = current.cast(taken.type)
        elif current.type != taken.type:
            current, taken = current.cast(pa.string()), taken.cast(pa.string())
        filled += int(pc.sum(pc.and_(pc.is_null(current), pc.is_valid(taken))).as_py() or 0)
        columns[target] = pc.coalesce(current, taken)
    return pa.table(columns, names=table.column_names), filled


class GridNeededError(UnsupportedXmlError):
    """A small sheet whose rows past the preview could change the table the grid finds."""


def read_in_process(
    file: Path,
    sheet: str | None,
    header_row: int | None,
    *,
    seconds: float,
    max_bytes: int,
    cancel: threading.Event | None = None,
    progress: Callable[[float], None] | None = None,
    book: XlsxBook | None = None,
) -> RawRead:
    """The table of an xlsx sheet of any size, read here.

    With ``book`` (several sheets of one workbook), the workbook's shared parts are read
    once, and the caller lists the sheets (``book.sheet_metas()``) once all are read.
    Raises :class:`UnsupportedXmlError` when the sheet needs the reader process, and
    :class:`ImportCancelled`, :class:`UnsafeFileError` (time limit) or
    :class:`~...errors.FileTooLargeError` (memory budget) as the isolated reader would.
    """
    if book is None:
        with XlsxBook(file) as own:
            raw = read_in_process(
                file,
                sheet,
                header_row,
                seconds=seconds,
                max_bytes=max_bytes,
                cancel=cancel,
                progress=progress,
                book=own,
            )
            raw.sheets = own.sheet_metas()
            return raw
    started = time.monotonic()

    def on_slice(fraction: float) -> None:
        if cancel is not None and cancel.is_set():
            raise ImportCancelled()
        if time.monotonic() - started > seconds:
            raise UnsafeFileError(
                f"{file.name}: reading did not finish within {seconds:.0f} seconds"
            )
        if progress is not None:
            progress(fraction)

    plan = book.plan(sheet, header_row)
    small = not book.is_large(plan.chosen.name)
    if small and header_row is not None and header_row >= plan.preview_end:
        raise GridNeededError("a header below the preview")
    plan, sheet_read, findings = _stream(
        book, plan, on_slice, max_bytes, watch_from=plan.preview_end if small else None
    )
    if small and not _agrees_with_grid(plan, sheet_read):
        raise GridNeededError("cells past the preview that could change the table")
    table = sheet_read.table
    raw = _raw(plan, "xml-stream", table.num_rows, sheet_read.errors)
    raw.spec.displays = dict(sheet_read.displays)
    book.record_size(
        plan.chosen.name, raw.spec.data_start + table.num_rows, raw.spec.last_column + 1
    )
    raw.table = table
    raw.findings.extend(findings)
    return raw


def _agrees_with_grid(plan: Plan, sheet: stream.StreamedSheet) -> bool:
    """Whether the whole sheet shows the table its first rows showed.

    The grid reader finds the table on every row of a small sheet, the stream on the
    first rows (:data:`~..sheets.PREVIEW_ROWS`). They agree unless a later row holds a
    cell beside the table's columns (another table, or a column the header did not show)
    or an empty row is followed by more rows (where a second table may start under the
    first). Either is rare; the grid reader then decides, as it always did.
    """
    if sheet.outside:
        return False
    table = sheet.table
    first = max(plan.preview_end - plan.spec.data_start, 1)
    if table.num_rows <= first:
        return True
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rest = table.slice(first - 1)
    empty = np.ones(rest.num_rows, dtype=bool)
    for column in rest.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            filled = pc.greater(pc.binary_length(pc.utf8_trim_whitespace(column)), 0)
        else:
            filled = pc.is_valid(column)
        empty &= ~np.asarray(pc.fill_null(filled, False).to_numpy(zero_copy_only=False))
    return not bool((empty[:-1] & ~empty[1:]).any())


def read_in_child(
    file: Path, zf: zipfile.ZipFile, sheet: str | None, header_row: int | None, out_dir: Path
) -> RawRead | None:
    """In the reader process: a large sheet through fastexcel into an Arrow IPC file."""
    import pyarrow as pa

    book = XlsxBook(file, zf)
    plan = book.plan(sheet, header_row)
    if not book.is_large(plan.chosen.name):
        return None
    table, errors = _fastexcel_table(file, plan.chosen.name, plan.spec)
    out = out_dir / "table.arrow"
    with pa.OSFile(str(out), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    raw = _raw(plan, "fastexcel", table.num_rows, errors)
    raw.sheets = book.sheet_metas()
    raw.arrow_path = str(out)
    return raw


def _fastexcel_table(
    file: Path, sheet: str, spec: TableSpec
) -> tuple[Any, list[tuple[int, int, str]]]:
    import fastexcel
    import pyarrow as pa

    lo, hi = spec.first_column, spec.last_column
    try:
        reader = fastexcel.read_excel(str(file))
        kwargs: dict[str, Any] = {
            "header_row": None,
            "skip_rows": spec.data_start,
            "use_columns": lambda col: lo <= col.absolute_index <= hi,
            "schema_sample_rows": None,
            "dtype_coercion": "coerce",
        }
        if spec.data_end is not None:
            kwargs["n_rows"] = spec.data_end - spec.data_start
        loaded = reader.load_sheet(sheet, **kwargs)
        by_abs = {c.absolute_index: c.name for c in loaded.selected_columns}
        table, cell_errors = loaded.to_arrow_with_errors()
    except BaseException as exc:
        raise calamine_error(file, exc) from None
    arrays = [
        table.column(by_abs[c]) if c in by_abs else pa.nulls(table.num_rows)
        for c in range(lo, hi + 1)
    ]
    table = pa.table(arrays, names=[f"c{i}" for i in range(len(arrays))])
    errors: list[tuple[int, int, str]] = []
    selected = sorted(by_abs)
    for err in getattr(cell_errors, "errors", []) if cell_errors is not None else []:
        match = re.search(r"Error\((\w+)\)", err.detail)
        code = _FASTEXCEL_ERRORS.get(match.group(1), "#VALUE!") if match else "#VALUE!"
        row, col = err.offset_position
        if 0 <= int(col) < len(selected):
            errors.append((int(row), selected[int(col)] - lo, code))
    return table, errors
