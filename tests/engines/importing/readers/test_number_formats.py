"""Percent and currency number formats of an xlsx: the column types the workbook shows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scorecard_studio.engines.importing import inspect_workbook
from scorecard_studio.engines.importing.readers.xlsx_stream.xlsx_format import format_display


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("0%", ("percent", "")),
        ("0.0%", ("percent", "")),
        ('"$"#,##0', ("currency", "$")),
        ("\\$#,##0.00", ("currency", "$")),
        ("[$€-407]#,##0.00", ("currency", "€")),
        ("_(£* #,##0_)", ("currency", "£")),
        ('"%"0', ("", "")),  # a literal percent sign: no scaling, not a percentage
        ("#,##0.00", ("", "")),
        ("0;[Red]0%", ("", "")),  # only the first section counts
    ],
)
def test_format_display(code: str, shown: tuple[str, str]) -> None:
    assert format_display(code) == shown


def write_formatted(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Accounts"
    ws.append(["account", "share", "arr", "seats", "usage"])
    ws.append(["A1", 0.87, 905200, 10, 3586.1783646399995])
    ws.append(["A2", 0.125, 1000, 3, 2.5])
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "0%"
        row[2].number_format = '"$"#,##0'
        row[4].number_format = "#,##0.00"
    wb.save(path)
    return path


def test_formatted_columns_keep_their_values_and_show_their_kind(tmp_path: Path) -> None:
    info = inspect_workbook(write_formatted(tmp_path / "formats.xlsx"))
    kinds = {c.name: (c.type, c.symbol, c.samples) for c in info.columns}
    assert kinds["share"] == ("percent", "", (0.87, 0.125))  # fractions, as everywhere
    assert kinds["arr"] == ("currency", "$", (905200.0, 1000.0))
    assert kinds["seats"] == ("number", "", (10.0, 3.0))
    assert kinds["usage"][0] == "number"
