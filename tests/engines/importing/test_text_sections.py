"""A Google Analytics CSV with several tables: each table is a sheet of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.domain.model import DataSource
from scorecard_studio.engines.importing import import_table, inspect_workbook

#: The layout of Universal Analytics' CSV export: a ruled title block, then each table
#: after a blank line, each ending with an unlabelled totals row, a rule before the next.
GA_CSV = """\
# ----------------------------------------
# All Web Site Data
# Search Terms
# 20180513-20190513
# ----------------------------------------

Search Term,Total Unique Searches,% Search Exits
tariff,120,12.50%
duty,80,25.00%
,"1,000",20.00%

# ----------------------------------------

Day Index,Total Unique Searches
5/13/18,12
5/14/18,20
5/15/18,7
,39
"""


@pytest.fixture
def ga_csv(tmp_path: Path) -> Path:
    path = tmp_path / "Analytics All Web Site Data Search Terms 20180513-20190513.csv"
    path.write_text(GA_CSV)
    return path


def test_each_table_is_offered_as_a_sheet(ga_csv: Path) -> None:
    info = inspect_workbook(ga_csv)
    sizes = [(s.name, s.rows, s.columns) for s in info.sheets]
    assert sizes == [("Dataset1", 4, 3), ("Dataset2", 5, 2)]  # header + records, totals too
    assert info.sheet == "Dataset1"
    assert info.exporter == "Google Analytics"
    assert [c.name for c in info.columns] == ["Search Term", "Total Unique Searches",
                                              "% Search Exits"]  # fmt: skip
    assert (info.rows, info.header_row) == (2, 6)  # the header is line 7
    (totals,) = info.dropped_rows
    assert totals.row == 10  # line 10 of the file: the unlabelled totals row
    assert totals.reason.startswith("totals row")


def test_a_later_table_is_imported_by_its_sheet_name(ga_csv: Path) -> None:
    source = DataSource("ga", "Searches per day", file=ga_csv.name, sheet="Dataset2")
    result = import_table(ga_csv, source)
    frame = result.frame
    assert list(frame.columns) == ["Day Index", "Total Unique Searches"]
    assert frame["Total Unique Searches"].tolist() == [12.0, 20.0, 7.0]
    assert [d.isoformat() for d in frame["Day Index"].dt.date] == [
        "2018-05-13",
        "2018-05-14",
        "2018-05-15",
    ]
    assert list(frame.index) == [15, 16, 17]  # line numbers in the file
    assert [d.row for d in result.report.dropped] == [18]
    assert result.inspection.header_row == 13  # line 14
    again = DataSource("ga", "Searches", file=ga_csv.name, sheet="Dataset2", header_row=13)
    assert import_table(ga_csv, again).frame.equals(frame)


def test_an_unknown_sheet_is_a_clear_error(ga_csv: Path) -> None:
    with pytest.raises(DataImportError, match=r"no sheet named 'Dataset3' \(sheets: Dataset1, "):
        inspect_workbook(ga_csv, sheet="Dataset3")


def test_a_csv_with_one_commented_table_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("# ----\n# Title\n# ----\n\nPage,Views\n/a,3\n/b,4\n")
    info = inspect_workbook(path)
    assert [s.name for s in info.sheets] == ["one"]
    assert info.rows == 2
