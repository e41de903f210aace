"""The report's print and layout rules, read back with openpyxl; one LibreOffice render."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import openpyxl
import pytest
from report_fixtures import build_card, build_data

from scorecard_studio.engines.export import ReportProvenance, export_report
from scorecard_studio.engines.export.cells import CUT_MARKER, fit_excel_limit, utf16_units
from scorecard_studio.engines.export.layout import number_text_width, wrapped_lines
from scorecard_studio.engines.scoring import score

PERIOD = "2026-Q3"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return score(build_card(), {"data": build_data()})


@pytest.fixture(scope="module")
def book(result, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("layout") / "report.xlsx"
    export_report(result, out, author="Ana Author")
    return openpyxl.load_workbook(out)


def test_every_sheet_prints_landscape_at_a_readable_fixed_scale(book) -> None:  # type: ignore[no-untyped-def]
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert int(ws.page_setup.scale) >= 70, ws.title
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title  # never shrunk to fit
        assert ws.oddFooter.center.text == "&A — page &P of &N"


def test_letter_paper(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "letter.xlsx"
    export_report(result, out, paper="letter")
    assert {int(ws.page_setup.paperSize) for ws in openpyxl.load_workbook(out).worksheets} == {1}


def test_wide_sheets_break_by_columns_with_repeated_titles(book) -> None:  # type: ignore[no-untyped-def]
    detail = book["KPI detail"]
    assert detail.print_title_rows == "$3:$3"
    assert detail.print_title_cols == "$A:$B"
    # The KPI detail prints the reader's columns, up to Owner; the rest stay on screen.
    assert detail.cell(3, 10).value == "Owner"
    assert detail.print_area == f"'KPI detail'!$A$1:$J${detail.max_row}"
    assert detail.cell(3, 11).value  # the reference columns are still in the workbook
    assert book["Trends"].print_title_cols == "$A:$C"
    assert book["What-if"].print_title_cols == "$A:$C"


def test_tier_matrix_repeats_its_header_not_a_block_title(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Tier matrix"]
    assert ws.print_title_rows == "$4:$5"
    repeated = [ws.cell(row, col).value for row in (4, 5) for col in range(1, 12)]
    assert not any(isinstance(v, str) and "indicators" in v for v in repeated)
    assert ws.cell(5, 3).value == "Actual"
    firsts = [ws.cell(row, 1).value for row in range(6, ws.max_row + 1)]
    assert "Leading indicators (2)" in firsts
    assert "Lagging indicators (5)" in firsts


def test_titles_fit_their_rows(book) -> None:  # type: ignore[no-untyped-def]
    for ws in book.worksheets:
        if ws.cell(1, 1).font.sz == 16:
            assert ws.row_dimensions[1].height >= 16 * 1.4, ws.title


def test_no_number_wider_than_its_column(book) -> None:  # type: ignore[no-untyped-def]
    """The ``###`` rule: every number, as its format shows it, fits its column."""
    checked = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, float) and cell.data_type == "n":
                    width = ws.column_dimensions[cell.column_letter].width
                    merged = any(cell.coordinate in r for r in ws.merged_cells.ranges)
                    shown = number_text_width(cell.value, cell.number_format)
                    assert merged or shown + 1 <= width, (ws.title, cell.coordinate, width)
                    checked += 1
    assert checked > 200


