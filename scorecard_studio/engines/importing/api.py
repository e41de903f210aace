"""Inspecting a file and importing one typed table from it: the package's entry points.

Both run the same pipeline — safety checks, the read (in the capped reader process for
workbooks), table detection, dropping only rows that hold no data (each listed with its
reason), typing and validation — so what the wizard previews is what the import yields.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import DataSource, DateOrder
from scorecard_studio.engines.importing.column_types import ColumnType, TypedColumn, type_column
from scorecard_studio.engines.importing.errors import ImportCancelled
from scorecard_studio.engines.importing.guard import FileKind, GuardReport, check_file
from scorecard_studio.engines.importing.isolation import memory_limit, run_isolated, time_limit
from scorecard_studio.engines.importing.layouts import check_layout
from scorecard_studio.engines.importing.mapping import column_changes, missing_roles
from scorecard_studio.engines.importing.memory import release_free_memory
from scorecard_studio.engines.importing.readers import RawRead, SheetMeta
from scorecard_studio.engines.importing.tables import TableFound, TableSpec
from scorecard_studio.engines.importing.validation import DroppedRow, ValidationReport, validate

Progress = Callable[[float], None]
PathLike = str | os.PathLike[str]
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

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "samples": list(self.samples),
            "missing": self.missing,
            "invalid": self.invalid,
        }


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

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "reader": self.reader,
            "sheets": [s.to_json_dict() for s in self.sheets],
            "sheet": self.sheet,
            "header_row": self.header_row,
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


@dataclass(slots=True)
class _Loaded:
    format: str
    reader: str
    sheets: list[SheetMeta]
    sheet: str | None
    spec: TableSpec
    frame: pd.DataFrame
    errors: dict[int, list[int]]  # column index → row positions of Excel error cells
    findings: list[tuple[str, str, str]]
    dropped: list[DroppedRow]


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()


def _load(
    path: Path,
    sheet: str | None,
    password: str | None,
    header_row: int | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> _Loaded:
    report = check_file(path)
    _check(cancel)
    if progress:
        progress(0.05)
    if report.kind is FileKind.TEXT:
        from scorecard_studio.engines.importing.csv_sniff import read_text

        text = read_text(path, header_row)
        meta = SheetMeta(path.stem, "visible", "text", text.records + 1, text.frame.shape[1])
        findings = list(text.findings)
        findings.append(
            (
                "info",
                "text_format",
                f"read as {text.encoding} text, fields separated by "
                f"{'TAB' if text.delimiter == chr(9) else repr(text.delimiter)}, decimal mark "
                f"{text.decimal!r}",
            )
        )
        dropped = [DroppedRow(r, reason) for r, reason in text.dropped]
        return _Loaded("csv", "pyarrow", [meta], None, text.spec, text.frame, {}, findings, dropped)
    raw = _read_large_in_process(path, report, sheet, header_row, progress, cancel)
    if raw is not None:
        table, raw.table = raw.table, None
        frame = _arrow_frame(table, raw.spec.names, release=True)
        del table
        release_free_memory()
    else:
        raw, frame = _read_isolated(path, report, sheet, password, header_row, progress, cancel)
    frame.index = pd.RangeIndex(
        raw.spec.data_start + 1, raw.spec.data_start + 1 + len(frame), name="row"
    )
    errors: dict[int, list[int]] = {}
    for row, col, _code in raw.errors:
        errors.setdefault(col, []).append(row)
    fmt = {"xlsx": "xlsx", "cfb": "xls", "biff": "xls (Excel 2-4)", "ods": "ods"}[report.kind]
    if path.suffix.lower() == ".xlsm":
        fmt = "xlsm"
    return _Loaded(
        fmt, raw.reader, raw.sheets, raw.sheet, raw.spec, frame, errors, list(raw.findings), []
    )


def _read_large_in_process(
    path: Path,
    report: GuardReport,
    sheet: str | None,
    header_row: int | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> RawRead | None:
    """A large plain xlsx sheet read here (see :mod:`.large_xlsx`), or None."""
    if report.kind is not FileKind.XLSX:
        return None
    from scorecard_studio.engines.importing import large_xlsx

    try:
        return large_xlsx.read_in_process(
            path,
            sheet,
            header_row,
            seconds=time_limit(report.size),
            max_bytes=memory_limit(),
            cancel=cancel,
            progress=(lambda f: progress(0.05 + 0.75 * f)) if progress else None,
        )
    except large_xlsx.UnsupportedXmlError:
        return None
    except DataImportError:  # cancelled, too slow, too large, no such sheet: final
        raise
    except Exception:
        # A damaged part (bad CRC, broken XML): the isolated reader judges the file and
        # words the error, as it does for every other workbook.
        return None


def _arrow_frame(table: Any, names: list[str], *, release: bool = False) -> pd.DataFrame:
    """An Arrow table as a DataFrame named after the header, with one block per column.

    One block per column: no consolidation copy of the whole table (time and peak
    memory), and columns without gaps stay views of the Arrow buffers. With ``release``
    (the caller holds the only reference) each column's Arrow memory is freed as soon as
    it is converted, so the table and the frame are not both held whole.
    """
    frame: pd.DataFrame = table.to_pandas(
        date_as_object=False, split_blocks=True, self_destruct=release
    )
    frame.columns = names[: frame.shape[1]]
    return frame


def _read_isolated(
    path: Path,
    report: GuardReport,
    sheet: str | None,
    password: str | None,
    header_row: int | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> tuple[RawRead, pd.DataFrame]:
    """The workbook read in the isolated reader process, and its table as a DataFrame."""
    with tempfile.TemporaryDirectory(prefix="scorecard-import-") as tmp:
        raw: RawRead = run_isolated(
            "read_workbook",
            {
                "path": str(path),
                "kind": report.kind.value,
                "sheet": sheet,
                "password": password,
                "header_row": header_row,
                "out_dir": tmp,
            },
            file_name=path.name,
            size_bytes=report.size,
            work_dir=Path(tmp),
            cancel=cancel,
            progress=(lambda f: progress(0.05 + 0.75 * f)) if progress else None,
        )
        names = raw.spec.names
        if raw.arrow_path is not None:
            import pyarrow as pa

            with pa.memory_map(raw.arrow_path) as source:
                frame = _arrow_frame(pa.ipc.open_file(source).read_all(), names)
        else:
            columns = raw.columns or []
            frame = pd.DataFrame(
                {j: pd.Series(values, dtype=object) for j, values in enumerate(columns)}
            )
            frame.columns = names[: frame.shape[1]]
    return raw, frame


def _drop_empty_rows(loaded: _Loaded) -> pd.DataFrame:
    """Rows with no data and repeated header rows are left out, each listed with a reason."""
    frame = loaded.frame
    if frame.empty:
        return frame
    # A column filled in every row (and not of text that could be blank) means no row is
    # empty: one column's check instead of every cell's.
    full = any(
        frame.iloc[:, j].dtype != object and not frame.iloc[:, j].isna().any()
        for j in range(frame.shape[1])
    )
    empty = np.zeros(len(frame), dtype=bool) if full else frame.isna().all(axis=1).to_numpy().copy()

    def is_text(values: pd.Series) -> bool:
        return values.dtype == object or isinstance(values.dtype, pd.StringDtype)

    text_columns = [c for c in frame.columns if is_text(frame[c])]
    if text_columns and not full and empty.sum() < len(frame):
        # cells of spaces only count as blank, as they do in typing
        blank = np.ones(len(frame), dtype=bool)
        for c in frame.columns:
            values = frame[c]
            if values.dtype == object:
                blank &= values.map(
                    lambda v: v is None or (isinstance(v, str) and not v.strip())
                ).to_numpy(dtype=bool)
            elif is_text(values):
                blank &= (values.isna() | values.str.strip().eq("")).to_numpy(dtype=bool)
            else:
                blank &= values.isna().to_numpy()
        empty |= blank
    for positions in loaded.errors.values():  # an error cell is a value, not a blank
        at = np.asarray(positions, dtype=np.int64)
        empty[at[at < len(empty)]] = False
    header = [str(n).strip().lower() for n in frame.columns]
    text_cols = [
        i
        for i, c in enumerate(frame.columns)
        if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)
    ]
    repeat = np.zeros(len(frame), dtype=bool)
    needed = max(2, int(0.8 * len(frame.columns)))
    if len(text_cols) >= needed:  # else no row can repeat enough header names
        hits = np.zeros(len(frame), dtype=np.int64)
        for i in text_cols:
            text = frame.iloc[:, i].astype("string").str.strip().str.lower()
            hits += text.eq(header[i]).fillna(False).to_numpy(dtype=np.int64)
        repeat = hits >= needed
    rows = frame.index.to_numpy()
    for r in rows[empty].tolist():
        loaded.dropped.append(DroppedRow(int(r), "empty row"))
    for r in rows[repeat & ~empty].tolist():
        loaded.dropped.append(DroppedRow(int(r), "repeats the header row"))
    keep = ~(empty | repeat)
    loaded.dropped.sort(key=lambda d: d.row)
    return frame if keep.all() else frame[keep]


def _type_all(
    loaded: _Loaded, frame: pd.DataFrame, order: DateOrder, cancel: threading.Event | None
) -> tuple[pd.DataFrame, dict[str, TypedColumn]]:
    typed: dict[str, TypedColumn] = {}
    out: dict[str, pd.Series] = {}
    positions = (
        None
        if len(frame) == len(loaded.frame)
        else pd.Index(loaded.frame.index).get_indexer(frame.index)
    )

    def one(j: int) -> TypedColumn:
        _check(cancel)
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
    loaded = _load(file, sheet, password, header_row, progress, cancel)
    _check(cancel)
    frame = _drop_empty_rows(loaded)
    if progress:
        progress(0.85)
    order = source.date_order if source else DateOrder.AUTO
    typed_frame, typed = _type_all(loaded, frame, order, cancel)
    # The untyped table is no longer needed: let it go before validation's own work.
    del frame
    loaded.frame = typed_frame.iloc[:0]
    release_free_memory()
    item = source.id if source else file.name
    report = validate(typed_frame, typed, source, item)
    report.dropped = list(loaded.dropped)
    findings: list[Finding] = [Finding(Severity(s), c, item, t) for s, c, t in loaded.findings]
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
                f"{len(loaded.dropped):,} rows left out (empty, repeated header or malformed); "
                "each is listed with its reason",
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


def typed_kinds(result: ImportResult) -> dict[str, ColumnType]:
    """Column name → type, for callers that guess roles."""
    return {c.name: ColumnType(c.type) for c in result.columns}


def positions(values: npt.NDArray[np.int64]) -> list[int]:
    return [int(v) for v in values]
