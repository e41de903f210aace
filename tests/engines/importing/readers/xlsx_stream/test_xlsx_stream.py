"""The streaming xlsx reader against hand-computed values and an independent reader.

The reference is python-calamine reading the same file (a different parser, in Rust);
where the two may differ by design (a column mixing kinds is text here), the comparison
goes through the value: "12" in a text column stands for the number 12.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import threading
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xlsx_writer import write_workbook

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.engines.importing import api, loading
from scorecard_studio.engines.importing.columns.cells import ERROR_CODES
from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    ImportCancelled,
    UnsafeFileError,
)
from scorecard_studio.engines.importing.readers.xlsx_stream import large_xlsx, stream, xlsx_head
from scorecard_studio.engines.importing.readers.xlsx_stream.xlsx_format import format_class
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import (
    Slice,
    UnsupportedXmlError,
    read_digits,
    view_array,
    xml_text,
)


def read(path: Path, first_row: int = 0) -> tuple[pd.DataFrame, list[tuple[int, int, str]]]:
    with zipfile.ZipFile(path) as zf:
        workbook, shared = stream.workbook_parts(zf)
        fmt = stream.sheet_format(zf, workbook)
        strings = stream.shared_strings(zf, shared)
        part = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        width = 0
        with zf.open(part) as fh:
            text = fh.read().decode(errors="replace")
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            if f'r="{letter}' in text:
                width = ord(letter) - 64
        sheet = stream.read_sheet(
            zf,
            part,
            fmt,
            strings,
            first_row=first_row,
            end_row=None,
            first_col=0,
            last_col=max(width - 1, 0),
        )
    return sheet.table.to_pandas(date_as_object=False), sheet.errors


# --- the scanning helpers -------------------------------------------------------------


def test_read_digits_stops_at_the_first_non_digit() -> None:
    s = Slice.of(b'<row r="1048576" spans="1:3"><c r="B12" s="7"/>')
    values, lengths = read_digits(s.a, np.array([8, 36, 43]), 7)
    assert values.tolist() == [1048576, 12, 7]
    assert lengths.tolist() == [7, 2, 1]
    with pytest.raises(UnsupportedXmlError):
        read_digits(s.a, np.array([8]), 5)  # seven digits where at most five may be


def test_view_array_keeps_short_and_long_spans_whole() -> None:
    raw = b"<v>1.5</v><v>a long text of more than twelve bytes</v><v></v><v>exactly12byt</v>"
    s = Slice.of(raw)
    starts = [raw.index(b"1.5"), raw.index(b"a long"), raw.index(b"<v></v>") + 3]
    starts.append(raw.index(b"exactly"))
    lengths = [3, len(b"a long text of more than twelve bytes"), 0, 12]
    arr = view_array(s, np.array(starts), np.array(lengths))
    assert arr.cast(pa.string()).to_pylist() == [
        "1.5",
        "a long text of more than twelve bytes",
        "",
        "exactly12byt",
    ]


def test_xml_text_normalises_line_ends_before_resolving_references() -> None:
    raw = b"a &amp; b &lt;c&gt; &quot;q&apos; &#233;&#x41; x&#13;\r\ny\rz"
    arr = pa.array([raw.decode()], pa.string())
    assert xml_text(arr, raw).to_pylist() == ["a & b <c> \"q' éA x\r\ny\nz"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("General", 0),
        ("0.00%", 0),
        ("#,##0.00 [$€-407]", 0),
        ('"day" 0', 0),  # quoted letters are not date parts
        ("[Red]0.00", 0),
        ("yyyy-mm-dd", 1),
        ("d/m/yy h:mm", 1),
        ("[$-409]mmm d, yyyy", 1),
        ("mmm", 1),
        ("h:mm AM/PM", 2),
        ("mm:ss", 2),
        ("[h]:mm:ss", 2),
    ],
)
def test_number_formats_are_classed_as_excel_does(code: str, expected: int) -> None:
    assert format_class(code) == expected


# --- hand-written sheets ----------------------------------------------------------------

SHARED = [
    "<t>Name</t>",
    "<t>Amount</t>",
    '<r><rPr><b/></rPr><t>Ri</t></r><r><t xml:space="preserve">ch </t></r>'
    '<rPh sb="0" eb="1"><t>ignored reading</t></rPh>',
    "<t>A &amp; B &lt;c&gt; &quot;q&quot; &#233;</t>",
    "<t>line1\r\nline2&#13;</t>",
    "<t>ABC_x000D_DEF</t>",
    "<t/>",
    "<t>n/a</t>",
]
ROWS = [
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t>When</t></is></c><c r="D1" t="inlineStr"><is><t>Flag</t>'
    '</is></c><c r="E1" t="inlineStr"><is><t>Note</t></is></c>'
    '<c r="F1" t="inlineStr"><is><t>Mixed</t></is></c></row>',
    '<row r="2" spans="1:6"><c r="A2" s="0" t="s"><v>2</v></c><c r="B2"><v>1.5</v></c>'
    '<c r="C2" s="1"><v>44197</v></c><c r="D2" t="b"><v>1</v></c>'
    '<c r="E2" t="str"><f>A2&amp;"x"</f><v>ab&amp;c</v></c><c r="F2"><v>12</v></c></row>',
    '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><f t="shared" ref="B3:B4" si="0">B2*2'
    '</f><v>-2E3</v></c><c r="C3" s="2"><v>44197.5</v></c><c r="D3" t="b"><v>0</v></c>'
    '<c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="s"><v>7</v></c></row>',
    '<row r="4"><c r="A4" t="s"><v>4</v></c><c r="B4" s="4" t="n" cm="1"><v>0.25</v></c>'
    '<c r="C4" s="1"/><c r="E4" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>',
    '<row r="6"><c r="A6" t="s"><v>5</v></c><c r="B6"><v>7</v></c>'
    '<c r="E6" t="inlineStr"><is><t xml:space="preserve"> pad </t></is></c>'
    '<c r="F6" t="s"><v>6</v></c></row>',
]


@pytest.fixture(
    params=[(1 << 22, 1 << 22), (160, 160), (100, 400)],
    ids=["one-slice", "slice-per-row", "growing-slices"],
)
def slices(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    first, most = request.param
    monkeypatch.setattr(stream, "FIRST_SLICE_BYTES", first)
    monkeypatch.setattr(stream, "SLICE_BYTES", most)
    return int(most)


def test_slices_start_small_and_double_to_their_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "FIRST_SLICE_BYTES", 100)
    monkeypatch.setattr(stream, "SLICE_BYTES", 700)
    sizes = stream._slice_sizes()
    assert [next(sizes) for _ in range(6)] == [100, 200, 400, 700, 700, 700]
    monkeypatch.setattr(stream, "SLICE_BYTES", 50)  # never more than a slice
    sizes = stream._slice_sizes()
    assert [next(sizes) for _ in range(2)] == [50, 50]


def test_a_hand_written_sheet_reads_as_computed_by_hand(tmp_path: Path, slices: int) -> None:
    path = write_workbook(tmp_path / "forms.xlsx", ROWS, SHARED)
    frame, errors = read(path, first_row=1)
    assert len(frame) == 5  # rows 2, 3, 4, 5 (no cells) and 6
    assert frame["c0"].tolist()[:3] == [
        "Rich ",
        'A & B <c> "q" é',
        "line1\nline2\r",
    ]
    assert frame["c0"].iloc[4] == "ABC\rDEF"
    assert frame["c1"].dtype == np.float64
    assert frame["c1"].iloc[[0, 1, 2, 4]].tolist() == [1.5, -2000.0, 0.25, 7.0]
    assert math.isnan(frame["c1"].iloc[3])
    assert frame["c2"].tolist()[:2] == [
        pd.Timestamp("2021-01-01"),
        pd.Timestamp("2021-01-01 12:00"),
    ]
    assert frame["c2"].iloc[2:].isna().all()
    assert frame["c3"].tolist()[:2] == [True, False]
    assert frame["c4"].iloc[0] == "ab&c"
    assert frame["c4"].iloc[4] == " pad "
    assert frame["c4"].iloc[1:4].isna().all()
    # a column of numbers and text is text, the numbers written out
    assert frame["c5"].iloc[0] == "12"
    assert frame["c5"].iloc[1] == "n/a"
    assert frame["c5"].iloc[4] is None or pd.isna(frame["c5"].iloc[4])  # empty shared string
    assert sorted(errors) == [(1, 4, "#N/A"), (2, 4, "#DIV/0!")]


def test_the_1904_date_system_is_honoured(tmp_path: Path) -> None:
    rows = ['<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>43100</v></c></row>']
    frame, _ = read(write_workbook(tmp_path / "d1904.xlsx", rows, [], date1904=True))
    assert frame.iloc[0].tolist() == [pd.Timestamp("1904-01-02"), pd.Timestamp("2022-01-01")]
    frame, _ = read(write_workbook(tmp_path / "d1900.xlsx", rows, []))
    # the 1900 system: day 1 is 1900-01-01 (Excel's phantom 29 February comes later)
    assert frame.iloc[0].tolist() == [pd.Timestamp("1900-01-01"), pd.Timestamp("2017-12-31")]


@pytest.mark.parametrize(
    ("rows", "prefix"),
    [
        (['<row r="1"><c r="A1" s="3"><v>0.5</v></c></row>'], ""),  # a time of day
        (['<row r="1"><c r="A1" s="1"><v>-3</v></c></row>'], ""),  # a date before 1900
        (['<row r="1"><c t="n"><v>1</v></c></row>'], ""),  # no reference
        (['<row><c r="A1"><v>1</v></c></row>'], ""),  # a row without its number
        (['<row r="1"><c r="A1"><v> 1</v></c></row>'], ""),  # not a number
        (['<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'], ""),
        (['<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r></is></c></row>'], ""),
        (['<row r="1"><!-- a comment --><c r="A1"><v>1</v></c></row>'], ""),
        (['<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'], "x"),
    ],
    ids=[
        "time",
        "pre-1900",
        "no-ref",
        "no-row-number",
        "bad-number",
        "out-of-order",
        "rich-inline",
        "comment",
        "prefixed",
    ],
)
def test_xml_the_reader_does_not_take_on_is_refused(
    tmp_path: Path, rows: list[str], prefix: str
) -> None:
    path = write_workbook(tmp_path / "odd.xlsx", rows, [], root_prefix=prefix)
    with pytest.raises(UnsupportedXmlError):
        read(path)


# --- against calamine on generated workbooks --------------------------------------------


def same(ours: Any, ref: Any) -> bool:
    """Whether a value read here stands for calamine's value of the same cell."""
    if ref == "" or ref is None:
        return ours is None or (isinstance(ours, float) and math.isnan(ours)) or ours is pd.NaT
    if isinstance(ref, bool):
        return ours == ref or ours == str(ref)
    if isinstance(ref, int | float):
        value = float(ours) if isinstance(ours, str) else ours
        return bool(value == float(ref))
    if isinstance(ref, dt.datetime | dt.date):
        stamp = pd.Timestamp(ours)
        return bool(stamp == pd.Timestamp(ref))
    return bool(ours == ref)