def test_wrapped_text_rows_are_tall_enough(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Definitions"]
    tall = 0
    for row in range(5, ws.max_row + 1):
        for col in range(1, 10):
            value = ws.cell(row, col).value
            if isinstance(value, str) and ws.cell(row, col).alignment.wrap_text:
                lines = wrapped_lines(
                    value, ws.column_dimensions[ws.cell(row, col).column_letter].width
                )
                height = ws.row_dimensions[row].height or 15
                assert height >= lines * 15, (row, col, value, height)
                tall += lines > 1
    assert tall >= 1  # the NPS and CLV definitions wrap


def test_headers_wide_enough_for_their_words(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["KPI detail"]
    for col in range(1, 22):
        label = ws.cell(3, col).value
        width = ws.column_dimensions[ws.cell(3, col).column_letter].width
        assert max(len(w) for w in label.split()) < width, (label, width)


def test_summary_opens_with_the_headline_not_hashes(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Summary"]
    first_labels = [ws.cell(r, 1).value for r in range(1, 8)]
    assert "Headline score" in first_labels
    assert not any("hash" in str(v).lower() for v in first_labels)
    assert "prepared by Ana Author" in ws.cell(2, 1).value
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "— (none recorded)" in texts  # commentary and action, until governance fills them
    assert any(t.startswith("Red KPIs (") for t in texts)
    assert any(t.startswith("Top movers since 2026-Q2") for t in texts)


def test_charts_start_after_a_page_break(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Summary"]
    first_break = ws.row_breaks.brk[0].id
    for chart in ws._charts:
        assert chart.anchor._from.row >= first_break  # 0-based anchor row after the break


def test_rows_of_data_are_the_reported_periods(result, book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Summary"]
    row = next(
        r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == f"Rows of data in {PERIOD}"
    )
    # 40 + 12 + 35 rows dated July, plus the stray row for "=Tier 9" (a tier not in the design).
    tier1 = ws.cell(row, 3).value
    assert tier1 == 40
    assert tier1 < float(result.actuals.tier_rows[0])  # all periods would be 120


def test_prepared_by_is_never_the_login_name(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.xlsx"
    export_report(result, out, provenance=ReportProvenance(version=4, saved_by="Version Author"))
    facts = _facts(openpyxl.load_workbook(out)["Provenance"])
    assert facts["Prepared by"] == "Version Author"
    export_report(result, out)
    assert _facts(openpyxl.load_workbook(out)["Provenance"])["Prepared by"] == "—"


def test_frozen_version_reports_the_period_its_label_names(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.xlsx"
    named = export_report(result, out, provenance=ReportProvenance(frozen_label="QBR 2026 Q2"))
    assert named.period == "2026-Q2"
    fy = export_report(result, out, provenance=ReportProvenance(frozen_label="FY26 Q1 board"))
    assert fy.period == "2026-Q1"
    other = export_report(result, out, provenance=ReportProvenance(frozen_label="Board pack"))
    assert other.period == PERIOD
    asked = export_report(
        result, out, period="2026-Q3", provenance=ReportProvenance(frozen_label="QBR 2026 Q2")
    )
    assert asked.period == PERIOD


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_report_file_mode_follows_the_umask(result, tmp_path: Path, mask: int) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(mask)
    try:
        out = tmp_path / f"r{mask:o}.xlsx"
        export_report(result, out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_text_cut_at_excel_limit_in_utf16_units() -> None:
    emoji = "\U0001f600"  # two UTF-16 units
    text, cut = fit_excel_limit(emoji * 20_000)  # 40,000 units
    assert cut
    assert text.endswith(CUT_MARKER)
    assert utf16_units(text) <= 32_767
    assert utf16_units(text) >= 32_767 - 1  # cut as late as a whole pair allows
    assert text[: -len(CUT_MARKER)] == emoji * ((32_767 - len(CUT_MARKER)) // 2)
    same, cut = fit_excel_limit("x" * 32_767)
    assert not cut
    assert same == "x" * 32_767
    # 17,000 emoji: fewer code points than the limit, more UTF-16 units.
    assert fit_excel_limit(emoji * 17_000)[1]


def test_long_text_is_cut_with_a_finding(tmp_path: Path) -> None:
    from dataclasses import replace

    card = build_card()
    persp = card.perspectives[0]
    kpi = replace(persp.kpis[0], notes="n" * 40_000)
    card = replace(card, perspectives=(replace(persp, kpis=(kpi,)), *card.perspectives[1:]))
    out = tmp_path / "long.xlsx"
    export_report(score(card, {"data": build_data()}), out)
    wb = openpyxl.load_workbook(out)
    notes = [
        c.value
        for row in wb["Definitions"].iter_rows()
        for c in row
        if c.value and str(c.value).startswith("nnnn")
    ]
    assert notes
    assert notes[0].endswith(CUT_MARKER)
    assert len(notes[0]) == 32_767
    findings = [row[1].value for row in wb["Findings"].iter_rows(min_row=4)]
    assert "text_cut" in findings


def test_trends_can_be_left_out(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.xlsx"
    summary = export_report(result, out, trends=False)
    wb = openpyxl.load_workbook(out)
    assert "Trends" not in wb.sheetnames
    assert "Trends" not in summary.sheets
    assert len(wb["Summary"]._charts) == 1  # the bar chart; trend charts need the appendix


def _facts(ws) -> dict:  # type: ignore[no-untyped-def]
    return {row[0].value: row[1].value for row in ws.iter_rows(min_row=5)}


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice or poppler missing",
)
def test_libreoffice_prints_the_summary_and_its_chart_page(book, result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.xlsx"
    export_report(result, out, trends=False)
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "report.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert "Headline score" in pages[0]
    assert "Summary — page 1 of" in pages[0]
    chart_page = next(page for page in pages if "Charts — 2026-Q3" in page)
    first_line = next(line for line in chart_page.splitlines() if line.strip())
    assert "Charts — 2026-Q3" in first_line  # the charts start a page of their own
    assert len(pages) - 1 <= 20, len(pages)


def test_raci_rows_are_as_tall_as_their_text(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from scorecard_studio.domain import edits

    card = result.card
    long_name = "Head of Customer Success, EMEA and the Americas, Enterprise Accounts"
    kpi = card.all_kpis()[0]
    card = edits.replace_kpi(card, replace(kpi, owner=long_name))
    out = tmp_path / "raci.xlsx"
    export_report(score(card, {"data": build_data()}), out)
    ws = openpyxl.load_workbook(out)["Actions"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "KPI")
    rows = range(header + 1, header + 1 + len(card.all_kpis()))
    heights = {ws.cell(r, 1).value: ws.row_dimensions[r].height for r in rows}
    # A short name and owner fit one line: the row keeps the default height.
    assert [h for name, h in heights.items() if name != kpi.name] == [None] * (len(heights) - 1)
    # The long owner wraps in the 39 units of its two merged columns: two lines, no more.
    assert wrapped_lines(long_name, 30) > 2  # what a single column would have needed
    assert wrapped_lines(long_name, 30 + 9) == 2
    assert heights[kpi.name] == pytest.approx(2 * 15, abs=3)


def test_the_kpi_detail_trend_prints_light(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["KPI detail"]
    assert ws.cell(3, 9).value == "Trend"
    sparks = [ws.cell(r, 9) for r in range(4, ws.max_row + 1) if ws.cell(r, 9).value]
    assert sparks
    for cell in sparks:
        rgb = str(cell.font.color.rgb)[-6:]
        # Each channel light (above 0x90): block glyphs print as a faint chart, not black bars.
        assert all(int(rgb[i : i + 2], 16) > 0x90 for i in (0, 2, 4)), rgb


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_tier_matrix_breaks_between_whole_tiers(result, tmp_path: Path, paper: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{paper}.xlsx"
    export_report(result, out, paper=paper)
    ws = openpyxl.load_workbook(out)["Tier matrix"]
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks, "five tiers of three columns do not fit one page beside the names"
    # Columns A and B repeat; each tier has three columns from C on: a break after a tier.
    assert all((column - 2) % 3 == 0 for column in breaks), breaks
    # Letter is narrower: it breaks after three tiers, A4 after four.
    assert breaks[0] == (11 if paper == "letter" else 14)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_whatif_sheet_breaks_between_whole_tiers(result, tmp_path: Path, paper: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{paper}.xlsx"
    export_report(result, out, paper=paper)
    ws = openpyxl.load_workbook(out)["What-if"]
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks, "five columns per tier do not fit one page for every tier"
    # A–C repeat, D–E (method, weight) go with the first tier; each tier has five columns
    # from F on: a break only ever falls after a tier's last column (J, O, T…).
    assert all(column >= 10 and (column - 5) % 5 == 0 for column in breaks), breaks


def test_definitions_print_no_page_of_empty_notes(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from scorecard_studio.domain import edits

    plain = result.card
    for kpi in plain.all_kpis():
        plain = edits.replace_kpi(plain, replace(kpi, notes=""))
    out = tmp_path / "plain.xlsx"
    export_report(score(plain, {"data": build_data()}), out)
    ws = openpyxl.load_workbook(out)["Definitions"]
    assert ws.cell(4, 9).value == "Notes"  # still in the workbook
    assert str(ws.print_area).replace("$", "").split("!")[-1].startswith("A1:H")
    kpi = plain.all_kpis()[0]
    noted_card = edits.replace_kpi(plain, replace(kpi, notes="Source changed in May"))
    noted = tmp_path / "noted.xlsx"
    export_report(score(noted_card, {"data": build_data()}), noted)
    assert not openpyxl.load_workbook(noted)["Definitions"].print_area  # every column
