"""Import of everyday files: the sample workbook and a size sweep, against fastexcel.

* the sample workbook (``sample_workbooks/customer_data.xlsx``): the six sheets a design
  of ``customer_centric.json`` reads, imported as ``score --data`` imports them
  (``load_source_tables``: one opening of the workbook, every sheet typed and validated),
  against fastexcel reading the same six sheets into pandas;
* a size sweep of the import benchmark's table (12 columns: 3 text, 2 dates, 7 numbers)
  at 1,000, 10,000, 50,000, 100,000 and 200,000 rows: ``import_table`` of each against a
  bare fastexcel read of the same file, and ``inspect_workbook`` of the 200,000-row one.

Each figure is the median of ``--repeat`` runs, the reference timed in the same loop, so
ratios compare like with like on a shared machine; the load average is printed before
and after.

Usage: ``python benchmarks/bench_import_sizes.py [--repeat 5] [--sizes 1000,10000,...]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import bench_source, make_table, write_xlsx  # noqa: E402

TEMPLATE = ROOT / "resources" / "templates" / "customer_centric.json"
WORKBOOK = ROOT / "sample_workbooks" / "customer_data.xlsx"


def paired(
    ours: Callable[[], object], reference: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Medians of ``ours`` and ``reference``, run one after the other ``repeat`` times."""
    ours()
    reference()  # warm caches and lazy imports; not counted
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        ours()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        reference()
        b.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,50000,100000,200000")
    args = parser.parse_args()
    import fastexcel

    from scorecard_studio.engines.data_loading import load_source_tables
    from scorecard_studio.engines.design_file import load_design
    from scorecard_studio.engines.importing import import_table, inspect_workbook

    print(f"load average before: {os.getloadavg()[0]:.2f}")
    card = load_design(TEMPLATE)
    names = [s.sheet for s in card.sources]

    def sample_fastexcel() -> object:
        reader = fastexcel.read_excel(str(WORKBOOK))
        return [reader.load_sheet(n).to_pandas() for n in names]

    ours, ref = paired(lambda: load_source_tables(card, [WORKBOOK]), sample_fastexcel, args.repeat)
    print(
        f"sample workbook, {len(names)} sheets: import {ours * 1000:.0f} ms, fastexcel "
        f"{ref * 1000:.0f} ms, ratio {ours / ref:.2f}  (target <= 1.5)"
    )
    source = bench_source()
    with tempfile.TemporaryDirectory(prefix="bench-sizes-") as tmp:
        for rows in (int(n) for n in args.sizes.split(",")):
            path = Path(tmp) / f"rows{rows}.xlsx"
            write_xlsx(path, make_table(rows))

            def bare(p: Path = path) -> object:
                return fastexcel.read_excel(str(p)).load_sheet(0).to_pandas()

            ours, ref = paired(lambda p=path: import_table(p, source), bare, args.repeat)
            with_xml = _sheet_mib(path)
            print(
                f"{rows:>9,} rows ({with_xml:6.1f} MiB of sheet XML): import "
                f"{ours * 1000:8.0f} ms, fastexcel {ref * 1000:8.0f} ms, ratio {ours / ref:.2f}"
            )
            if rows == 200_000:
                ours, ref = paired(lambda p=path: inspect_workbook(p), bare, args.repeat)
                print(
                    f"{rows:>9,} rows inspect {ours * 1000:8.0f} ms, fastexcel "
                    f"{ref * 1000:8.0f} ms, ratio {ours / ref:.2f}  (target <= 1.5)"
                )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _sheet_mib(path: Path) -> float:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.getinfo("xl/worksheets/sheet1.xml").file_size / 1024**2


if __name__ == "__main__":
    main()
