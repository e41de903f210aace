"""From a file to its untyped table: safety checks, the read, rows that hold no data.

The first half of the import pipeline (:mod:`.api` runs the rest): the file is checked
(:mod:`.safety.guard`); text is read here (:mod:`.readers.csv_sniff`); a plain xlsx sheet
is streamed here (:mod:`.readers.xlsx_stream`, with the same caps on time and memory);
every other workbook, and an xlsx sheet the stream does not take, is read in the
capped reader process (:mod:`.safety.isolation` running :mod:`.readers.workbook`). The
result, :class:`Loaded`, is the table as text and raw values with the sheet row of each
row, the Excel error cells, the reader's findings, and the rows left out with a reason.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.engines.importing.errors import ImportCancelled
from scorecard_studio.engines.importing.readers.sheets import RawRead, SheetMeta
from scorecard_studio.engines.importing.readers.workbook import read_workbook
from scorecard_studio.engines.importing.safety.guard import FileKind, GuardReport, check_file
from scorecard_studio.engines.importing.safety.isolation import (
    memory_limit,
    run_isolated,
    time_limit,
)
from scorecard_studio.engines.importing.safety.memory import release_free_memory
from scorecard_studio.engines.importing.tables.detect import TableSpec
from scorecard_studio.engines.importing.tables.exporters import workbook_exporter
from scorecard_studio.engines.importing.tables.footers import trailing_footers
from scorecard_studio.engines.importing.validation.report import DroppedRow

if TYPE_CHECKING:
    from scorecard_studio.engines.importing.readers.xlsx_stream.book import XlsxBook

Progress = Callable[[float], None]
PathLike = str | os.PathLike[str]

#: xlsx sheets of every size are streamed in this process (the reader process takes the
#: sheets the stream refuses); tests turn it off to compare with the grid reader.
STREAM_XLSX = True


@dataclass(slots=True)
class Loaded:
    """The table as read, before typing, with what the read noticed."""

    format: str
    reader: str
    sheets: list[SheetMeta]
    sheet: str | None
    spec: TableSpec
    frame: pd.DataFrame
    errors: dict[int, list[int]]  # column index → row positions of Excel error cells
    findings: list[tuple[str, str, str]]
    dropped: list[DroppedRow]


def check_cancel(cancel: threading.Event | None) -> None:
    """Stop between steps once the user has cancelled."""
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()


def load(
    path: Path,
    sheet: str | None,
    password: str | None,
    header_row: int | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> Loaded:
    return load_many(path, [(sheet, header_row)], password, progress, cancel)[0]


def load_many(
    path: Path,
    wanted: Sequence[tuple[str | None, int | None]],
    password: str | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> list[Loaded]:
    """The tables of several sheets of one file: (sheet, header row) each, in order.

    The file is checked once, and an xlsx workbook is opened once for all of them
    (:class:`.readers.xlsx_stream.book.XlsxBook`): its sheet list, styles and strings are
    read once, and sheets that were read are never measured again to be listed.
    """
    report = check_file(path)
    check_cancel(cancel)
    if progress:
        progress(0.05)
    if report.kind is FileKind.TEXT:
        return [_load_text(path, sheet, header_row) for sheet, header_row in wanted]
    book = _open_book(path, report)
    out: list[Loaded] = []
    streamed: list[Loaded] = []
    try:
        for i, (sheet, header_row) in enumerate(wanted):
            share = _share(progress, i, len(wanted))
            following = wanted[i + 1][0] if i + 1 < len(wanted) else None
            if book is not None and STREAM_XLSX and following is not None:
                book.inflate_ahead(following)  # inflated while this sheet is read
            raw = _read_in_process(path, report, book, sheet, header_row, share, cancel)
            if raw is not None:
                table, raw.table = raw.table, None
                freed = table.nbytes
                frame = _arrow_frame(table, raw.spec.names, release=True)
                del table
                release_free_memory(freed)
            else:
                raw, frame = _read_isolated(
                    path, report, sheet, password, header_row, share, cancel
                )
            out.append(_loaded(path, report, raw, frame))
            if raw.reader == "xml-stream":
                streamed.append(out[-1])
        if book is not None and streamed:
            sheets = book.sheet_metas()  # sizes of the sheets read are known by now
            for loaded in streamed:
                loaded.sheets = sheets
    finally:
        if book is not None:
            book.close()
    return out


def _share(progress: Progress | None, i: int, n: int) -> Progress | None:
    """The progress of the ``i``-th of ``n`` reads as a share of the whole read (0.05-0.8)."""
    if progress is None:
        return None
    return lambda f: progress(0.05 + 0.75 * (i + f) / n)


def _load_text(path: Path, sheet: str | None, header_row: int | None) -> Loaded:
    from scorecard_studio.engines.importing.readers import text_sections
    from scorecard_studio.engines.importing.readers.csv_sniff import read_text

    sections = text_sections.sections_of(path)
    if sections:
        section = text_sections.choose(sections, sheet, path.name)
        frame, spec = text_sections.read_section(section, header_row)
        metas = [s.meta() for s in sections]
        found = [("info", "text_tables", f"{len(sections)} tables in the file, one per sheet")]
        return Loaded("csv", "csv-sections", metas, section.name, spec, frame, {}, found, [])
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
    return Loaded("csv", "pyarrow", [meta], None, text.spec, text.frame, {}, findings, dropped)


def _loaded(path: Path, report: GuardReport, raw: RawRead, frame: pd.DataFrame) -> Loaded:
    raw.spec.exporter = raw.spec.exporter or workbook_exporter([s.name for s in raw.sheets])
    frame.index = pd.RangeIndex(
        raw.spec.data_start + 1, raw.spec.data_start + 1 + len(frame), name="row"
    )
    errors: dict[int, list[int]] = {}
    for row, col, _code in raw.errors:
        errors.setdefault(col, []).append(row)
    fmt = {"xlsx": "xlsx", "cfb": "xls", "biff": "xls (Excel 2-4)", "ods": "ods"}[report.kind]
    if path.suffix.lower() == ".xlsm":
        fmt = "xlsm"
    return Loaded(
        fmt, raw.reader, raw.sheets, raw.sheet, raw.spec, frame, errors, list(raw.findings), []
    )


def _open_book(path: Path, report: GuardReport) -> XlsxBook | None:
    """The xlsx workbook opened for the streaming reader, or None (not xlsx, or damaged)."""
    if report.kind is not FileKind.XLSX:
        return None
    from scorecard_studio.engines.importing.readers.xlsx_stream import large_xlsx

    try:
        return large_xlsx.XlsxBook(path)
    except Exception:
        return None  # the isolated reader judges the file and words the error


def _read_in_process(
    path: Path,
    report: GuardReport,
    book: XlsxBook | None,
    sheet: str | None,
    header_row: int | None,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> RawRead | None:
    """An xlsx sheet read here (see :mod:`.readers.xlsx_stream`), or None."""
    if book is None or not STREAM_XLSX:
        return None
    from scorecard_studio.engines.importing.readers.xlsx_stream import large_xlsx

    try:
        return large_xlsx.read_in_process(
            path,
            sheet,
            header_row,
            seconds=time_limit(report.size),
            max_bytes=memory_limit(),
            cancel=cancel,
            progress=progress,
            book=book,
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
            read_workbook,
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


def drop_empty_rows(loaded: Loaded) -> pd.DataFrame:
    """Rows that are not records are left out, each listed with a reason.

    Rows with no data, rows repeating the header, and the totals and footer rows ending
    the table (:mod:`.tables.footers`).
    """
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
    kept = frame if keep.all() else frame[keep]
    footers = trailing_footers(kept, loaded.spec.exporter)
    if footers:  # totals and footer lines end the table: listed, never records
        kept_rows = kept.index.to_numpy()
        for position, reason in footers:
            loaded.dropped.append(DroppedRow(int(kept_rows[position]), reason))
        kept = kept.iloc[: footers[0][0]]
    loaded.dropped.sort(key=lambda d: d.row)
    return kept
