"""Inspecting a file and importing one typed table from it: the package's entry points.

Input: a path (and, for an import, the design's data source). Output: a
:class:`WorkbookInspection` (nothing kept) or an :class:`ImportResult` (the typed frame
and its validation report). Both run the same pipeline — safety checks, the read (in the
capped reader process for workbooks), table detection, dropping only rows that hold no
data (each listed with its reason), typing and validation — so what the wizard previews
is what the import yields. Reading the file into its untyped table is :mod:`.loading`;
this module types, validates and words the findings.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import DataSource, DateOrder
from scorecard_studio.engines.importing.columns.column_types import (
    ColumnType,
    TypedColumn,
    type_column,
)
from scorecard_studio.engines.importing.loading import (
    Loaded,
    PathLike,
    Progress,
    check_cancel,
    drop_empty_rows,
    load,
    load_many,
)
from scorecard_studio.engines.importing.readers.sheets import SheetMeta
from scorecard_studio.engines.importing.safety.memory import release_free_memory
from scorecard_studio.engines.importing.tables import exporter_values
from scorecard_studio.engines.importing.tables.detect import TableFound
from scorecard_studio.engines.importing.tables.layouts import check_layout
from scorecard_studio.engines.importing.validation.mapping import column_changes, missing_roles
from scorecard_studio.engines.importing.validation.profile import (
    apply_number_formats,
    apply_profile,
)
from scorecard_studio.engines.importing.validation.report import (
    DroppedRow,
    ValidationReport,
    validate,
)

SheetInfo = SheetMeta

#: Sample values shown per column.
SAMPLES = 5
#: Tables of at least this many cells are typed a column per thread.
PARALLEL_CELLS = 2_000_000


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """A column as the wizard previews it."""

    name: str
    type: str
    samples: tuple[Any, ...]
    missing: int
    invalid: int  # unparseable values plus Excel error cells
    symbol: str = ""  # a currency column's symbol, so the preview shows $905,200
    #: A text column's distinct values when it has few (a tier or segment column), for
    #: the wizard's tier value map; not part of the JSON inspection.
    levels: tuple[str, ...] = ()
    #: A number column's range and whether every value is whole (a 0–10 survey answer),
    #: for the wizard's suggestions; not part of the JSON inspection.
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "type": self.type,
            "samples": list(self.samples),
            "missing": self.missing,
            "invalid": self.invalid,
        }
        return out | ({"symbol": self.symbol} if self.symbol else {})


@dataclass(slots=True)
class WorkbookInspection:
    """What :func:`inspect_workbook` found; nothing is kept in the design."""

    file: str
    format: str
    reader: str
    sheets: list[SheetMeta]
    sheet: str | None
    header_row: int | None  # 0-based sheet row of the (last) header row
    rows: int
    columns: list[ColumnInfo]
    findings: list[Finding]
    tables_found: list[TableFound]
    dropped_rows: list[DroppedRow] = field(default_factory=list)
    exporter: str | None = None  # the system whose export layout was recognised

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "reader": self.reader,
            "sheets": [s.to_json_dict() for s in self.sheets],
            "sheet": self.sheet,
            "header_row": self.header_row,
            "exporter": self.exporter,
            "rows": self.rows,
            "columns": [c.to_json_dict() for c in self.columns],
            "tables_found": [t.to_json_dict() for t in self.tables_found],
            "dropped_rows": [d.to_json_dict() for d in self.dropped_rows],
            "findings": [f.to_json_dict() for f in self.findings],
        }


@dataclass(slots=True)
class ImportResult:
    """The typed table (index: sheet row numbers), its report and its columns."""

    frame: pd.DataFrame
    report: ValidationReport
    columns: list[ColumnInfo]
    inspection: WorkbookInspection


def _type_all(
    loaded: Loaded, frame: pd.DataFrame, order: DateOrder, cancel: threading.Event | None
) -> tuple[pd.DataFrame, dict[str, TypedColumn]]:
    typed: dict[str, TypedColumn] = {}
    out: dict[str, pd.Series] = {}
    positions = (
        None
        if len(frame) == len(loaded.frame)
        else pd.Index(loaded.frame.index).get_indexer(frame.index)
    )

    def one(j: int) -> TypedColumn:
        check_cancel(cancel)
        errors = loaded.errors.get(j)
        err_positions = None
        if errors:
            err = np.asarray(errors, dtype=np.int64)
            if positions is not None:
                err = np.flatnonzero(np.isin(positions, err))
            err_positions = err
        return type_column(
            str(frame.columns[j]), frame.iloc[:, j], date_order=order, error_positions=err_positions
        )

    # Columns are typed independently, and the heavy parts (Arrow and numpy kernels,
    # pandas' parsers) release the GIL: large tables use every core.
    indices = range(len(frame.columns))
    if len(frame) * len(frame.columns) >= PARALLEL_CELLS and len(frame.columns) > 1:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            columns = list(pool.map(one, indices))
    else:
        columns = [one(j) for j in indices]
    for name, col in zip(frame.columns, columns, strict=True):
        typed[str(name)] = col
        values = col.values
        values.index = frame.index
        out[str(name)] = values
    result = pd.DataFrame(out, index=frame.index, copy=False)  # typed columns as they are
    return result, typed


#: A text column with at most this many distinct values lists them (its levels).
LEVELS = 30


def _levels(col: TypedColumn, values: pd.Series) -> tuple[str, ...]:
    if col.type is not ColumnType.TEXT:
        return ()
    if isinstance(values.array, pd.arrays.ArrowStringArray):
        # The same steps as below in Arrow kernels (pandas strips Arrow text with the same
        # one), each distinct value stripped once: a fifth of the time on a large column.
        import pyarrow as pa
        import pyarrow.compute as pc

        unique = pc.unique(pa.array(values.array)).drop_null()
        stripped = pc.unique(pc.utf8_trim_whitespace(unique))
        found = stripped.filter(pc.not_equal(stripped, "")).to_pylist()
        return tuple(sorted(found)) if len(found) <= LEVELS else ()
    distinct = values.dropna().astype(str).str.strip().drop_duplicates()
    distinct = distinct[distinct != ""]
    return tuple(sorted(distinct)) if len(distinct) <= LEVELS else ()


def _range(col: TypedColumn, values: pd.Series) -> tuple[float | None, float | None, bool]:
    if col.type is not ColumnType.NUMBER:
        return None, None, False
    # numpy on the column's values: the same figures without a pandas copy per step
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    filled = arr[~np.isnan(arr)]
    if not len(filled):
        return None, None, False
    return float(filled.min()), float(filled.max()), bool((filled == np.round(filled)).all())


def _samples(values: pd.Series) -> tuple[Any, ...]:
    out: list[Any] = []
    for v in values.dropna().iloc[:SAMPLES].tolist():
        if isinstance(v, pd.Timestamp | dt.datetime):
            out.append(v.isoformat() if v.time() != dt.time(0) else v.date().isoformat())
        elif isinstance(v, float | np.floating):
            out.append(float(v))
        elif isinstance(v, bool | np.bool_):
            out.append(bool(v))
        else:
            out.append(str(v))
    return tuple(out)


def _pipeline(
    path: PathLike,
    source: DataSource | None,
    sheet: str | None,
    password: str | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> tuple[pd.DataFrame, ValidationReport, WorkbookInspection]:
    file = Path(path)
    header_row = source.header_row if source else None
    loaded = load(file, sheet, password, header_row, progress, cancel)
    return _typed(file, loaded, source, progress, cancel)


def _typed(
    file: Path,
    loaded: Loaded,
    source: DataSource | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> tuple[pd.DataFrame, ValidationReport, WorkbookInspection]:
    """The second half of the pipeline: rows left out, typing, validation, findings."""
    check_cancel(cancel)
    frame = drop_empty_rows(loaded)
    if progress:
        progress(0.85)
    exporter = loaded.spec.exporter
    frame, value_notes = exporter_values.before_typing(exporter, frame)
    order = source.date_order if source else DateOrder.AUTO
    typed_frame, typed = _type_all(loaded, frame, order, cancel)
    value_notes += exporter_values.after_typing(exporter, typed_frame, typed)
    apply_number_formats(loaded.spec.displays, typed_frame, typed)
    value_notes += apply_profile(source, typed_frame, typed)
    # The untyped table is no longer needed: let it go before validation's own work.
    freed = len(frame) * max(len(frame.columns), 1) * 8  # at least its value pointers
    del frame
    loaded.frame = typed_frame.iloc[:0]
    release_free_memory(freed)
    item = source.id if source else file.name
    report = validate(typed_frame, typed, source, item)
    report.dropped = list(loaded.dropped)
    findings: list[Finding] = [Finding(Severity(s), c, item, t) for s, c, t in loaded.findings]
    if exporter is not None:
        findings.append(
            Finding(Severity.INFO, "exporter", item, f"recognised as an export of {exporter}")
        )
    findings += [Finding(Severity(s), c, item, t) for s, c, t in value_notes]
    findings += [Finding(Severity.INFO, "table_layout", item, n) for n in loaded.spec.notes]
    for other in loaded.spec.others:
        findings.append(
            Finding(
                Severity.INFO,
                "other_table",
                item,
                f"another table starts at row {other.header_row + 1} "
                f"({', '.join(other.columns[:4]) or 'no header'}); it was not imported",
            )
        )
    for meta in loaded.sheets:
        if meta.visibility != "visible":
            findings.append(
                Finding(
                    Severity.INFO if meta.name != loaded.sheet else Severity.WARNING,
                    "hidden_sheet",
                    item,
                    f"sheet {meta.name!r} is {meta.visibility}"
                    + (" and is the one imported" if meta.name == loaded.sheet else ""),
                )
            )
    if loaded.dropped:
        findings.append(
            Finding(
                Severity.INFO,
                "dropped_rows",
                item,
                f"{len(loaded.dropped):,} rows left out (empty, repeated header, totals, "
                "footer or malformed); each is listed with its reason",
            )
        )
    if source is not None:
        names = [str(c) for c in typed_frame.columns]
        if source.columns:
            missing, new = column_changes(source, names)
            if missing or new:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "columns_changed",
                        item,
                        "the file's columns changed since the last import: "
                        + (f"missing {', '.join(missing)}" if missing else "")
                        + ("; " if missing and new else "")
                        + (f"new {', '.join(new)}" if new else ""),
                    )
                )
        for role in missing_roles(source, names):
            findings.append(
                Finding(
                    Severity.ERROR,
                    "role_column_missing",
                    item,
                    f"column {role!r} used by the data source is not in the file",
                )
            )
        findings += check_layout(typed_frame, source)
    report.findings = findings + report.findings
    columns = [
        ColumnInfo(
            name,
            col.type.value,
            _samples(typed_frame[name]),
            col.missing,
            col.unparseable + col.errors,
            col.symbol,
            _levels(col, typed_frame[name]),
            *_range(col, typed_frame[name]),
        )
        for name, col in typed.items()
    ]
    spec = loaded.spec
    inspection = WorkbookInspection(
        file=file.name,
        format=loaded.format,
        reader=loaded.reader,
        sheets=loaded.sheets,
        sheet=loaded.sheet,
        header_row=spec.header_row,
        rows=len(typed_frame),
        columns=columns,
        findings=report.findings,
        tables_found=list(spec.others),
        dropped_rows=list(loaded.dropped),
        exporter=exporter,
    )
    if progress:
        progress(1.0)
    return typed_frame, report, inspection


def inspect_workbook(
    path: PathLike,
    *,
    sheet: str | None = None,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> WorkbookInspection:
    """Sheets, the detected table and header, every column's type and counts, findings."""
    _frame, _report, inspection = _pipeline(path, None, sheet, password, progress, cancel)
    return inspection


