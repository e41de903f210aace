"""One xlsx workbook opened once for every sheet read from it.

A design often takes several sheets of one workbook (the sample takes six). Opening the
zip, parsing the sheet list, the styles and the shared-string table are the same work for
each of them, and measuring every sheet that declares no ``<dimension>`` means inflating
all of them: done per sheet, that work cost more than reading the data. An
:class:`XlsxBook` does each of them once, and only when asked: the styles and strings
when a sheet is streamed, a sheet's size when it is listed and was not read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from scorecard_studio.engines.importing.errors import NotASpreadsheetError
from scorecard_studio.engines.importing.readers.sheets import PREVIEW_ROWS, SheetMeta, choose_sheet
from scorecard_studio.engines.importing.readers.xlsx_stream import stream, xlsx_head
from scorecard_studio.engines.importing.readers.xlsx_stream.head_scan import head_grid
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import UnsupportedXmlError
from scorecard_studio.engines.importing.tables.detect import Grid, TableSpec, detect_table

__all__ = ["Plan", "XlsxBook"]


@dataclass(frozen=True, slots=True)
class Plan:
    """The sheet to read, the table found on its first rows, and those rows."""

    sheets: list[SheetMeta]
    chosen: SheetMeta
    part: str
    spec: TableSpec
    preview: Grid  # the first rows, from which the table was found
    origin: int  # the sheet row of the preview's first row
    header_row: int | None  # as the data source sets it

    @property
    def preview_end(self) -> int:
        """The first sheet row (0-based) after the preview."""
        return self.origin + len(self.preview)


class XlsxBook:
    """An open xlsx workbook: its sheets, and the parts every sheet read shares.

    Raises :class:`UnsupportedXmlError` when the file is not a zip at all (the reader
    process judges and words that) and :class:`NotASpreadsheetError` for a damaged sheet
    list.
    """

    def __init__(self, file: Path, zf: zipfile.ZipFile | None = None) -> None:
        self.file = file
        self._own = zf is None
        try:
            self.zf = zf if zf is not None else zipfile.ZipFile(file)
        except zipfile.BadZipFile:
            raise UnsupportedXmlError("a zip archive the reader process should judge") from None
        try:
            self.parts = xlsx_head.sheet_parts(self.zf)
        except Exception as exc:
            self.close()
            raise NotASpreadsheetError(f"{file.name}: damaged workbook part ({exc})") from None
        self._names = set(self.zf.namelist())
        self._sizes: dict[str, tuple[int, int]] = {}  # sheet name -> (rows, columns)
        self._ahead: dict[str, stream.SheetData] = {}  # part -> its data being inflated

    def close(self) -> None:
        for ahead in self._ahead.values():
            ahead.slices.close()
        self._ahead.clear()
        if self._own:
            self.zf.close()

    # --- inflating a sheet read next ------------------------------------------------------

    def inflate_ahead(self, name: str) -> None:
        """Start inflating the data of sheet ``name``, to be read after the current one.

        zlib lets go of the interpreter while it inflates, so the next sheet's XML is
        ready when its read starts instead of its first slice being waited for.
        """
        part = next((p.part for p in self.parts if p.name == name), None)
        if part is not None and part in self._names and part not in self._ahead:
            self._ahead[part] = stream.inflate_ahead(self.zf, part)

    def take_ahead(self, part: str) -> stream.SheetData | None:
        """The data of ``part`` inflated ahead (see :meth:`inflate_ahead`), at most once."""
        return self._ahead.pop(part, None)

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- parts shared by every sheet ----------------------------------------------------

    @cached_property
    def _workbook(self) -> tuple[str, str | None]:
        return stream.workbook_parts(self.zf)

    @cached_property
    def fmt(self) -> stream.SheetFormat:
        return stream.sheet_format(self.zf, self._workbook[0])

    @cached_property
    def strings(self) -> Any:
        return stream.shared_strings(self.zf, self._workbook[1])

    # --- sheets and their sizes ----------------------------------------------------------

    def part_of(self, name: str) -> str:
        return next(p.part for p in self.parts if p.name == name)

    def is_large(self, name: str) -> bool:
        """Whether the sheet is too large for the grid reader (see ``GRID_MAX_PART_BYTES``)."""
        part = self.part_of(name)
        return part in self._names and (
            self.zf.getinfo(part).file_size > xlsx_head.GRID_MAX_PART_BYTES
        )

    def record_size(self, name: str, rows: int, columns: int) -> None:
        """The size of a sheet as its read found it (so it is never measured again)."""
        self._sizes[name] = (rows, columns)

    def size(self, name: str) -> tuple[int, int]:
        """(rows, columns) declared by the sheet, or measured when it declares none."""
        if name not in self._sizes:
            part = self.part_of(name)
            self._sizes[name] = (self._size_of(part) if part in self._names else None) or (0, 0)
        return self._sizes[name]

    def sheet_metas(self, sized: bool = True) -> list[SheetMeta]:
        """Every sheet in tab order; with ``sized``, each with its size."""
        return [
            SheetMeta(p.name, p.visibility, p.kind, *(self.size(p.name) if sized else (0, 0)))
            for p in self.parts
        ]

    def _size_of(self, part: str) -> tuple[int, int] | None:
        return xlsx_head.declared_size(self.zf, part)

    # --- planning a read -----------------------------------------------------------------

    def plan(self, sheet: str | None, header_row: int | None) -> Plan:
        """The sheet to read (named, or the first useful one) and the table on its top."""
        sheets = self.sheet_metas(sized=sheet is None)  # choosing needs sizes, naming not
        chosen = choose_sheet(sheets, sheet, self.file)
        part = self.part_of(chosen.name)
        if part not in self._names:
            raise UnsupportedXmlError("a sheet without its part")
        try:
            preview, r0 = head_grid(self.zf, part, self.strings, PREVIEW_ROWS)
        except UnsupportedXmlError:
            preview, r0 = xlsx_head.head_rows(self.zf, part, PREVIEW_ROWS)
        spec = detect_table(preview, r0, [], header_row)
        return Plan(sheets, chosen, part, spec, preview, r0, header_row)