text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="="),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() != "" and s not in ERROR_CODES)  # openpyxl writes those as errors
cell = st.one_of(
    st.none(),
    text,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e15, max_value=1e15),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(cell, min_size=4, max_size=4), min_size=1, max_size=30))
def test_openpyxl_workbooks_read_as_calamine_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grid: list[list[Any]]
) -> None:
    monkeypatch.setattr(stream, "SLICE_BYTES", 300)  # many slices
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    path = tmp_path / "gen.xlsx"
    wb.save(path)
    ref = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    ref_rows = ref.to_python(skip_empty_area=False)
    if not ref_rows:
        return
    frame, errors = read(path)
    assert not errors
    for r, ref_row in enumerate(ref_rows):
        for c, value in enumerate(ref_row):
            ours = frame.iloc[r, c] if r < len(frame) and c < frame.shape[1] else None
            assert same(ours, value), (r, c, ours, value)


# --- the import through the streaming path ----------------------------------------------


def load(path: Path) -> tuple[pd.DataFrame, Any, Any]:
    """The import without a data source: typed frame, report and inspection."""
    return api._pipeline(path, None, None, None, None, None)


def grid_load(path: Path) -> tuple[pd.DataFrame, Any, Any]:
    """The same import with the grid reader of the reader process (the reference)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "STREAM_XLSX", False)
        return load(path)


@pytest.fixture
def stream_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every xlsx sheet counts as large, so imports take the streaming path."""
    monkeypatch.setattr(xlsx_head, "GRID_MAX_PART_BYTES", -1)


