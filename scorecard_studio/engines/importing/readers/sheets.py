"""What every reader hands back, and the choices all readers make alike.

The grid readers (:mod:`.workbook`) and the streaming xlsx reader
(:mod:`.xlsx_stream.large_xlsx`) both describe the sheets they saw as :class:`SheetMeta`,
return a :class:`RawRead`, pick the sheet to import with :func:`choose_sheet` and word a
library's refusal with :func:`calamine_error`. Living here, neither reader imports the other
for them. Nothing here imports pandas (the reader process imports this module).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    NotASpreadsheetError,
    PasswordRequiredError,
)
from scorecard_studio.engines.importing.tables.detect import TableSpec
from scorecard_studio.engines.importing.tables.exporters import preferred_sheet

#: Rows read to find the header of a large sheet.
PREVIEW_ROWS = 200


@dataclass(frozen=True, slots=True)
class SheetMeta:
    """One sheet of a workbook as the wizard lists it (sizes as declared or as read)."""

    name: str
    visibility: str  # visible, hidden, veryHidden
    kind: str  # worksheet, chartsheet, macrosheet, dialogsheet
    rows: int
    columns: int

    def to_json_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "visibility": self.visibility,
            "type": self.kind,
            "rows": self.rows,
            "columns": self.columns,
        }


@dataclass(slots=True)
class RawRead:
    """What the reader process hands back: the sheets, the table found and its cells."""

    sheets: list[SheetMeta]
    sheet: str
    spec: TableSpec
    reader: str
    columns: list[list[object]] | None = None  # grid path: data values per column
    arrow_path: str | None = None  # Arrow path: IPC file with one column per name
    table: Any = None  # read in the importing process: the Arrow table itself
    n_rows: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, code)
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # severity, code, text


def choose_sheet(sheets: list[SheetMeta], wanted: str | None, file: Path) -> SheetMeta:
    """The sheet asked for (exact name first, then ignoring case), else the first useful one.

    Without a name: the exporter's data sheet when it puts a cover sheet first (Google
    Analytics' Summary), else the first visible worksheet holding data, so a hidden scratch
    sheet or an empty cover sheet in front is not what gets imported.
    """
    work = [s for s in sheets if s.kind == "worksheet"]
    if wanted is not None:
        match = [s for s in sheets if s.name == wanted] or [
            s for s in sheets if s.name.casefold() == wanted.casefold()
        ]
        if match:
            return match[0]
        names = ", ".join(repr(s.name) for s in sheets) or "none"
        raise DataImportError(f"{file.name}: no sheet named {wanted!r} (sheets: {names})")
    if not work:
        raise NotASpreadsheetError(f"{file.name}: the workbook has no worksheet")
    visible = [s for s in work if s.visibility == "visible"]
    data_sheet = preferred_sheet([s.name for s in sheets])
    if data_sheet is not None and any(s.name == data_sheet for s in visible):
        return next(s for s in visible if s.name == data_sheet)
    with_data = [s for s in visible if s.rows and s.columns]
    return (with_data or visible or work)[0]


def calamine_error(file: Path, exc: BaseException) -> DataImportError:
    """A reader library's refusal as the user's error: too large, encrypted, or unreadable."""
    text = " ".join(str(exc).split())
    if "Cell limit exceeded" in text or "too large" in text.lower():
        return FileTooLargeError(f"{file.name}: {text}")
    if "password" in text.lower() or "encrypt" in text.lower():
        return PasswordRequiredError()
    return NotASpreadsheetError(f"{file.name}: cannot be read ({text[:300]})")
