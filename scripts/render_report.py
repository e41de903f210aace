"""Render the sample QBR report to pages, to look at them as a reader would.

Writes the Excel report of a template over the sample data (or takes a given report), has
LibreOffice print it to PDF and pdftoppm turn every page into a PNG. Looking at the pages is
the only way to see clipped titles, ``###`` cells, charts across page breaks and unreadable
scales; the tests check the rules, this shows the result.

    uv run python scripts/render_report.py --out /tmp/report-pages
    uv run python scripts/render_report.py --report my.xlsx --out /tmp/pages --dpi 50
    uv run python scripts/render_report.py --out docs/screenshots/report --dpi 50 --clean

Needs ``soffice`` (LibreOffice) and ``pdftoppm`` (poppler-utils) on the PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DESIGN = ROOT / "resources" / "templates" / "cx_leading_lagging.json"
DEFAULT_DATA = ROOT / "sample_workbooks" / "customer_data.xlsx"


def write_sample_report(design: Path, data: Path, out: Path, paper: str) -> float:
    """The report the CLI writes for the template over the sample data; seconds taken."""
    start = time.perf_counter()
    subprocess.run(
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
            "--author",
            "Sample Author",
            "--paper",
            paper,
        ],
        check=True,
    )
    return time.perf_counter() - start


def to_pdf(report: Path, folder: Path) -> Path:
    """LibreOffice's print of the workbook, every sheet, as the user's printer would."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(report),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return folder / (report.stem + ".pdf")


def to_pngs(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="an existing report (default: write one)")
    parser.add_argument("--design", type=Path, default=DEFAULT_DESIGN)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDF and PNGs")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    parser.add_argument("--clean", action="store_true", help="remove old page-*.png first")
    args = parser.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    if args.clean:
        for old in args.out.glob("page-*.png"):
            old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        report = args.report
        if report is None:
            report = Path(tmp) / "report.xlsx"
            seconds = write_sample_report(args.design, args.data, report, args.paper)
            print(f"report written in {seconds:.1f} s (including the data import)")
        pdf = to_pdf(report, Path(tmp))
        pages = to_pngs(pdf, args.out, args.dpi)
        if args.report is None and not args.clean:
            shutil.copy(pdf, args.out / "report.pdf")
    print(f"{len(pages)} pages in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
