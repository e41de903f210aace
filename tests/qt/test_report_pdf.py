"""The PDF briefing drawn with Qt's PDF writer: pages, text, and the CLI's ``--format pdf``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engines" / "export"))

from report_fixtures import build_card, build_data, write_inputs

from scorecard_studio.engines.export.report import report_context
from scorecard_studio.engines.scoring import score

STATUS_WORDS = {"Green", "Amber", "Red", "data"}
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


def _pdf_text(path: Path) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout.split("\f")[:-1]


@needs_poppler
def test_briefing_pages_and_text(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from scorecard_studio.qt.report_pdf import write_briefing_pdf

    result = score(build_card(), {"data": build_data()})
    ctx = report_context(result, author="Ana Author")
    out = tmp_path / "brief.pdf"
    pages = write_briefing_pdf(ctx, out)
    # Summary, dashboard, charts, then 7 KPIs x 5 tiers (4 and all customers) = 35 rows; an
    # A4 page (595 pt high, 36 pt margins, 18 pt footer, 38 pt title and header) holds 33
    # rows of 14 pt.
    assert pages == 5
    text = _pdf_text(out)
    assert len(text) == pages
    assert "Headline score" in text[0]
    assert "Report test" in text[0]
    assert "prepared by Ana Author" in text[0]
    assert "Perspective scores by tier" in text[2]
    for name in ("Revenue", "Margin", "DSO", "Logins"):
        assert name in text[3] + text[4], name
    kpi_rows = sum(
        1
        for page in text[3:]
        for line in page.splitlines()
        if re.search(r"\s(leading|lagging)\s", line)
    )
    assert kpi_rows == 35
    assert all(f"page {n} of {pages}" in page for n, page in enumerate(text, start=1))


@needs_poppler
def test_cli_export_format_pdf(tmp_path: Path) -> None:
    design, data = write_inputs(tmp_path)
    out = tmp_path / "brief.pdf"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the CLI sets it
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
            str(out),
            "--format",
            "pdf",
            "--period",
            "2026-Q2",
            "--paper",
            "letter",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "2026-Q2, 5 pages" in done.stdout
    text = _pdf_text(out)
    assert "Quarterly business review — 2026-Q2" in text[0]
    size = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts" in size or "792 x 612 pts" in size  # US Letter


@needs_poppler
def test_briefing_has_the_excel_summarys_movers_and_dashboard(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from scorecard_studio.engines.export.summary_data import dashboard, top_movers
    from scorecard_studio.qt.report_pdf import write_briefing_pdf

    result = score(build_card(), {"data": build_data()})
    ctx = report_context(result)
    out = tmp_path / "brief.pdf"
    write_briefing_pdf(ctx, out)
    page = _pdf_text(out)[1]
    lines = [line.split() for line in page.splitlines() if line.strip()]
    assert f"Top movers since {ctx.previous_label}" in page
    movers = top_movers(ctx)
    assert movers
    # Each mover's row, in the summary's order, with its score change as the Excel has it.
    mover_rows = [" ".join(words) for words in lines if words and words[-1] in STATUS_WORDS]
    assert len(mover_rows) > len(movers)  # the movers, then the dashboard's rows
    for mover, row in zip(movers, mover_rows, strict=False):
        assert row.startswith(mover.kpi.name), (mover.kpi.name, row)
        assert f"{mover.score_change:+.2f}".replace("-", "−") in row
    # Leading left and lagging right, one block per tier with its actual against target.
    board = dashboard(ctx)
    assert "Leading indicator" in page
    assert "Lagging indicator" in page
    for tier in board.tiers:
        assert tier.tier in page
    first = board.tiers[0]
    row = next(line for line in page.splitlines() if first.leading[0].kpi.name in line)
    assert first.lagging[0].kpi.name in row  # side by side on one line


@needs_poppler
def test_briefing_red_kpis_name_the_tiers_they_are_red_in(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from scorecard_studio.domain.model import STATUS_BY_CODE, Status
    from scorecard_studio.engines.export.summary_data import red_kpis
    from scorecard_studio.qt.report_pdf import write_briefing_pdf

    result = score(build_card(), {"data": build_data()})
    ctx = report_context(result)
    red = red_kpis(ctx)
    assert red, "the fixture has red KPIs"
    # Computed by hand from the statuses: the tiers whose status is red this period.
    red_code = STATUS_BY_CODE.index(Status.RED)
    p = ctx.period_index
    for k, red_in in red:
        names = [n for t, _, n in ctx.tiers() if result.status[k, t, p] == red_code]
        assert red_in == ", ".join(names)
    out = tmp_path / "brief.pdf"
    write_briefing_pdf(ctx, out)
    first = _pdf_text(out)[0]
    assert "Red in" in first
    k, red_in = red[0]
    row = next(line for line in first.splitlines() if line.strip().startswith(result.kpis[k].name))
    assert red_in.split(", ")[0] in row
