# ruff: noqa: E501 - SpreadsheetML boilerplate is kept one part per line
"""Import benchmark: the guarded, typed, validated import against bare readers.

Generates its inputs into a temporary folder (never committed):

* a 1,000,000-row × 12-column xlsx (strings, dates, floats, ints) written directly as
  SpreadsheetML with a shared-string table, the way Excel stores such a sheet;
* the same table as a 1,000,000-row CSV.

It prints medians and the ratios against references measured in the same run:

* xlsx: the whole import (guard, read, header detection, typing, validation) against a bare
  ``fastexcel`` read of the same file into pandas, and against
  ``pandas.read_excel(engine="openpyxl")`` measured on a 100,000-row slice and scaled by 10
  (openpyxl on a million rows takes minutes and scales linearly);
* peak memory of the import (the process's peak RSS growth, measured in a fresh child
  process) against the size of the resulting DataFrame;
* CSV: the whole import against the faster of ``pandas.read_csv``'s C and pyarrow engines.

Usage: ``python benchmarks/bench_import.py [--rows 1000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = (
    "customer_id",
    "tier",
    "region",
    "signup_date",
    "invoice_date",
    "revenue",
    "margin",
    "discount",
    "seats",
    "tickets",
    "nps",
    "csat",
)
REGIONS = ("North", "South", "East", "West", "Central", "Nordics", "Iberia", "Benelux")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# Style 1 is the built-in short date format (numFmtId 14).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def _col(i: int) -> str:
    return chr(ord("A") + i)


def make_table(rows: int, seed: int = 7) -> dict[str, np.ndarray]:
    """The benchmark's columns as numpy arrays (dates as Excel 1900-system serials)."""
    rng = np.random.default_rng(seed)
    return {
        "customer_id": np.array([f"C{i:07d}" for i in range(rows)], dtype=object),
        "tier": rng.integers(1, 5, rows),
        "region": rng.integers(0, len(REGIONS), rows),
        "signup_date": rng.integers(40000, 46000, rows),
        "invoice_date": rng.integers(44000, 46000, rows),
        "revenue": np.round(rng.gamma(2.0, 5000.0, rows), 2),
        "margin": np.round(rng.normal(0.3, 0.1, rows), 4),
        "discount": np.round(rng.uniform(0, 0.25, rows), 3),
        "seats": rng.integers(1, 5000, rows),
        "tickets": rng.integers(0, 60, rows),
        "nps": rng.integers(0, 11, rows),
        "csat": rng.integers(1, 6, rows),
    }


def write_xlsx(path: Path, table: dict[str, np.ndarray]) -> None:
    """A minimal Excel-style workbook: shared strings for text, style 1 on date serials."""
    rows = len(table["customer_id"])
    shared = [*(f"Tier {t}" for t in range(1, 5)), *REGIONS]
    base = len(shared)
    header = "".join(
        f'<c r="{_col(j)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for j, name in enumerate(COLUMNS)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f'<dimension ref="A1:L{rows + 1}"/><sheetData>'.encode()
                + f'<row r="1">{header}</row>'.encode()
            )
            cols = [table[c].tolist() for c in COLUMNS]
            ids, tiers, regions, d1, d2, rev, mar, dis, seats, tick, nps, csat = cols
            chunk: list[str] = []
            for i in range(rows):
                r = i + 2
                chunk.append(
                    f'<row r="{r}"><c r="A{r}" t="s"><v>{base + i}</v></c>'
                    f'<c r="B{r}" t="s"><v>{tiers[i] - 1}</v></c>'
                    f'<c r="C{r}" t="s"><v>{4 + regions[i]}</v></c>'
                    f'<c r="D{r}" s="1"><v>{d1[i]}</v></c><c r="E{r}" s="1"><v>{d2[i]}</v></c>'
                    f'<c r="F{r}"><v>{rev[i]}</v></c><c r="G{r}"><v>{mar[i]}</v></c>'
                    f'<c r="H{r}"><v>{dis[i]}</v></c><c r="I{r}"><v>{seats[i]}</v></c>'
                    f'<c r="J{r}"><v>{tick[i]}</v></c><c r="K{r}"><v>{nps[i]}</v></c>'
                    f'<c r="L{r}"><v>{csat[i]}</v></c></row>'
                )
                if len(chunk) == 20000:
                    out.write("".join(chunk).encode())
                    chunk.clear()
            out.write("".join(chunk).encode())
            out.write(b"</sheetData></worksheet>")
        strings = [*shared, *ids]
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                + (
                    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    f'count="{3 * rows}" uniqueCount="{len(strings)}">'
                ).encode()
            )
            for start in range(0, len(strings), 50000):
                out.write(
                    "".join(f"<si><t>{s}</t></si>" for s in strings[start : start + 50000]).encode()
                )
            out.write(b"</sst>")