def customers(tmp_path: Path, rows: int = 300) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.append(["Customer report"])  # a title row above the table
    ws.append([])
    ws.append(["customer_id", "tier", "signup", "revenue", "active"])
    for i in range(rows):
        ws.append(
            [
                f"C{i:04d}",
                f"Tier {i % 4 + 1}",
                dt.datetime(2020, 1, 1) + dt.timedelta(days=i),
                None if i % 7 == 0 else i * 10.5,
                i % 2 == 0,
            ]
        )
    path = tmp_path / "customers.xlsx"
    wb.save(path)
    return path


def test_an_import_through_the_stream_equals_the_grid_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = customers(tmp_path)
    grid_frame, _, grid_inspection = grid_load(path)
    monkeypatch.setattr(xlsx_head, "GRID_MAX_PART_BYTES", -1)
    monkeypatch.setattr(stream, "SLICE_BYTES", 2048)
    seen: list[float] = []
    frame, _report, inspection = api._pipeline(path, None, None, None, seen.append, None)
    assert inspection.reader == "xml-stream"
    assert grid_inspection.reader == "calamine"
    pd.testing.assert_frame_equal(frame, grid_frame)
    assert frame["revenue"].isna().sum() == 43  # i % 7 == 0 for i < 300
    assert seen == sorted(seen)  # progress, slice by slice
    assert len(seen) > 3