def import_table(
    path: PathLike,
    source: DataSource,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """The typed table of ``source`` read from ``path``, with its validation report."""
    frame, report, inspection = _pipeline(path, source, source.sheet, password, progress, cancel)
    return ImportResult(frame, report, inspection.columns, inspection)


def import_tables(
    path: PathLike,
    sources: Sequence[DataSource],
    *,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[ImportResult]:
    """The typed tables of several sources read from one file, in the order given.

    The same result as :func:`import_table` for each source, with the file checked and
    opened once for all of them (a design reading six sheets of one workbook).
    """
    file = Path(path)
    wanted = [(s.sheet, s.header_row) for s in sources]
    reading = (lambda f: progress(0.85 * f)) if progress else None
    loads = load_many(file, wanted, password, reading, cancel)
    out: list[ImportResult] = []
    for source, loaded in zip(sources, loads, strict=True):
        frame, report, inspection = _typed(file, loaded, source, None, cancel)
        out.append(ImportResult(frame, report, inspection.columns, inspection))
    if progress:
        progress(1.0)
    return out


def typed_kinds(result: ImportResult) -> dict[str, ColumnType]:
    """Column name → type, for callers that guess roles."""
    return {c.name: ColumnType(c.type) for c in result.columns}


def positions(values: npt.NDArray[np.int64]) -> list[int]:
    return [int(v) for v in values]
