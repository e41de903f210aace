"""Safety checks: hostile files end with a clear one-line error, fast, before any reader."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    NotASpreadsheetError,
    UnsafeFileError,
)
from scorecard_studio.engines.importing.safety.guard import FileKind, check_file, column_number


@pytest.mark.parametrize(
    ("relative", "error", "fragment"),
    [
        ("spreadsheets/generated/huge_dimension.xlsx", FileTooLargeError, "16,384 columns"),
        ("spreadsheets/generated/zip_bomb.xlsx", UnsafeFileError, "zip bomb"),
        ("spreadsheets/poi/poc-xmlbomb.xlsx", UnsafeFileError, "entities"),
        ("spreadsheets/poi/poc-shared-strings.xlsx", UnsafeFileError, "shared-string bomb"),
        ("spreadsheets/openpyxl/null_file.xlsx", NotASpreadsheetError, "empty"),
        ("spreadsheets/openpyxl/null_archive.xlsx", NotASpreadsheetError, "without a workbook"),
        ("spreadsheets/sheetjs/1904.xlsb", NotASpreadsheetError, "xlsb"),
    ],
)
def test_hostile_files_are_refused_quickly(
    corpus_dir: Path, relative: str, error: type[Exception], fragment: str
) -> None:
    start = time.monotonic()
    with pytest.raises(error) as caught:
        check_file(corpus_dir / relative)
    assert time.monotonic() - start < 5
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


def test_gnumeric_whole_grid_dimension_is_checked_against_real_cells(corpus_dir: Path) -> None:
    # issue_174.xlsx declares A1:XFD1048576 but holds a small table.
    report = check_file(corpus_dir / "spreadsheets/calamine/issue_174.xlsx")
    assert report.kind is FileKind.XLSX


def test_kinds_come_from_bytes_not_names(corpus_dir: Path) -> None:
    assert check_file(corpus_dir / "spreadsheets/poi/protected_passtika.xlsx").kind is FileKind.CFB
    assert check_file(corpus_dir / "spreadsheets/poi/testEXCEL_4.xls").kind is FileKind.BIFF
    assert check_file(corpus_dir / "spreadsheets/sheetjs/merge_cells.ods").kind is FileKind.ODS
    assert check_file(corpus_dir / "spreadsheets/calamine/too_small.xls").kind is FileKind.TEXT


def test_doctype_in_any_part_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x/>',
        )
    with pytest.raises(UnsafeFileError, match="entities"):
        check_file(path)


def test_column_numbers() -> None:
    assert column_number("A") == 1
    assert column_number("Z") == 26
    assert column_number("AA") == 27
    assert column_number("XFD") == 16384
