"""Command-line start-up and the sample scored end to end, each against a reference in the
same run.

* ``check`` of a template against a bare process that loads the same design and runs the
  same checks (the cost of the command layer itself);
* ``--help`` against a bare ``python -c pass``;
* ``score`` of the sample workbook against a plain script that reads the same six sheets
  with python-calamine and computes the same kind of group-by in pandas.

Bytecode is compiled first (``compileall``), as the README's commands and the package do,
because this machine may set ``PYTHONDONTWRITEBYTECODE``.

    uv run python benchmarks/bench_cli.py --repeat 7
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "resources" / "templates" / "customer_centric.json"
WORKBOOK = ROOT / "sample_workbooks" / "customer_data.xlsx"

BARE_CHECK = f"""
from scorecard_studio.domain.checks import check_design
from scorecard_studio.engines.design_file import load_design
check_design(load_design({str(TEMPLATE)!r}))
"""

PLAIN_SCORE = f"""
import pandas as pd
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path({str(WORKBOOK)!r})
for name in book.sheet_names:
    rows = book.get_sheet_by_name(name).to_python()
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    numeric = frame.select_dtypes("number")
    if len(frame.columns) and len(numeric.columns):
        frame.groupby(frame.columns[0]).agg("sum", numeric_only=True)
"""


def _run(argv: list[str]) -> float:
    env = dict(os.environ, SCORECARD_STUDIO_STORE=str(ROOT / "build" / "bench-cli.sqlite3"))
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _median(argv: list[str], repeat: int) -> float:
    _run(argv)  # warm the file cache; not counted
    return statistics.median(_run(argv) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "scorecard_studio", quiet=1)
    (ROOT / "build").mkdir(exist_ok=True)
    py = sys.executable
    cli = [py, "-m", "scorecard_studio"]
    pairs = [
        ("check template", [*cli, "check", str(TEMPLATE)], [py, "-c", BARE_CHECK]),
        ("--help", [*cli, "--help"], [py, "-c", "pass"]),
        (
            "score sample workbook",
            [*cli, "score", str(TEMPLATE), "--data", str(WORKBOOK)],
            [py, "-c", PLAIN_SCORE],
        ),
    ]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for label, command, reference in pairs:
        c, r = _median(command, args.repeat), _median(reference, args.repeat)
        print(f"{label}: {c * 1000:.0f} ms, reference {r * 1000:.0f} ms, ratio {c / r:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