def test_merged_headers_and_data_read_as_the_grid_reader_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def inline(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    rows = [
        '<row r="1">' + inline("A1", "Account") + inline("B1", "Revenue") + "</row>",
        '<row r="2">' + inline("B2", "Q1") + inline("C2", "Q2") + "</row>",
        '<row r="3">'
        + inline("A3", "North")
        + '<c r="B3"><v>1</v></c><c r="C3"><v>2</v></c></row>',
        '<row r="4"><c r="B4"><v>3</v></c><c r="C4"><v>4</v></c></row>',
        '<row r="5">'
        + inline("A5", "South")
        + '<c r="B5"><v>5</v></c><c r="C5"><v>6</v></c></row>',
    ]
    merges = '<mergeCells count="3"><mergeCell ref="A1:A2"/><mergeCell ref="B1:C1"/>'
    merges += '<mergeCell ref="A3:A4"/></mergeCells>'
    path = write_workbook(tmp_path / "merged.xlsx", rows, [], after=merges)
    grid, grid_report, _ = grid_load(path)
    monkeypatch.setattr(xlsx_head, "GRID_MAX_PART_BYTES", -1)
    frame, report, inspection = load(path)
    assert inspection.reader == "xml-stream"
    assert list(frame.columns) == list(grid.columns)
    assert len(frame.columns) == 3
    assert frame.columns[0] == "Account"
    assert frame.iloc[:, 0].tolist() == ["North", "North", "South"]
    pd.testing.assert_frame_equal(frame, grid)
    codes = [f.code for f in report.findings]
    assert "merged_data_cells" in codes
    assert codes.count("merged_data_cells") == [f.code for f in grid_report.findings].count(
        "merged_data_cells"
    )


@pytest.mark.usefixtures("stream_everything")
def test_cancel_time_and_memory_limits_stop_an_in_process_read(tmp_path: Path) -> None:
    path = customers(tmp_path)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCancelled):
        large_xlsx.read_in_process(path, None, None, seconds=60, max_bytes=1 << 30, cancel=cancel)
    with pytest.raises(UnsafeFileError, match="did not finish within"):
        large_xlsx.read_in_process(path, None, None, seconds=-1, max_bytes=1 << 30)
    with pytest.raises(FileTooLargeError):
        large_xlsx.read_in_process(path, None, None, seconds=60, max_bytes=100)


