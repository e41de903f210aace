"""Spreadsheet and CSV import that never loses or invents a value.

Public API (what the import wizard and the CLI call):

* :func:`inspect_workbook` — sheets, the detected table and header, each column's type with
  samples and counts, findings; nothing is kept.
* :func:`import_table` — the typed table of one data source with its validation report;
  :func:`import_tables` the same for several sources of one file, opened once.
* :func:`column_changes` — columns missing or new in a refreshed file;
  :func:`unmapped_tiers` — tier values a source's profile does not map.
* :func:`join_sources` — several sources joined on a normalised customer key.
* the errors, all :class:`~scorecard_studio.domain.errors.DataImportError` subclasses.

The package is split by stage, in the order a file goes through them:

* :mod:`.safety` — the cheap checks every file gets first (:mod:`.safety.guard`), the
  capped reader process (:mod:`.safety.isolation`), decryption, and handing memory back;
* :mod:`.readers` — a workbook or text file to a raw table (:mod:`.readers.workbook` in
  the reader process, :mod:`.readers.csv_sniff`, and the streaming xlsx reader
  :mod:`.readers.xlsx_stream` for xlsx sheets);
* :mod:`.tables` — where the table and its header are on a sheet, and layout checks;
* :mod:`.columns` — each column's type, from raw cells to typed values;
* :mod:`.validation` — the report, column changes since the last import, and joins.

:mod:`.loading` runs the first three for one file, :mod:`.api` the rest; both are
reached through the names below, which are the only ones callers outside the package use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scorecard_studio.engines.importing.api import (
        ColumnInfo as ColumnInfo,
    )
    from scorecard_studio.engines.importing.api import (
        ImportResult as ImportResult,
    )
    from scorecard_studio.engines.importing.api import (
        SheetInfo as SheetInfo,
    )
    from scorecard_studio.engines.importing.api import (
        WorkbookInspection as WorkbookInspection,
    )
    from scorecard_studio.engines.importing.api import (
        import_table as import_table,
    )
    from scorecard_studio.engines.importing.api import (
        import_tables as import_tables,
    )
    from scorecard_studio.engines.importing.api import (
        inspect_workbook as inspect_workbook,
    )
    from scorecard_studio.engines.importing.errors import (
        FileTooLargeError as FileTooLargeError,
    )
    from scorecard_studio.engines.importing.errors import (
        ImportCancelled as ImportCancelled,
    )
    from scorecard_studio.engines.importing.errors import (
        NotASpreadsheetError as NotASpreadsheetError,
    )
    from scorecard_studio.engines.importing.errors import (
        PasswordRequiredError as PasswordRequiredError,
    )
    from scorecard_studio.engines.importing.errors import (
        UnsafeFileError as UnsafeFileError,
    )
    from scorecard_studio.engines.importing.errors import (
        UnsupportedEncryptionError as UnsupportedEncryptionError,
    )
    from scorecard_studio.engines.importing.errors import (
        WrongPasswordError as WrongPasswordError,
    )
    from scorecard_studio.engines.importing.validation.joining import JoinResult as JoinResult
    from scorecard_studio.engines.importing.validation.joining import join_sources as join_sources
    from scorecard_studio.engines.importing.validation.mapping import (
        column_changes as column_changes,
    )
    from scorecard_studio.engines.importing.validation.profile import (
        unmapped_tiers as unmapped_tiers,
    )
    from scorecard_studio.engines.importing.validation.report import (
        ValidationReport as ValidationReport,
    )

#: Where each public name lives. Imported on first use, so the reader process (which
#: imports :mod:`.readers.workbook` from this package) never pays for pandas.
_WHERE = {
    "ColumnInfo": "api",
    "ImportResult": "api",
    "SheetInfo": "api",
    "WorkbookInspection": "api",
    "import_table": "api",
    "import_tables": "api",
    "inspect_workbook": "api",
    "FileTooLargeError": "errors",
    "ImportCancelled": "errors",
    "NotASpreadsheetError": "errors",
    "PasswordRequiredError": "errors",
    "UnsafeFileError": "errors",
    "UnsupportedEncryptionError": "errors",
    "WrongPasswordError": "errors",
    "JoinResult": "validation.joining",
    "join_sources": "validation.joining",
    "column_changes": "validation.mapping",
    "unmapped_tiers": "validation.profile",
    "ValidationReport": "validation.report",
}

__all__ = [  # noqa: RUF022 - grouped as in _WHERE
    "ColumnInfo",
    "ImportResult",
    "SheetInfo",
    "WorkbookInspection",
    "import_table",
    "import_tables",
    "inspect_workbook",
    "FileTooLargeError",
    "ImportCancelled",
    "NotASpreadsheetError",
    "PasswordRequiredError",
    "UnsafeFileError",
    "UnsupportedEncryptionError",
    "WrongPasswordError",
    "JoinResult",
    "join_sources",
    "column_changes",
    "unmapped_tiers",
    "ValidationReport",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
