"""Every file of the corpus: its expected outcome, within time, never a crash or traceback.

The table was checked by hand against the corpus notes (SOURCES.md): hostile files end in
the error naming the attack, encrypted files ask for their password, and readable files
give the table the detected header describes (rows are data rows under the header).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.domain.model import DataSource
from scorecard_studio.engines.importing import import_table, inspect_workbook
from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    NotASpreadsheetError,
    PasswordRequiredError,
    UnsafeFileError,
    WrongPasswordError,
)

#: (path under the corpus, data rows, columns, expected error)
EXPECTED: list[tuple[str, int | None, int | None, type[DataImportError] | None]] = [
    # Vendor exports, counted by hand (SOURCES.md beside them): data rows are responses or
    # records, never header, totals or footer rows; columns as the exporter wrote them.
    # Google Analytics: Dataset1, the first data sheet after the Summary sheet, holds
    # 1,000 search terms × 7 columns; its unlabelled totals row is not a term.
    (
        "exports/google-analytics/Analytics All Web Site Data Search Terms 20180513-20190513.xlsx",
        1000,
        7,
        None,
    ),
    ("exports/google-forms/responses.csv", 125, 25, None),
    ("exports/jira/Jira.csv", 104, 49, None),
    ("exports/qualtrics/Sample_Survey (Insights).csv", 5, 190, None),
    ("exports/qualtrics/sample.csv", 1, 20, None),
    # 16 fields a line, the last one empty everywhere (every line ends in a comma)
    ("exports/qualtrics/sample_legacy.csv", 1, 15, None),
    ("exports/salesforce/Account.csv", 83, 66, None),
    ("exports/salesforce/Contact.csv", 133, 61, None),
    ("exports/stripe/checkout_service__unified_payments.csv", 6, 21, None),
    ("exports/stripe/unified_payments.csv", 1, 79, None),
    ("exports/surveymonkey/StarWars.csv", 1186, 38, None),
    ("exports/surveymonkey/steak-risk-survey.csv", 550, 15, None),
    ("datasets/telco-customer-churn/Telco-Customer-Churn.csv", 7043, 21, None),
    ("spreadsheets/calamine/OOM_alloc.xls", 17, 7, None),
    ("spreadsheets/calamine/covered.ods", 2, 1, None),
    ("spreadsheets/calamine/date_1904.xlsx", 3, 2, None),
    ("spreadsheets/calamine/gh548_incorrect_sst_unique_count.xls", 56, 26, None),
    ("spreadsheets/calamine/has_x000D_.xlsx", 0, 1, None),
    ("spreadsheets/calamine/inlineStr_cdata.xlsx", 1, 2, None),
    ("spreadsheets/calamine/issue_174.xlsx", 1, 11, None),
    ("spreadsheets/calamine/issue_261.xlsx", 51, 7, None),
    ("spreadsheets/calamine/issue_261_fixed_by_excel.xlsx", 51, 7, None),
    ("spreadsheets/calamine/issue_271.xls", 1, 2, None),
    ("spreadsheets/calamine/issue_385.xls", 0, 0, None),
    ("spreadsheets/calamine/issue_594_dos.ods", None, None, FileTooLargeError),
    ("spreadsheets/calamine/malformed_format.xls", 35, 24, None),
    ("spreadsheets/calamine/merged_range.xlsx", 2, 4, None),
    ("spreadsheets/calamine/multi-empty.ods", 5, 1, None),
    ("spreadsheets/calamine/nonstandard-xml-ns-prefix.xlsx", 2, 2, None),
    ("spreadsheets/calamine/number_rows_repeated.ods", 4, 2, None),
    ("spreadsheets/calamine/pass_protected.ods", None, None, PasswordRequiredError),
    ("spreadsheets/calamine/picture_richdata.xlsx", 1, 1, None),
    ("spreadsheets/calamine/pivots.xlsx", 1, 6, None),  # and its "Grand Total" row
    ("spreadsheets/calamine/ptgexp-truncated-operand.xls", 12, 10, None),
    ("spreadsheets/calamine/strict_iso_paths.xlsx", 75, 18, None),
    ("spreadsheets/calamine/too_small.xls", None, None, NotASpreadsheetError),
    ("spreadsheets/calamine/vba.xlsm", 0, 0, None),
    ("spreadsheets/fastexcel/fixture-sheets-different-visibilities.xlsx", 0, 2, None),
    ("spreadsheets/fastexcel/fixture-single-sheet-duplicated-columns.xlsx", 2, 3, None),
    ("spreadsheets/fastexcel/fixture-type-errors.xlsx", 21, 1, None),
    ("spreadsheets/fastexcel/infer-dtypes-fallback.xlsx", 140150, 2, None),
    ("spreadsheets/fastexcel/null-bytes-in-columns-names.xls", 8760, 11, None),
    ("spreadsheets/fastexcel/sheet-and-table-with-offset.xlsx", 3, 2, None),
    ("spreadsheets/fastexcel/sheet-with-na.xlsx", 2, 2, None),
    ("spreadsheets/fastexcel/single-sheet-skip-rows-durations.xlsx", 2, 33, None),
    ("spreadsheets/frictionless/adjust-floating-point-error.xlsx", 5, 4, None),
    ("spreadsheets/frictionless/blank-rows.csv", 2, 3, None),
    ("spreadsheets/frictionless/bom.csv", 2, 2, None),
    ("spreadsheets/frictionless/duplicate-headers.csv", 2, 5, None),
    ("spreadsheets/frictionless/empty.csv", None, None, NotASpreadsheetError),
    ("spreadsheets/frictionless/encoding-issue-274.csv", 507, 17, None),
    ("spreadsheets/frictionless/issue-1009-semicolon.csv", 1, 2, None),
    ("spreadsheets/frictionless/issue-1024.xlsx", 54, 55, None),
    ("spreadsheets/frictionless/issue-1066.csv", 21624, 10, None),
    ("spreadsheets/frictionless/issue-811.csv", 7904, 26, None),
    ("spreadsheets/frictionless/latin1.csv", 2, 2, None),
    ("spreadsheets/frictionless/matrix-with-comment.csv", 4, 4, None),
    ("spreadsheets/frictionless/merged-cells.xls", 3, 1, None),
    ("spreadsheets/frictionless/multiline-headers.xlsx", 2, 4, None),
    ("spreadsheets/frictionless/number-format-multicode.xlsx", 3, 1, None),
    ("spreadsheets/frictionless/ogd10_energieforschungstatistik_ch.csv", 2311, 6, None),
    ("spreadsheets/frictionless/skip-rows.xlsx", 1, 2, None),  # and a "TOTAL" row
    ("spreadsheets/frictionless/table-infer-iso-8859-7.csv", 4, 3, None),
    ("spreadsheets/frictionless/table-with-ints-floats-dates.xls", 3, 3, None),
    ("spreadsheets/frictionless/table-with-two-sheets.ods", 2, 2, None),
    ("spreadsheets/generated/huge_dimension.xlsx", None, None, FileTooLargeError),
    ("spreadsheets/generated/zip_bomb.xlsx", None, None, UnsafeFileError),
    ("spreadsheets/openpyxl/bigfoot.xlsx", 0, 0, None),
    ("spreadsheets/openpyxl/contains_chartsheets.xlsx", 9, 2, None),
    ("spreadsheets/openpyxl/date_1904.xlsx", 1, 1, None),
    ("spreadsheets/openpyxl/empty.xlsx", 1, 1, None),
    ("spreadsheets/openpyxl/empty_libre.xlsx", 1, 1, None),
    ("spreadsheets/openpyxl/libreoffice_nrt.xlsx", 2, 1, None),
    ("spreadsheets/openpyxl/null_archive.xlsx", None, None, NotASpreadsheetError),
    ("spreadsheets/openpyxl/null_file.xlsx", None, None, NotASpreadsheetError),
    (
        "spreadsheets/poi/0-www-crossref-org.lib.rivier.edu_education-files_suffix-generator.xlsm",
        3,
        1,
        None,
    ),
    ("spreadsheets/poi/1904DateWindowing.xls", 1, 2, None),
    ("spreadsheets/poi/35897-type4.xls", None, None, PasswordRequiredError),
    ("spreadsheets/poi/46904.xls", 6086, 21, None),
    ("spreadsheets/poi/53446.xls", 400, 90, None),
    ("spreadsheets/poi/CVLKRA-KYC_Download_File_Structure_V3.1.xlsx", 5, 9, None),
    ("spreadsheets/poi/ConditionalFormattingSamples.xlsx", 15, 3, None),
    ("spreadsheets/poi/InlineStrings.xlsx", 6, 4, None),
    ("spreadsheets/poi/SampleSS.strict.xlsx", 1, 2, None),
    ("spreadsheets/poi/StringContinueRecords.xls", 304, 23, None),
    ("spreadsheets/poi/WORKBOOK_in_capitals.xls", 29, 9, None),
    (
        "spreadsheets/poi/angelo.edu_content_files_19555-nsse-2011-multiyear-benchmark.xls",
        1,
        1,
        None,
    ),
    ("spreadsheets/poi/ar.org.apsme.www_Form%20Inscripcion%20Curso%20NO%20Socios.xls", 22, 5, None),
    (
        "spreadsheets/poi/at.gv.land-oberoesterreich.www_cps_rde_xbcr_SID-4A1B954F-5C07F98E_ooe_stat_download_bp10.xls",
        492,
        25,
        None,
    ),
    ("spreadsheets/poi/bug62181.xlsx", 19455, 9, None),
    ("spreadsheets/poi/chinese-provinces.xls", 3, 2, None),
    (
        "spreadsheets/poi/clusterfuzz-testcase-minimized-POIHSSFFuzzer-6137883240824832.xls",
        None,
        None,
        NotASpreadsheetError,
    ),
    (
        "spreadsheets/poi/clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx",
        None,
        None,
        NotASpreadsheetError,
    ),
    ("spreadsheets/poi/com.aida-tour.www_SPO_files_maldives%20august%20october.xls", 15, 4, None),
    (
        "spreadsheets/poi/craftonhills.edu_programreview_report.aspx_goalpriorityreport_0011d159-1eeb-4b63-8833-867b0926e5f3.xlsx",
        3,
        9,
        None,
    ),
    ("spreadsheets/poi/florida_data.ashx.xls", 341, 115, None),
    ("spreadsheets/poi/mv-calculator-final-2-20-2013.xlsm", 70, 1, None),
    ("spreadsheets/poi/noSharedStringTable.xlsx", 1, 2, None),
    ("spreadsheets/poi/password.xls", None, None, PasswordRequiredError),
    ("spreadsheets/poi/poc-shared-strings.xlsx", None, None, UnsafeFileError),
    ("spreadsheets/poi/poc-xmlbomb.xlsx", None, None, UnsafeFileError),
    ("spreadsheets/poi/protected_passtika.xlsx", None, None, PasswordRequiredError),
    ("spreadsheets/poi/right-to-left.xlsx", 3, 1, None),
    ("spreadsheets/poi/simple-monthly-budget.xlsx", 17, 3, None),
    ("spreadsheets/poi/testEXCEL_3.xls", 25, 2, None),
    ("spreadsheets/poi/testEXCEL_4.xls", 55, 12, None),
    ("spreadsheets/poi/testEXCEL_95.xls", 16, 3, None),
    ("spreadsheets/poi/unicodeSheetName.xlsx", 9, 1, None),
    ("spreadsheets/poi/workbookProtection-workbook_password-2013.xlsx", 0, 1, None),
    ("spreadsheets/poi/xlsx-corrupted.xlsx", 2, 4, None),
    ("spreadsheets/poi/xlsx-jdbc.xlsx", 1, 3, None),
    ("spreadsheets/poi/xor-encryption-abc.xls", None, None, PasswordRequiredError),
    ("spreadsheets/poi/xxe_in_schema.xlsx", 1, 3, None),
    ("spreadsheets/python-calamine/base.ods", 1, 10, None),
    ("spreadsheets/python-calamine/empty_file.ods", None, None, NotASpreadsheetError),
    ("spreadsheets/python-calamine/empty_file.xlsx", None, None, NotASpreadsheetError),
    ("spreadsheets/python-calamine/password.xlsx", None, None, PasswordRequiredError),
    ("spreadsheets/sheetjs/1900.xlsx", 5, 4, None),
    ("spreadsheets/sheetjs/1904.ods", 5, 4, None),
    ("spreadsheets/sheetjs/1904.xls", 5, 4, None),
    ("spreadsheets/sheetjs/1904.xlsb", None, None, NotASpreadsheetError),
    ("spreadsheets/sheetjs/1904.xlsx", 5, 4, None),
    ("spreadsheets/sheetjs/A4X_gnumeric.xls", 0, 1, None),
    ("spreadsheets/sheetjs/Attendance.xlsx", 23, 9, None),  # and its "Total" row
    ("spreadsheets/sheetjs/BlankSheetTypes.xlsm", 0, 0, None),
    ("spreadsheets/sheetjs/CRLFR9_4.XLS", 1, 2, None),
    ("spreadsheets/sheetjs/CRLFX5_2.XLS", 1, 2, None),
    ("spreadsheets/sheetjs/ErrorTypes.xlsx", 13, 10, None),
    ("spreadsheets/sheetjs/LONumbers.xls", 38, 10, None),
    ("spreadsheets/sheetjs/LONumbers.xlsx", 38, 10, None),
    ("spreadsheets/sheetjs/biff5_merge_cells.xls", 2, 1, None),
    ("spreadsheets/sheetjs/biff5_number_format_greek.xls", 28, 7, None),
    # 40 rows and the "Grand Total" row of the Database sheet's pivot-like summary
    ("spreadsheets/sheetjs/formula_stress_test.ods", 40, 15, None),
    ("spreadsheets/sheetjs/formula_stress_test.xls", 40, 15, None),
    ("spreadsheets/sheetjs/formula_stress_test.xlsx", 40, 15, None),
    ("spreadsheets/sheetjs/large_strings.xlsx", 9998, 17, None),
    ("spreadsheets/sheetjs/merge_cells.ods", 2, 1, None),
    ("spreadsheets/sheetjs/merge_cells.xls", 2, 1, None),
    ("spreadsheets/sheetjs/merge_cells.xlsx", 2, 1, None),
    ("spreadsheets/sheetjs/number_format.xlsm", 28, 7, None),
    ("spreadsheets/sheetjs/password_2002_128_strong.xls", None, None, PasswordRequiredError),
    ("spreadsheets/sheetjs/password_2002_40_xor.xls", None, None, PasswordRequiredError),
    ("spreadsheets/sheetjs/phpexcel_bad_cfb_dir.xls", 2, 30, None),
    ("spreadsheets/sheetjs/rich_text_stress.xlsx", 13, 2, None),
    ("spreadsheets/sheetjs/sheet_visibility.ods", 1, 7, None),
    ("spreadsheets/sheetjs/sheet_visibility.xls", 1, 7, None),
    ("spreadsheets/sheetjs/sheet_visibility.xlsx", 1, 7, None),
    ("spreadsheets/sheetjs/sheet_visibility_strict.xlsx", 1, 7, None),
    ("spreadsheets/sheetjs/wps_fn.xls", 2, 3, None),
    ("spreadsheets/sheetjs/wps_fn.xlsx", 2, 3, None),
    ("spreadsheets/sheetjs/wps_image.xlsx", 0, 1, None),
    ("spreadsheets/sheetjs/xlsx-stream-d-date-cell.xlsx", 12, 4, None),
    ("spreadsheets/sheetjs/חישוב_נקודות_זיכוי.xlsx", 19, 3, None),
    ("spreadsheets/xlsxwriter/chartsheet01.xlsx", 5, 3, None),
    ("spreadsheets/xlsxwriter/checkbox01.xlsx", 1, 1, None),
    ("spreadsheets/xlsxwriter/date_1904_02.xlsx", 6, 1, None),
    ("spreadsheets/xlsxwriter/dynamic_array01.xlsx", 2, 2, None),
    ("spreadsheets/xlsxwriter/embed_image01.xlsx", 1, 1, None),
    ("spreadsheets/xlsxwriter/hide01.xlsx", 0, 0, None),
    ("spreadsheets/xlsxwriter/macro01.xlsm", 1, 1, None),
    ("spreadsheets/xlsxwriter/merge_range01.xlsx", 0, 1, None),
]


def test_the_table_covers_the_whole_corpus(corpus_dir: Path) -> None:
    files = {
        p.relative_to(corpus_dir).as_posix()
        for p in corpus_dir.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    }
    assert files == {row[0] for row in EXPECTED}


@pytest.mark.parametrize(("relative", "rows", "columns", "error"), EXPECTED, ids=str)
def test_corpus_file(
    corpus_dir: Path,
    relative: str,
    rows: int | None,
    columns: int | None,
    error: type[DataImportError] | None,
) -> None:
    # No timed assertion here: the isolated reader's own time limit ends a slow read with
    # an error, which this test would report; wall time depends on the machine's load.
    if error is not None:
        with pytest.raises(error) as caught:
            inspect_workbook(corpus_dir / relative)
        message = str(caught.value)
        assert "\n" not in message
        assert message.split(":", maxsplit=1)[0] in {
            "encrypted",
            "not a spreadsheet",
            "file too large",
            "unsafe file",
        }
    else:
        inspection = inspect_workbook(corpus_dir / relative)
        assert (inspection.rows, len(inspection.columns)) == (rows, columns)
        assert inspection.to_json_dict()["sheets"]


@pytest.mark.parametrize(
    ("relative", "password", "first_column"),
    [
        ("spreadsheets/poi/password.xls", "password", None),
        ("spreadsheets/poi/35897-type4.xls", "freedom", "hello there!"),
        (
            "spreadsheets/poi/protected_passtika.xlsx",
            "tika",
            "This is an Encrypted Excel spreadsheet.",
        ),
        ("spreadsheets/poi/xor-encryption-abc.xls", "abc", None),
        ("spreadsheets/calamine/pass_protected.ods", "1234", None),
        ("spreadsheets/python-calamine/password.xlsx", "1234", None),
        ("spreadsheets/sheetjs/password_2002_128_strong.xls", "password", None),
    ],
)
def test_encrypted_workbooks_open_with_their_password(
    corpus_dir: Path, relative: str, password: str, first_column: str | None
) -> None:
    inspection = inspect_workbook(corpus_dir / relative, password=password)
    assert inspection.sheets
    if first_column is not None:
        assert inspection.columns[0].name == first_column
    with pytest.raises(WrongPasswordError, match=r"^encrypted: wrong password$"):
        inspect_workbook(corpus_dir / relative, password=password + "x")


def test_encrypted_ods_reads_its_cells(corpus_dir: Path) -> None:
    # LibreOffice AES-256-CBC encryption; the password is "1234" (not recorded upstream).
    result = import_table(
        corpus_dir / "spreadsheets/calamine/pass_protected.ods",
        DataSource("s", "s"),
        password="1234",
    )
    assert [s.name for s in result.inspection.sheets] == ["Sheet1", "Sheet2"]
    row = result.frame.iloc[0]
    assert row.iloc[:5].tolist() == ["String", 1.0, 1.1, True, False]
    assert row.iloc[5] == dt.datetime(2010, 10, 10)
    assert row.iloc[6] == dt.datetime(2010, 10, 10, 10, 10, 10)
    assert row.iloc[9] == "PT255H10M10S"


def test_excel_default_password_is_tried_silently(corpus_dir: Path) -> None:
    inspection = inspect_workbook(corpus_dir / "spreadsheets/calamine/issue_385.xls")
    assert any(f.code == "default_password" for f in inspection.findings)


def test_encrypted_without_password_says_so(corpus_dir: Path) -> None:
    with pytest.raises(PasswordRequiredError, match=r"^encrypted: password required$"):
        inspect_workbook(corpus_dir / "spreadsheets/poi/protected_passtika.xlsx")


def test_hidden_sheets_are_listed_and_flagged(corpus_dir: Path) -> None:
    for name in ("sheet_visibility.xlsx", "sheet_visibility.xls", "sheet_visibility.ods"):
        inspection = inspect_workbook(corpus_dir / "spreadsheets/sheetjs" / name)
        visibility = {s.name: s.visibility for s in inspection.sheets}
        assert visibility["Visible"] == "visible"
        assert inspection.sheet == "Visible"
        assert any(v != "visible" for v in visibility.values())
        assert any(f.code == "hidden_sheet" for f in inspection.findings)
    xlsx = inspect_workbook(corpus_dir / "spreadsheets/sheetjs/sheet_visibility.xlsx")
    assert sorted(s.visibility for s in xlsx.sheets) == ["hidden", "veryHidden", "visible"]


def test_1904_date_system_shifts_dates_by_1462_days(corpus_dir: Path) -> None:
    source = DataSource("s", "s")
    d1900 = import_table(corpus_dir / "spreadsheets/sheetjs/1900.xlsx", source).frame
    d1904 = import_table(corpus_dir / "spreadsheets/sheetjs/1904.xlsx", source).frame
    xls1904 = import_table(corpus_dir / "spreadsheets/sheetjs/1904.xls", source).frame
    # Same serial numbers in column A; 1111 is 1903-01-15 (1900) or 1907-01-16 (1904).
    assert d1900["Column A"].tolist()[:4] == [1.0, 11.0, 111.0, 1111.0]
    assert d1900["Column B"].iloc[3] == dt.datetime(1903, 1, 15)
    assert d1904["Column B"].iloc[3] == dt.datetime(1907, 1, 16)
    # 1462 days apart from March 1900 on; serials 1 and 11 fall before Excel's fictitious
    # 1900-02-29, where the real calendar gap is one day shorter.
    assert d1900["Column B"].iloc[0] == dt.datetime(1900, 1, 1)
    assert d1904["Column B"].iloc[0] == dt.datetime(1904, 1, 2)
    assert (d1904["Column B"] - d1900["Column B"]).dt.days.tolist()[:4] == [1461, 1461, 1462, 1462]
    assert xls1904["Column B"].iloc[3] == dt.datetime(1907, 1, 16)


def test_xls_header_has_no_nul_bytes(corpus_dir: Path) -> None:
    # calamine returns these headers interleaved with NUL bytes; xlrd reads them clean.
    inspection = inspect_workbook(
        corpus_dir / "spreadsheets/fastexcel/null-bytes-in-columns-names.xls"
    )
    names = [c.name for c in inspection.columns]
    assert "E.ON region JČ (grid 0011)" in names
    assert not any("\x00" in n for n in names)


def test_xls_long_strings_over_continue_records_are_read_whole(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Strings of 10-25k characters split over CONTINUE records: calamine cuts two of them
    # to 8,217 characters; xlrd, read directly here, is the reference.
    import xlrd

    from scorecard_studio.engines.importing.readers import workbook

    path = corpus_dir / "spreadsheets/poi/StringContinueRecords.xls"
    book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())
    expected: dict[tuple[str, int, int], str] = {}
    for name in book.sheet_names():
        sheet = book.sheet_by_name(name)
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                value = sheet.cell_value(r, c)
                if isinstance(value, str) and len(value) > 8217:
                    expected[(name, r, c)] = value
    book.release_resources()
    assert sorted(len(v) for v in expected.values()) == [
        10069,
        10069,
        10298,
        21454,
        24320,
        24509,
        24732,
    ]
    # The long cells sit beside the tables the import picks, so the test looks at the
    # whole sheet grid the reader hands to table detection (the read the isolated reader
    # process runs, here in this process).
    seen: list[list[list[object]]] = []
    detect = workbook.detect_table

    def recording(grid: list[list[object]], *args: object, **kwargs: object) -> object:
        seen.append(grid)
        return detect(grid, *args, **kwargs)

    monkeypatch.setattr(workbook, "detect_table", recording)
    for name in sorted({n for n, _r, _c in expected}):
        seen.clear()
        raw = workbook.read_workbook(str(path), "cfb", name, None, None, str(tmp_path))
        assert raw.reader == "xlrd"
        (grid,) = seen
        for (sheet_name, r, c), text in expected.items():
            if sheet_name == name:
                assert grid[r][c] == text
    # and the import itself reads the file with xlrd
    assert inspect_workbook(path).reader == "xlrd"


def test_excel_error_cells_are_missing_and_counted(corpus_dir: Path) -> None:
    inspection = inspect_workbook(corpus_dir / "spreadsheets/sheetjs/ErrorTypes.xlsx")
    error_column = next(c for c in inspection.columns if c.name == "Error")
    # seven error values (#NULL! … #N/A) are in the column, each counted as invalid
    assert error_column.invalid == 7
    assert any(f.code == "excel_error_cells" for f in inspection.findings)


def test_header_found_under_offset(corpus_dir: Path) -> None:
    inspection = inspect_workbook(
        corpus_dir / "spreadsheets/fastexcel/sheet-and-table-with-offset.xlsx"
    )
    assert inspection.header_row == 9  # row 10 of the sheet
    assert [c.name for c in inspection.columns] == ["Column at H10", "Column at I10"]
    assert inspection.tables_found[0].columns == ("Column at K10",)


def test_hostile_files_fail_fast_with_the_attack_named(corpus_dir: Path) -> None:
    cases = {
        "spreadsheets/generated/huge_dimension.xlsx": FileTooLargeError,
        "spreadsheets/generated/zip_bomb.xlsx": UnsafeFileError,
        "spreadsheets/poi/poc-xmlbomb.xlsx": UnsafeFileError,
        "spreadsheets/poi/poc-shared-strings.xlsx": UnsafeFileError,
        "spreadsheets/calamine/issue_594_dos.ods": FileTooLargeError,
        "spreadsheets/poi/clusterfuzz-testcase-minimized-POIHSSFFuzzer-6137883240824832.xls": (
            NotASpreadsheetError
        ),
    }
    for relative, error in cases.items():
        with pytest.raises(error):
            import_table(corpus_dir / relative, DataSource("s", "s"))
