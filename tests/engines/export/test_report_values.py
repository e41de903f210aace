"""The report read back (openpyxl, python-calamine, LibreOffice) equals the engine's JSON."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from report_fixtures import HOSTILE, cli_json, write_inputs

from scorecard_studio.engines.export import SHEETS

PERIOD = "2026-Q3"
LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "no_data": "No data"}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("report")
    design, data = write_inputs(folder)
    out = folder / "report.xlsx"
    expected = cli_json("score", str(design), "--data", str(data), "--period", PERIOD, "--json")
    written = cli_json(
        "export",
        str(design),
        "--data",
        str(data),
        "--period",
        PERIOD,
        "--out",
        str(out),
        "--author",
        "Test Author",
        "--json",
    )
    assert written["sheets"] == list(SHEETS)
    return out, expected


def _rows(path: Path, sheet: str, reader: str) -> list[list[Any]]:
    if reader == "openpyxl":
        wb = openpyxl.load_workbook(path, data_only=True)
        return [list(row) for row in wb[sheet].iter_rows(values_only=True)]
    book = CalamineWorkbook.from_path(str(path))
    return [
        [None if c == "" else c for c in row] for row in book.get_sheet_by_name(sheet).to_python()
    ]


def _text(value: str) -> str:
    """Line breaks as the report writes them (a bare CR becomes a line feed)."""
    return value.replace("\r", "\n")


def _close(a: Any, b: Any) -> bool:
    if b is None:
        return a is None
    return a is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


@pytest.mark.parametrize("reader", ["openpyxl", "calamine"])
def test_kpi_detail_matches_engine(report: tuple[Path, dict[str, Any]], reader: str) -> None:
    path, expected = report
    rows = _rows(path, "KPI detail", reader)
    header = rows[2]
    col = {name: header.index(name) for name in header if name}
    tier_names = {t["name"]: t["id"] for t in expected["tiers"]}
    kpis = {_text(k["name"]): k for k in expected["kpis"]}
    checked = 0
    for row in rows[3:]:
        if not row[col["KPI"]]:
            continue
        kpi = kpis[row[col["KPI"]]]
        cell = kpi["by_tier"][tier_names[row[col["Tier"]]]]
        for field, column in (
            ("baseline", "Baseline"),
            ("target", "Target"),
            ("stretch", "Stretch"),
            ("actual", "Actual"),
            ("score", "Score"),
        ):
            assert _close(row[col[column]], cell[field]), (kpi["name"], field, row)
        assert row[col["Status"]] == LABELS[cell["status"]]
        assert (row[col["Low sample"]] == "yes") == cell["low_sample"]
        assert _close(row[col["Share of headline"]], kpi["effective_share"])
        checked += 1
    assert checked == len(expected["kpis"]) * len(expected["tiers"])


@pytest.mark.parametrize("reader", ["openpyxl", "calamine"])
def test_tier_matrix_matches_engine(report: tuple[Path, dict[str, Any]], reader: str) -> None:
    path, expected = report
    rows = _rows(path, "Tier matrix", reader)
    kpis = {_text(k["name"]): k for k in expected["kpis"]}
    seen = set()
    for row in rows:
        if row and row[0] in kpis:
            kpi = kpis[row[0]]
            for i, tier in enumerate(expected["tiers"]):
                cell = kpi["by_tier"][tier["id"]]
                actual, target, status = row[2 + 3 * i : 5 + 3 * i]
                assert _close(actual, cell["actual"]), (row[0], tier["id"])
                assert _close(target, cell["target"])
                assert status.startswith(LABELS[cell["status"]])
                assert status.endswith("*") == cell["low_sample"]
            seen.add(row[0])
    assert seen == set(kpis)
    # Leading indicators come in their own block, before the lagging ones.
    firsts = [r[0] for r in rows if r and isinstance(r[0], str)]
    leading = next(i for i, t in enumerate(firsts) if t.startswith("Leading"))
    lagging = next(i for i, t in enumerate(firsts) if t.startswith("Lagging"))
    assert leading < firsts.index(HOSTILE[4]) < lagging < firsts.index("Revenue")


@pytest.mark.parametrize("reader", ["openpyxl", "calamine"])
def test_summary_matches_engine(report: tuple[Path, dict[str, Any]], reader: str) -> None:
    path, expected = report
    rows = _rows(path, "Summary", reader)
    by_label = {r[0]: r for r in rows if r and isinstance(r[0], str)}
    assert by_label["Reporting period"][1] == PERIOD
    assert _close(by_label["Headline score"][1], expected["headline"]["score"])
    assert by_label["Headline score"][2] == LABELS[expected["headline"]["status"]]
    assert _close(by_label["Headline coverage"][1], expected["headline"]["coverage"])
    for persp in expected["perspectives"]:
        row = by_label[_text(persp["name"])]
        for i, tier in enumerate(expected["tiers"]):
            assert _close(row[2 + i], persp["by_tier"][tier["id"]]["score"])
    for i, tier in enumerate(expected["tiers"]):
        assert _close(by_label["Tier score"][2 + i], tier["score"])
        assert _close(by_label["Coverage"][2 + i], tier["coverage"])


def test_hostile_text_stays_inert_text(report: tuple[Path, dict[str, Any]]) -> None:
    path, _ = report
    wb = openpyxl.load_workbook(path)  # formulas as written, not values
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in {_text(h) for h in HOSTILE}:
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    found.add(cell.value)
    assert found == {_text(h) for h in HOSTILE}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name).decode()
                formulas = re.findall(r"<f>([^<]*)</f>", xml)
                assert not [f for f in formulas if "HYPERLINK" in f or "SUM(A1)" in f]
                assert "<is><t>=HYPERLINK(" in xml or "HYPERLINK" not in xml  # inline text


def test_report_furniture(report: tuple[Path, dict[str, Any]]) -> None:
    path, _ = report
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    assert wb.properties.creator == "Test Author"
    assert wb.properties.title == f"Report test — QBR {PERIOD}"
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
    assert wb["KPI detail"].freeze_panes == "C4"
    assert wb["KPI detail"].print_title_rows == "$3:$3"
    # The perspective bar chart and one trend chart per KPI (7 here, up to eight).
    assert len(wb["Summary"]._charts) == 1 + 7
    detail = wb["KPI detail"]
    formats = {row[0].value: row[2].number_format for row in detail.iter_rows(min_row=4)}
    assert formats["Revenue"] == '"$"#,##0'  # the unit decides the number format
    assert formats["DSO"] == "#,##0.0"
    assert formats["Margin"] == "0.0%"


def test_design_with_errors_is_refused(tmp_path: Path) -> None:
    design, data = write_inputs(tmp_path)
    text = design.read_text().replace('"target": 1000', '"target": 0')  # baseline = target
    design.write_text(text)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scorecard_studio",
            "export",
            str(design),
            "--data",
            str(data),
            "--out",
            str(tmp_path / "r.xlsx"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert (
        "the design has 1 error(s): revenue: Revenue: default targets: baseline equals target"
        in done.stderr
    )
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_whatif_formulas_recalculated_by_libreoffice_equal_the_app(
    report: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, expected = report
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    rows = _rows(tmp_path / "out" / path.name, "What-if", "openpyxl")
    header_index = next(
        i for i, r in enumerate(rows) if r[:3] == ["Perspective", "Objective", "KPI"]
    )
    header = rows[header_index]
    tiers = [t for t in expected["tiers"] if t["id"] != "all"]
    score_cols = [i for i, h in enumerate(header) if h == "Score"]
    assert len(score_cols) == len(tiers)
    kpis = {_text(k["name"]): k for k in expected["kpis"]}
    perspectives = {_text(p["name"]): p for p in expected["perspectives"]}
    objectives = {o["name"]: o for o in expected["objectives"]}
    compared = 0
    for row in rows[header_index + 1 :]:
        label, kind = row[2] or row[1] or row[0], row[3]
        if kind in {"linear", "ratio", "range", "binary"}:
            node = kpis[row[2]]
        elif kind == "objective":
            node = objectives[row[1]]
        elif kind == "perspective":
            node = perspectives[row[0]]
        elif row[0] == "Tier score":
            for col, tier in zip(score_cols, tiers, strict=True):
                assert _close(row[col], tier["score"]), ("tier", tier["id"])
                compared += 1
            continue
        elif row[0] == "Headline score":
            assert _close(row[2], expected["headline"]["score"])
            compared += 1
            continue
        else:
            continue
        for col, tier in zip(score_cols, tiers, strict=True):
            got = row[col]
            want = node["by_tier"][tier["id"]]["score"]
            assert _close(got if got != "" else None, want), (label, tier["id"], got, want)
            compared += 1
    n_tiers = len(tiers)
    assert compared == (len(kpis) + len(objectives) + len(perspectives) + 1) * n_tiers + 1