def write_csv(path: Path, table: dict[str, np.ndarray]) -> None:
    """The same table as a comma-separated UTF-8 file with ISO dates."""
    import pandas as pd

    epoch = np.datetime64("1899-12-30")
    frame = pd.DataFrame(
        {
            "customer_id": table["customer_id"],
            "tier": [f"Tier {t}" for t in table["tier"].tolist()],
            "region": np.array(REGIONS, dtype=object)[table["region"]],
            "signup_date": (epoch + table["signup_date"].astype("timedelta64[D]")).astype(
                "datetime64[s]"
            ),
            "invoice_date": (epoch + table["invoice_date"].astype("timedelta64[D]")).astype(
                "datetime64[s]"
            ),
            **{c: table[c] for c in COLUMNS[5:]},
        }
    )
    frame.to_csv(path, index=False, date_format="%Y-%m-%d")


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _descendants(pid: int) -> list[int]:
    """Processes started under ``pid`` (the fork server and its reader children)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def memory_probe(path: str) -> None:
    """Run in a fresh process: peak RSS of it and its reader processes during one import."""
    import threading

    from scorecard_studio.engines.importing import import_table

    me = os.getpid()
    base = _rss(me)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total = _rss(me) + sum(_rss(p) for p in _descendants(me))
            peak[0] = max(peak[0], total)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = import_table(path, bench_source())
    done.set()
    sampler.join()
    frame_bytes = int(result.frame.memory_usage(deep=True).sum())
    print(json.dumps({"peak": peak[0] - base, "frame": frame_bytes}))


def bench_source():  # type: ignore[no-untyped-def]
    from scorecard_studio.domain.model import DataSource

    return DataSource(
        "bench",
        "Benchmark",
        key_column="customer_id",
        date_column="invoice_date",
        tier_column="tier",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slice", type=int, default=100_000, help="rows for the openpyxl run")
    parser.add_argument("--memory-probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        memory_probe(args.memory_probe)
        return
    import fastexcel
    import pandas as pd

    from scorecard_studio.engines.importing import import_table

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        table = make_table(args.rows)
        xlsx = folder / "bench.xlsx"
        write_xlsx(xlsx, table)
        small = folder / "slice.xlsx"
        write_xlsx(small, {k: v[: args.slice] for k, v in table.items()})
        csv = folder / "bench.csv"
        write_csv(csv, table)
        print(
            f"inputs: {args.rows:,} rows x {len(COLUMNS)} columns; xlsx "
            f"{xlsx.stat().st_size / 1e6:.1f} MB, csv {csv.stat().st_size / 1e6:.1f} MB "
            f"(generated in {time.perf_counter() - start:.0f} s)"
        )
        source = bench_source()
        import_table(small, source)  # start the reader service outside the timings

        def bare() -> object:
            return fastexcel.read_excel(str(xlsx)).load_sheet(0).to_pandas()

        def full() -> object:
            return import_table(xlsx, source)

        t_bare = median_time(bare, args.repeat)
        t_import = median_time(full, args.repeat)
        start = time.perf_counter()
        pd.read_excel(small, engine="openpyxl")
        t_openpyxl = (time.perf_counter() - start) * args.rows / args.slice
        print(f"xlsx  fastexcel bare read      {t_bare:7.2f} s")
        print(
            f"xlsx  import (guard+read+type+validate) {t_import:7.2f} s  ratio {t_import / t_bare:.2f}"
            "  (target <= 1.5)"
        )
        print(
            f"xlsx  pandas openpyxl (scaled from {args.slice:,} rows) {t_openpyxl:7.1f} s"
            f"  speed-up {t_openpyxl / t_import:.1f}x  (target >= 5)"
        )
        probe = subprocess.run(
            [sys.executable, __file__, "--memory-probe", str(xlsx)],
            capture_output=True,
            text=True,
            check=True,
        )
        mem = json.loads(probe.stdout.strip().splitlines()[-1])
        print(
            f"xlsx  peak memory {mem['peak'] / 1e6:,.0f} MB (this process and its reader "
            f"processes, sampled every 50 ms) for a {mem['frame'] / 1e6:,.0f} MB DataFrame: "
            f"{mem['peak'] / mem['frame']:.1f}x  (target <= 3)"
        )
        t_c = median_time(lambda: pd.read_csv(csv), args.repeat)
        t_arrow = median_time(lambda: pd.read_csv(csv, engine="pyarrow"), args.repeat)
        t_csv = median_time(lambda: import_table(csv, source), args.repeat)
        best = min(t_c, t_arrow)
        print(f"csv   pandas C {t_c:.2f} s, pyarrow {t_arrow:.2f} s")
        print(f"csv   import {t_csv:.2f} s  ratio to the faster {t_csv / best:.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
