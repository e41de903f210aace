"""Excel report benchmark: a 60-KPI × 4-tier × 8-quarter report and a 1,000-KPI × 4-tier ×
36-month report, each beside openpyxl's write-only mode writing the same number of cells.

    uv run python benchmarks/bench_export.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench_scoring import make_card, make_rows
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from scorecard_studio.domain.model import Frequency, Settings
from scorecard_studio.engines.export import export_report
from scorecard_studio.engines.scoring import score


def count_cells(path: Path) -> int:
    book = CalamineWorkbook.from_path(str(path))
    total = 0
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            total += sum(1 for c in row if c != "")
    return total


def write_only(path: Path, cells: int, width: int = 40) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    row = [1.5] * width
    for _ in range(cells // width):
        ws.append(row)
    wb.save(path)


def median(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def case(
    label: str, n_kpis: int, frequency: Frequency, periods: int, rows: int, repeat: int
) -> None:
    card = make_card(n_kpis)
    card = replace(card, settings=Settings(frequency=frequency))
    frame = make_rows(rows)
    months = 3 if frequency is Frequency.QUARTER else 1
    start = frame["date"].min()
    frame = frame[frame["date"] < start + __import__("pandas").DateOffset(months=periods * months)]
    result = score(card, {"rows": frame})
    # The generated design sets survey targets outside their scales (design errors a real
    # export refuses); the benchmark times the writing, so it reports them as warnings.
    result = replace(result, findings=[f for f in result.findings if f.severity != "error"])
    assert len(result.period_labels) == periods, result.period_labels
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.xlsx"
        t_report = median(lambda: export_report(result, out, author="bench"), repeat)
        cells = count_cells(out)
        ref = Path(tmp) / "ref.xlsx"
        t_ref = median(lambda: write_only(ref, cells), repeat)
        size = out.stat().st_size
    print(f"{label}: {cells:,} cells, {size / 1e6:.1f} MB")
    print(f"  report (export_report)          median {t_report:7.2f} s")
    print(f"  openpyxl write-only, same cells median {t_ref:7.2f} s")
    print(f"  ratio report / write-only              {t_report / t_ref:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    case("60 KPIs x 4 tiers x 8 quarters", 60, Frequency.QUARTER, 8, 100_000, args.repeat)
    case("1,000 KPIs x 4 tiers x 36 months", 1000, Frequency.MONTH, 36, 1_000_000, args.repeat)


if __name__ == "__main__":
    main()
