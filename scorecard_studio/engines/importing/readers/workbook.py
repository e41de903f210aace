"""Reading one table out of a workbook; runs inside the isolated reader process.

Which reader, and why:

* xlsx/xlsm sheets are streamed in the importing process (:mod:`.xlsx_stream.large_xlsx`);
  a sheet that reader does not take on comes here. Up to
  :data:`.xlsx_stream.xlsx_head.GRID_MAX_PART_BYTES` of sheet XML: python-calamine,
  opened by path so its own errors survive, read whole as a grid; error cells (which
  calamine shows as empty) are found in the sheet XML. If calamine refuses the file,
  openpyxl (read-only, values only) is tried. Larger: fastexcel reads just the table into
  Arrow in one pass and writes it to an IPC file.
* xls: xlrd first — calamine truncates long strings split over CONTINUE records and keeps
  NUL bytes in some headers — then python-calamine when xlrd rejects a damaged container.
* Excel 2.x-4.0 worksheets (bare BIFF2-4 streams): xlrd, the only reader of them.
* ods: python-calamine (it refuses repeat-count bombs; odfpy would expand them); an
  encrypted one is decrypted first (:mod:`..safety.odf_encryption`) and the plain copy
  passes the safety checks of :mod:`..safety.guard` again.

Nothing here imports pandas, so the reader process starts quickly.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.engines.importing.columns.cells import ERROR_CODES, ExcelError
from scorecard_studio.engines.importing.errors import NotASpreadsheetError, PasswordRequiredError
from scorecard_studio.engines.importing.readers.sheets import (
    RawRead,
    SheetMeta,
    calamine_error,
    choose_sheet,
)
from scorecard_studio.engines.importing.readers.xlsx_stream import xlsx_head
from scorecard_studio.engines.importing.safety.encryption import decrypt_if_needed
from scorecard_studio.engines.importing.safety.guard import check_file
from scorecard_studio.engines.importing.safety.odf_encryption import decrypt_ods, is_encrypted_ods
from scorecard_studio.engines.importing.tables.detect import Grid, Merge, detect_table


def read_workbook(
    path: str,
    kind: str,
    sheet: str | None,
    password: str | None,
    header_row: int | None,
    out_dir: str,
) -> RawRead:
    """Entry point of the reader process for every workbook format."""
    file = Path(path)
    findings: list[tuple[str, str, str]] = []
    if kind == "cfb":
        file, note = decrypt_if_needed(file, password, Path(out_dir))
        if note == "default":
            findings.append(
                ("info", "default_password", "opened with Excel's built-in default password")
            )
        if file != Path(path):
            # the decrypted workbook gets the same safety checks as any file
            kind = check_file(file).kind.value
    if kind == "ods" and is_encrypted_ods(file):
        file = decrypt_ods(file, password, Path(out_dir))
        kind = check_file(file).kind.value
        if kind != "ods" or is_encrypted_ods(file):
            raise NotASpreadsheetError(
                f"{file.name}: the decrypted package is not a plain OpenDocument spreadsheet"
            )
    if kind == "xlsx":
        raw = _read_xlsx(file, sheet, header_row, Path(out_dir))
    elif kind in {"cfb", "biff"}:
        raw = _read_xls(file, sheet, header_row, biff_only=kind == "biff")
    elif kind == "ods":
        raw = _read_calamine(file, sheet, header_row, None)
    else:
        raise NotASpreadsheetError(f"{file.name}: unsupported format {kind}")
    raw.findings[:0] = findings
    return raw


# --- python-calamine grid ---------------------------------------------------------------

_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}
_KINDS = {
    "WorkSheet": "worksheet",
    "ChartSheet": "chartsheet",
    "MacroSheet": "macrosheet",
    "DialogSheet": "dialogsheet",
    "Vba": "vba",
}


def _calamine_sheets(wb: Any, sizes: dict[str, tuple[int, int]] | None) -> list[SheetMeta]:
    out = []
    for meta in wb.sheets_metadata:
        vis = _VISIBILITY.get(str(meta.visible).rsplit(".", 1)[-1], "visible")
        kind = _KINDS.get(str(meta.typ).rsplit(".", 1)[-1], "worksheet")
        rows = cols = 0
        if sizes is not None:
            rows, cols = sizes.get(meta.name, (0, 0))
        elif kind == "worksheet":
            try:
                ws = wb.get_sheet_by_name(meta.name)
                rows, cols = ws.height, ws.width
            except Exception:  # a sheet calamine cannot parse still gets listed
                rows = cols = 0
        out.append(SheetMeta(meta.name, vis, kind, rows, cols))
    return out


def _read_calamine(
    file: Path,
    sheet: str | None,
    header_row: int | None,
    zf: zipfile.ZipFile | None,
    parts: dict[str, str] | None = None,
    sizes: dict[str, tuple[int, int]] | None = None,
) -> RawRead:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(file))
        sheets = _calamine_sheets(wb, sizes)
        chosen = choose_sheet(sheets, sheet, file)
        ws = wb.get_sheet_by_name(chosen.name)
        data = ws.to_python(skip_empty_area=True)
        start = ws.start
        merged = list(ws.merged_cell_ranges or [])
    except DataImportError:
        raise
    except BaseException as exc:  # CalamineError, PanicException
        raise calamine_error(file, exc) from None
    r0, c0 = start if start else (0, 0)
    grid: Grid = [[None] * c0 + [None if v == "" else v for v in row] for row in data]
    merges: list[Merge] = [(a[0], a[1], b[0], b[1]) for a, b in merged]
    findings: list[tuple[str, str, str]] = []
    if zf is not None and parts is not None and chosen.name in parts:
        for (r, c), code in xlsx_head.error_cells(
            zf, parts[chosen.name], xlsx_head.GRID_MAX_PART_BYTES
        ).items():
            if 0 <= r - r0 < len(grid):
                row = grid[r - r0]
                if c >= len(row):
                    row.extend([None] * (c + 1 - len(row)))
                row[c] = ExcelError(code)
    meta = SheetMeta(chosen.name, chosen.visibility, chosen.kind, len(grid) + r0, ws.width + c0)
    sheets = [meta if s.name == chosen.name else s for s in sheets]
    return _from_grid(grid, r0, merges, header_row, sheets, chosen.name, "calamine", findings)


def _from_grid(
    grid: Grid,
    r0: int,
    merges: list[Merge],
    header_row: int | None,
    sheets: list[SheetMeta],
    name: str,
    reader: str,
    findings: list[tuple[str, str, str]],
) -> RawRead:
    spec = detect_table(grid, r0, merges, header_row)
    lo, hi = spec.first_column, spec.last_column
    start = spec.data_start - r0
    end = len(grid) if spec.data_end is None else spec.data_end - r0
    rows = grid[start:end]
    filled = _fill_merged_data(rows, merges, spec.data_start, lo, hi)
    if filled:
        findings.append(
            (
                "info",
                "merged_data_cells",
                f"{filled:,} cells inside merged ranges take the value shown across the merge",
            )
        )
    columns = [[row[c] if c < len(row) else None for row in rows] for c in range(lo, hi + 1)]
    return RawRead(sheets, name, spec, reader, columns=columns, n_rows=len(rows), findings=findings)


def _fill_merged_data(rows: Grid, merges: list[Merge], first: int, lo: int, hi: int) -> int:
    filled = 0
    for r1, c1, r2, c2 in merges:
        if r2 < first or r1 - first >= len(rows) or (r1 == r2 and c1 == c2):
            continue
        if r1 < first:
            continue  # a merge that starts in the header
        value = rows[r1 - first][c1] if c1 < len(rows[r1 - first]) else None
        if value is None:
            continue
        for r in range(r1, min(r2, first + len(rows) - 1) + 1):
            row = rows[r - first]
            for c in range(max(c1, lo), min(c2, hi) + 1):
                if (r, c) != (r1, c1):
                    if c >= len(row):
                        row.extend([None] * (c + 1 - len(row)))
                    if row[c] is None:
                        row[c] = value
                        filled += 1
    return filled


# --- xlsx -------------------------------------------------------------------------------


def _read_xlsx(file: Path, sheet: str | None, header_row: int | None, out_dir: Path) -> RawRead:
    try:
        zf = zipfile.ZipFile(file)
    except zipfile.BadZipFile as exc:
        raise NotASpreadsheetError(f"{file.name}: damaged zip archive ({exc})") from None
    with zf:
        try:
            sheet_parts = xlsx_head.sheet_parts(zf)
        except Exception as exc:
            raise NotASpreadsheetError(f"{file.name}: damaged workbook part ({exc})") from None
        if xlsx_head.is_large(zf, sheet_parts, sheet):
            # a large sheet the streaming reader refused (the import tried it first)
            from scorecard_studio.engines.importing.readers.xlsx_stream import large_xlsx

            raw = large_xlsx.read_in_child(file, zf, sheet, header_row, out_dir)
            if raw is not None:
                return raw
        parts = {p.name: p.part for p in sheet_parts}
        sizes: dict[str, tuple[int, int]] = {}
        for name, part in parts.items():
            size = xlsx_head.declared_size(zf, part) if part else None
            sizes[name] = size or (0, 0)
        try:
            return _read_calamine(file, sheet, header_row, zf, parts, sizes)
        except NotASpreadsheetError as first:
            try:
                raw = _read_openpyxl(file, sheet, header_row)
            except DataImportError:
                raise
            except Exception:
                raise first from None
            raw.findings.append(
                (
                    "warning",
                    "fallback_reader",
                    f"the fast reader refused the file ({first}); read with openpyxl instead",
                )
            )
            return raw


def _read_openpyxl(file: Path, sheet: str | None, header_row: int | None) -> RawRead:
    import openpyxl

    wb = openpyxl.load_workbook(file, read_only=True, data_only=True, keep_links=False)
    try:
        # Every sheet is measured as the chosen one is read (its rows up to the last
        # filled one, and the widest of them), so the sheet list gives real sizes, and a
        # sheet with data can be chosen over an empty cover sheet.
        sheets = []
        for ws in wb.worksheets:
            state = ws.sheet_state if ws.sheet_state in {"hidden", "veryHidden"} else "visible"
            rows, width = _openpyxl_size(ws)
            sheets.append(SheetMeta(ws.title, state, "worksheet", rows, width))
        chosen = choose_sheet(sheets, sheet, file)
        grid: Grid = []
        for row in wb[chosen.name].iter_rows(values_only=True):
            grid.append([_openpyxl_value(v) for v in row])
        del grid[chosen.rows :]  # the empty rows after the last filled one
    finally:
        wb.close()
    return _from_grid(grid, 0, [], header_row, sheets, chosen.name, "openpyxl", [])


def _openpyxl_size(ws: Any) -> tuple[int, int]:
    """Rows up to the last one holding a value, and the widest of those rows."""
    rows = width = widest = 0
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        widest = max(widest, len(row))
        if any(_openpyxl_value(v) is not None for v in row):
            rows, width = number, widest
    return rows, width


def _openpyxl_value(value: object) -> object:
    if isinstance(value, str):
        if value in ERROR_CODES:
            return ExcelError(value)
        return value if value != "" else None
    return value


class _Quiet:
    """A log sink for xlrd, which otherwise prints container warnings to stdout."""

    def write(self, text: str) -> int:
        return len(text)


_QUIET = _Quiet()


# --- xls --------------------------------------------------------------------------------


def _read_xls(file: Path, sheet: str | None, header_row: int | None, biff_only: bool) -> RawRead:
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(
                str(file), formatting_info=True, on_demand=True, logfile=_QUIET, verbosity=0
            )
        except (NotImplementedError, xlrd.XLRDError) as exc:
            if "encrypted" in str(exc).lower():
                raise
            book = xlrd.open_workbook(str(file), on_demand=True, logfile=_QUIET, verbosity=0)
    except Exception as exc:
        if "encrypted" in str(exc).lower():
            raise PasswordRequiredError() from None
        if biff_only:
            raise NotASpreadsheetError(f"{file.name}: cannot be read ({exc})") from None
        raw = _read_calamine(file, sheet, header_row, None)
        raw.reader = "calamine"
        return raw
    try:
        return _xlrd_table(book, file, sheet, header_row)
    except DataImportError:
        raise
    except Exception as exc:
        if biff_only:
            raise NotASpreadsheetError(f"{file.name}: cannot be read ({exc})") from None
        return _read_calamine(file, sheet, header_row, None)
    finally:
        book.release_resources()


def _xlrd_table(book: Any, file: Path, sheet: str | None, header_row: int | None) -> RawRead:
    import xlrd

    visibility = {0: "visible", 1: "hidden", 2: "veryHidden"}
    sheets: list[SheetMeta] = []
    for i, name in enumerate(book.sheet_names()):
        sh = book.sheet_by_index(i)
        sheets.append(
            SheetMeta(
                name, visibility.get(sh.visibility, "visible"), "worksheet", sh.nrows, sh.ncols
            )
        )
    chosen = choose_sheet(sheets, sheet, file)
    sh = book.sheet_by_name(chosen.name)
    grid: Grid = []
    findings: list[tuple[str, str, str]] = []
    odd_dates = 0
    for r in range(sh.nrows):
        row: list[object] = []
        for c in range(sh.ncols):
            ctype = sh.cell_type(r, c)
            value = sh.cell_value(r, c)
            if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            elif ctype == xlrd.XL_CELL_TEXT:
                text = str(value).replace("\x00", "")
                row.append(text if text != "" else None)
            elif ctype == xlrd.XL_CELL_NUMBER:
                row.append(float(value))
            elif ctype == xlrd.XL_CELL_DATE:
                converted = _xls_date(float(value), book.datemode)
                if isinstance(converted, float):
                    odd_dates += 1
                row.append(converted)
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(value))
            elif ctype == xlrd.XL_CELL_ERROR:
                row.append(ExcelError(xlrd.error_text_from_code.get(value, "#VALUE!")))
            else:
                row.append(value)
        grid.append(row)
    if odd_dates:
        findings.append(
            (
                "warning",
                "negative_date_serial",
                f"{odd_dates:,} date-formatted cells hold negative serial numbers; they are "
                "kept as numbers",
            )
        )
    merges: list[Merge] = [(a, c, b - 1, d - 1) for a, b, c, d in getattr(sh, "merged_cells", [])]
    return _from_grid(grid, 0, merges, header_row, sheets, chosen.name, "xlrd", findings)


def _xls_date(value: float, datemode: int) -> object:
    """A date cell as a date, datetime or time of day; negative serials stay numbers."""
    if value < 0:
        return value
    epoch = dt.datetime(1904, 1, 1) if datemode else dt.datetime(1899, 12, 30)
    if value < 1:
        seconds = round(value * 86400)
        return dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    if not datemode and value < 61:
        value += 1  # Excel's fictitious 1900-02-29 shifts serials before March 1900
    stamp = epoch + dt.timedelta(days=value)
    return stamp.replace(microsecond=round(stamp.microsecond / 1000) * 1000 % 1000000)