@pytest.mark.usefixtures("stream_everything")
def test_a_stray_far_cell_is_refused_before_its_rows_are_allocated(tmp_path: Path) -> None:
    letters = [a + b for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    header = "".join(f'<c r="{x}1" t="inlineStr"><is><t>h{x}</t></is></c>' for x in letters)
    data = "".join(f'<c r="{x}2"><v>1</v></c>' for x in letters)
    rows = [f'<row r="1">{header}</row>', f'<row r="2">{data}</row>']
    rows.append('<row r="1048576"><c r="AA1048576"><v>1</v></c></row>')
    path = write_workbook(tmp_path / "stray.xlsx", rows, [])
    # 260 columns x about a million rows of empty cells would be 2.4 GB
    with pytest.raises(FileTooLargeError):
        large_xlsx.read_in_process(path, None, None, seconds=60, max_bytes=256 * 1024**2)


@pytest.mark.usefixtures("stream_everything")
def test_broken_xml_in_a_large_sheet_ends_in_a_clear_error(tmp_path: Path) -> None:
    rows = ['<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v>']
    path = write_workbook(tmp_path / "broken.xlsx", rows, [])
    with pytest.raises(DataImportError) as caught:
        load(path)
    assert str(caught.value).startswith("not a spreadsheet: broken.xlsx")


@pytest.mark.usefixtures("stream_everything")
def test_a_sheet_the_stream_refuses_is_read_by_the_reader_process(corpus_dir: Path) -> None:
    frame, _, inspection = load(corpus_dir / "spreadsheets/calamine/nonstandard-xml-ns-prefix.xlsx")
    assert inspection.reader != "xml-stream"
    assert len(frame) == 2


#: As tests/conftest.py finds it: beside the repository.
CORPUS_DIR = Path(__file__).resolve().parents[5].parent / "shared" / "corpus"


def corpus_workbooks() -> list[str]:
    root = CORPUS_DIR / "spreadsheets"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.xls[xm]"))


@pytest.mark.parametrize("name", corpus_workbooks())
def test_every_corpus_workbook_streams_to_the_grid_readers_table(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = corpus_dir / "spreadsheets" / name
    try:
        grid, _, _ = grid_load(path)
    except Exception as exc:  # the same refusal either way
        monkeypatch.setattr(xlsx_head, "GRID_MAX_PART_BYTES", -1)
        with pytest.raises(type(exc)):
            load(path)
        return
    monkeypatch.setattr(xlsx_head, "GRID_MAX_PART_BYTES", -1)
    streamed, _, inspection = load(path)
    if inspection.reader != "xml-stream":
        return  # refused by the stream, read by the reader process as before
    assert list(streamed.columns) == list(grid.columns)
    assert list(streamed.index) == list(grid.index)
    for column in grid.columns:
        ours, ref = streamed[column], grid[column]
        assert ours.dtype == ref.dtype, column
        left = ours.astype(object).where(ours.notna(), None).tolist()
        right = ref.astype(object).where(ref.notna(), None).tolist()
        assert left == right, column


def same_table(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert list(ours.columns) == list(ref.columns)
    assert list(ours.index) == list(ref.index)
    for column in ref.columns:
        assert ours[column].dtype == ref[column].dtype, column
        left = ours[column].astype(object).where(ours[column].notna(), None).tolist()
        right = ref[column].astype(object).where(ref[column].notna(), None).tolist()
        assert left == right, column


@pytest.mark.parametrize("name", corpus_workbooks())
def test_every_corpus_workbook_imports_as_the_grid_reader_reads_it(
    corpus_dir: Path, name: str
) -> None:
    """The default import (streamed, or handed to the grid when the stream cannot be sure)
    gives the grid reader's table, header, other tables and findings for every corpus
    workbook.

    Two findings may differ by design: the grid's own fallback to openpyxl (the stream
    reads such files itself), and rows calamine counts as used because their cells are
    formatted, though they hold nothing (the stream ends the sheet at its last value).
    """
    path = corpus_dir / "spreadsheets" / name
    try:
        grid, grid_report, grid_inspection = grid_load(path)
    except Exception as exc:  # the same refusal either way
        with pytest.raises(type(exc)):
            load(path)
        return
    ours, report, inspection = load(path)
    same_table(ours, grid)
    assert inspection.header_row == grid_inspection.header_row
    assert inspection.tables_found == grid_inspection.tables_found
    listed = {s.name: s.visibility for s in inspection.sheets}
    assert all(listed.get(s.name) == s.visibility for s in grid_inspection.sheets)
    by_design = {"fallback_reader", "dropped_rows"}
    assert sorted(f.code for f in report.findings if f.code not in by_design) == sorted(
        f.code for f in grid_report.findings if f.code not in by_design
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.booleans(),
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(["set", "cut", "add"]),
            st.binary(min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mangled_xml_is_read_or_refused_never_crashes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    in_sheet: bool,
    edits: list[tuple[float, str, bytes]],
) -> None:
    monkeypatch.setattr(stream, "SLICE_BYTES", 200)
    clean = write_workbook(tmp_path / "clean.xlsx", ROWS, SHARED)
    with zipfile.ZipFile(clean) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    target = "xl/worksheets/sheet1.xml" if in_sheet else "xl/sharedStrings.xml"
    data = bytearray(parts[target])
    for where, how, what in edits:
        at = int(where * (len(data) - 1))
        if how == "set":
            data[at : at + len(what)] = what
        elif how == "cut":
            del data[at : at + len(what)]
        else:
            data[at:at] = what
    parts[target] = bytes(data)
    path = tmp_path / "mangled.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        for name, content in parts.items():
            out.writestr(name, content)
    with contextlib.suppress(UnsupportedXmlError):  # the isolated reader takes those
        read(path)


def _long_sheet(path: Path, extra: list[tuple[int, list[object]]]) -> Path:
    """300 rows of a two-column table, with ``extra`` rows placed at 1-based sheet rows."""
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.append(["account", "revenue"])
    for i in range(300):
        ws.append([f"A{i:03d}", float(i)])
    for row, values in extra:
        for c, value in enumerate(values, start=1):
            ws.cell(row=row, column=c).value = value
    wb.save(path)
    return path


def test_a_column_used_only_below_the_preview_is_not_lost(tmp_path: Path) -> None:
    # column C is empty in the first 200 rows and holds a value at sheet row 250
    path = _long_sheet(tmp_path / "late.xlsx", [(250, ["A248", 248.0, "late note"])])
    frame, _, inspection = load(path)
    grid, _, _ = grid_load(path)
    assert inspection.reader == "calamine"  # the grid decides, as it always did
    assert list(frame.columns) == ["account", "revenue", "Column C"]
    assert frame.loc[250, "Column C"] == "late note"
    same_table(frame, grid)


def test_a_table_stacked_below_the_preview_is_found(tmp_path: Path) -> None:
    # an empty row at 280, then a second table: its header and two rows of numbers
    stacked = [(281, ["region", "target"]), (282, ["North", 1.0]), (283, ["South", 2.0])]
    blank = [(r, [None, None]) for r in range(280, 302) if r not in (281, 282, 283)]
    path = _long_sheet(tmp_path / "stacked.xlsx", blank + stacked)
    frame, _, inspection = load(path)
    grid, _, grid_inspection = grid_load(path)
    assert inspection.tables_found == grid_inspection.tables_found
    assert [t.header_row for t in inspection.tables_found] == [280]  # 0-based row 281
    assert len(frame) == 278  # data rows 2..279
    same_table(frame, grid)


def test_a_long_plain_sheet_is_streamed_and_equals_the_grid(tmp_path: Path) -> None:
    path = _long_sheet(tmp_path / "plain.xlsx", [])
    frame, _, inspection = load(path)
    grid, _, _ = grid_load(path)
    assert inspection.reader == "xml-stream"
    assert frame["revenue"].sum() == sum(range(300))
    same_table(frame, grid)


def test_several_sheets_of_one_workbook_import_as_each_alone(tmp_path: Path) -> None:
    from scorecard_studio.domain.model import DataSource

    wb = openpyxl.Workbook()
    first = wb.worksheets[0]
    first.title = "Accounts"
    first.append(["account", "tier"])
    first.append(["A1", "Gold"])
    second = wb.create_sheet("Billing")
    second.append(["Billing export"])
    second.append(["account", "amount"])
    second.append(["A1", 12.5])
    second.append(["A2", 7.5])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    sources = [DataSource("a", "A", sheet="Accounts"), DataSource("b", "B", sheet="Billing")]
    together = api.import_tables(path, sources)
    alone = [api.import_table(path, s) for s in sources]
    for both, one in zip(together, alone, strict=True):
        pd.testing.assert_frame_equal(both.frame, one.frame)
        assert both.inspection.sheets == one.inspection.sheets
        assert both.inspection.header_row == one.inspection.header_row
    assert together[1].frame["amount"].tolist() == [12.5, 7.5]
    sizes = {s.name: (s.rows, s.columns) for s in together[0].inspection.sheets}
    assert sizes == {"Accounts": (2, 2), "Billing": (4, 2)}


def test_a_sheet_inflated_ahead_reads_as_one_inflated_at_its_read(
    tmp_path: Path, slices: int
) -> None:
    after = '<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>'
    path = write_workbook(tmp_path / "ahead.xlsx", ROWS, SHARED, after=after)
    with zipfile.ZipFile(path) as zf:
        workbook, shared = stream.workbook_parts(zf)
        fmt = stream.sheet_format(zf, workbook)
        strings = stream.shared_strings(zf, shared)
        part = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        kwargs: dict[str, Any] = {"first_row": 1, "end_row": None, "first_col": 0, "last_col": 5}
        plain = stream.read_sheet(zf, part, fmt, strings, **kwargs)
        ahead = stream.inflate_ahead(zf, part)
        early = stream.read_sheet(zf, part, fmt, strings, ahead=ahead, **kwargs)
    assert early.table.equals(plain.table)
    assert early.errors == plain.errors == [(1, 4, "#N/A"), (2, 4, "#DIV/0!")]
    assert early.merges == plain.merges == [(1, 0, 1, 1)]


def test_a_workbook_closed_stops_what_it_inflated_ahead_and_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorecard_studio.engines.importing.readers.xlsx_stream.book import XlsxBook

    # more slices than the queue holds: the thread waits until the book stops it
    monkeypatch.setattr(stream, "FIRST_SLICE_BYTES", 160)
    monkeypatch.setattr(stream, "SLICE_BYTES", 160)
    path = write_workbook(tmp_path / "unread.xlsx", ROWS, SHARED)
    before = {t for t in threading.enumerate() if t.name == "xlsx-inflate"}
    book = XlsxBook(path)
    book.inflate_ahead(book.parts[0].name)
    book.inflate_ahead("no such sheet")  # nothing to inflate: no error
    book.close()
    assert {t for t in threading.enumerate() if t.name == "xlsx-inflate"} <= before
