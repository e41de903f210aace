"""Large xlsx sheets: find the table on the first rows, then read just it into Arrow.

Two ways, in order:

* :func:`read_in_process` streams the sheet with :mod:`.stream` in the importing
  process. That reader is numpy and Arrow over slices of XML: it allocates in proportion
  to the data it has actually read (never to a size a file declares), raises ordinary
  exceptions, checks the cancel flag, the time limit and a memory budget after every slice,
  and reports real progress. Keeping it in process saves the reader process's copy of the
  table and the file that would carry it back, which is most of the import's peak memory.
* When the sheet uses XML that reader does not take on, :func:`read_in_child` runs in the
  isolated reader process and reads the table with fastexcel, as before.

Sheets small enough to read whole (:data:`.xlsx_head.GRID_MAX_PART_BYTES`) go to the grid
reader in the child instead, which also handles merged cells inside the data.
"""

from __future__ import annotations

import re
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scorecard_studio.engines.importing.errors import (
    ImportCancelled,
    NotASpreadsheetError,
    UnsafeFileError,
)
from scorecard_studio.engines.importing.readers.sheets import (
    PREVIEW_ROWS,
    RawRead,
    SheetMeta,
    calamine_error,
    choose_sheet,
)
from scorecard_studio.engines.importing.readers.xlsx_stream import stream, xlsx_head
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import UnsupportedXmlError
from scorecard_studio.engines.importing.tables.detect import Grid, TableSpec, detect_table

__all__ = ["UnsupportedXmlError", "read_in_child", "read_in_process"]

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


@dataclass(frozen=True, slots=True)
class _Plan:
    sheets: list[SheetMeta]
    chosen: SheetMeta
    part: str
    spec: TableSpec
    preview: Grid  # the first rows, from which the table was found
    origin: int  # the sheet row of the preview's first row
    header_row: int | None  # as the data source sets it


def _plan(
    file: Path, zf: zipfile.ZipFile, sheet: str | None, header_row: int | None
) -> _Plan | None:
    """The sheet to read and its table, or None when that sheet is small."""
    try:
        parts = xlsx_head.sheet_parts(zf)
    except Exception as exc:
        raise NotASpreadsheetError(f"{file.name}: damaged workbook part ({exc})") from None
    if not xlsx_head.is_large(zf, parts, sheet):
        return None
    names = set(zf.namelist())
    by_name = {p.name: p.part for p in parts}
    sheets: list[SheetMeta] = []
    for p in parts:
        rows, cols = (xlsx_head.declared_size(zf, p.part) if p.part in names else None) or (0, 0)
        sheets.append(SheetMeta(p.name, p.visibility, p.kind, rows, cols))
    chosen = choose_sheet(sheets, sheet, file)
    part = by_name[chosen.name]
    preview, r0 = xlsx_head.head_rows(zf, part, PREVIEW_ROWS)
    spec = detect_table(preview, r0, [], header_row)
    return _Plan(sheets, chosen, part, spec, preview, r0, header_row)


def _raw(plan: _Plan, reader: str, rows: int, errors: list[tuple[int, int, str]]) -> RawRead:
    spec, chosen = plan.spec, plan.chosen
    meta = SheetMeta(
        chosen.name, chosen.visibility, chosen.kind, spec.data_start + rows, spec.last_column + 1
    )
    sheets = [meta if s.name == chosen.name else s for s in plan.sheets]
    return RawRead(sheets, chosen.name, plan.spec, reader, n_rows=rows, errors=errors)


def _stream(
    zf: zipfile.ZipFile,
    plan: _Plan,
    on_slice: Callable[[float], None] | None = None,
    max_bytes: int | None = None,
) -> tuple[_Plan, Any, list[tuple[int, int, str]], list[tuple[str, str, str]]]:
    """The table streamed, with merged cells taken into account as the grid reader does.

    Merges are listed after the sheet data, so the table is found first without them;
    when they change where it lies (a header spanning merged rows), the sheet is read
    again for the table they show. Data cells inside a merge take its value.
    """
    workbook, shared = stream.workbook_parts(zf)
    fmt = stream.sheet_format(zf, workbook)
    strings = stream.shared_strings(zf, shared)

    def read(spec: TableSpec) -> stream.StreamedSheet:
        return stream.read_sheet(
            zf,
            plan.part,
            fmt,
            strings,
            first_row=spec.data_start,
            end_row=spec.data_end,
            first_col=spec.first_column,
            last_col=spec.last_column,
            on_slice=on_slice,
            max_bytes=max_bytes,
        )

    sheet = read(plan.spec)
    findings: list[tuple[str, str, str]] = []
    if not sheet.merges:
        return plan, sheet.table, sheet.errors, findings
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
    return plan, table, sheet.errors, findings


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


def read_in_process(
    file: Path,
    sheet: str | None,
    header_row: int | None,
    *,
    seconds: float,
    max_bytes: int,
    cancel: threading.Event | None = None,
    progress: Callable[[float], None] | None = None,
) -> RawRead | None:
    """The table of a large sheet, read here; None for a small sheet.

    Raises :class:`UnsupportedXmlError` when the sheet needs the reader process, and
    :class:`ImportCancelled`, :class:`UnsafeFileError` (time limit) or
    :class:`~...errors.FileTooLargeError` (memory budget) as the isolated reader would.
    """
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

    try:
        zf = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise UnsupportedXmlError("a zip archive the reader process should judge") from None
    with zf:
        plan = _plan(file, zf, sheet, header_row)
        if plan is None:
            return None
        plan, table, errors, findings = _stream(zf, plan, on_slice, max_bytes)
    raw = _raw(plan, "xml-stream", table.num_rows, errors)
    raw.table = table
    raw.findings.extend(findings)
    return raw


def read_in_child(
    file: Path, zf: zipfile.ZipFile, sheet: str | None, header_row: int | None, out_dir: Path
) -> RawRead | None:
    """In the reader process: a large sheet through fastexcel into an Arrow IPC file."""
    import pyarrow as pa

    plan = _plan(file, zf, sheet, header_row)
    if plan is None:
        return None
    table, errors = _fastexcel_table(file, plan.chosen.name, plan.spec)
    out = out_dir / "table.arrow"
    with pa.OSFile(str(out), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    raw = _raw(plan, "fastexcel", table.num_rows, errors)
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
